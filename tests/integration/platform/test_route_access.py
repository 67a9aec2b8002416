"""Visit every URL rule as anonymous and as each role, and compare with what the view declares.

A route without a declaration, or with URL parameters this table has no example for, fails.
"""

from datetime import date

import pytest

from lms.access import PUBLIC, SIGNED_IN, declared_access
from lms.auth.services import issue_password_token
from lms.extensions import db
from lms.vocab import ROLES
from tests.conftest import csrf_token, sign_in

VISITORS = [None, *ROLES]


@pytest.fixture
def examples(app, tmp_path, create_user, create_organisation, create_cohort):
    """Real objects for every URL parameter the app uses, keyed by parameter name."""
    from lms.cohorts.models import Enrolment
    from lms.courses.content import load_programme
    from lms.courses.services import sync_programme
    from lms.organisations.models import Employment
    from tests.coursekit import SMALL, write_programme

    with app.app_context():
        sync_programme(load_programme(write_programme(tmp_path), SMALL))
        db.session.commit()

    org = create_organisation()
    cohort = create_cohort()
    trainee = create_user("trainee")
    with app.app_context():
        enrolment = Enrolment(cohort_id=cohort.id, user_id=trainee.id,
                              specialism="stalking", jurisdiction="scotland")
        employment = Employment(user_id=trainee.id, organisation_id=org.id,
                                start_date=date(2026, 1, 5))
        db.session.add_all([enrolment, employment])
        db.session.commit()
        from lms.auth.models import User

        token = issue_password_token(db.session.get(User, trainee.id), "reset")
        db.session.commit()
        assessment = make_assessment(cohort.id)
        submission_id = make_submission(assessment.id, trainee.id, "C0000001")
        from lms.assessments.models import Attachment

        attachment = Attachment(owner_id=trainee.id, submission_id=submission_id,
                                filename="plan.pdf", content_type="application/pdf", size=9,
                                sha256="0" * 64, data=b"%PDF-1.4\n")
        db.session.add(attachment)
        from lms.cpd.models import CpdAudit, CpdAuditCase, CpdEntry, CpdLeave

        cpd_entry = CpdEntry(user_id=trainee.id, status="logged", title="Example CPD",
                             start=date(2026, 1, 5), minutes=60, activity="formal_training")
        cpd_leave = CpdLeave(user_id=trainee.id, kind="sickness", start=date(2026, 2, 1),
                             end=date(2026, 2, 5))
        audit = CpdAudit(label="CPD audit", seed="0" * 32, rate="1/40", eligible=[trainee.id],
                         deadline=date(2027, 1, 15))
        db.session.add_all([cpd_entry, cpd_leave, audit])
        db.session.flush()
        audit_case = CpdAuditCase(audit_id=audit.id, user_id=trainee.id)
        db.session.add(audit_case)
        db.session.commit()
        return {"entry_id": cpd_entry.id, "leave_id": cpd_leave.id,
                "audit_id": audit.id, "case_id": audit_case.id,
                "user_id": trainee.id, "org_id": org.id, "cohort_id": cohort.id,
                "assessment_id": assessment.id, "submission_id": submission_id,
                "attachment_id": attachment.id,
                "enrolment_id": enrolment.id, "employment_id": employment.id, "token": token,
                "slug": "foundations", "lesson_slug": "lesson-1", "role": "first",
                "step": 1, "kind": "lesson", "item": "lesson-1",
                "code": "K7QX-9FD3-M2PA",  # a certificate code that names none
                "action": "suspend"}


def make_assessment(cohort_id):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from lms.assessments.models import Assessment
    from lms.courses.models import Module

    module = db.session.scalar(select(Module).where(Module.slug == "foundations"))
    assessment = Assessment(cohort_id=cohort_id, module_id=module.id,
                            version_id=module.current_version_id, component_id="scenario",
                            title="Scenario assessment", kind="scenario",
                            scenario_slug="first-meeting",
                            deadline=datetime(2027, 1, 15, 12, tzinfo=UTC))
    db.session.add(assessment)
    db.session.commit()
    return assessment


def make_submission(assessment_id, user_id, candidate):
    from datetime import UTC, datetime

    from lms.assessments.models import Submission

    submission = Submission(assessment_id=assessment_id, user_id=user_id, path=[], answers={},
                            candidate_number=candidate, state="submitted",
                            submitted_at=datetime(2027, 1, 10, tzinfo=UTC), reference="R",
                            content_hash="0" * 64)
    db.session.add(submission)
    db.session.commit()
    return submission.id


def rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def test_every_route_declares_who_may_use_it(app):
    undeclared = [r.rule for r in rules(app) if declared_access(app.view_functions[r.endpoint])
                  is None]
    assert undeclared == []


def visitor_client(app, role, create_user, org_id, examples):
    client = app.test_client()
    if role is None:
        return client
    user = create_user(role)
    if role == "trainee":  # a trainee on the example cohort, with work of their own
        from lms.cohorts.models import Enrolment

        with app.app_context():
            db.session.add(Enrolment(cohort_id=examples["cohort_id"], user_id=user.id,
                                     specialism="stalking", jurisdiction="scotland"))
            db.session.commit()
            examples["submission_id"] = make_submission(examples["assessment_id"], user.id,
                                                        f"C{user.id:07d}")
    if role in ("marker", "moderator", "admin"):  # the example work is allocated to them
        from lms.assessments.models import Allocation

        with app.app_context():
            db.session.query(Allocation).filter_by(submission_id=examples["submission_id"],
                                                   role="first").delete()
            db.session.add(Allocation(submission_id=examples["submission_id"], role="first",
                                      marker_id=user.id))
            db.session.commit()
    if role == "org_admin":  # an org admin who works for the example organisation
        from lms.organisations.models import Employment

        with app.app_context():
            db.session.add(Employment(user_id=user.id, organisation_id=org_id,
                                      start_date=date(2020, 1, 1)))
            db.session.commit()
    sign_in(client, user)
    return client


def expected(access: frozenset, role: str | None) -> str:
    if PUBLIC in access:
        return "allowed"
    if role is None:
        return "sign-in"
    if SIGNED_IN in access or role in access:
        return "allowed"
    return "forbidden"


@pytest.mark.parametrize("role", VISITORS, ids=lambda r: r or "anonymous")
def test_each_visitor_gets_exactly_what_each_route_declares(app, create_user, examples, role):
    client = visitor_client(app, role, create_user, examples["org_id"], examples)
    token_page = "/account/password" if role else "/sign-in"
    mismatches = []
    for rule in rules(app):
        missing = set(rule.arguments) - set(examples)
        assert not missing, f"{rule.rule}: add an example for {missing} to this test"
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **{a: examples[a] for a in rule.arguments})
        access = declared_access(app.view_functions[rule.endpoint])
        if "GET" in rule.methods:
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": csrf_token(client, token_page)})
        location = response.headers.get("Location", "")
        if response.status_code == 403:
            got = "forbidden"
        elif response.status_code == 302 and location.startswith("/sign-in?next="):
            got = "sign-in"
        else:
            got = "allowed"
        want = expected(access, role)
        if rule.endpoint == "auth.sign_in" and role is not None:
            want = "allowed"  # a signed-in person is sent home, which is fine
        if got != want:
            mismatches.append(f"{rule.rule} as {role or 'anonymous'}: wanted {want}, got {got} "
                              f"({response.status_code} {location})")
        if role is not None and rule.endpoint == "auth.sign_out":
            client = visitor_client(app, role, create_user, examples["org_id"], examples)
    assert mismatches == []


def test_org_admins_cannot_see_other_organisations(app, client, create_user,
                                                   create_organisation):
    from lms.organisations.models import Employment

    mine, theirs = create_organisation("Mine"), create_organisation("Theirs")
    org_admin = create_user("org_admin")
    with app.app_context():
        db.session.add(Employment(user_id=org_admin.id, organisation_id=mine.id,
                                  start_date=date(2020, 1, 1)))
        db.session.commit()
    sign_in(client, org_admin)
    assert client.get(f"/organisations/{mine.id}").status_code == 200
    assert client.get(f"/organisations/{theirs.id}").status_code == 403
    with app.app_context():  # employment ended: access ends with it
        db.session.query(Employment).update({"end_date": date(2021, 1, 1)})
        db.session.commit()
    assert client.get(f"/organisations/{mine.id}").status_code == 403


def test_an_undeclared_view_is_closed_to_everyone(create_user):
    from lms import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    assert app.test_client().get("/forgotten").status_code == 403
