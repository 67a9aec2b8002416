"""Demo accreditation: organisations accredited, with conditions and applying; advocates
accredited, with renewal overdue and suspended. Numbers are fixed so the README can list them
for trying the public check."""

from datetime import UTC, date, datetime, time, timedelta

from lms.accreditation.models import OrgAnnualReturn, RegisterEntry
from lms.accreditation.services import decide_for_advocate, record_award, record_org_decision
from lms.auth.models import User
from lms.cpd.models import CpdEntry, CpdProfile
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation

# (email, name, accreditation number) of the advocates on the demo register.
APPLICANT = ("callum.fraser@example.org", "Callum Fraser")  # Glenview's org admin
OVERDUE = ("tomasz.nowak@example.org", "Tomasz Nowak", "IMSA-4HWT-2MRC")
SUSPENDED = ("grace.okafor@example.org", "Grace Okafor", "IMSA-8PZN-5KDB")
ACCREDITED_NUMBER = "IMSA-7K3Q-9XFD"  # the demo advocate, advocate@example.org


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def _number(user: User, number: str) -> None:
    entry = db.session.get(RegisterEntry, user.id)
    entry.number = number


def load_demo_organisations(accredited: HostOrganisation, applying: HostOrganisation,
                            conditions: HostOrganisation, moderator: User, applicant: User,
                            manager: User, today: date) -> None:
    since = today - timedelta(days=800)
    record_org_decision(accredited, "accredited", since, actor=moderator,
                        reasons="Every criterion met; a strong safeguarding framework.")
    for years in (1, 2):
        due = since.replace(year=since.year + years) if not (
            since.month == 2 and since.day == 29) else date(since.year + years, 3, 1)
        if due <= today:
            db.session.add(OrgAnnualReturn(organisation_id=accredited.id, due_on=due,
                                           nothing_changed=True, submitted_by_id=manager.id,
                                           submitted_at=_at(due - timedelta(days=5))))
    _demo_application(applying, applicant, moderator, today)
    record_org_decision(conditions, "accredited_conditions", today - timedelta(days=120),
                        actor=moderator,
                        reasons="Criteria met except a written complaints procedure.",
                        conditions="Adopt a written complaints procedure and show it to the "
                                   "people you support, within six months.")


STATEMENTS = {
    "safeguarding": "Our safeguarding policy was revised in March and names a safeguarding "
                    "lead and a deputy. Advocates take part in the quarterly review of cases.",
    "supervision": "Each advocate has monthly one-to-one supervision with a qualified "
                   "supervisor outside their line management, and group reflective practice.",
    "independence": "Advocates are not involved in any decision about support-contract "
                    "services and do not share information with police without consent.",
    "data_protection": "Case records are kept in a separate system with access for advocates "
                       "and their supervisor only; retention follows our published schedule.",
    "complaints": "Our complaints procedure is in plain English and in four community "
                  "languages, with an independent stage chaired by a trustee.",
    "lived_experience": "Two members of our advisory panel have lived experience of "
                        "exploitation and are paid for their time.",
    "cpd_time": "Advocates have half a day a month protected for CPD, recorded on the rota.",
    "advocate_in_post": "One advocate is in training on the PG Cert (Kofi Mensah).",
}


def _demo_application(org: HostOrganisation, applicant: User, moderator: User,
                      today: date) -> None:
    """An application submitted twelve days ago, with a question from staff in its thread."""
    from lms.accreditation import applications

    application = applications.start_application(org, "initial", actor=applicant)
    application.created_at = _at(today - timedelta(days=40))
    for answer in application.answers:
        applications.save_statement(answer, STATEMENTS.get(answer.criterion, ""),
                                    actor=applicant, version=answer.version)
        answer.updated_at = _at(today - timedelta(days=14))
    applications.submit(application, actor=applicant)
    application.submitted_at = _at(today - timedelta(days=12))
    message = applications.post_message(
        application, author=moderator, criterion="supervision", from_staff=True, today=today,
        body="Who supervises the supervisor, and how often do they meet?")
    message.created_at = _at(today - timedelta(days=5))


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
