"""Course staff's certificate pages: every certificate issued (filtered by kind and status), and
one certificate's record with the forms to revoke, suspend or lift a suspension."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from lms.access import allow
from lms.audit.models import AuditEvent
from lms.certs import bp, services
from lms.certs.documents import printed_of, verify_page_url
from lms.certs.forms import FORMS
from lms.certs.holder_routes import holder_name
from lms.certs.lookup import find_by_code
from lms.certs.models import KINDS, Certificate
from lms.certs.verifying import STATES, certificate_status
from lms.extensions import db

STAFF = ("moderator", "admin")
DONE = {"revoke": "The certificate is revoked. The verify page shows it now.",
        "suspend": "The certificate is suspended. The verify page shows it now.",
        "lift": "The suspension is lifted. The verify page shows the certificate as valid."}


@bp.route("/staff/certificates")
@allow(*STAFF)
def staff_index():
    kind = request.args.get("kind", "")
    state = request.args.get("status", "")
    query = select(Certificate).order_by(
        Certificate.issued_on.desc(), Certificate.id.desc())
    if kind in KINDS:
        query = query.where(Certificate.kind == kind)
    today = date.today()
    rows = [(c, certificate_status(c, today)) for c in db.session.scalars(query)]
    if state in STATES:
        rows = [(c, s) for c, s in rows if s.state == state]
    return render_template("certs/staff_index.html", rows=rows, kinds=KINDS, states=STATES,
                           kind=kind, state=state, holder=holder_name)


def _certificate(code: str) -> Certificate:
    certificate = find_by_code(code)
    if certificate is None:
        abort(404)
    return certificate


def _page(certificate: Certificate, given: dict | None = None, *, stale: bool = False,
          refused: str | None = None, status: int = 200):
    given = given or {}
    state = certificate_status(certificate, date.today())
    open_actions = [] if certificate.revoked_at else (
        ["lift", "revoke"] if certificate.suspended_at else ["suspend", "revoke"])
    forms = {action: given.get(action) or FORMS[action](
        formdata=None, prefix=action, version=str(certificate.version))
        for action in open_actions}
    history = db.session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "Certificate", AuditEvent.subject_id == certificate.id)
        .options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id)).all()
    return render_template("certs/staff_detail.html", certificate=certificate,
                           shown=printed_of(certificate), status=state, forms=forms,
                           stale=stale, refused=refused, history=history, kinds=KINDS,
                           verify_url=verify_page_url(certificate.code)), status


@bp.route("/staff/certificates/<code>")
@allow(*STAFF)
def staff_detail(code: str):
    return _page(_certificate(code))


@bp.route("/staff/certificates/<code>/<any(revoke, suspend, lift):action>", methods=["POST"])
@allow(*STAFF)
def staff_action(code: str, action: str):
    certificate = _certificate(code)
    form = FORMS[action](prefix=action)
    if not form.validate_on_submit():
        return _page(certificate, {action: form}, status=422)
    try:
        getattr(services, action)(certificate, form.seen_version(), form.reason.data,
                                  actor=current_user)
        db.session.commit()
    except (services.StaleCertificate, StaleDataError):
        db.session.rollback()
        certificate = _certificate(code)
        form.version.data = str(certificate.version)
        return _page(certificate, {action: form}, stale=True, status=409)
    except services.Refused as refusal:
        db.session.rollback()
        return _page(_certificate(code), {action: form}, refused=str(refusal), status=422)
    flash(DONE[action], "success")
    return redirect(url_for("certs.staff_detail", code=certificate.code))
