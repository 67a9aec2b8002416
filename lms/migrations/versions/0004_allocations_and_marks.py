"""marking

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 20:13:19.785983
"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('marker_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('allocated_by_id', sa.Integer(), nullable=True),
    sa.Column('allocated_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['allocated_by_id'], ['users.id'], name=op.f('fk_allocations_allocated_by_id_users')),
    sa.ForeignKeyConstraint(['marker_id'], ['users.id'], name=op.f('fk_allocations_marker_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_allocations_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocations')),
    sa.UniqueConstraint('submission_id', 'role', name='uq_allocations_role')
    )
    with op.batch_alter_table('allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocations_marker_id'), ['marker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocations_submission_id'), ['submission_id'], unique=False)

    op.create_table('marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('marker_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=12), server_default='provisional', nullable=False),
    sa.Column('criterion_marks', sa.JSON(), nullable=False),
    sa.Column('criterion_feedback', sa.JSON(), nullable=False),
    sa.Column('overall_feedback', sa.Text(), server_default='', nullable=False),
    sa.Column('written_mark', sa.Integer(), nullable=True),
    sa.Column('mark', sa.Integer(), nullable=True),
    sa.Column('final_mark', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['marker_id'], ['users.id'], name=op.f('fk_marks_marker_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_marks_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marks')),
    sa.UniqueConstraint('submission_id', 'role', name='uq_marks_role')
    )
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marks_marker_id'), ['marker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_marks_submission_id'), ['submission_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marks_submission_id'))
        batch_op.drop_index(batch_op.f('ix_marks_marker_id'))

    op.drop_table('marks')
    with op.batch_alter_table('allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocations_submission_id'))
        batch_op.drop_index(batch_op.f('ix_allocations_marker_id'))

    op.drop_table('allocations')
