"""CPD records: the scheme staff set, advocates' entries, plans and leave, confirmations by
employers, reminders sent, and the yearly audit. Totals are never stored: they are computed
from entries by lms.cpd.rules."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.cpd import rules
from lms.db import TimestampMixin, UTCDateTime, utcnow
from lms.extensions import db

ENTRY_STATUSES = rules.STATUSES  # draft, planned, logged, withdrawn


class CpdScheme(db.Model):
    """One version of the CPD rule, in force from `effective_from` until the next one's date.
    A change is a new row: earlier years keep the rule they were measured against."""

    __tablename__ = "cpd_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, index=True)
    yearly_minutes: Mapped[int]
    participatory_minutes: Mapped[int]
    supervision_minutes: Mapped[int]
    required_topics: Mapped[list] = mapped_column(JSON, default=list)
    reflections: Mapped[int]
    year_start_month: Mapped[int | None]  # None: the accreditation anniversary
    year_start_day: Mapped[int | None]
    leave_pro_rata: Mapped[bool] = mapped_column(default=True, server_default="1")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def rule(self) -> rules.Scheme:
        start = (
            (self.year_start_month, self.year_start_day)
            if self.year_start_month and self.year_start_day
            else None
        )
        return rules.Scheme(
            effective_from=self.effective_from,
            yearly_minutes=self.yearly_minutes,
            participatory_minutes=self.participatory_minutes,
            supervision_minutes=self.supervision_minutes,
            required_topics=tuple(self.required_topics or ()),
            reflections=self.reflections,
            year_start=start,
            leave_pro_rata=self.leave_pro_rata,
        )


class CpdProfile(db.Model):
    """What the CPD year of a person hangs on until accreditation is computed (issue 10):
    the date their accreditation began, which anchors an anniversary year."""

    __tablename__ = "cpd_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    accredited_on: Mapped[date | None] = mapped_column(Date)


class CpdEntry(TimestampMixin, db.Model):
    """An activity: a draft kept as it is typed, a plan, a logged entry, or withdrawn (kept,
    with its reason). A confirmed entry is changed only after it is un-confirmed with a
    reason; every change is audited, and forms carry `version` so two tabs conflict."""

    __tablename__ = "cpd_entries"
    # Covers the read of a person's logged entries' versions (lms.cpd.services.kept_from_entries)
    # and the dates it filters on, so the database answers it from the index alone.
    __table_args__ = (
        Index("ix_cpd_entries_logged_versions", "user_id", "status", "id", "version", "start",
              "end"),
        # A person's entries by date: their first day (which CPD years to offer) and the year
        # page's newest first. Without it PostgreSQL finds min(start) by walking everybody's.
        Index("ix_cpd_entries_user_start", "user_id", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(
        String(12), default="draft", server_default="draft", index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    start: Mapped[date | None] = mapped_column(Date, index=True)
    end: Mapped[date | None] = mapped_column(Date)
    minutes: Mapped[int | None]
    activity: Mapped[str | None] = mapped_column(String(32))
    participatory: Mapped[bool] = mapped_column(default=False, server_default="0")
    topics: Mapped[list] = mapped_column(JSON, default=list)
    what_happened: Mapped[str] = mapped_column(Text, default="", server_default="")
    what_i_learned: Mapped[str] = mapped_column(Text, default="", server_default="")
    how_practice_changes: Mapped[str] = mapped_column(Text, default="", server_default="")
    source: Mapped[str] = mapped_column(String(12), default="manual", server_default="manual")
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id"))
    shared_with_employer: Mapped[bool] = mapped_column(default=False, server_default="0")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_name: Mapped[str | None] = mapped_column(String(200))
    confirmed_by_role: Mapped[str | None] = mapped_column(String(200))
    confirmed_by_organisation: Mapped[str | None] = mapped_column(String(200))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    user: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def rule(self) -> rules.Entry:
        """This entry as the rules see it (a draft without a date or time counts for nothing)."""
        return entry_rule(self)


def entry_rule(row) -> rules.Entry:
    """An entry as the rules see it, from a CpdEntry or a row of ENTRY_RULE_COLUMNS."""
    return rules.Entry(
        start=row.start or date.min,
        minutes=row.minutes or 0,
        activity=row.activity or "other",
        participatory=row.participatory,
        topics=frozenset(row.topics or ()),
        reflection=rules.Reflection(
            row.what_happened, row.what_i_learned, row.how_practice_changes
        ),
        status=row.status,
        end=row.end,
        confirmed=row.confirmed_at is not None,
        id=row.id,
    )


# What entry_rule reads: pages that only total entries select these, not whole entries.
ENTRY_RULE_COLUMNS = (
    CpdEntry.user_id, CpdEntry.id, CpdEntry.start, CpdEntry.end, CpdEntry.minutes,
    CpdEntry.activity, CpdEntry.participatory, CpdEntry.topics, CpdEntry.what_happened,
    CpdEntry.what_i_learned, CpdEntry.how_practice_changes, CpdEntry.status,
    CpdEntry.confirmed_at,
)


class CpdEvidence(db.Model):
    """A file attached to an entry; the file itself goes through lms.uploads like any other."""

    __tablename__ = "cpd_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("cpd_entries.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"), unique=True)


class CpdConfirmation(db.Model):
    """A request to a named confirmer: a single-use link (only its hash is kept) that expires."""

    __tablename__ = "cpd_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("cpd_entries.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(12))  # "confirmed" or "queried"
    comment: Mapped[str | None] = mapped_column(Text)

    entry: Mapped[CpdEntry] = relationship()


class CpdLeave(db.Model):
    """Leave that reduces a year's requirement pro rata; kept, never edited in place."""

    __tablename__ = "cpd_leave"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def rule(self) -> rules.Leave:
        return rules.Leave(self.start, self.end, self.kind)


class CpdReminder(db.Model):
    """A reminder sent, so each (year, days before its end) is sent once."""

    __tablename__ = "cpd_reminders"
    __table_args__ = (
        UniqueConstraint("user_id", "year_end", "days_before", name="uq_cpd_reminders_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    year_end: Mapped[date] = mapped_column(Date)
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CpdAudit(db.Model):
    """A yearly audit: the sample drawn from a recorded seed, so the draw can be repeated."""

    __tablename__ = "cpd_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    seed: Mapped[str] = mapped_column(String(64))
    rate: Mapped[str] = mapped_column(String(16))  # a fraction, e.g. "1/40"
    minimum: Mapped[int] = mapped_column(default=1, server_default="1")
    eligible: Mapped[list] = mapped_column(JSON, default=list)  # the ids the draw was made from
    # given advice at the previous audit, so drawn again (migration 0015_cpdstaff)
    must_include: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deadline: Mapped[date] = mapped_column(Date)


class CpdAuditCase(TimestampMixin, db.Model):
    """One advocate selected in an audit, from notice to decision (and appeal)."""

    __tablename__ = "cpd_audit_cases"
    __table_args__ = (UniqueConstraint("audit_id", "user_id", name="uq_cpd_audit_cases_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("cpd_audits.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="selected", server_default="selected")
    deferred_reason: Mapped[str | None] = mapped_column(Text)
    deferred_until: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(12))  # met, advice, not_met
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    second_assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    appeal_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    audit: Mapped[CpdAudit] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __mapper_args__ = {"version_id_col": version}
