"""The host organisation's dashboard: its own accreditation in plain words, its history, each
advocate's status with reasons and CPD, and what expires or falls due soon."""

import re
from datetime import timedelta

import pytest

from lms.extensions import db
from tests.conftest import sign_in
from tests.integration.accreditation.dashkit import (
    TODAY,
    advocate_at,
    employ,
    org_admin_of,
)


def uk(day):
    return f"{day.day} {day:%B %Y}"


def row_of(page: str, name: str) -> str:
    match = re.search(rf'<tr>\s*<th scope="row">{name}.*?</tr>', page, re.S)
    assert match, name
    return match.group(0)


@pytest.fixture
def northbridge(app, create_user, create_organisation):
    org = create_organisation("Northbridge Survivor Support", region="Tyneside")
    admin = org_admin_of(app, create_user, org, name="Morgan Manager")
    return org, admin


def test_the_organisation_sees_its_own_status_term_and_history(app, client, northbridge):
    org, admin = northbridge
    sign_in(client, admin)
    page = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    accredited_on = TODAY - timedelta(days=365)
    from lms.accreditation.orgrules import default_valid_until
    until = default_valid_until(accredited_on)
    assert "Accreditation: <strong>Accredited</strong>" in page
    assert f"Accredited on {uk(accredited_on)} until {uk(until)}." in page
    assert f"<dt>Valid from</dt><dd>{uk(accredited_on)}</dd>" in page
    assert f"<dt>Valid until</dt><dd>{uk(until)}</dd>" in page
    opens = until - timedelta(days=90)
    assert f"The renewal window opens on {uk(opens)}." in page
    # The yearly return falls due on the anniversary: a step with its date, and in the table.
    assert f"Send the yearly return: confirm nothing material has changed, or say what has. " \
           f"<strong>By {uk(TODAY)}.</strong>" in page
    due = page.split('id="due-heading"')[1].split('id="advocates-heading"')[0]
    assert f"<td>{uk(TODAY)}</td><td>Northbridge Survivor Support</td><td>Send the yearly " \
           "return" in due
    history = page.split('id="history-heading"')[1]
    assert f"<td>{uk(accredited_on)}</td><td>Accredited</td>" in history
    assert "<dt>Region</dt><dd>Tyneside</dd>" in page
    # Its admin reaches the application, the decisions and appeals, and the yearly return.
    for path in ("application", "decisions", "yearly-return", "check"):
        assert f'href="/organisations/{org.id}/{path}"' in page, path


def test_conditions_suspension_and_an_application_read_in_plain_words(
        app, client, create_user, create_organisation):
    cases = {"conditions": ("Accredited with conditions", "Adopt a complaints procedure."),
             "suspended": ("Accreditation suspended", "A safeguarding concern is being looked"),
             "applying": ("Applying for accreditation", "course staff are reviewing it"),
             "lapsed": ("Accreditation expired", "Apply for accreditation again.")}
    for status, (label, words) in cases.items():
        org = create_organisation(f"{status.title()} Org", status=status)
        admin = org_admin_of(app, create_user, org)
        client = app.test_client()
        sign_in(client, admin)
        page = client.get(f"/organisations/{org.id}").get_data(as_text=True)
        assert f"Accreditation: <strong>{label}</strong>" in page, status
        assert words in page, status
        accredited = status == "conditions"
        assert ("/check\">Check advocates' accreditation numbers" in page) is accredited, status
        assert ("Bulk checks of accreditation numbers open once" in page) is not accredited
    lapsed = page.split('id="history-heading"')[1]
    assert "<td>Accredited</td>" in lapsed and "<td>Accreditation expired</td>" in lapsed


def test_each_advocate_shows_status_reasons_and_cpd_of_the_year(app, client, create_user,
                                                                northbridge):
    org, admin = northbridge
    advocate_at(app, create_user, org, "Ada Quinn", cpd_minutes=10 * 60)
    advocate_at(app, create_user, org, "Ben Ortiz", accredit=False)
    trainee = create_user("trainee", name="Cara Trent")
    employ(app, trainee, org)
    sign_in(client, admin)
    page = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    ada = row_of(page, "Ada Quinn")
    assert "<strong>Accredited</strong>" in ada
    assert "<summary>All reasons" in ada and "modern slavery specialism" in ada
    assert "Employed by Northbridge Survivor Support, an accredited host organisation." in ada
    assert "10 hours of 20 hours" in ada
    ben = row_of(page, "Ben Ortiz")
    assert "<strong>Qualified</strong>" in ben
    assert "not yet confirmed the initial conditions" in ben
    cara = row_of(page, "Cara Trent")
    assert "<strong>" in cara and "CPD starts once qualified" in cara
    # the org admin is staff, not an advocate
    assert "Other staff on the platform" in page and "Morgan Manager" in page
    with pytest.raises(AssertionError):
        row_of(page, "Morgan Manager")


def test_what_expires_or_falls_due_within_ninety_days_is_listed(app, client, create_user,
                                                                northbridge):
    from lms.accreditation import services
    from lms.auth.models import User

    org, admin = northbridge
    ada, _ = advocate_at(app, create_user, org, "Ada Quinn", cpd_minutes=60)
    ben, _ = advocate_at(app, create_user, org, "Ben Ortiz")
    with app.app_context():
        services.decide_for_advocate(db.session.get(User, ben.id), "conditions",
                                     TODAY - timedelta(days=1), actor=None,
                                     reason="Supervision gap.",
                                     conditions="Arrange monthly supervision.",
                                     due_on=TODAY + timedelta(days=30))
        services.decide_for_advocate(db.session.get(User, ada.id), "conditions",
                                     TODAY - timedelta(days=1), actor=None, reason="Later.",
                                     conditions="Far off.", due_on=TODAY + timedelta(days=200))
        db.session.commit()
    sign_in(client, admin)
    page = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    due = page.split('id="due-heading"')[1].split('id="advocates-heading"')[0]
    in_30 = TODAY + timedelta(days=30)
    assert f"<td>{uk(in_30)}</td><td>Ben Ortiz</td><td>Meet the conditions" in due
    assert uk(TODAY + timedelta(days=200)) not in due  # beyond ninety days
    # Ada's CPD year ends within ninety days (accredited 300 days ago): the hours with it.
    assert re.search(r"<td>Ada Quinn</td><td>CPD year ends: 1 hour of 20 hours logged "
                     r"\(requirement not yet met\)\.</td>", due)
    dates = re.findall(r"<tr><td>(\d{1,2} \w+ \d{4})", due)
    from datetime import datetime
    parsed = [datetime.strptime(d, "%d %B %Y").date() for d in dates]
    assert parsed == sorted(parsed) and len(parsed) >= 3


def test_former_staff_are_listed_and_not_among_the_advocates(app, client, create_user,
                                                             northbridge):
    org, admin = northbridge
    gone = create_user("advocate", name="Dee Former")
    employ(app, gone, org, days=900, ended_days_ago=100)
    sign_in(client, admin)
    page = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    former = page.split("<h2>Former staff</h2>")[1]
    assert "Dee Former" in former
    assert "No advocates or trainees are recorded as working here now." in page


@pytest.mark.parametrize("role", ["advocate", "trainee", "marker", "examiner"])
def test_people_who_are_not_its_admins_or_staff_are_refused(app, client, create_user,
                                                            northbridge, role):
    org, _ = northbridge
    person = create_user(role)
    employ(app, person, org)  # working there is not enough
    sign_in(client, person)
    assert client.get(f"/organisations/{org.id}").status_code == 403


def test_another_organisations_admin_is_refused_and_staff_see_it(
        app, create_user, create_organisation, northbridge):
    org, _ = northbridge
    other = org_admin_of(app, create_user, create_organisation("Eastgate Advocacy"))
    client = app.test_client()
    sign_in(client, other)
    assert client.get(f"/organisations/{org.id}").status_code == 403
    for role in ("moderator", "admin"):
        client = app.test_client()
        sign_in(client, create_user(role))
        page = client.get(f"/organisations/{org.id}")
        assert page.status_code == 200
        assert "Check advocates' accreditation numbers in bulk" in page.get_data(as_text=True)
