"""An index covering each person's logged CPD entries' ids, versions and dates, read on every
status, dashboard and public check to tell whether the figures kept from them still hold

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 07:00:00
"""

from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cpd_entries', schema=None) as batch_op:
        batch_op.create_index('ix_cpd_entries_logged_versions',
                              ['user_id', 'status', 'id', 'version', 'start', 'end'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cpd_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_cpd_entries_logged_versions')
