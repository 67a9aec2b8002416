"""The CPD year page: progress from entries, leave, charts with tables, and constant queries."""

import re
from datetime import timedelta

from lms.cpd.models import CpdEntry, CpdLeave
from lms.extensions import db
from tests.conftest import csrf_token, post_form, sign_in
from tests.integration.courses.test_query_counts import count_queries
from tests.integration.cpd.conftest import TODAY, days_ago, post_entry


def add_entries(app, user, count: int, *, status="logged", **fields):
    """Add `count` entries straight to the database, spread over the last 90 days."""
    with app.app_context():
        db.session.add_all([CpdEntry(
            user_id=user.id, status=status, title=f"Activity {n}",
            start=days_ago(n % 90), minutes=fields.get("minutes", 60),
            activity=fields.get("activity", "self_directed_study"),
            participatory=fields.get("participatory", False),
            topics=fields.get("topics", []),
            what_happened=fields.get("reflection", ""), what_i_learned=fields.get("reflection", ""),
            how_practice_changes=fields.get("reflection", "")) for n in range(count)])
        db.session.commit()


def bar(page: str, name: str) -> tuple[str, str]:
    match = re.search(rf'<progress id="progress-{name}" max="(\d+)" value="(\d+)"', page)
    assert match, name
    return match.groups()


def test_progress_is_computed_from_logged_entries(app, advocate_client, advocate):
    post_entry(advocate_client, "/cpd/entries/new", "log", hours="6",
               activity="clinical_supervision", participatory="1",
               topics=["law_and_policy", "trauma_informed"])
    post_entry(advocate_client, "/cpd/entries/new", "log", hours="2.25",
               activity="self_directed_study", participatory=None, topics=["safeguarding"],
               what_happened="")
    post_entry(advocate_client, "/cpd/entries/new", "plan", hours="10",
               start=(TODAY + timedelta(days=9)).isoformat())
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert bar(page, "total") == ("1200", "495")
    assert bar(page, "participatory") == ("600", "360")
    assert bar(page, "supervision") == ("360", "360")
    assert bar(page, "reflections") == ("2", "1")
    assert "8.25 hours of 20 hours" in page and "6 hours of 6 hours" in page
    assert "Reflections written: 1 of 2" in page  # the plain-words shortfall
    assert "Participatory CPD (with other people): 6 of 10 hours" in page
    assert "Not yet covered" not in page  # all three default topics are covered
    assert "Plans (1)" in page


def test_leave_reduces_the_requirement_pro_rata(app, advocate_client, advocate,
                                                create_advocate):
    before = advocate_client.get("/cpd").get_data(as_text=True)
    assert "0 hours of 20 hours" in before
    url = "/cpd/leave/new"
    refused = post_form(advocate_client, url, {"kind": "", "start": days_ago(10).isoformat(),
                                                "end": days_ago(20).isoformat(),
                                                "note": "Kept note"}, page=url)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Choose the kind of leave" in text and "must be the same as or after" in text
    assert "Kept note" in text and f'value="{days_ago(10).isoformat()}"' in text
    # Half of a 365-day year on leave halves the hours (rounded up to the quarter hour).
    done = post_form(advocate_client, url, {"kind": "parental", "start": days_ago(90).isoformat(),
                                             "end": (days_ago(90) + timedelta(days=182))
                                             .isoformat(), "note": ""}, page=url)
    assert done.status_code == 302
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert "reduced for 183 days of leave" in page
    assert re.search(r"0 hours of 10(\.\d+)? hours", page), page
    assert "Parental leave" in page
    with app.app_context():
        leave_id = db.session.query(CpdLeave.id).scalar()
    other = app.test_client()
    sign_in(other, create_advocate())
    assert other.post(f"/cpd/leave/{leave_id}/withdraw",
                      data={"csrf_token": csrf_token(other, "/cpd")}).status_code == 404
    assert "Parental leave" not in other.get("/cpd").get_data(as_text=True)
    withdrawn = advocate_client.post(f"/cpd/leave/{leave_id}/withdraw",
                                     data={"csrf_token": csrf_token(advocate_client, "/cpd")})
    assert withdrawn.status_code == 302
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert "0 hours of 20 hours" in page and "Withdrawn: Parental leave" in page
    with app.app_context():
        assert db.session.get(CpdLeave, leave_id).withdrawn_at is not None  # kept


def test_charts_are_drawn_on_the_server_with_tables_beside_them(app, advocate_client, advocate):
    post_entry(advocate_client, "/cpd/entries/new", "log", hours="2.5",
               start=TODAY.isoformat(), activity="peer_learning")
    page = advocate_client.get("/cpd").get_data(as_text=True)
    for chart_id, caption in [("hours-by-month", "Hours by month"),
                              ("hours-by-type", "Hours by type of activity")]:
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page
        assert f'id="{chart_id}"' in page and f'<title id="{chart_id}-title">' in page
        assert f"<caption>{caption}</caption>" in page
    assert "Peer learning or practice group: 2.50 h" in page  # the chart's words
    assert f"<td>{TODAY:%B %Y}</td><td class=\"numeric cpd-hours\">2.5 hours</td>" in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_mistyped_century_does_not_make_centuries_of_years(app, advocate_client, advocate):
    with app.app_context():
        db.session.add(CpdEntry(user_id=advocate.id, status="logged", title="Typo",
                                start=TODAY.replace(year=202), minutes=60,
                                activity="formal_training"))
        db.session.commit()
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert 2 <= len(re.findall(r'<option value="', page)) <= 13  # ten years before accreditation


def test_earlier_years_can_be_chosen(app, advocate_client, advocate):
    add_entries(app, advocate, 1)
    with app.app_context():
        db.session.add(CpdEntry(user_id=advocate.id, status="logged", title="Last year's course",
                                start=days_ago(200), minutes=90, activity="formal_training"))
        db.session.commit()
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert "Last year&#39;s course" not in page and "Last year's course" not in page
    earlier = re.findall(r'<option value="([\d-]+)"', page)
    assert len(earlier) == 2
    old = advocate_client.get(f"/cpd?year={earlier[-1]}").get_data(as_text=True)
    assert "Last year" in old and "1.5 hours of 20 hours" in old


def test_the_page_issues_the_same_queries_for_20_and_2000_entries(app, advocate_client,
                                                                 advocate, create_advocate):
    def measure(client):
        client.get("/cpd")
        with count_queries(app) as statements:
            response = client.get("/cpd")
        assert response.status_code == 200
        return len(statements)

    add_entries(app, advocate, 20, participatory=True, topics=["safeguarding"])
    few = measure(advocate_client)
    busy = create_advocate()
    add_entries(app, busy, 2000, participatory=True, topics=["safeguarding"], reflection="Yes")
    add_entries(app, busy, 30, status="planned")
    client = app.test_client()
    sign_in(client, busy)
    assert measure(client) == few
    assert "Logged activities (2,000)" in client.get("/cpd").get_data(as_text=True)


def test_a_long_year_lists_its_logged_activities_a_page_at_a_time_and_counts_them_all(
        app, advocate_client, advocate):
    add_entries(app, advocate, 60)  # Activity 0 today ... Activity 59 fifty-nine days ago
    add_entries(app, advocate, 1, status="planned")

    def listed(page: str) -> list[str]:
        logged = page.split('id="logged-heading"')[1].split('id="plans-heading"')[0]
        return re.findall(r">(Activity \d+)</a>", logged)

    first = advocate_client.get("/cpd").get_data(as_text=True)
    assert "Logged activities (60)" in first and "60 hours of 20 hours" in first
    assert listed(first) == [f"Activity {n}" for n in range(50)]  # newest first
    assert "activities 1 to 50 of 60" in first and "Page 1 of 2" in first
    assert "Plans (1)" in first
    following = re.search(r'<a href="([^"]+)" rel="next">', first).group(1)
    assert "page=2" in following and "year=" in following

    second = advocate_client.get(following.replace("&amp;", "&")).get_data(as_text=True)
    assert listed(second) == [f"Activity {n}" for n in range(50, 60)]
    assert "Page 2 of 2" in second and "60 hours of 20 hours" in second and "Plans (1)" in second
    assert 'rel="next"' not in second and 'rel="prev"' in second

    past_the_end = advocate_client.get("/cpd?page=9").get_data(as_text=True)
    assert listed(past_the_end) == listed(second)


def test_a_short_year_has_no_page_links(app, advocate_client, advocate):
    add_entries(app, advocate, 3)
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert "Logged activities (3)" in page and 'aria-label="Pages"' not in page
