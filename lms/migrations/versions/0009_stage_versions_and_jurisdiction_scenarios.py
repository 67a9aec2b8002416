"""Work carries a version; a component can be set with a scenario per jurisdiction

submissions.version counts every change to a draft: forms carry the version they were based
on, so a stale tab or a page restored by the Back button cannot save over newer work.
assessments.scenario_variants maps a jurisdiction to the scenario its trainees take, and
submissions.scenario_slug records the one each trainee was given when they started.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False,
                                      server_default="1"))
        batch_op.add_column(sa.Column("scenario_slug", sa.String(length=120), nullable=True))
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scenario_variants", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("scenario_variants")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("scenario_slug")
        batch_op.drop_column("version")
