"""Accreditation records. Decisions are rows that are never edited: a status is what the rules
make of all of them on a day. Forms that change a shared record carry `version`, so two people
acting at once get a conflict rather than a lost update."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.db import UTCDateTime, utcnow
from lms.extensions import db

# ---------------------------------------------------------------------------- advocates


class Award(db.Model):
    """The PG Cert awarded by the university's exam board, in one specialism."""

    __tablename__ = "awards"
    __table_args__ = (UniqueConstraint("user_id", "specialism"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id"))
    specialism: Mapped[str] = mapped_column(String(32))
    awarded_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class RegisterEntry(db.Model):
    """An advocate's place on the register: a number that cannot be guessed, and whether the
    public check withholds them (an advocate at risk asks staff to withhold their entry)."""

    __tablename__ = "register_entries"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    withheld: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


ADVOCATE_DECISIONS = {
    "accredit": "Initial conditions met: accredited",
    "conditions": "Conditions set",
    "conditions_met": "Conditions met",
    "suspend": "Suspended",
    "lift": "Suspension lifted",
    "withdraw": "Accreditation withdrawn",
    "withhold": "Entry withheld from the public check",
    "unwithhold": "Entry shown on the public check again",
}


class AdvocateDecision(db.Model):
    """A decision by course staff about one advocate, with its reason; never edited."""

    __tablename__ = "advocate_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    conditions: Mapped[str] = mapped_column(Text, default="", server_default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


# ---------------------------------------------------------------------------- organisations


class OrgApplication(db.Model):
    """An organisation's application for accreditation (first time or renewal): drafted by its
    admins criterion by criterion, submitted, reviewed by staff and decided."""

    __tablename__ = "org_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("host_organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="initial", server_default="initial")
    status: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    answers: Mapped[list["OrgCriterionAnswer"]] = relationship(
        back_populates="application", order_by="OrgCriterionAnswer.id")
    messages: Mapped[list["OrgMessage"]] = relationship(
        back_populates="application", order_by="OrgMessage.id")


class OrgCriterionAnswer(db.Model):
    """What the organisation says about one criterion, and the staff review of it."""

    __tablename__ = "org_criterion_answers"
    __table_args__ = (UniqueConstraint("application_id", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("org_applications.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(40))
    statement: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review: Mapped[str | None] = mapped_column(String(16))  # met, not_met, more_info
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    application: Mapped[OrgApplication] = relationship(back_populates="answers")


class OrgEvidence(db.Model):
    """A file supporting one criterion; the file itself goes through lms.uploads."""

    __tablename__ = "org_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("org_criterion_answers.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"), unique=True)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OrgMessage(db.Model):
    """The thread between staff and the organisation about an application (or an appeal)."""

    __tablename__ = "org_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("org_applications.id"), index=True)
    criterion: Mapped[str | None] = mapped_column(String(40))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_staff: Mapped[bool] = mapped_column(default=False, server_default="0")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[OrgApplication] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()


ORG_DECISIONS = {
    "accredited": "Accredited",
    "accredited_conditions": "Accredited with conditions",
    "declined": "Declined",
    "conditions_met": "Conditions met",
    "suspended": "Suspended",
    "lifted": "Suspension lifted",
    "withdrawn": "Accreditation withdrawn",
}


class OrgDecision(db.Model):
    """A decision about an organisation's accreditation, with its reasons; never edited. An
    appeal that succeeds leads to a new decision, which the appeal points at."""

    __tablename__ = "org_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("host_organisations.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("org_applications.id"))
    kind: Mapped[str] = mapped_column(String(24))
    effective_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    reasons: Mapped[str] = mapped_column(Text, default="", server_default="")
    conditions: Mapped[str] = mapped_column(Text, default="", server_default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class OrgAppeal(db.Model):
    """An organisation's appeal against a decision, within 28 days; decided by a different
    member of staff from the one who made the decision."""

    __tablename__ = "org_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("org_decisions.id"), unique=True)
    grounds: Mapped[str] = mapped_column(Text)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(16))  # upheld, dismissed
    reasons: Mapped[str] = mapped_column(Text, default="", server_default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The decision made on an upheld appeal, replacing the one appealed against.
    new_decision_id: Mapped[int | None] = mapped_column(ForeignKey("org_decisions.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    decision: Mapped[OrgDecision] = relationship(foreign_keys=[decision_id])


class OrgAnnualReturn(db.Model):
    """The short yearly return: nothing material has changed, or what has."""

    __tablename__ = "org_annual_returns"
    __table_args__ = (UniqueConstraint("organisation_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("host_organisations.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    nothing_changed: Mapped[bool]
    changes: Mapped[str] = mapped_column(Text, default="", server_default="")
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccreditationReminder(db.Model):
    """A reminder sent (renewal window, yearly return, conditions due), so none goes twice."""

    __tablename__ = "accreditation_reminders"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("host_organisations.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BulkCheck(db.Model):
    """A bulk check of accreditation numbers by an organisation: who, when, how many."""

    __tablename__ = "bulk_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("host_organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    count: Mapped[int]
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
