"""Helpers for the advocate status tests: people at each stage of accreditation, made from the
records staff and the exam board leave (an award, an accredited employer, decisions)."""

import html
import re
from datetime import date, timedelta

from sqlalchemy import select

from lms.accreditation.models import AdvocateDecision, Award, RegisterEntry
from lms.audit.models import AuditEvent
from lms.cpd.models import CpdProfile
from lms.extensions import db
from lms.organisations.models import Employment
from tests.conftest import csrf_token

TODAY = date.today()


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def text(response) -> str:
    """The page's words, without tags, as a person reads them."""
    body = response.get_data(as_text=True)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def accredited_employer(app, create_organisation, name="Northbridge Survivor Support"):
    """An organisation accredited a year ago (the fixture's default history)."""
    return create_organisation(name)


def employ(app, user, org, start=None, end=None):
    with app.app_context():
        db.session.add(Employment(user_id=user.id, organisation_id=org.id,
                                  start_date=start or days(-300), end_date=end))
        db.session.commit()


def award(app, user, specialism="modern_slavery", on=None, number="IMSA-7K3Q-9XFD"):
    with app.app_context():
        db.session.add(Award(user_id=user.id, specialism=specialism, awarded_on=on or days(-200)))
        db.session.add(RegisterEntry(user_id=user.id, number=number))
        db.session.commit()


def decide(app, user, kind, *, on=None, reason="Recorded for the test.", by=None, **fields):
    """Record a decision as staff would have, days ago; accrediting anchors the CPD years."""
    with app.app_context():
        if kind == "accredit" and db.session.get(CpdProfile, user.id) is None:
            db.session.add(CpdProfile(user_id=user.id, accredited_on=on or days(-100)))
        db.session.add(AdvocateDecision(user_id=user.id, kind=kind, effective_on=on or days(-100),
                                        reason=reason, decided_by_id=by.id if by else None,
                                        **fields))
        db.session.commit()


def decisions_of(app, user) -> list[tuple[str, str]]:
    with app.app_context():
        return [(d.kind, d.reason) for d in db.session.scalars(
            select(AdvocateDecision).where(AdvocateDecision.user_id == user.id)
            .order_by(AdvocateDecision.id))]


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def entry_of(app, user) -> RegisterEntry | None:
    with app.app_context():
        entry = db.session.get(RegisterEntry, user.id)
        if entry is not None:
            db.session.expunge(entry)
        return entry


def seen_on(client, user) -> str:
    """The latest decision the staff page shows as seen (what a form carries)."""
    body = client.get(f"/staff/advocates/{user.id}").get_data(as_text=True)
    match = re.search(r'name="[a-z_]+-seen" type="hidden" value="(\d+)"', body)
    assert match, "no decision form on the page"
    return match.group(1)


def post_decision(client, user, kind, *, seen=None, **fields):
    """Post a decision form as staff see it: prefixed fields, the decision seen, CSRF."""
    page = f"/staff/advocates/{user.id}"
    data = {"kind": kind, f"{kind}-seen": seen if seen is not None else seen_on(client, user),
            "csrf_token": csrf_token(client, page)}
    data.update({f"{kind}-{name}": value for name, value in fields.items()})
    path = "award" if kind == "award" else "decisions"
    return client.post(f"/staff/advocates/{user.id}/{path}", data=data)
