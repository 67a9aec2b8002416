"""The dashboard costs the same number of queries whatever the number of advocates."""

from tests.conftest import sign_in
from tests.integration.accreditation.dashkit import advocate_at, employ, org_admin_of
from tests.integration.courses.test_query_counts import count_queries


def statements_for(app, client, url):
    client.get(url)  # warm
    with count_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_the_dashboard_issues_the_same_queries_for_one_advocate_or_many(
        app, client, create_user, create_organisation):
    org = create_organisation()
    admin = org_admin_of(app, create_user, org)
    advocate_at(app, create_user, org, "Advocate 0", cpd_minutes=90)
    sign_in(client, admin)
    url = f"/organisations/{org.id}"
    few = statements_for(app, client, url)
    for n in range(1, 7):
        advocate_at(app, create_user, org, f"Advocate {n}", cpd_minutes=60 * n,
                    accredit=n % 2 == 0)
    employ(app, create_user("trainee", name="Trainee"), org)
    gone = create_user("advocate", name="Gone")
    employ(app, gone, org, ended_days_ago=30)
    many = statements_for(app, client, url)
    page = client.get(url).get_data(as_text=True)
    assert page.count('<th scope="row">') == 8  # every advocate and the trainee are shown
    assert many == few
