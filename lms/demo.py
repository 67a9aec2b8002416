"""Demo data: fictional organisations, staff and trainees, for development only."""

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from lms.auth.models import RoleGrant, User
from lms.auth.passwords import hash_password
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credential, never in production

# (email, name, roles). Every name here is invented.
STAFF = [
    ("admin@example.org", "Ada Admin", ["admin"]),
    ("marker@example.org", "Morgan Marker", ["marker"]),
    ("moderator@example.org", "Rhiannon Pryce", ["moderator", "marker"]),
    ("examiner@example.org", "Professor Eilidh Munro", ["examiner"]),
    ("orgadmin@example.org", "Oluwaseun Adeyemi", ["org_admin"]),
]
TRAINEES = [
    ("trainee@example.org", "Jordan Ellis", "modern_slavery", "england_wales", "active"),
    ("kofi.mensah@example.org", "Kofi Mensah", "modern_slavery", "scotland", "active"),
    ("siobhan.gallagher@example.org", "Siobhan Gallagher", "domestic_abuse", "northern_ireland",
     "active"),
    ("priya.natarajan@example.org", "Priya Natarajan", "sexual_violence", "england_wales",
     "active"),
    ("dafydd.hughes@example.org", "Dafydd Hughes", "stalking", "england_wales", "interrupted"),
    ("marta.kowalczyk@example.org", "Marta Kowalczyk", "modern_slavery", "england_wales",
     "withdrawn"),
    ("aisha.rahman@example.org", "Aisha Rahman", "modern_slavery", "scotland", "active"),
    ("owen.price@example.org", "Owen Price", "modern_slavery", "england_wales", "active"),
]


class DemoRefused(Exception):
    """Raised when demo data must not be loaded here."""


def load_demo(*, only_if_empty: bool = False, today: date | None = None) -> bool:
    """Load the demo data set; return False if skipped because the database has people."""
    if not current_app.config.get("DEMO_DATA_ALLOWED", False):
        raise DemoRefused("Demo data is never loaded in production.")
    if db.session.scalar(select(func.count(User.id))):
        if only_if_empty:
            return False
        raise DemoRefused("The database already has people; demo data loads into an empty one.")
    today = today or date.today()
    password = hash_password(DEMO_PASSWORD)

    accredited = HostOrganisation(name="Northbridge Survivor Support", kind="ngo",
                                  nation="england", region="North West")
    applying = HostOrganisation(name="Glenview Community Trust", kind="community_faith",
                                nation="scotland", region="Highlands")
    council = HostOrganisation(name="Lough Erne District Council", kind="local_authority",
                               nation="northern_ireland", region="Fermanagh")
    conditions = HostOrganisation(name="Taff Valley Advocacy Partnership", kind="ngo",
                                  nation="wales", region="South Wales")
    db.session.add_all([accredited, applying, council, conditions])

    people = {}
    for email, name, roles in STAFF:
        people[email] = _person(email, name, roles, password)
    for email, name, *_ in TRAINEES:
        people[email] = _person(email, name, ["trainee"], password)
    from lms.cpd.demo import ADVOCATE, load_demo_cpd, load_demo_cpd_requests

    people[ADVOCATE[0]] = _person(*ADVOCATE, ["advocate"], password)
    from lms.accreditation.demo import (
        APPLICANT,
        OVERDUE,
        SUSPENDED,
        load_demo_advocates,
        load_demo_organisations,
    )

    for email, name, _number in (OVERDUE, SUSPENDED):
        people[email] = _person(email, name, ["advocate"], password)
    people[APPLICANT[0]] = _person(*APPLICANT, ["org_admin"], password)
    db.session.add(Employment(user=people[APPLICANT[0]], organisation=applying,
                              job_title="Chief officer", start_date=date(2019, 6, 1)))
    db.session.flush()
    load_demo_organisations(accredited, applying, conditions, people["moderator@example.org"],
                            people[APPLICANT[0]], people["orgadmin@example.org"], today)

    started = today - timedelta(days=80)
    cohort = Cohort(name="2026/27 September intake", starts_on=started,
                    ends_on=started + timedelta(days=365))
    earlier = Cohort(name="2025/26 January intake", starts_on=started - timedelta(days=240),
                     ends_on=started + timedelta(days=125))
    db.session.add_all([cohort, earlier])
    hosts = {"england_wales": accredited, "scotland": applying, "northern_ireland": council}
    for email, _name, specialism, jurisdiction, status in TRAINEES:
        db.session.add(Enrolment(cohort=cohort, user=people[email], specialism=specialism,
                                 jurisdiction=jurisdiction, status=status))
        db.session.add(Employment(user=people[email], organisation=hosts[jurisdiction],
                                  job_title="Trainee advocate", start_date=started))
    db.session.add(Employment(user=people["orgadmin@example.org"], organisation=accredited,
                              job_title="Services manager", start_date=date(2021, 4, 1)))
    load_demo_cpd(people[ADVOCATE[0]], accredited, people["orgadmin@example.org"], today)
    load_demo_cpd_requests(people[ADVOCATE[0]], accredited, people["orgadmin@example.org"],
                           people["moderator@example.org"], today)
    load_demo_advocates(people, accredited, conditions, people["moderator@example.org"], today)
    db.session.flush()
    _demo_progress(people["trainee@example.org"])
    _demo_progress(people["kofi.mensah@example.org"], lessons=1)
    from lms.assessments.demo import load_demo_assessments

    load_demo_assessments(cohort, people, today)
    from lms.certs.demo import load_demo_certificates

    load_demo_certificates(cohort, people, today)
    db.session.commit()
    return True


def _demo_progress(trainee: User, lessons: int = 3) -> None:
    """Give a demo trainee some finished lessons in the first core module, if content is synced."""
    from lms.courses.models import Module, ModuleVersion
    from lms.courses.services import acknowledge_content_note, mark_done, note_visit, study_for

    module = db.session.scalar(select(Module).join(
        ModuleVersion, Module.current_version_id == ModuleVersion.id).order_by(
        ModuleVersion.position))
    if module is None:
        return
    study = study_for(trainee, module)
    done = module.current_version.lessons[:lessons]
    for lesson in done:
        acknowledge_content_note(trainee, lesson)
        mark_done(trainee, lesson)
        note_visit(study, lesson)


def _person(email: str, name: str, roles: list[str], password_hash: str) -> User:
    user = User(email=email, name=name, password_hash=password_hash)
    user.role_grants = [RoleGrant(role=role) for role in roles]
    db.session.add(user)
    return user
