"""Course staff revoke (final), suspend and lift suspensions with a reason: recorded on the
certificate, audited, emailed to the holder and shown at once; two staff at once get 409."""

import re

from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.conftest import outbox, post_form, sign_in
from tests.integration.certs.conftest import certificates

VERSION = re.compile(r'name="(\w+)-version" type="hidden" value="(\d+)"')


def _staff(app, create_user, role="moderator"):
    client = app.test_client()
    sign_in(client, create_user(role))
    return client


def _act(client, code, action, reason, *, version=None, confirm=True):
    page = f"/staff/certificates/{code}"
    if version is None:
        version = dict(VERSION.findall(client.get(page).get_data(as_text=True)))[action]
    data = {f"{action}-reason": reason, f"{action}-version": version}
    if action == "revoke" and confirm:
        data["revoke-confirm"] = "y"
    return post_form(client, f"{page}/{action}", data, page=page)


def _actions(app, code):
    with app.app_context():
        return [(e.action, e.reason) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("certificate_%"),
                                     AuditEvent.action != "certificate_issued")
            .order_by(AuditEvent.id))]


def test_suspend_lift_and_revoke_are_recorded_audited_and_emailed(app, advocate, create_user):
    advocate()
    [certificate] = certificates(app, kind="advocate_accreditation")
    staff = _staff(app, create_user)
    listing = staff.get("/staff/certificates?kind=advocate_accreditation").get_data(
        as_text=True)
    assert certificate.code in listing

    assert _act(staff, certificate.code, "suspend", "Complaint under review").status_code == 302
    [row] = certificates(app, kind="advocate_accreditation")
    assert row.suspended_at is not None and row.suspended_reason == "Complaint under review"
    assert certificate.code in staff.get("/staff/certificates?status=suspended").get_data(
        as_text=True)
    assert certificate.code not in staff.get("/staff/certificates?status=valid").get_data(
        as_text=True)

    assert _act(staff, certificate.code, "lift", "Complaint not upheld").status_code == 302
    assert certificates(app, kind="advocate_accreditation")[0].suspended_at is None

    refused = _act(staff, certificate.code, "revoke", "Issued in error", confirm=False)
    assert refused.status_code == 422
    assert "Confirm that revocation is final." in refused.get_data(as_text=True)
    assert "Issued in error" in refused.get_data(as_text=True)  # what was typed is kept
    assert certificates(app, kind="advocate_accreditation")[0].revoked_at is None

    assert _act(staff, certificate.code, "revoke", "Issued in error").status_code == 302
    [row] = certificates(app, kind="advocate_accreditation")
    assert row.revoked_at is not None and row.revoked_reason == "Issued in error"
    page = staff.get(f"/staff/certificates/{certificate.code}").get_data(as_text=True)
    assert "Revoked" in page and "revoke-reason" not in page  # final: no more forms

    assert _actions(app, certificate.code) == [
        ("certificate_suspended", "Complaint under review"),
        ("certificate_suspension_lifted", "Complaint not upheld"),
        ("certificate_revoked", "Issued in error")]
    mail = [m for m in outbox(app) if certificate.code in m.body]
    assert [m.subject for m in mail] == [
        "Your advocate accreditation certificate has been suspended",
        "Your advocate accreditation certificate has been reinstated (its suspension was lifted)",
        "Your advocate accreditation certificate has been revoked"]
    assert "Issued in error" in mail[-1].body


def test_a_reason_is_required(app, advocate, create_user):
    advocate()
    [certificate] = certificates(app, kind="advocate_accreditation")
    response = _act(_staff(app, create_user), certificate.code, "suspend", "  ")
    assert response.status_code == 422
    assert "Enter the reason for suspending the certificate." in response.get_data(as_text=True)
    assert certificates(app, kind="advocate_accreditation")[0].suspended_at is None


def test_two_staff_at_once_get_a_conflict_not_a_lost_update(app, advocate, create_user):
    advocate()
    [certificate] = certificates(app, kind="advocate_accreditation")
    first, second = _staff(app, create_user), _staff(app, create_user, "admin")
    seen = str(certificate.version)
    assert _act(first, certificate.code, "suspend", "First look", version=seen).status_code == 302
    late = _act(second, certificate.code, "revoke", "Second look", version=seen)
    assert late.status_code == 409
    assert "Someone else changed this certificate" in late.get_data(as_text=True)
    [row] = certificates(app, kind="advocate_accreditation")
    assert row.revoked_at is None and row.suspended_reason == "First look"


def test_others_cannot_reach_the_staff_pages(app, advocate, create_user):
    advocate()
    [certificate] = certificates(app, kind="advocate_accreditation")
    marker = _staff(app, create_user, "marker")
    assert marker.get("/staff/certificates").status_code == 403
    assert _act(marker, certificate.code, "revoke", "No", version="1").status_code == 403
    assert certificates(app, kind="advocate_accreditation")[0].revoked_at is None
