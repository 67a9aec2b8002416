"""Evidence for a criterion goes through the checked upload pipeline; submitting is refused
with a list while any criterion has no statement; a submitted application is read-only."""

from sqlalchemy import select

from lms.extensions import db
from tests import filekit
from tests.integration.accreditation.apply_kit import (
    answer_of,
    application_of,
    criterion_url,
    draft_application,
    org_with_admin,
    overview_url,
    post,
    save,
    signed_in,
)


def _evidence(app, org, key):
    from lms.accreditation import applications as apps

    application = application_of(app, org)
    with app.app_context():
        answer = apps.answers_by_key(apps.load(application.id))[key]
        return apps.evidence_of(apps.load(application.id))[answer.id]


def test_evidence_is_checked_cleaned_and_removable(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    draft_application(app, org, admin)
    client = signed_in(app, admin)
    version = answer_of(app, org, "safeguarding").version
    response = save(client, org, "safeguarding", "Policy attached.", version=version,
                    attachment=(filekit.pdf(author="Jo Bloggs"), "policy.pdf"))
    assert response.status_code == 302
    files = _evidence(app, org, "safeguarding")
    assert [f.filename for f in files] == ["policy.pdf"]
    page = client.get(criterion_url(org, "safeguarding")).get_data(as_text=True)
    link = f"/organisations/{org.id}/application/evidence/{files[0].attachment_id}"
    assert link in page
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert b"Jo Bloggs" not in download.data  # the copy cleaned at upload

    # A file that is not what it says is refused; the statement typed is kept.
    response = save(client, org, "safeguarding", "Changed, with a bad file.",
                    version=answer_of(app, org, "safeguarding").version,
                    attachment=(b"MZ\x90\x00 not a pdf", "policy.pdf"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The file was not attached." in page and "Changed, with a bad file." in page
    assert answer_of(app, org, "safeguarding").statement == "Policy attached."

    response = post(client, f"{criterion_url(org, 'safeguarding')}/evidence/"
                            f"{files[0].attachment_id}/remove", page=overview_url(org))
    assert response.status_code == 302
    assert _evidence(app, org, "safeguarding") == []
    assert client.get(link).status_code == 404


def test_submitting_is_refused_with_the_criteria_still_to_answer(app, create_user,
                                                                 create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    draft_application(app, org, admin, skip=("complaints", "cpd_time"))
    client = signed_in(app, admin)
    response = post(client, f"/organisations/{org.id}/application/submit",
                    page=overview_url(org))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Write a statement for Complaints procedure" in page
    assert "Write a statement for Protected time for CPD" in page
    assert "Write a statement for Safeguarding policy" not in page
    assert application_of(app, org).status == "draft"


def test_a_submitted_application_is_read_only(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    draft_application(app, org, admin)
    client = signed_in(app, admin)
    response = post(client, f"/organisations/{org.id}/application/submit",
                    page=overview_url(org))
    assert response.status_code == 302
    application = application_of(app, org)
    assert application.status == "submitted" and application.submitted_by_id == admin.id
    page = client.get(criterion_url(org, "supervision")).get_data(as_text=True)
    assert "this answer cannot be changed" in page and "<textarea" not in page
    before = answer_of(app, org, "supervision")
    response = save(client, org, "supervision", "A late change.", version=before.version)
    assert response.status_code == 409
    assert "A late change." in response.get_data(as_text=True)  # shown, not saved
    response = save(client, org, "supervision", "A late change.", version=before.version,
                    action="autosave")
    assert response.status_code == 409
    assert answer_of(app, org, "supervision").statement == before.statement
    from lms.audit.models import AuditEvent

    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "org_application.submit" in actions
