"""An index of each person's CPD entries by date, for their first day and the year page's list
(PostgreSQL otherwise found a person's earliest entry by walking everybody's by date)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 07:00:00
"""

from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cpd_entries', schema=None) as batch_op:
        batch_op.create_index('ix_cpd_entries_user_start', ['user_id', 'start'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cpd_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_cpd_entries_user_start')
