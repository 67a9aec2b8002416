"""Demo accreditation: organisations accredited, with conditions and applying; advocates
accredited, with renewal overdue and suspended. Numbers are fixed so the README can list them
for trying the public check."""

from datetime import UTC, date, datetime, time, timedelta

from lms.accreditation.models import OrgAnnualReturn, OrgApplication, RegisterEntry
from lms.accreditation.services import decide_for_advocate, record_award, record_org_decision
from lms.auth.models import User
from lms.cpd.models import CpdEntry, CpdProfile
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation

# (email, name, accreditation number) of the advocates on the demo register.
OVERDUE = ("tomasz.nowak@example.org", "Tomasz Nowak", "IMSA-4HWT-2MRC")
SUSPENDED = ("grace.okafor@example.org", "Grace Okafor", "IMSA-8PZN-5KDB")
ACCREDITED_NUMBER = "IMSA-7K3Q-9XFD"  # the demo advocate, advocate@example.org


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def _number(user: User, number: str) -> None:
    entry = db.session.get(RegisterEntry, user.id)
    entry.number = number


def load_demo_organisations(accredited: HostOrganisation, applying: HostOrganisation,
                            conditions: HostOrganisation, moderator: User,
                            today: date) -> None:
    since = today - timedelta(days=800)
    record_org_decision(accredited, "accredited", since, actor=moderator,
                        reasons="Every criterion met; a strong safeguarding framework.")
    for years in (1, 2):
        due = since.replace(year=since.year + years) if not (
            since.month == 2 and since.day == 29) else date(since.year + years, 3, 1)
        if due <= today:
            db.session.add(OrgAnnualReturn(organisation_id=accredited.id, due_on=due,
                                           nothing_changed=True, submitted_by_id=moderator.id,
                                           submitted_at=_at(due - timedelta(days=5))))
    db.session.add(OrgApplication(organisation_id=applying.id, kind="initial",
                                  status="submitted", created_by_id=None,
                                  created_at=_at(today - timedelta(days=40)),
                                  submitted_at=_at(today - timedelta(days=12))))
    record_org_decision(conditions, "accredited_conditions", today - timedelta(days=120),
                        actor=moderator,
                        reasons="Criteria met except a written complaints procedure.",
                        conditions="Adopt a written complaints procedure and show it to the "
                                   "people you support, within six months.")


def load_demo_advocates(people: dict[str, User], accredited: HostOrganisation,
                        conditions: HostOrganisation, moderator: User, today: date) -> None:
    amira = people["advocate@example.org"]
    profile = db.session.get(CpdProfile, amira.id)
    since = profile.accredited_on
    record_award(amira, "modern_slavery", since - timedelta(days=60), actor=moderator)
    _number(amira, ACCREDITED_NUMBER)
    decide_for_advocate(amira, "accredit", since, actor=moderator,
                        reason="DBS check, supervision agreement and code of practice received.")

    tomasz = people[OVERDUE[0]]
    since = today - timedelta(days=400)  # the first CPD year ended 35 days ago, short
    db.session.add(Employment(user=tomasz, organisation=accredited,
                              job_title="Independent Modern Slavery Advocate",
                              start_date=since - timedelta(days=90)))
    record_award(tomasz, "modern_slavery", since - timedelta(days=30), actor=moderator)
    _number(tomasz, OVERDUE[2])
    decide_for_advocate(tomasz, "accredit", since, actor=moderator,
                        reason="Initial conditions met.")
    for n, hours in enumerate((3, 2.5, 2)):
        db.session.add(CpdEntry(user=tomasz, title="Peer learning session", status="logged",
                                start=since + timedelta(days=60 + 90 * n),
                                minutes=int(hours * 60), activity="peer_learning",
                                participatory=True, topics=["safeguarding"]))

    grace = people[SUSPENDED[0]]
    since = today - timedelta(days=100)
    db.session.add(Employment(user=grace, organisation=conditions,
                              job_title="Independent Modern Slavery Advocate",
                              start_date=since - timedelta(days=30)))
    record_award(grace, "modern_slavery", since - timedelta(days=20), actor=moderator)
    _number(grace, SUSPENDED[2])
    decide_for_advocate(grace, "accredit", since, actor=moderator,
                        reason="Initial conditions met.")
    decide_for_advocate(grace, "suspend", today - timedelta(days=10), actor=moderator,
                        reason="A complaint is being investigated; the advocate is not "
                               "practising meanwhile.")
