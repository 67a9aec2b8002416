"""Only the organisation's own admins see its application and evidence; staff (moderators and
admins) review it; other organisations' admins, advocates, markers and examiners see nothing."""

import pytest

from tests import filekit
from tests.integration.accreditation.apply_kit import (
    answer_of,
    draft_application,
    employ,
    org_with_admin,
    save,
    signed_in,
)


@pytest.fixture
def setup(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    draft_application(app, org, admin)
    client = signed_in(app, admin)
    save(client, org, "safeguarding", "Policy attached.",
         version=answer_of(app, org, "safeguarding").version,
         attachment=(filekit.pdf(), "policy.pdf"))
    from lms.accreditation import applications as apps
    from lms.auth.models import User
    from lms.extensions import db

    with app.app_context():
        application = apps.load(apps.latest_application(org.id).id)
        files = apps.evidence_of(application)
        attachment_id = next(f for rows in files.values() for f in rows).attachment_id
        apps.submit(application, actor=db.session.get(User, admin.id))
        db.session.commit()
        application_id = application.id
    base = f"/organisations/{org.id}/application"
    return {"org": org, "admin": admin, "application_id": application_id,
            "org_pages": [base, f"{base}/criteria/safeguarding",
                          f"{base}/evidence/{attachment_id}"],
            "staff_pages": ["/staff/organisations/applications",
                            f"/staff/organisations/applications/{application_id}",
                            f"{base}/evidence/{attachment_id}"]}


def test_another_organisations_admin_cannot_see_the_application(app, create_user,
                                                               create_organisation, setup):
    other, other_admin = org_with_admin(app, create_user, create_organisation,
                                        name="Elsewhere Advocacy", admin_name="Eli Else")
    client = signed_in(app, other_admin)
    for url in setup["org_pages"]:
        assert client.get(url).status_code == 403, url
    for url in setup["staff_pages"][:2]:
        assert client.get(url).status_code == 403, url


def test_an_admin_who_has_left_loses_access(app, create_user, create_organisation, setup):
    from datetime import date, timedelta

    left = create_user("org_admin")
    employ(app, left, setup["org"], end=date.today() - timedelta(days=1))
    client = signed_in(app, left)
    for url in setup["org_pages"]:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["advocate", "trainee", "marker", "examiner"])
def test_advocates_markers_and_examiners_see_nothing(app, create_user, setup, role):
    person = create_user(role)
    employ(app, person, setup["org"])  # even working for the organisation
    client = signed_in(app, person)
    for url in setup["org_pages"] + setup["staff_pages"]:
        assert client.get(url).status_code == 403, (role, url)


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_review_and_download_the_evidence(app, create_user, setup, role):
    client = signed_in(app, create_user(role))
    for url in setup["staff_pages"]:
        assert client.get(url).status_code == 200, (role, url)
    for url in setup["org_pages"][:2]:  # the organisation's own pages are for its admins
        assert client.get(url).status_code == 403, (role, url)


def test_staff_do_not_see_a_draft(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation, name="Drafting Org")
    application_id = draft_application(app, org, admin)
    client = signed_in(app, create_user("moderator"))
    assert client.get(f"/staff/organisations/applications/{application_id}").status_code == 404
    assert "Drafting Org" not in client.get("/staff/organisations/applications").get_data(
        as_text=True)
