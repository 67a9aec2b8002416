"""The records read into the status rules: an advocate's award, employer, CPD and decisions
make their status, and reading many people costs no more queries than reading one."""

from datetime import date, timedelta

from lms.accreditation import services
from lms.accreditation.models import RegisterEntry
from lms.auth.models import User
from lms.cpd.models import CpdEntry, CpdProfile
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation
from tests.integration.courses.test_query_counts import count_queries

TODAY = date.today()


def _advocate(app, create_user, org, *, accredit=True, hours=0, name="Amira Haddad"):
    person = create_user("advocate", name=name)
    with app.app_context():
        user = db.session.get(User, person.id)
        services.record_award(user, "modern_slavery", TODAY - timedelta(days=200), actor=None)
        db.session.add(Employment(user_id=user.id, organisation_id=org.id,
                                  start_date=TODAY - timedelta(days=300)))
        if accredit:
            services.decide_for_advocate(user, "accredit", TODAY - timedelta(days=100),
                                         actor=None, reason="Initial conditions met.")
        if hours:
            db.session.add(CpdEntry(user_id=user.id, status="logged", title="Training",
                                    start=TODAY - timedelta(days=10), minutes=hours * 60,
                                    activity="formal_training"))
        db.session.commit()
    return person


def test_an_imsa_with_an_accredited_employer_and_confirmed_conditions_is_accredited(
        app, create_user, create_organisation):
    org = create_organisation()
    person = _advocate(app, create_user, org, hours=3)
    with app.app_context():
        user = db.session.get(User, person.id)
        status = services.advocate_status_of(user, TODAY)
        entry = db.session.get(RegisterEntry, user.id)
        anchor = db.session.get(CpdProfile, user.id).accredited_on
    assert status.state == "accredited"
    assert any(r.startswith("CPD: 3 of ") for r in status.reasons)
    assert f"Employed by {org.name}, an accredited host organisation." in status.reasons
    assert entry.number.startswith("IMSA-")
    assert anchor == TODAY - timedelta(days=100)


def test_the_employers_suspension_shows_on_the_advocate(app, create_user, create_organisation):
    org = create_organisation()
    person = _advocate(app, create_user, org)
    with app.app_context():
        services.record_org_decision(db.session.get(HostOrganisation, org.id), "suspended",
                                     TODAY, actor=None, reasons="Concern")
        db.session.commit()
        status = services.advocate_status_of(db.session.get(User, person.id), TODAY)
    assert status.state == "no_employer"
    yesterday = TODAY - timedelta(days=1)
    assert (f"{org.name}'s accreditation as a host organisation ended on "
            f"{yesterday.day} {yesterday:%B %Y}.") in status.reasons


def test_a_declined_organisation_reads_as_declined_with_its_appeal_window(
        app, create_organisation):
    org = create_organisation(status="not_applied")
    with app.app_context():
        services.record_org_decision(db.session.get(HostOrganisation, org.id), "declined",
                                     TODAY, actor=None, reasons="No safeguarding policy.")
        db.session.commit()
        status = services.org_status_of(org, TODAY)
    assert status.state == "declined"
    assert "Reason given: No safeguarding policy." in status.reasons
    assert status.next_steps[0].by == TODAY + timedelta(days=28)


def test_reading_many_advocates_costs_the_same_queries_as_one(
        app, create_user, create_organisation):
    org = create_organisation()
    first = _advocate(app, create_user, org, hours=2)

    def measure(ids):
        with app.app_context():
            users = db.session.query(User).filter(User.id.in_(ids)).all()
            with count_queries(app) as statements:
                statuses = services.advocate_statuses(users, TODAY)
            assert all(s.state == "accredited" for s in statuses.values())
            return len(statements)

    one = measure([first.id])
    others = [_advocate(app, create_user, org, hours=2, name=f"Advocate {n}").id
              for n in range(6)]
    assert measure([first.id, *others]) == one
