"""The demo's certificates, issued by the real services, verify: the page, the API, and the
holder's signed Open Badges credential."""

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from certificates.keys import lookup_in_did_document
from certificates.openbadges import verify_credential
from lms.auth.models import User
from lms.certs.models import Certificate
from lms.courses.content import load_programme
from lms.courses.services import sync_programme
from lms.demo import DEMO_PASSWORD, load_demo
from lms.extensions import db
from tests.conftest import csrf_token

COURSES = Path(__file__).resolve().parents[3] / "courses"


def test_the_demo_certificates_verify_and_their_credentials_too(app):
    with app.app_context():
        sync_programme(load_programme(COURSES))
        db.session.commit()
        load_demo(today=date.today())
        people = {u.id: u.email for u in db.session.scalars(select(User))}
        held = {(people[c.user_id], c.kind): c.code
                for c in db.session.scalars(select(Certificate)) if c.user_id}
    anyone = app.test_client()
    keys = lookup_in_did_document(json.loads(anyone.get("/.well-known/did.json").data))
    for email, kind in (("trainee@example.org", "module_completion"),
                        ("advocate@example.org", "advocate_accreditation")):
        code = held[(email, kind)]
        page = anyone.get(f"/verify/{code}")
        assert page.status_code == 200 and "Status: Valid" in page.get_data(as_text=True)
        assert anyone.get(f"/api/v1/verify/{code}").get_json()["status"] == "valid"
        holder = app.test_client()
        holder.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD,
                                      "csrf_token": csrf_token(holder)})
        credential = json.loads(holder.get(f"/certificates/{code}/credential.json").data)
        assert verify_credential(credential, keys)
        assert credential["id"] == f"{app.config['EXTERNAL_URL']}/verify/{code}"
