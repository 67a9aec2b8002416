"""After the demo loads (with the real course content), the demo trainee holds a module
certificate and the demo advocate an accreditation certificate, each linked from their
certificates page, and their codes are recorded with what the documents state."""

from datetime import date
from pathlib import Path

from sqlalchemy import select

from lms.auth.models import User
from lms.certs.models import Certificate
from lms.courses.content import load_programme
from lms.courses.services import sync_programme
from lms.demo import DEMO_PASSWORD, load_demo
from lms.extensions import db
from tests.conftest import csrf_token

COURSES = Path(__file__).resolve().parents[3] / "courses"


def _page(app, email: str, url: str) -> str:
    client = app.test_client()
    client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD,
                                  "csrf_token": csrf_token(client)})
    return client.get(url).get_data(as_text=True)


def test_the_demo_trainee_and_advocate_hold_certificates(app):
    with app.app_context():
        sync_programme(load_programme(COURSES))
        db.session.commit()
        load_demo(today=date.today())
        people = {u.email: u.id for u in db.session.scalars(select(User))}
        held = {(c.user_id, c.kind): c for c in db.session.scalars(select(Certificate))}
        module = held[(people["trainee@example.org"], "module_completion")]
        transcript = held[(people["trainee@example.org"], "transcript")]
        accreditation = held[(people["advocate@example.org"], "advocate_accreditation")]
        facts = dict(module.facts), dict(accreditation.facts)
    assert facts[0]["module_title"] == "Law, systems and multi-agency practice"
    assert facts[0]["credits"] == 20
    assert facts[0]["result"] in ("Pass", "Merit", "Distinction")
    assert facts[1]["accreditation_number"] == "IMSA-7K3Q-9XFD"
    trainee_page = _page(app, "trainee@example.org", "/certificates")
    assert module.code in trainee_page and transcript.code in trainee_page
    assert accreditation.code in _page(app, "advocate@example.org", "/certificates")
