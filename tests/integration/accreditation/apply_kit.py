"""Helpers for the organisation application tests: an organisation with its admin, an
application filled in or submitted, and staff to review it."""

import io
from datetime import date

from sqlalchemy import select

from lms.extensions import db
from tests.conftest import csrf_token, sign_in

STATEMENT = "Our safeguarding lead is Sam Patel; the policy was reviewed in March."


def employ(app, user, org, start=date(2020, 1, 1), end=None) -> None:
    from lms.organisations.models import Employment

    with app.app_context():
        db.session.add(Employment(user_id=user.id, organisation_id=org.id, start_date=start,
                                  end_date=end))
        db.session.commit()


def org_with_admin(app, create_user, create_organisation, name="Northbridge Survivor Support",
                   status="not_applied", admin_name="Morgan Manager"):
    """A host organisation (not accredited unless `status` says so) and one of its admins."""
    org = create_organisation(name, status=status)
    admin = create_user("org_admin", name=admin_name)
    employ(app, admin, org)
    return org, admin


def signed_in(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def post(client, url: str, data: dict | None = None, page: str = "/account/password", **kw):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, page)}, **kw)


def overview_url(org) -> str:
    return f"/organisations/{org.id}/application"


def criterion_url(org, key: str) -> str:
    return f"/organisations/{org.id}/application/criteria/{key}"


def application_of(app, org):
    from lms.accreditation.models import OrgApplication

    with app.app_context():
        found = db.session.scalar(select(OrgApplication).where(
            OrgApplication.organisation_id == org.id).order_by(OrgApplication.id.desc()))
        if found is not None:
            db.session.expunge(found)
        return found


def answer_of(app, org, key: str):
    from lms.accreditation.models import OrgCriterionAnswer

    application = application_of(app, org)
    with app.app_context():
        found = db.session.scalar(select(OrgCriterionAnswer).where(
            OrgCriterionAnswer.application_id == application.id,
            OrgCriterionAnswer.criterion == key))
        db.session.expunge(found)
        return found


def save(client, org, key: str, statement: str, *, version, action="save", attachment=None):
    data = {"statement": statement, "version": str(version), "action": action}
    if attachment is not None:
        data["attachment"] = (io.BytesIO(attachment[0]), attachment[1])
    return post(client, criterion_url(org, key), data, page=overview_url(org))


def draft_application(app, org, admin, *, skip=()):
    """Start an application through the services and write every statement but `skip`."""
    from lms.accreditation import applications as apps
    from lms.accreditation import criteria
    from lms.auth.models import User
    from lms.organisations.models import HostOrganisation

    with app.app_context():
        actor = db.session.get(User, admin.id)
        application = apps.start_application(db.session.get(HostOrganisation, org.id),
                                             "initial", actor=actor)
        answers = apps.answers_by_key(apps.load(application.id))
        for c in criteria.CRITERIA:
            if c.key not in skip:
                answers[c.key].statement = f"{c.title}: how we meet it. {STATEMENT}"
        db.session.commit()
        return application.id


def submitted_application(app, org, admin) -> int:
    from lms.accreditation import applications as apps
    from lms.auth.models import User

    application_id = draft_application(app, org, admin)
    with app.app_context():
        apps.submit(apps.load(application_id), actor=db.session.get(User, admin.id))
        db.session.commit()
    return application_id


def review_all(app, application_id, staff, verdict="met", *, except_=()):
    """Review every criterion (but `except_`) as `verdict`, as a member of staff."""
    from lms.accreditation import applications as apps
    from lms.auth.models import User

    with app.app_context():
        application = apps.load(application_id)
        actor = db.session.get(User, staff.id)
        for key, answer in apps.answers_by_key(application).items():
            if key not in except_:
                apps.review(application, answer, verdict, "" if verdict == "met" else "Why.",
                            actor=actor, version=answer.version, today=date.today())
        db.session.commit()
