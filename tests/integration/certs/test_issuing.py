"""Certificates are issued when their facts hold and not before, once each (by key), with
what they state; a renewed accreditation gets a new certificate that replaces the old."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.certs.documents import facts_of
from lms.certs.issuing import issue_due
from lms.extensions import db
from lms.organisations.models import HostOrganisation
from tests.integration.certs.conftest import TODAY, certificates, release_mark


def _issue(app, *people, orgs=(), today=TODAY):
    with app.app_context():
        users = [db.session.get(User, p.id) for p in people]
        found = [db.session.get(HostOrganisation, o.id) for o in orgs]
        tally = issue_due(users, found, today=today)
        db.session.commit()
        return tally


def test_a_module_certificate_waits_for_every_component_then_is_issued_once(
        app, trainee, cohort):
    release_mark(app, trainee, cohort, "law", "scenario", 72)
    assert _issue(app, trainee).issued == 0
    assert certificates(app, kind="module_completion") == []
    release_mark(app, trainee, cohort, "law", "essay", 65, days_ago=2)
    tally = _issue(app, trainee)
    [module] = certificates(app, kind="module_completion")
    [transcript] = certificates(app, kind="transcript")
    assert tally.issued == 2
    assert module.key.startswith(f"module:{trainee.id}:")
    assert module.facts == {"holder_name": "Jordan Ellis", "module_title": "Module T7002",
                            "specialism": None, "credits": 20,
                            "completed_on": (TODAY - timedelta(days=2)).isoformat(),
                            "result": "Merit"}  # 72 x 40% + 65 x 60% = 67.8, so 68
    assert transcript.facts["modules"] == [{"title": "Module T7002", "credits": 20, "mark": 68,
                                            "result": "Merit"}]
    assert transcript.facts["credits_achieved"] == 20
    again = _issue(app, trainee)
    assert (again.issued, again.already) == (0, 2)
    assert len(certificates(app, user_id=trainee.id)) == 2
    with app.app_context():
        audited = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "certificate_issued"))
    assert audited == 2


def test_a_failed_module_gets_no_certificate_but_shows_on_the_transcript(app, trainee, cohort):
    release_mark(app, trainee, cohort, "law", "scenario", 72)
    release_mark(app, trainee, cohort, "law", "essay", 35)  # below the component minimum
    _issue(app, trainee)
    assert certificates(app, kind="module_completion") == []
    [transcript] = certificates(app, kind="transcript")
    assert transcript.facts["modules"][0]["result"] == "Fail"
    assert transcript.facts["credits_achieved"] == 0


def test_a_new_result_gives_a_new_transcript_that_replaces_the_last(app, trainee, cohort):
    release_mark(app, trainee, cohort, "law", "scenario", 60)
    release_mark(app, trainee, cohort, "law", "essay", 60)
    _issue(app, trainee)
    release_mark(app, trainee, cohort, "foundations", "scenario", 55)
    release_mark(app, trainee, cohort, "foundations", "essay", 52)
    _issue(app, trainee)
    first, second = certificates(app, kind="transcript")
    assert first.replaced_by_id == second.id and second.replaced_by_id is None
    assert [m["title"] for m in second.facts["modules"]] == ["Module T7001", "Module T7002"]
    assert len(certificates(app, kind="module_completion")) == 2


def test_releasing_marks_issues_the_certificate_without_any_command(
        app, trainee, cohort, create_user):
    from lms.assessments.marking import release
    from lms.assessments.models import Assessment

    release_mark(app, trainee, cohort, "law", "scenario", 70)
    assessment_id = release_mark(app, trainee, cohort, "law", "essay", 70, state="ready")
    moderator = create_user("moderator")
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        from lms.assessments.marking import release_plan

        ready = {s.id for s in release_plan(assessment)[0]}
        release(assessment, db.session.get(User, moderator.id), now=datetime.now(UTC),
                confirmed=ready)
        db.session.commit()
    [module] = certificates(app, kind="module_completion")
    assert module.user_id == trainee.id and module.issued_by_id == moderator.id
    assert module.facts["result"] == "Distinction"


def test_an_advocate_is_certified_by_the_accreditation_decision_and_not_before(
        app, advocate):
    person = advocate(accredit=False)
    assert certificates(app, kind="advocate_accreditation") == []
    with app.app_context():
        from lms.accreditation.services import advocate_status_of, decide_for_advocate

        user = db.session.get(User, person.id)
        decide_for_advocate(user, "accredit", TODAY - timedelta(days=30), actor=None,
                            reason="Initial conditions met.")
        db.session.commit()
        status = advocate_status_of(user, TODAY)
    [certificate] = certificates(app, kind="advocate_accreditation")
    assert certificate.valid_until == status.valid_until
    assert certificate.facts["valid_from"] == (TODAY - timedelta(days=30)).isoformat()
    assert certificate.facts["accreditation_number"].startswith("IMSA-")
    assert certificate.key == (f"accreditation:{person.id}:{TODAY - timedelta(days=30)}:"
                               f"{status.valid_until}")
    assert _issue(app, person).issued == 0  # already issued


def test_a_renewed_accreditation_is_reissued_and_the_old_certificate_kept(app, advocate):
    from lms.cpd.models import CpdEntry

    person = advocate(accredited_days=300)
    [old] = certificates(app, kind="advocate_accreditation")
    with app.app_context():  # the CPD year is met, so accreditation runs a year further
        db.session.add(CpdEntry(user_id=person.id, status="logged", title="Training",
                                start=TODAY - timedelta(days=20), minutes=40 * 60,
                                activity="formal_training"))
        db.session.commit()
    later = old.valid_until + timedelta(days=5)
    _issue(app, person, today=later)
    old, new = certificates(app, kind="advocate_accreditation")
    assert new.valid_until > old.valid_until
    assert new.facts["valid_from"] == old.facts["valid_from"]
    assert old.replaced_by_id == new.id and old.revoked_at is None
    assert new.issued_on == later


def test_an_accredited_organisation_is_certified_with_its_conditions(
        app, create_organisation):
    plain = create_organisation()
    conditional = create_organisation(name="Harbour Trust", status="conditions")
    applying = create_organisation(name="Glen Aid", status="applying")
    [first] = certificates(app, organisation_id=plain.id)
    [second] = certificates(app, organisation_id=conditional.id)
    assert certificates(app, organisation_id=applying.id) == []
    assert first.facts["with_conditions"] is False and second.facts["with_conditions"] is True
    assert first.facts["nation"] == "England"
    assert first.facts["valid_from"] == (TODAY - timedelta(days=365)).isoformat()
    tally = _issue(app, orgs=[plain, conditional, applying])
    assert (tally.issued, tally.already, tally.not_due) == (0, 2, 1)


def test_a_completed_cpd_year_gets_a_statement_met_or_not(app, advocate):
    person = advocate(accredited_days=400)
    _issue(app, person)
    [statement] = certificates(app, kind="cpd_statement")
    assert statement.key == f"cpd:{person.id}:{(TODAY - timedelta(days=400)).isoformat()}"
    assert statement.facts["met"] is False and statement.facts["minutes_logged"] == 0
    with app.test_request_context():
        facts = facts_of(db.session.get(type(statement), statement.id))
    assert facts.year_ends_on < TODAY
    assert _issue(app, person).issued == 0


def test_a_suspended_accreditation_suspends_its_certificate_until_lifted(app, advocate):
    from lms.accreditation.services import decide_for_advocate

    person = advocate()
    with app.app_context():
        user = db.session.get(User, person.id)
        decide_for_advocate(user, "suspend", TODAY, actor=None, reason="Safeguarding concern")
        db.session.commit()
    [certificate] = certificates(app, kind="advocate_accreditation")
    assert certificate.suspended_at is not None and certificate.revoked_at is None
    assert certificate.suspended_reason.startswith("Accreditation suspended: ")
    with app.app_context():
        decide_for_advocate(db.session.get(User, person.id), "lift", TODAY, actor=None,
                            reason="Concern resolved")
        db.session.commit()
    [certificate] = certificates(app, kind="advocate_accreditation")
    assert certificate.suspended_at is None


def test_a_suspended_organisation_suspends_its_certificate(app, create_organisation):
    org = create_organisation(status="suspended")
    [certificate] = certificates(app, organisation_id=org.id)
    assert certificate.suspended_at is not None
    assert certificate.suspended_reason.startswith("Accreditation suspended: Accreditation was")


def test_an_employers_suspension_does_not_show_on_its_advocates_certificates(
        app, advocate, create_organisation):
    """Suspending them at the moment the organisation is suspended would tell anyone watching
    the public register who employs the advocate."""
    from lms.accreditation.services import record_org_decision

    org = create_organisation()
    advocate(org=org)
    with app.app_context():
        record_org_decision(db.session.get(HostOrganisation, org.id), "suspended", TODAY,
                            actor=None, reasons="A safeguarding concern")
        db.session.commit()
    [certificate] = certificates(app, kind="advocate_accreditation")
    assert certificate.suspended_at is None


def test_a_certificate_is_suspended_from_the_day_the_accreditation_was(app, advocate):
    """The verify page and the advocate's own page give the same date."""
    from lms.accreditation.services import decide_for_advocate

    person = advocate()
    with app.app_context():
        decide_for_advocate(db.session.get(User, person.id), "suspend",
                            TODAY - timedelta(days=5), actor=None, reason="A complaint")
        db.session.commit()
    [certificate] = certificates(app, kind="advocate_accreditation")
    assert certificate.suspended_at.date() == TODAY - timedelta(days=5)
