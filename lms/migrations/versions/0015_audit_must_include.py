"""CPD audits record who had to be included (advice given at the last audit)

The draw is repeated from the seed, the eligible ids and those who had to be in it. The last is
recorded with the audit because appeals can change last year's outcomes after the draw.

Revision ID: 0015_cpdstaff
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cpd_audits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("must_include", sa.JSON(), server_default="[]", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("cpd_audits", schema=None) as batch_op:
        batch_op.drop_column("must_include")
