"""CPD records: the scheme, entries and their evidence, confirmations, leave, reminders, audits

Tables only; totals are never stored (lms.cpd.rules computes them from entries). Entries and
audit cases carry a version so two people acting at once get a conflict, not a lost update.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cpd_audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("rate", sa.String(length=16), nullable=False),
        sa.Column("minimum", sa.Integer(), server_default="1", nullable=False),
        sa.Column("eligible", sa.JSON(), nullable=False),
        sa.Column("drawn_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("drawn_by_id", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["drawn_by_id"], ["users.id"], name=op.f("fk_cpd_audits_drawn_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpd_audits")),
    )
    op.create_table(
        "cpd_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), server_default="draft", nullable=False),
        sa.Column("title", sa.String(length=200), server_default="", nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("activity", sa.String(length=32), nullable=True),
        sa.Column("participatory", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("what_happened", sa.Text(), server_default="", nullable=False),
        sa.Column("what_i_learned", sa.Text(), server_default="", nullable=False),
        sa.Column("how_practice_changes", sa.Text(), server_default="", nullable=False),
        sa.Column("source", sa.String(length=12), server_default="manual", nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("shared_with_employer", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("confirmed_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by_name", sa.String(length=200), nullable=True),
        sa.Column("confirmed_by_role", sa.String(length=200), nullable=True),
        sa.Column("confirmed_by_organisation", sa.String(length=200), nullable=True),
        sa.Column("withdrawn_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_cpd_entries_module_id_modules")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cpd_entries_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpd_entries")),
    )
    with op.batch_alter_table("cpd_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cpd_entries_start"), ["start"], unique=False)
        batch_op.create_index(batch_op.f("ix_cpd_entries_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_cpd_entries_user_id"), ["user_id"], unique=False)

    op.create_table(
        "cpd_leave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("withdrawn_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_cpd_leave_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpd_leave")),
    )
    with op.batch_alter_table("cpd_leave", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cpd_leave_user_id"), ["user_id"], unique=False)

    op.create_table(
        "cpd_profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("accredited_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cpd_profiles_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_cpd_profiles")),
    )
    op.create_table(
        "cpd_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("year_end", sa.Date(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("sent_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cpd_reminders_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpd_reminders")),
        sa.UniqueConstraint("user_id", "year_end", "days_before", name="uq_cpd_reminders_once"),
    )
    with op.batch_alter_table("cpd_reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cpd_reminders_user_id"), ["user_id"], unique=False)

    op.create_table(
        "cpd_schemes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("yearly_minutes", sa.Integer(), nullable=False),
        sa.Column("participatory_minutes", sa.Integer(), nullable=False),
        sa.Column("supervision_minutes", sa.Integer(), nullable=False),
        sa.Column("required_topics", sa.JSON(), nullable=False),
        sa.Column("reflections", sa.Integer(), nullable=False),
        sa.Column("year_start_month", sa.Integer(), nullable=True),
        sa.Column("year_start_day", sa.Integer(), nullable=True),
        sa.Column("leave_pro_rata", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_cpd_schemes_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpd_schemes")),
    )
    with op.batch_alter_table("cpd_schemes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cpd_schemes_effective_from"), ["effective_from"], unique=False
        )

    op.create_table(
        "cpd_audit_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="selected", nullable=False),
        sa.Column("deferred_reason", sa.Text(), nullable=True),
        sa.Column("deferred_until", sa.Date(), nullable=True),
        sa.Column("submitted_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("assessor_id", sa.Integer(), nullable=True),
        sa.Column("second_assessor_id", sa.Integer(), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("appeal_note", sa.Text(), nullable=True),
        sa.Column("decided_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["users.id"], name=op.f("fk_cpd_audit_cases_assessor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["cpd_audits.id"], name=op.f("fk_cpd_audit_cases_audit_id_cpd_audits")
        ),
        sa.ForeignKeyConstraint(
            ["second_assessor_id"],
            ["users.id"],
            name=op.f("fk_cpd_audit_cases_second_assessor_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cpd_audit_cases_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpd_audit_cases")),
        sa.UniqueConstraint("audit_id", "user_id", name="uq_cpd_audit_cases_once"),
    )
    with op.batch_alter_table("cpd_audit_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cpd_audit_cases_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cpd_audit_cases_user_id"), ["user_id"], unique=False)

    op.create_table(
        "cpd_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), server_default="", nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("requested_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["cpd_entries.id"], name=op.f("fk_cpd_confirmations_entry_id_cpd_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpd_confirmations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_cpd_confirmations_token_hash")),
    )
    with op.batch_alter_table("cpd_confirmations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cpd_confirmations_entry_id"), ["entry_id"], unique=False
        )

    op.create_table(
        "cpd_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_cpd_evidence_attachment_id_attachments"),
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["cpd_entries.id"], name=op.f("fk_cpd_evidence_entry_id_cpd_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpd_evidence")),
        sa.UniqueConstraint("attachment_id", name=op.f("uq_cpd_evidence_attachment_id")),
    )
    with op.batch_alter_table("cpd_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cpd_evidence_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cpd_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpd_evidence_entry_id"))

    op.drop_table("cpd_evidence")
    with op.batch_alter_table("cpd_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpd_confirmations_entry_id"))

    op.drop_table("cpd_confirmations")
    with op.batch_alter_table("cpd_audit_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpd_audit_cases_user_id"))
        batch_op.drop_index(batch_op.f("ix_cpd_audit_cases_audit_id"))

    op.drop_table("cpd_audit_cases")
    with op.batch_alter_table("cpd_schemes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpd_schemes_effective_from"))

    op.drop_table("cpd_schemes")
    with op.batch_alter_table("cpd_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpd_reminders_user_id"))

    op.drop_table("cpd_reminders")
    op.drop_table("cpd_profiles")
    with op.batch_alter_table("cpd_leave", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpd_leave_user_id"))

    op.drop_table("cpd_leave")
    with op.batch_alter_table("cpd_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpd_entries_user_id"))
        batch_op.drop_index(batch_op.f("ix_cpd_entries_status"))
        batch_op.drop_index(batch_op.f("ix_cpd_entries_start"))

    op.drop_table("cpd_entries")
    op.drop_table("cpd_audits")
