import io

from sqlalchemy import func, select

from lms.auth.models import User
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.organisations.models import Employment
from tests.conftest import csrf_token, outbox, sign_in

HEADER = "name,email,organisation,specialism,jurisdiction\n"
GOOD = (HEADER + "Kofi Mensah,kofi@example.org,Northbridge Survivor Support,Modern slavery,"
        "Scotland\nAnn Lee,ann@example.org,,Domestic abuse,England and Wales\n")


def upload(client, cohort_id, text, filename="roster.csv"):
    page = f"/admin/cohorts/{cohort_id}/import"
    return client.post(page, data={"csrf_token": csrf_token(client, page),
                                   "roster": (io.BytesIO(text.encode()), filename)},
                       content_type="multipart/form-data")


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count(User.id))),
                db.session.scalar(select(func.count(Enrolment.id))),
                db.session.scalar(select(func.count(Employment.id))))


def test_a_roster_with_one_bad_row_imports_nothing_and_names_the_row(
        app, client, create_user, create_organisation, create_cohort):
    create_organisation()
    cohort = create_cohort()
    sign_in(client, create_user("moderator"))
    before = counts(app)
    body = upload(client, cohort.id, GOOD + "Bad Row,bad-email,,Astrology,Wales\n").get_data(
        as_text=True)
    assert "Nothing was imported" in body
    assert "Row 4: " in body and "not an email address" in body
    assert counts(app) == before
    assert outbox(app) == []


def test_preview_then_confirm_creates_accounts_enrolments_and_invitations(
        app, client, create_user, create_organisation, create_cohort):
    create_organisation()
    cohort = create_cohort()
    sign_in(client, create_user("moderator"))
    body = upload(client, cohort.id, GOOD).get_data(as_text=True)
    assert "Check before you import" in body and "Import 2 people" in body
    assert counts(app) == (1, 0, 0)  # the preview writes nothing
    text = body.split('name="csv_text" type="hidden" value="')[1].split('"')[0]
    import html

    response = client.post(f"/admin/cohorts/{cohort.id}/import/confirm", data={
        "csrf_token": csrf_token(client, "/admin/"), "csv_text": html.unescape(text)})
    assert response.status_code == 302
    assert counts(app) == (3, 2, 1)
    assert sorted(m.recipient for m in outbox(app)) == ["ann@example.org", "kofi@example.org"]
    with app.app_context():
        kofi = db.session.scalar(select(User).where(User.email == "kofi@example.org"))
        assert kofi.roles == {"trainee"}
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == kofi.id))
        assert (enrolment.specialism, enrolment.jurisdiction) == ("modern_slavery", "scotland")


def test_confirm_revalidates_and_writes_nothing_if_the_data_changed(
        app, client, create_user, create_organisation, create_cohort):
    create_organisation()
    cohort = create_cohort()
    sign_in(client, create_user("admin"))
    tampered = GOOD + "Sneaky,,,Stalking,Scotland\n"
    response = client.post(f"/admin/cohorts/{cohort.id}/import/confirm", data={
        "csrf_token": csrf_token(client, "/admin/"), "csv_text": tampered})
    assert response.status_code == 409
    assert counts(app) == (1, 0, 0)


def test_a_binary_file_named_csv_is_refused_by_content(app, client, create_user, create_cohort):
    cohort = create_cohort()
    sign_in(client, create_user("admin"))
    page = f"/admin/cohorts/{cohort.id}/import"
    body = client.post(page, data={
        "csrf_token": csrf_token(client, page),
        "roster": (io.BytesIO(b"%PDF-1.7\n\x00\x01\x02 binary"), "roster.csv")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "The file is not a CSV file" in body
    assert counts(app) == (1, 0, 0)
