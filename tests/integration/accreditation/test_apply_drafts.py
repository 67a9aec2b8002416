"""An organisation's admin starts an application and answers each criterion: saved with the
buttons or as they type, a stale tab gets both versions, nothing is lost."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.extensions import db
from tests.integration.accreditation.apply_kit import (
    answer_of,
    application_of,
    criterion_url,
    org_with_admin,
    overview_url,
    post,
    save,
    signed_in,
)


def test_an_admin_starts_an_application_and_sees_every_criterion(app, create_user,
                                                                 create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    client = signed_in(app, admin)
    page = client.get(overview_url(org)).get_data(as_text=True)
    assert "Start the application" in page and "Not accredited" in page
    response = post(client, f"/organisations/{org.id}/application/start", page=overview_url(org))
    assert response.status_code == 302
    page = client.get(overview_url(org)).get_data(as_text=True)
    assert "0 of 8 criteria have a statement." in page
    for title in ("Safeguarding policy", "Protected time for CPD",
                  "At least one advocate employed or in training"):
        assert title in page
    assert "Start the application" not in page
    application = application_of(app, org)
    assert (application.kind, application.status) == ("initial", "draft")
    # A second start (another tab) opens nothing more.
    post(client, f"/organisations/{org.id}/application/start", page=overview_url(org))
    from lms.accreditation.models import OrgApplication

    with app.app_context():
        assert len(db.session.scalars(select(OrgApplication)).all()) == 1


def test_an_accredited_organisation_renews_only_in_the_window(app, create_user,
                                                             create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation, status="accredited")
    client = signed_in(app, admin)
    page = client.get(overview_url(org)).get_data(as_text=True)
    assert "Start the" not in page and "You can apply to renew it from" in page
    post(client, f"/organisations/{org.id}/application/start", page=overview_url(org))
    assert application_of(app, org) is None

    other, other_admin = org_with_admin(app, create_user, create_organisation,
                                        name="Glenside Advocacy", admin_name="Rhona Reid")
    from lms.accreditation.services import record_org_decision
    from lms.organisations.models import HostOrganisation

    with app.app_context():  # accredited nearly three years ago: the renewal window is open
        record_org_decision(db.session.get(HostOrganisation, other.id), "accredited",
                            date.today() - timedelta(days=3 * 365 - 30), actor=None)
        db.session.commit()
    client = signed_in(app, other_admin)
    assert "Start the renewal application" in client.get(overview_url(other)).get_data(
        as_text=True)
    post(client, f"/organisations/{other.id}/application/start", page=overview_url(other))
    assert application_of(app, other).kind == "renewal"


def _started(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    client = signed_in(app, admin)
    post(client, f"/organisations/{org.id}/application/start", page=overview_url(org))
    return org, admin, client


def test_a_statement_is_saved_with_the_button_and_shown_again(app, create_user,
                                                             create_organisation):
    org, _, client = _started(app, create_user, create_organisation)
    page = client.get(criterion_url(org, "supervision")).get_data(as_text=True)
    assert "What good looks like" in page and "Up to 8,000 characters." in page
    assert "data-autosave" in page
    version = answer_of(app, org, "supervision").version
    response = save(client, org, "supervision", "Monthly case supervision with Dr Okafor.",
                    version=version)
    assert response.status_code == 302
    assert "Monthly case supervision" in client.get(criterion_url(org, "supervision")).get_data(
        as_text=True)
    response = save(client, org, "supervision", "Monthly, and peer support.",
                    version=answer_of(app, org, "supervision").version, action="back")
    assert response.headers["Location"].endswith(overview_url(org))
    assert "1 of 8 criteria have a statement." in client.get(overview_url(org)).get_data(
        as_text=True)


def test_a_statement_over_the_limit_comes_back_with_what_was_typed(app, create_user,
                                                                  create_organisation):
    org, _, client = _started(app, create_user, create_organisation)
    long = "Supervision. " * 700
    response = save(client, org, "supervision", long,
                    version=answer_of(app, org, "supervision").version)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The statement must be 8,000 characters or fewer" in page
    assert long.strip() in page and "There is a problem" in page
    assert answer_of(app, org, "supervision").statement == ""


def test_the_draft_is_saved_as_they_type_and_a_stale_tab_is_stopped(app, create_user,
                                                                   create_organisation):
    org, _, client = _started(app, create_user, create_organisation)
    first = answer_of(app, org, "complaints").version
    response = save(client, org, "complaints", "Complaints go to the chair.", version=first,
                    action="autosave")
    assert response.status_code == 200 and response.json["saved"] is True
    assert response.json["version"] == first + 1
    assert answer_of(app, org, "complaints").statement == "Complaints go to the chair."
    # The other tab still holds the first version: refused, nothing overwritten.
    response = save(client, org, "complaints", "Something else.", version=first,
                    action="autosave")
    assert response.status_code == 409 and response.json["conflict"] is True
    assert answer_of(app, org, "complaints").statement == "Complaints go to the chair."


def test_a_stale_tab_saving_with_the_button_sees_both_versions(app, create_user,
                                                              create_organisation):
    org, _, client = _started(app, create_user, create_organisation)
    first = answer_of(app, org, "independence").version
    save(client, org, "independence", "Saved in the first tab.", version=first)
    response = save(client, org, "independence", "Typed in the second tab.", version=first)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Two versions of this statement" in page
    assert "Saved in the first tab." in page and "Typed in the second tab." in page
    assert answer_of(app, org, "independence").statement == "Saved in the first tab."
    # Saving again from the page shown (it carries the new version) keeps theirs.
    version = answer_of(app, org, "independence").version
    assert f'name="version" value="{version}"' in page
    save(client, org, "independence", "Typed in the second tab.", version=version)
    assert answer_of(app, org, "independence").statement == "Typed in the second tab."


def test_an_unknown_criterion_is_not_found(app, create_user, create_organisation):
    org, _, client = _started(app, create_user, create_organisation)
    assert client.get(criterion_url(org, "nonsense")).status_code == 404
