from html import escape

from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from tests.conftest import post_form, sign_in


def test_every_text_field_states_its_limit_and_text_over_it_comes_back(app, client, create_user):
    sign_in(client, create_user("admin"))
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert "Up to 200 characters." in page  # name
    assert "Up to 254 characters." in page  # email
    page = client.get("/admin/organisations/new").get_data(as_text=True)
    assert "For example: North West, Highlands, Belfast. Up to 120 characters." in page

    name = "Kofi " * 41  # 205 characters
    page = post_form(client, "/admin/users/new", {
        "name": name, "email": "kofi@example.org", "roles": ["trainee"]}).get_data(as_text=True)
    assert "Full name must be 200 characters or fewer. It is 205: shorten it by 5." in page
    assert f'value="{escape(name)}"' in page and 'value="kofi@example.org"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1
