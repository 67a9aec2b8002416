"""Shared CPD fixtures: an advocate with a CPD profile, and helpers to post CPD forms."""

import io
from datetime import date, timedelta

import pytest

from lms.extensions import db
from tests.conftest import csrf_token, sign_in

TODAY = date.today()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def anniversary(year_began: int) -> date:
    """An accreditation date a year or more ago whose anniversary was `year_began` days ago."""
    began = days_ago(year_began)
    if (began.month, began.day) == (2, 29):
        began -= timedelta(days=1)
    return began.replace(year=began.year - 1)


@pytest.fixture
def create_advocate(app, create_user):
    """Return a factory: an advocate whose CPD year began `year_began` days ago (accredited
    that many days ago, so the current CPD year starts on that day)."""
    from lms.cpd.models import CpdProfile

    def factory(*, year_began: int = 100, role: str = "advocate", **kwargs):
        user = create_user(role, **kwargs)
        with app.app_context():
            db.session.add(CpdProfile(user_id=user.id, accredited_on=anniversary(year_began)))
            db.session.commit()
        return user

    return factory


@pytest.fixture
def advocate(create_advocate):
    return create_advocate()


@pytest.fixture
def advocate_client(app, advocate):
    client = app.test_client()
    sign_in(client, advocate)
    return client


def entry_form(**overrides) -> dict:
    """A complete, valid activity done ten days ago, as the form posts it."""
    form = {"title": "Multi-agency training on the NRM", "start": days_ago(10).isoformat(),
            "end": "", "hours": "3.5", "activity": "multi_agency_training",
            "participatory": "1", "topics": ["law_and_policy", "safeguarding"],
            "what_happened": "A day with police and council colleagues.",
            "what_i_learned": "How **Reasonable Grounds** decisions are made.",
            "how_practice_changes": "I will explain the wait to the people I support."}
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def post_entry(client, url: str, action: str, *, version="", attachment=None, **overrides):
    """Post the entry form with a button ("log", "plan", "draft" or "autosave"); `attachment`
    is (bytes, filename)."""
    data = {**entry_form(**overrides), "action": action, "version": str(version),
            "csrf_token": csrf_token(client, "/cpd")}
    if attachment is not None:
        data["attachment"] = (io.BytesIO(attachment[0]), attachment[1])
    return client.post(url, data=data)


def entries_of(app, user):
    from sqlalchemy import select

    from lms.cpd.models import CpdEntry

    with app.app_context():
        rows = db.session.scalars(select(CpdEntry).where(CpdEntry.user_id == user.id)
                                  .order_by(CpdEntry.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows
