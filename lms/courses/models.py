"""Modules, their immutable content versions, lessons, and trainees' progress."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class Module(db.Model):
    """A module's identity; its content lives in versions."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_versions.id", use_alter=True, name="fk_modules_current_version"))

    current_version: Mapped["ModuleVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True)


class ModuleVersion(db.Model):
    """One synced state of a module's files; never changed once written."""

    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    number: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    specialism: Mapped[str | None] = mapped_column(String(32))
    credits: Mapped[int]
    level: Mapped[int]
    position: Mapped[int]
    last_reviewed: Mapped[date]
    meta: Mapped[dict] = mapped_column(JSON)  # outcomes, components, notes, authors, summary
    scenarios: Mapped[dict] = mapped_column(JSON, default=dict)

    module: Mapped[Module] = relationship(foreign_keys=[module_id])
    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="version", order_by="Lesson.position")


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("version_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"), index=True)
    position: Mapped[int]
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int]
    words: Mapped[int]
    last_reviewed: Mapped[date]
    content_note: Mapped[str | None] = mapped_column(Text)
    review_notes: Mapped[str | None] = mapped_column(Text)
    outcomes: Mapped[list] = mapped_column(JSON)
    sources: Mapped[list] = mapped_column(JSON)
    questions: Mapped[list] = mapped_column(JSON)
    html: Mapped[str] = mapped_column(Text)  # rendered and sanitised once, at sync
    body: Mapped[str | None] = mapped_column(Text)  # the Markdown, for comparing versions
    text: Mapped[str] = mapped_column(Text)  # plain text, for search

    version: Mapped[ModuleVersion] = relationship(back_populates="lessons")


class ModuleStudy(db.Model):
    """Which version of a module a trainee studies: pinned when they first open it."""

    __tablename__ = "module_studies"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id"))
    last_active_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[ModuleVersion] = relationship()


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    content_note_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CheckAttempt(db.Model):
    """A formative knowledge-check attempt: kept for the trainee, never counted in a grade."""

    __tablename__ = "check_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    answers: Mapped[list] = mapped_column(JSON)
    correct: Mapped[int]
    total: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContentReview(db.Model):
    """A member of staff reviewed a lesson or scenario: who, when, what they checked, outcome.

    Kept against the version current at the time; a text change takes effect when the content
    files are edited and synced into a new version (the platform never writes the files)."""

    __tablename__ = "content_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "lesson" or "scenario"
    slug: Mapped[str] = mapped_column(String(120))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))  # a key of REVIEW_OUTCOMES

    version: Mapped[ModuleVersion] = relationship()
    reviewer: Mapped[User] = relationship()


REVIEW_OUTCOMES = {"no_change": "No change needed", "text_changed": "Text changed"}
