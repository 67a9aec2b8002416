"""A mark belongs to whoever made it: reallocation keeps it, the new marker starts blind

Reallocating unfinished marking retires the old marker's provisional mark (superseded_at)
and keeps it on record, so (submission, role) is unique among marks in force only: the
unique constraint becomes a partial unique index, which SQLite and PostgreSQL both support.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

IN_FORCE = sa.text("superseded_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("marks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_at", lms.db.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.drop_constraint("uq_marks_role", type_="unique")
    op.create_index("uq_marks_live_role", "marks", ["submission_id", "role"], unique=True,
                    sqlite_where=IN_FORCE, postgresql_where=IN_FORCE)


def downgrade() -> None:
    # Fails while superseded marks exist: going back would mean deleting them.
    op.drop_index("uq_marks_live_role", table_name="marks")
    with op.batch_alter_table("marks", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_marks_role", ["submission_id", "role"])
        batch_op.drop_column("superseded_at")
