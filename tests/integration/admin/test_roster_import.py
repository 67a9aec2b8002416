import csv
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


def confirm(client, cohort_id, body):
    import html

    text = body.split('name="csv_text" type="hidden" value="')[1].split('"')[0]
    return client.post(f"/admin/cohorts/{cohort_id}/import/confirm", data={
        "csrf_token": csrf_token(client, "/admin/"), "csv_text": html.unescape(text)})


def enrolments(app, cohort_id):
    with app.app_context():
        return {e.user.email: (e.specialism, e.student_id, e.status) for e in db.session.scalars(
            select(Enrolment).where(Enrolment.cohort_id == cohort_id))}


def test_importing_the_roster_again_reports_who_is_enrolled_and_imports_the_rest(
        app, client, create_user, create_organisation, create_cohort):
    create_organisation()
    cohort = create_cohort()
    sign_in(client, create_user("moderator"))
    confirm(client, cohort.id, upload(client, cohort.id, GOOD).get_data(as_text=True))
    before = enrolments(app, cohort.id)
    mails = len(outbox(app))

    # The same roster with one new person, and Ann's row now saying another specialism.
    again = (GOOD.replace("Ann Lee,ann@example.org,,Domestic abuse",
                          "Ann Lee,ann@example.org,,Stalking")
             + "Rhona Fraser,rhona@example.org,,Sexual violence,Scotland\n")
    response = upload(client, cohort.id, again)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was imported" not in body
    assert "Already enrolled: left as they are" in body
    assert "Row 2: Kofi Mensah (kofi@example.org)" in body
    assert "Row 3: Ann Lee (ann@example.org)" in body
    assert "1 person will be enrolled" in body and "Import 1 person" in body
    response = confirm(client, cohort.id, body)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("Imported 1 person into 2026/27 September intake. 2 people already enrolled were "
            "left as they were.") in page
    after = enrolments(app, cohort.id)
    assert {k: v for k, v in after.items() if k in before} == before  # Ann still domestic abuse
    assert set(after) - set(before) == {"rhona@example.org"}
    assert [m.recipient for m in outbox(app)[mails:]] == ["rhona@example.org"]


def test_a_roster_of_only_enrolled_people_has_nothing_to_import(
        app, client, create_user, create_organisation, create_cohort):
    create_organisation()
    cohort = create_cohort()
    sign_in(client, create_user("admin"))
    confirm(client, cohort.id, upload(client, cohort.id, GOOD).get_data(as_text=True))
    body = upload(client, cohort.id, GOOD).get_data(as_text=True)
    assert "Everyone in this file is already enrolled: there is nothing to import." in body
    assert "csv_text" not in body  # no import button


def test_a_real_error_beside_enrolled_rows_still_imports_nothing(
        app, client, create_user, create_organisation, create_cohort):
    create_organisation()
    cohort = create_cohort()
    sign_in(client, create_user("moderator"))
    confirm(client, cohort.id, upload(client, cohort.id, GOOD).get_data(as_text=True))
    before = counts(app)
    response = upload(client, cohort.id, GOOD + "Rhona Fraser,rhona@example.org,,Sexual violence,"
                      "Scotland\nNo Email,,,Stalking,Scotland\n")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported" in body and "Row 5: " in body
    assert "csv_text" not in body
    assert counts(app) == before


def test_student_ids_are_kept_checked_and_shown(
        app, client, create_user, create_organisation, create_cohort):
    create_organisation()
    cohort = create_cohort()
    sign_in(client, create_user("admin"))
    header = "name,email,organisation,specialism,jurisdiction,Student ID\n"
    clash = (header + "Kofi Mensah,kofi@example.org,,Modern slavery,Scotland,S1234567\n"
             "Ann Lee,ann@example.org,,Stalking,Scotland,s1234567\n")
    body = upload(client, cohort.id, clash).get_data(as_text=True)
    assert "Row 3: Student ID s1234567 is also on row 2." in body
    rows = (header + "Kofi Mensah,kofi@example.org,,Modern slavery,Scotland,S1234567\n"
            "Ann Lee,ann@example.org,,Stalking,Scotland,\n")
    body = upload(client, cohort.id, rows).get_data(as_text=True)
    assert "<th scope=\"col\">Student ID</th>" in body and "<td>S1234567</td>" in body
    confirm(client, cohort.id, body)
    assert enrolments(app, cohort.id) == {
        "kofi@example.org": ("modern_slavery", "S1234567", "active"),
        "ann@example.org": ("stalking", None, "active")}
    page = client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert "<td>S1234567</td>" in page


def test_the_marks_export_carries_the_student_id_from_the_roster(
        app, client, setting, create_user):
    from tests.integration.assessments.test_marking import component, mark_as, staff, work_of
    from tests.integration.assessments.test_taking import play_to_the_end, post, text

    aid = setting()
    trainee = create_user(name="Kofi Mensah", email="kofi@example.org")
    sign_in(client, create_user("admin"))
    roster = ("name,email,organisation,specialism,jurisdiction,student_id\n"
              "Kofi Mensah,kofi@example.org,,Modern slavery,England and Wales,S7654321\n")
    confirm(client, setting.cohort.id, upload(client, setting.cohort.id, roster).get_data(
        as_text=True))
    own = app.test_client()
    sign_in(own, trainee)
    play_to_the_end(own, aid)
    post(own, f"/assessments/{aid}/submit", {"declaration": "y"})
    marker, m = staff(app, create_user, "marker", name="Marker")
    _lead, moderator = staff(app, create_user, "moderator", name="Lead")
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    work = work_of(app, trainee)
    mark_as(m, work.id, "first", "64")
    agreed = component(app, work.id, "first")
    post(moderator, f"/moderation/{aid}/agree/{work.id}", {"mark": str(agreed), "reason": ""})
    export = text(moderator.get(f"/moderation/{aid}/marks.csv"))
    [row] = list(csv.DictReader(io.StringIO(export)))
    assert (row["candidate_number"], row["student_id"], row["name"], row["agreed_mark"]) == (
        work.candidate_number, "S7654321", "Kofi Mensah", str(agreed))
