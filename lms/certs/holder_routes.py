"""The holder's certificates: a list, the accessible HTML view of each, and the PDF download.
Organisation admins also see their organisation's certificates and their current advocates'
accreditation certificates. Anyone else gets 404: a code's existence is not revealed here."""

from datetime import date

from flask import Response, abort, render_template
from flask_login import current_user
from sqlalchemy import or_, select

from certificates.printed import ISSUER
from lms.access import SIGNED_IN, allow
from lms.certs import bp
from lms.certs.documents import filename_of, pdf_of, printed_of, verify_page_url
from lms.certs.lookup import find_by_code
from lms.certs.models import KINDS, Certificate
from lms.certs.permissions import can_view
from lms.certs.verifying import certificate_status
from lms.extensions import db
from lms.organisations.models import Employment
from lms.organisations.services import administered_organisations


def _org_scope(user, today: date) -> tuple[set[int], set[int]]:
    """The organisations a person administers and the people those organisations employ now."""
    administered = {o.id for o in administered_organisations(user, today)}
    if not administered:
        return set(), set()
    advocates = set(db.session.scalars(select(Employment.user_id).where(
        Employment.organisation_id.in_(administered), Employment.start_date <= today,
        or_(Employment.end_date.is_(None), Employment.end_date >= today))))
    return administered, advocates


def _visible(code: str) -> Certificate:
    certificate = find_by_code(code)
    if certificate is None or not can_view(current_user, certificate,
                                           *_org_scope(current_user, date.today())):
        abort(404)
    return certificate


def holder_name(certificate: Certificate) -> str:
    return (certificate.facts.get("holder_name") or certificate.facts.get("organisation_name")
            or "")


@bp.route("/certificates")
@allow(SIGNED_IN)
def holder_index():
    today = date.today()
    administered, advocates = _org_scope(current_user, today)
    mine = [Certificate.user_id == current_user.id]
    if administered:
        mine.append(Certificate.organisation_id.in_(administered))
        mine.append((Certificate.kind == "advocate_accreditation")
                    & Certificate.user_id.in_(advocates))
    certificates = db.session.scalars(select(Certificate).where(or_(*mine))
                                      .order_by(Certificate.issued_on.desc(),
                                                Certificate.id.desc())).all()
    own = [c for c in certificates if c.user_id == current_user.id]
    others = [c for c in certificates if c.user_id != current_user.id]
    return render_template("certs/holder_index.html", own=own, others=others, kinds=KINDS,
                           status=lambda c: certificate_status(c, today), holder=holder_name,
                           verify_url=verify_page_url)


@bp.route("/certificates/<code>.pdf")
@allow(SIGNED_IN)
def holder_pdf(code: str):
    certificate = _visible(code)
    return Response(pdf_of(certificate), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename_of(certificate)}"',
        "Cache-Control": "private, no-store"})


@bp.route("/certificates/<code>")
@allow(SIGNED_IN)
def holder_view(code: str):
    certificate = _visible(code)
    return render_template("certs/document.html", certificate=certificate,
                           shown=printed_of(certificate),
                           status=certificate_status(certificate, date.today()),
                           issuer=ISSUER, verify_link=verify_page_url(certificate.code))
