"""Assessments set for a cohort, trainees' submissions, extensions and attachments."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessments.written import written_scenario
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.courses.models import Module, ModuleVersion
from lms.db import TimestampMixin, UTCDateTime, utcnow
from lms.extensions import db

STATES = ("draft", "submitted", "in_marking", "marked", "moderated", "ready", "released")


class Assessment(TimestampMixin, db.Model):
    """One assessment component of a module, set for a cohort with a deadline."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    component_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # "scenario" or "written"
    scenario_slug: Mapped[str | None] = mapped_column(String(120))
    # Jurisdiction -> scenario slug, for trainees whose nation has its own scenario.
    scenario_variants: Mapped[dict | None] = mapped_column(JSON)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    anonymous: Mapped[bool] = mapped_column(default=True, server_default="1")
    second_marking: Mapped[str] = mapped_column(String(16), default="sample",
                                                server_default="sample")
    tolerance: Mapped[int] = mapped_column(default=10, server_default="10")
    late_capped_days: Mapped[int] = mapped_column(default=5, server_default="5")
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Withdrawn, never deleted: the work and marks stay; trainees are no longer asked for it.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdraw_reason: Mapped[str | None] = mapped_column(Text)

    cohort: Mapped[Cohort] = relationship()
    module: Mapped[Module] = relationship()
    version: Mapped[ModuleVersion] = relationship()

    @property
    def scenario(self) -> dict | None:
        """The scenario to work through; a written component is a one-task scenario."""
        if self.kind == "written":
            component = next((c for c in self.version.meta["components"]
                              if c["id"] == self.component_id), None)
            if component is None:
                return None
            return written_scenario(component, self.version.meta["outcomes"],
                                    self.version.last_reviewed.isoformat())
        return self.version.scenarios.get(self.scenario_slug) if self.scenario_slug else None

    def scenario_slug_for(self, jurisdiction: str | None) -> str | None:
        """The scenario a trainee of this jurisdiction takes: their nation's, or the default."""
        if self.kind != "scenario":
            return None
        return (self.scenario_variants or {}).get(jurisdiction or "") or self.scenario_slug


class Submission(TimestampMixin, db.Model):
    """A trainee's work on an assessment: a draft until submitted, then never overwritten."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("assessment_id", "user_id", "attempt", name="uq_submissions_attempt"),
        UniqueConstraint("assessment_id", "candidate_number", name="uq_submissions_candidate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    attempt: Mapped[int] = mapped_column(default=1, server_default="1")
    candidate_number: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft",
                                       index=True)
    path: Mapped[list] = mapped_column(JSON, default=list)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    decision_mark: Mapped[int | None]
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declaration_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reference: Mapped[str | None] = mapped_column(String(40))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    days_late: Mapped[int] = mapped_column(default=0, server_default="0")
    # A resit attempt: capped at the pass mark unless mitigating circumstances were accepted.
    mitigating: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The scenario this trainee was given (their jurisdiction's); None means the default.
    scenario_slug: Mapped[str | None] = mapped_column(String(120))
    # Bumped by every change to the work; a form based on an older version cannot save over it
    # (and two requests racing are caught by the database: UPDATE ... WHERE version = n).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    assessment: Mapped[Assessment] = relationship()
    user: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def scenario(self) -> dict | None:
        """The scenario this work is on: the trainee's jurisdiction's, else the assessment's."""
        assessment = self.assessment
        if self.scenario_slug and assessment.kind == "scenario":
            found = assessment.version.scenarios.get(self.scenario_slug)
            if found is not None:
                return found
        return assessment.scenario


class Extension(db.Model):
    __tablename__ = "extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_until: Mapped[datetime] = mapped_column(UTCDateTime)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    granted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mitigating: Mapped[bool] = mapped_column(default=False, server_default="0")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))

    assessment: Mapped[Assessment] = relationship()


class Attachment(db.Model):
    """An uploaded file: the original (which the receipt's hash covers) and, made once at
    upload by lms.uploads, the cleaned copy that everyone but its owner gets."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    clean_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Allocation(db.Model):
    """Which marker marks a submission, as first or second marker."""

    __tablename__ = "allocations"
    __table_args__ = (UniqueConstraint("submission_id", "role", name="uq_allocations_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    marker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(8))  # "first" or "second"
    allocated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    allocated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship()
    marker: Mapped[User] = relationship(foreign_keys=[marker_id])


class Mark(TimestampMixin, db.Model):
    """A marker's judgement (first or second) or the agreed mark; every change is audited.

    A mark belongs to the marker who made it: reallocating unfinished marking retires the old
    marker's provisional mark (superseded_at) rather than handing it on, and keeps it."""

    __tablename__ = "marks"
    __table_args__ = (
        # One mark in force per role; superseded marks stay on record beside it.
        Index("uq_marks_live_role", "submission_id", "role", unique=True,
              sqlite_where=text("superseded_at IS NULL"),
              postgresql_where=text("superseded_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    marker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(8))  # "first", "second" or "agreed"
    status: Mapped[str] = mapped_column(String(12), default="provisional",
                                        server_default="provisional")
    criterion_marks: Mapped[dict] = mapped_column(JSON, default=dict)
    criterion_feedback: Mapped[dict] = mapped_column(JSON, default=dict)
    overall_feedback: Mapped[str] = mapped_column(Text, default="", server_default="")
    written_mark: Mapped[int | None]
    mark: Mapped[int | None]  # the component mark: decisions and written work combined
    final_mark: Mapped[int | None]  # after any late penalty (agreed marks only)
    reason: Mapped[str | None] = mapped_column(Text)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    marker: Mapped[User] = relationship(foreign_keys=[marker_id])

    @classmethod
    def current(cls):
        """The condition for marks in force: not superseded by a reallocation."""
        return cls.superseded_at.is_(None)


class ExaminerReport(db.Model):
    """One version of an external examiner's report on an assessment, which moderators read.

    A revision adds a version and keeps the earlier ones: the current report is the latest."""

    __tablename__ = "examiner_reports"
    __table_args__ = (UniqueConstraint("assessment_id", "examiner_id", "version",
                                       name="uq_examiner_reports_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    examiner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    examiner: Mapped[User] = relationship()
