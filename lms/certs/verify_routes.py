"""Anyone holding a code checks a certificate: a page and a JSON API, no sign-in, no listing.

Both show what the document prints and whether it still holds. Lookups are throttled per
address (one budget for the page and the API), so nobody can walk the space of codes; the
pages are marked noindex, because a verify page is for the person who was given the code.
"""

from flask import current_app, jsonify, redirect, render_template, request, url_for

from certificates.codes import format_code, is_code
from certificates.printed import ISSUER, printed, printed_fields
from lms.access import PUBLIC, allow
from lms.certs import bp
from lms.certs.lookup import facts_of, find_by_code, verify_url
from lms.certs.models import KINDS, Certificate
from lms.certs.verifying import certificate_status, uk_day
from lms.db import utcnow
from lms.extensions import limiter

NOINDEX = "noindex, nofollow"
LOOKUPS = {"certs.verify_code", "certs.api_verify"}
EXAMPLE_CODE = "K7QX-9FD3-M2PA"


def _verify_limit() -> str:
    return current_app.config["VERIFY_LIMIT_PER_ADDRESS"]


def throttled_response():
    """Answer a lookup over its limit: JSON for the API, the form again for the page."""
    if request.endpoint == "certs.api_verify":
        return _api(jsonify(error="too_many_requests"), 429)
    return render_template("certs/verify_throttled.html", example=EXAMPLE_CODE), 429


@bp.after_request
def _not_for_search_engines(response):
    if request.endpoint in {"certs.verify", *LOOKUPS}:
        response.headers["X-Robots-Tag"] = NOINDEX
    return response


@bp.route("/verify")
@allow(PUBLIC)
def verify():
    typed = request.args.get("code")
    if typed is None:
        return render_template("certs/verify_form.html", example=EXAMPLE_CODE)
    if not typed.strip():
        return render_template("certs/verify_form.html", example=EXAMPLE_CODE, typed=typed,
                               error="Enter the verification code printed on the certificate"), 422
    if not is_code(typed):  # a code in the wrong shape names nothing: no lookup, no redirect
        return _unknown(typed)
    return redirect(url_for("certs.verify_code", code=format_code(typed)))


@bp.route("/verify/<code>")
@allow(PUBLIC)
@limiter.shared_limit(_verify_limit, scope="verify")
def verify_code(code: str):
    if is_code(code) and format_code(code) != code:
        return redirect(url_for("certs.verify_code", code=format_code(code)))
    certificate = find_by_code(code)
    if certificate is None:
        return _unknown(code)
    facts = facts_of(certificate)
    return render_template(
        "certs/verify_result.html", certificate=certificate, shown=printed(facts),
        fields=printed_fields(facts), status=certificate_status(certificate, uk_day(utcnow())),
        replaced=certificate.replaced_by_id is not None, example=EXAMPLE_CODE)


def _unknown(typed: str):
    return render_template("certs/verify_unknown.html", typed=typed, example=EXAMPLE_CODE), 404


@bp.route("/api/v1/verify/<code>")
@allow(PUBLIC)
@limiter.shared_limit(_verify_limit, scope="verify")
def api_verify(code: str):
    certificate = find_by_code(code)
    if certificate is None:
        return _api(jsonify(error="not_found"), 404)
    return _api(jsonify(verification(certificate)), 200)


def verification(certificate: Certificate) -> dict:
    """Return what the API says about a certificate: its status and what it states."""
    shown = printed(facts_of(certificate))
    status = certificate_status(certificate, uk_day(utcnow()))
    answer = {
        "status": status.state,
        "kind": certificate.kind,
        "kind_label": KINDS[certificate.kind],
        "code": shown.code,
        "holder": shown.holder,
        "title": shown.title,
        "issued": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "issuer": ISSUER,
    }
    if status.state in ("revoked", "suspended"):
        answer[f"{status.state}_on"] = status.since.isoformat()
    answer["verify_url"] = verify_url(certificate.code)
    return answer


def _api(response, status: int):
    # Public, read-only facts anyone with the code may read: any web page may ask (no cookies
    # are read, so a wildcard origin gives nothing away), and nothing is cached, so a
    # revocation shows at once.
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response
