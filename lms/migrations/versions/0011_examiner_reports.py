"""The external examiner's report on an assessment, kept in versions

Each revision adds a row with the next version number; earlier versions stay. The unique
(assessment, examiner, version) constraint turns two tabs saving at once into a conflict
instead of a lost update.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "examiner_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("examiner_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("submitted_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"],
                                name=op.f("fk_examiner_reports_assessment_id_assessments")),
        sa.ForeignKeyConstraint(["examiner_id"], ["users.id"],
                                name=op.f("fk_examiner_reports_examiner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_examiner_reports")),
        sa.UniqueConstraint("assessment_id", "examiner_id", "version",
                            name="uq_examiner_reports_version"),
    )
    with op.batch_alter_table("examiner_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_examiner_reports_assessment_id"),
                              ["assessment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_examiner_reports_examiner_id"),
                              ["examiner_id"], unique=False)


def downgrade() -> None:
    op.drop_table("examiner_reports")
