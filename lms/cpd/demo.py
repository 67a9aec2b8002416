"""Demo CPD: a qualified advocate with two CPD years, the earlier one met and this one short."""

from datetime import UTC, date, datetime, time, timedelta

from lms.auth.models import User
from lms.cpd.models import CpdEntry, CpdLeave, CpdProfile
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation

ADVOCATE = ("advocate@example.org", "Amira Haddad")


def _anniversary(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return date(day.year + years, 3, 1)


def _entry(user: User, title: str, start: date, hours: float, activity: str, *,
           participatory: bool = False, topics: tuple = (), reflection: tuple = ("", "", ""),
           status: str = "logged", confirmed_by: tuple | None = None, **fields) -> CpdEntry:
    minutes = int(hours * 60) if hours else None
    entry = CpdEntry(user=user, title=title, start=start, minutes=minutes,
                     activity=activity, participatory=participatory, topics=list(topics),
                     what_happened=reflection[0], what_i_learned=reflection[1],
                     how_practice_changes=reflection[2], status=status, **fields)
    if confirmed_by:
        entry.confirmed_by_name, entry.confirmed_by_role, entry.confirmed_by_organisation = (
            confirmed_by)
        entry.confirmed_at = datetime.combine(start + timedelta(days=7), time(10), tzinfo=UTC)
    db.session.add(entry)
    return entry


def load_demo_cpd(advocate: User, organisation: HostOrganisation, manager: User,
                  today: date) -> None:
    """Give the demo advocate a profile, an employer and two CPD years of entries."""
    accredited = today - timedelta(days=650)  # this CPD year ends in about 80 days, short
    db.session.add(CpdProfile(user_id=advocate.id, accredited_on=accredited))
    db.session.add(Employment(user=advocate, organisation=organisation,
                              job_title="Independent Modern Slavery Advocate",
                              start_date=accredited - timedelta(days=120)))
    confirmer = (manager.name, "Services manager", organisation.name)
    last = accredited  # the previous CPD year starts here; this one on its first anniversary
    this = _anniversary(accredited, 1)
    # The previous year: met (22 hours, 19 participatory, 6 supervision, every required topic).
    _entry(advocate, "Multi-agency training on the National Referral Mechanism",
           last + timedelta(days=30), 6, "multi_agency_training", participatory=True,
           topics=("law_and_policy", "safeguarding", "multi_agency_working"),
           reflection=("A day with police, council and health colleagues working through "
                       "referrals to the **National Referral Mechanism**.",
                       "How first responders decide to refer, and why adults must consent.",
                       "I now explain each step of a referral before the person decides."),
           confirmed_by=confirmer)
    for n in range(4):
        _entry(advocate, "Pastoral supervision", last + timedelta(days=45 + 80 * n), 1.5,
               "pastoral_supervision", participatory=True, topics=("wellbeing",),
               confirmed_by=confirmer if n < 2 else None)
    _entry(advocate, "Trauma-informed practice: a two-day course", last + timedelta(days=150), 7,
           "formal_training", participatory=True, topics=("trauma_informed",),
           reflection=("Two days of practice sessions on trauma-informed conversations.",
                       "How to notice when a question lands as a demand, and how to slow down.",
                       "I offer choices about where and when we meet, and check in more often."))
    _entry(advocate, "Reading the revised statutory guidance", last + timedelta(days=260), 3,
           "self_directed_study", topics=("law_and_policy", "jurisdiction_law"))
    # This year: short so far, with leave, a plan, a draft and a withdrawn entry.
    _entry(advocate, "Clinical supervision", this + timedelta(days=30), 1.5,
           "clinical_supervision", participatory=True, topics=("wellbeing",),
           confirmed_by=confirmer)
    _entry(advocate, "Peer practice group: supporting people through Conclusive Grounds waits",
           this + timedelta(days=80), 2, "peer_learning", participatory=True,
           topics=("safeguarding", "lived_experience"),
           reflection=("A practice group led by a lived-experience consultant.",
                       "What long waits for a decision feel like, in the words of people who "
                       "waited.",
                       "I agree with each person how often we speak while they wait."))
    _entry(advocate, "Reading: changes to asylum support", today - timedelta(days=40), 2.5,
           "self_directed_study", topics=("immigration_asylum",))
    _entry(advocate, "Regional conference on survivor-led practice", today + timedelta(days=30),
           6, "conference", participatory=True, topics=("lived_experience", "law_and_policy"),
           status="planned")
    _entry(advocate, "Webinar: compensation claims and the CICA", today - timedelta(days=5), 0,
           "formal_training", topics=("law_and_policy",), status="draft",
           reflection=("An hour's webinar on compensation routes.", "", ""))
    _entry(advocate, "Safeguarding refresher", today - timedelta(days=60), 3, "formal_training",
           participatory=True, topics=("safeguarding",), status="withdrawn",
           withdrawn_at=datetime.combine(today - timedelta(days=58), time(9), tzinfo=UTC),
           withdrawn_reason="Logged twice by mistake")
    db.session.add(CpdLeave(user_id=advocate.id, kind="sickness",
                            start=today - timedelta(days=80), end=today - timedelta(days=66),
                            note="Two weeks off sick"))


def load_demo_cpd_requests(advocate: User, organisation: HostOrganisation, confirmer: User,
                           moderator: User, today: date) -> None:
    """An open confirmation request to the organisation's manager, and this year's audit with
    the demo advocate drawn, so the confirmer's dashboard and the staff audit pages show work."""
    from fractions import Fraction

    from flask import current_app
    from sqlalchemy import select

    from lms.cpd.audits import run_audit
    from lms.cpd.confirmations import request_confirmation

    db.session.flush()
    entry = db.session.scalar(select(CpdEntry).where(
        CpdEntry.user_id == advocate.id, CpdEntry.status == "logged",
        CpdEntry.confirmed_at.is_(None)).order_by(CpdEntry.start.desc()))
    with current_app.test_request_context():  # the emailed links are built with url_for
        if entry is not None:
            request_confirmation(entry, name=confirmer.name, role="Services manager",
                                 organisation=organisation.name, email=confirmer.email,
                                 actor=advocate)
        run_audit("CPD audit (demo)", Fraction(1, 40), 1, today + timedelta(days=42),
                  moderator, today)
