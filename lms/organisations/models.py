"""Host organisations and the people they employ."""

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.db import TimestampMixin
from lms.extensions import db


class HostOrganisation(TimestampMixin, db.Model):
    __tablename__ = "host_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    nation: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(120), default="", server_default="")

    employments: Mapped[list["Employment"]] = relationship(back_populates="organisation")


class Employment(TimestampMixin, db.Model):
    """A person employed by a host organisation between two dates (end open while current)."""

    __tablename__ = "employments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("host_organisations.id"), index=True
    )
    job_title: Mapped[str] = mapped_column(String(120), default="", server_default="")
    start_date: Mapped[date]
    end_date: Mapped[date | None]

    user: Mapped[User] = relationship()
    organisation: Mapped[HostOrganisation] = relationship(back_populates="employments")

    def is_current(self, today: date) -> bool:
        return self.start_date <= today and (self.end_date is None or today <= self.end_date)
