"""An assessment can be withdrawn: recorded who, when and why, and nothing deleted

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", lms.db.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("withdraw_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key("fk_assessments_withdrawn_by_id_users", "users",
                                    ["withdrawn_by_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_constraint("fk_assessments_withdrawn_by_id_users", type_="foreignkey")
        batch_op.drop_column("withdraw_reason")
        batch_op.drop_column("withdrawn_by_id")
        batch_op.drop_column("withdrawn_at")
