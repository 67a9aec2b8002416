"""Store the cleaned copy of each attachment, made once at upload

Revision ID: 0006
Revises: 0005

Files uploaded before this revision are cleaned here, with the allowlist cleaner, so a download
never does the work. A file the stricter cleaner refuses keeps no cleaned copy, and staff are
told it cannot be shown anonymously rather than given the original.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clean_data", sa.LargeBinary(), nullable=True))
    from lms.uploads import Refused, prepare

    attachments = sa.table("attachments", sa.column("id", sa.Integer),
                           sa.column("data", sa.LargeBinary),
                           sa.column("clean_data", sa.LargeBinary))
    connection = op.get_bind()
    ids = connection.execute(sa.select(attachments.c.id)).scalars().all()
    for attachment_id in ids:  # one at a time: files are up to 10 MB each
        data = connection.execute(sa.select(attachments.c.data).where(
            attachments.c.id == attachment_id)).scalar_one()
        try:
            cleaned = prepare(data).cleaned
        except Refused:
            continue
        connection.execute(attachments.update().where(attachments.c.id == attachment_id)
                           .values(clean_data=cleaned))


def downgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_column("clean_data")
