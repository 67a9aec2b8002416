"""Open Badges 3.0 on the web: the site's DID document and issuer key, the signed revocation
and suspension lists, and a holder's download of their signed credential."""

import json
from datetime import date

from flask import Response, abort
from flask_login import current_user

from lms.access import PUBLIC, SIGNED_IN, allow
from lms.certs import badges, bp
from lms.certs.lookup import find_by_code
from lms.db import utcnow
from lms.organisations.services import administered_organisations


def _json(document: dict, mimetype: str = "application/json") -> Response:
    response = Response(json.dumps(document, indent=2, ensure_ascii=False), mimetype=mimetype)
    # Published so any verifier can read it, from a server or from a web page.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.context_processor
def _badge_kinds():
    # Holder pages offer the credential download for the kinds that have one.
    return {"open_badge_kinds": badges.BADGE_KINDS}


@bp.route("/.well-known/did.json")
@allow(PUBLIC)
def did_json():
    return _json(badges.site_did_document())


@bp.route("/issuer/key")
@allow(PUBLIC)
def issuer_key():
    return _json(badges.issuer_key_document())


@bp.route("/status/revocation")
@allow(PUBLIC)
def status_revocation():
    return _json(badges.status_list("revocation", utcnow()), "application/vc+ld+json")


@bp.route("/status/suspension")
@allow(PUBLIC)
def status_suspension():
    return _json(badges.status_list("suspension", utcnow()), "application/vc+ld+json")


@bp.route("/certificates/<code>/credential.json")
@allow(SIGNED_IN)
def credential_json(code: str):
    certificate = find_by_code(code)
    # Someone else's certificate, or one that is not a badge, does not exist for you.
    if certificate is None or not badges.has_credential(certificate):
        abort(404)
    administered = {o.id for o in administered_organisations(current_user, date.today())}
    if not badges.can_download_credential(current_user, certificate, administered):
        abort(404)
    response = _json(badges.credential_for(certificate))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="credential-{certificate.code}.json"')
    return response
