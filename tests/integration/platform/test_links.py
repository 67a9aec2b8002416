"""Links people follow from emails and certificates use the configured address, never the
request's Host header (which whoever sends the request chooses), in a request or outside one."""

import re

from lms.links import external, external_for
from lms.mail.models import OutboxMessage
from tests.conftest import CSRF_RE


def test_links_are_built_on_the_configured_address_outside_a_request(app, monkeypatch):
    monkeypatch.setitem(app.config, "EXTERNAL_URL", "https://lms.example.ac.uk/")
    with app.app_context():  # the worker's daily jobs: no request
        assert external("/cpd") == "https://lms.example.ac.uk/cpd"
        assert external_for("cpd.confirm", token="abc") == "https://lms.example.ac.uk/cpd/confirm/abc"
        assert external_for("assessments.sample", assessment_id=7, _anchor="reports") == (
            "https://lms.example.ac.uk/moderation/7/sample#reports")


def test_a_password_email_ignores_a_forged_host_header(app, client, create_user, monkeypatch):
    from sqlalchemy import select

    from lms.extensions import db

    monkeypatch.setitem(app.config, "EXTERNAL_URL", "https://lms.example.ac.uk")
    person = create_user("trainee", email="tamsin@example.org")
    forged = {"Host": "attacker.example.com"}
    form = client.get("/forgot-password", headers=forged).get_data(as_text=True)
    token = CSRF_RE.search(form).group(1)
    sent = client.post("/forgot-password", data={"email": person.email, "csrf_token": token},
                       headers=forged)
    assert sent.status_code == 200
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body).where(
            OutboxMessage.recipient == person.email)).one()
    links = re.findall(r"https?://\S+", body)
    assert links and all(link.startswith("https://lms.example.ac.uk/") for link in links)
    assert "attacker" not in body
