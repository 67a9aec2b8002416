"""Certificates issued: what each states, its code, and whether it still holds. A certificate is
never deleted or edited: revocation (final) and suspension (reversible) are recorded on it with
who, when and why, and a reissue points from the old to the new."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.db import UTCDateTime, utcnow
from lms.extensions import db

KINDS = {
    "module_completion": "Module completion",
    "transcript": "Programme transcript",
    "advocate_accreditation": "Advocate accreditation",
    "organisation_accreditation": "Organisation accreditation",
    "cpd_statement": "CPD statement",
}


class Certificate(db.Model):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    # What it certifies ("module:<user>:<module>"), so issuing again never issues twice.
    key: Mapped[str] = mapped_column(String(160), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("host_organisations.id"), index=True)
    facts: Mapped[dict] = mapped_column(JSON)  # every field the document states
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status_index: Mapped[int] = mapped_column(unique=True)  # its bit in the status lists
    salt: Mapped[str] = mapped_column(String(64))  # for the hashed recipient in Open Badges
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    suspended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
