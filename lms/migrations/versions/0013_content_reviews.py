"""Staff record content reviews; lessons keep their Markdown so versions can be compared

A content review records who reviewed a lesson or scenario, when, what they checked and whether
the text needs changing, against the module version current at the time. Lessons synced before
this migration have no Markdown (body is NULL): comparisons fall back to their plain text.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("checked", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["module_id"], ["modules.id"],
                                name=op.f("fk_content_reviews_module_id_modules")),
        sa.ForeignKeyConstraint(["version_id"], ["module_versions.id"],
                                name=op.f("fk_content_reviews_version_id_module_versions")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"],
                                name=op.f("fk_content_reviews_reviewer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_reviews")),
    )
    with op.batch_alter_table("content_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_reviews_module_id"), ["module_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_content_reviews_version_id"), ["version_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_content_reviews_reviewer_id"), ["reviewer_id"],
                              unique=False)
    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.drop_column("body")
    op.drop_table("content_reviews")
