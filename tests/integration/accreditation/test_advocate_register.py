"""Course staff's register of advocates and trainees: status, number, employer, valid-until,
filtered by status, at a fixed number of queries; and who may see it."""

import pytest

from lms.accreditation import services
from lms.auth.models import User
from lms.extensions import db
from lms.formatting import uk_date
from tests.conftest import csrf_token, sign_in
from tests.integration.accreditation.advocate_kit import (
    TODAY,
    accredited_employer,
    award,
    days,
    decide,
    employ,
    text,
)
from tests.integration.courses.test_query_counts import count_queries


@pytest.fixture
def org(app, create_organisation):
    return accredited_employer(app, create_organisation)


def make_advocates(app, create_user, org, count, start=0):
    people = []
    for n in range(start, start + count):
        person = create_user("advocate", name=f"Advocate {n:02d}")
        employ(app, person, org)
        award(app, person, number=f"IMSA-{n:04d}-ZZZZ")
        decide(app, person, "accredit", on=days(-150))
        if n % 3 == 0:
            decide(app, person, "suspend", on=days(-5), reason="A complaint.")
        people.append(person)
    return people


def test_the_register_shows_status_number_employer_and_valid_until(
        app, client, create_user, org):
    advocate, = make_advocates(app, create_user, org, 1, start=1)
    create_user("trainee", name="Tamsin Reade")
    sign_in(client, create_user("moderator"))
    response = client.get("/staff/advocates")
    words = text(response)
    assert response.status_code == 200
    row = words[words.index("Advocate 01"):]
    assert row.startswith("Advocate 01 Accredited IMSA-0001-ZZZZ Northbridge Survivor Support")
    with app.app_context():
        status = services.advocate_status_of(db.session.get(User, advocate.id), TODAY)
    assert status.valid_until and uk_date(status.valid_until) in row  # the CPD year's end
    assert "Tamsin Reade Not qualified None None Not accredited" in words
    assert f'href="/staff/advocates/{advocate.id}"' in response.get_data(as_text=True)


def test_the_register_filters_by_status(app, client, create_user, org):
    make_advocates(app, create_user, org, 4)  # 00 and 03 are suspended
    sign_in(client, create_user("admin"))
    words = text(client.get("/staff/advocates?status=suspended"))
    assert "Advocate 00" in words and "Advocate 03" in words
    assert "Advocate 01" not in words and "Advocate 02" not in words
    assert "2 people “Accreditation suspended”" in words
    everyone = text(client.get("/staff/advocates?status=nonsense"))
    assert "Advocate 01" in everyone and "Accreditation suspended (2)" in everyone


def test_the_register_is_paged_and_the_filter_stays_on_every_page(
        app, client, create_user, org, monkeypatch):
    from lms.accreditation import advocate_routes

    monkeypatch.setattr(advocate_routes, "PER_PAGE", 2)
    make_advocates(app, create_user, org, 5)
    sign_in(client, create_user("moderator"))
    first = client.get("/staff/advocates?status=accredited")
    words = text(first)
    assert "Advocate 01" in words and "Advocate 02" in words and "Page 1 of 2" in words
    assert 'href="/staff/advocates?page=2&amp;status=accredited"' in first.get_data(
        as_text=True)
    second = text(client.get("/staff/advocates?status=accredited&page=2"))
    assert "Advocate 04" in second and "Advocate 01" not in second
    assert "Advocate 03" not in second  # suspended: filtered out on every page
    assert "Advocate 04" in text(client.get("/staff/advocates?status=accredited&page=99"))


def test_the_register_costs_the_same_queries_for_3_or_12_advocates(
        app, client, create_user, org):
    sign_in(client, create_user("moderator"))

    def queries():
        client.get("/staff/advocates")
        with count_queries(app) as statements:
            assert client.get("/staff/advocates").status_code == 200
        return len(statements)

    make_advocates(app, create_user, org, 3)
    few = queries()
    make_advocates(app, create_user, org, 9, start=3)
    assert queries() == few
    assert "Advocate 11" in text(client.get("/staff/advocates"))


def test_the_detail_page_costs_the_same_queries_for_few_or_many_decisions(
        app, client, create_user, org):
    lead = create_user("moderator")
    advocate, = make_advocates(app, create_user, org, 1, start=1)
    sign_in(client, lead)

    def queries():
        client.get(f"/staff/advocates/{advocate.id}")
        with count_queries(app) as statements:
            assert client.get(f"/staff/advocates/{advocate.id}").status_code == 200
        return len(statements)

    decide(app, advocate, "conditions", on=days(-41), reason="First", conditions="Supervision.",
           due_on=days(30), by=lead)
    few = queries()
    for n in range(6):
        decide(app, advocate, "conditions" if n % 2 else "conditions_met", on=days(-40 + n),
               reason=f"Step {n}", conditions="Supervision.", due_on=days(30), by=lead)
    assert queries() == few


@pytest.mark.parametrize("role", ["advocate", "trainee", "marker", "examiner", "org_admin"])
def test_only_moderators_and_admins_see_the_register_and_decide(
        app, client, create_user, org, role):
    advocate, = make_advocates(app, create_user, org, 1, start=1)
    visitor = create_user(role)
    if role == "org_admin":  # even the advocate's own employer
        employ(app, visitor, org, start=days(-1000))
    sign_in(client, visitor)
    assert client.get("/staff/advocates").status_code == 403
    assert client.get(f"/staff/advocates/{advocate.id}").status_code == 403
    token = csrf_token(client, "/account/password")
    for path in ("decisions", "award"):
        response = client.post(f"/staff/advocates/{advocate.id}/{path}", data={
            "kind": "suspend", "suspend-seen": "2", "suspend-reason": "No.",
            "csrf_token": token})
        assert response.status_code == 403


def test_an_advocate_sees_only_her_own_status(app, client, create_user, org):
    first, second = make_advocates(app, create_user, org, 2, start=1)
    sign_in(client, second)
    words = text(client.get("/accreditation"))
    assert "IMSA-0002-ZZZZ" in words and "IMSA-0001-ZZZZ" not in words
    assert client.get(f"/staff/advocates/{first.id}").status_code == 403


def test_a_person_who_is_not_an_advocate_has_no_staff_page(app, client, create_user):
    sign_in(client, create_user("moderator"))
    marker = create_user("marker")
    assert client.get(f"/staff/advocates/{marker.id}").status_code == 404
    assert client.get("/staff/advocates/999999").status_code == 404
