from datetime import date

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.demo import DEMO_PASSWORD, DemoRefused, load_demo
from lms.extensions import db
from tests.conftest import csrf_token

ACCOUNTS = {
    "admin@example.org": "Administration",
    "marker@example.org": "Cohorts",
    "moderator@example.org": "Administration",
    "examiner@example.org": "Cohorts",
    "orgadmin@example.org": "Northbridge Survivor Support",
    "trainee@example.org": "Modern slavery (IMSA)",
}


def test_demo_loads_once_and_every_demo_account_lands_on_its_work(app):
    with app.app_context():
        assert load_demo(today=date(2026, 11, 22)) is True
        assert load_demo(only_if_empty=True) is False
        with pytest.raises(DemoRefused):
            load_demo()
        assert db.session.scalar(select(User).where(User.email == "trainee@example.org"))
    for email, landmark in ACCOUNTS.items():
        client = app.test_client()
        response = client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD,
                                                 "csrf_token": csrf_token(client)})
        assert response.status_code == 302, email
        assert landmark in client.get("/").get_data(as_text=True), email


def test_demo_data_is_refused_in_production(app):
    app.config["DEMO_DATA_ALLOWED"] = False
    try:
        with app.app_context(), pytest.raises(DemoRefused):
            load_demo()
    finally:
        app.config["DEMO_DATA_ALLOWED"] = True


def test_anonymous_home_page_invites_sign_in(client):
    body = client.get("/").get_data(as_text=True)
    assert 'href="/sign-in"' in body and "Welcome" in body
