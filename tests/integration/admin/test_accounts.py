import re

from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token, outbox, post_form, sign_in


def count_users(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_staff_create_an_account_and_the_person_is_emailed_a_link(app, client, create_user):
    sign_in(client, create_user("admin"))
    response = post_form(client, "/admin/users/new", {
        "name": "Kofi Mensah", "email": "Kofi.Mensah@Example.org", "roles": ["trainee"],
        "send_invite": "y"})
    assert response.status_code == 302
    [mail] = outbox(app)
    assert mail.recipient == "kofi.mensah@example.org"
    assert "/set-password/" in mail.body and "expires in 72 hours" in mail.body
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kofi Mensah" in page and "has not set a password yet" in page


def test_a_duplicate_email_is_refused_with_a_clear_message(app, client, create_user):
    existing = create_user("trainee")
    sign_in(client, create_user("admin"))
    body = post_form(client, "/admin/users/new", {"name": "Again", "email": existing.email,
                                                  "roles": ["trainee"]}).get_data(as_text=True)
    assert "An account already uses this email address." in body
    assert count_users(app) == 2


def test_moderators_cannot_grant_admin(app, client, create_user):
    target = create_user("trainee")
    sign_in(client, create_user("moderator"))
    response = post_form(client, f"/admin/users/{target.id}/roles",
                         {"roles": ["trainee", "admin"]})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(User, target.id).roles == {"trainee"}
    response = post_form(client, f"/admin/users/{target.id}/roles",
                         {"roles": ["trainee", "marker"], "reason": "joins marking team"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, target.id).roles == {"trainee", "marker"}


def test_deactivation_keeps_the_record_and_blocks_sign_in(app, client, create_user):
    trainee = create_user("trainee")
    other = app.test_client()
    sign_in(other, trainee)
    sign_in(client, create_user("admin"))
    response = post_form(client, f"/admin/users/{trainee.id}/active",
                         {"reason": "left the programme"})
    assert response.status_code == 302
    # Their open session ended.
    assert other.get("/account/password").headers["Location"].startswith("/sign-in")
    fresh = app.test_client()
    response = fresh.post("/sign-in", data={"email": trainee.email, "password": PASSWORD,
                                            "csrf_token": csrf_token(fresh)})
    assert response.status_code == 401
    assert count_users(app) == 2  # never deleted
    audit = client.get("/admin/audit?action=account_deactivated").get_data(as_text=True)
    assert "left the programme" in audit


def test_audit_log_shows_sign_ins_and_failures_with_address(app, client, create_user):
    admin = create_user("admin")
    client.post("/sign-in", data={"email": admin.email, "password": "wrong-password-1",
                                  "csrf_token": csrf_token(client)})
    sign_in(client, admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "sign in failed" in page and "signed in" in page and "127.0.0.1" in page


def test_user_search_finds_by_name_and_role(client, create_user):
    create_user("trainee", name="Siobhan Gallagher", email="sg@example.org")
    create_user("marker", name="Morgan Marker", email="mm@example.org")
    sign_in(client, create_user("admin", name="Ada Admin"))
    page = client.get("/admin/users?q=siob").get_data(as_text=True)
    assert "Siobhan Gallagher" in page and "Morgan Marker" not in page
    page = client.get("/admin/users?role=marker").get_data(as_text=True)
    assert "Morgan Marker" in page and "Siobhan Gallagher" not in page


def test_an_account_with_no_role_is_refused_and_what_was_typed_is_kept(app, client, create_user):
    sign_in(client, create_user("admin"))
    response = post_form(client, "/admin/users/new", {
        "name": "Kofi Mensah", "email": "kofi@example.org"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    message = "Choose at least one role: an account with no role can do nothing."
    assert f'<a href="#roles">{message}</a>' in body  # in the error summary
    assert (f'<p class="field-error" id="roles-error"><span class="visually-hidden">Error:</span> '
            f'{message}</p>') in body  # at the field
    assert 'value="Kofi Mensah"' in body and 'value="kofi@example.org"' in body
    assert count_users(app) == 1
    assert outbox(app) == []


def test_a_300_character_name_is_refused_not_cut(app, client, create_user):
    sign_in(client, create_user("admin"))
    name = "A" * 300
    response = post_form(client, "/admin/users/new", {
        "name": name, "email": "long@example.org", "roles": ["trainee", "marker"]})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    message = "Full name must be 200 characters or fewer. It is 300: shorten it by 100."
    assert f'<a href="#name">{message}</a>' in body and f"</span> {message}</p>" in body
    assert f'value="{name}"' in body  # all 300 characters come back
    ticked = re.findall(r'<input checked[^>]*name="roles"[^>]*value="(\w+)"', body)
    assert ticked == ["trainee", "marker"]
    assert count_users(app) == 1
