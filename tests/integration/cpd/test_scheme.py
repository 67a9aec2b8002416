"""Course staff set the CPD scheme: a new version from a date, earlier years untouched."""

import html
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.cpd import rules
from lms.cpd.models import CpdScheme
from lms.extensions import db
from tests.conftest import csrf_token, sign_in

PAGE = "/staff/cpd/scheme"
TOPICS = ["law_and_policy", "trauma_informed", "safeguarding"]


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def version(**changes) -> dict:
    """A new scheme version as the form posts it: the defaults, changed."""
    data = {"effective_from": (date.today() + timedelta(days=30)).isoformat(),
            "yearly_hours": "20", "participatory_hours": "10", "supervision_hours": "6",
            "required_topics": TOPICS, "reflections": "2", "year_start": "anniversary",
            "year_start_day": "", "year_start_month": "1", "leave": "pro_rata",
            "note": "Programme board, 12 November: more CPD from next month."}
    return {**data, **changes}


def post(client, **changes):
    return client.post(PAGE, data={**version(**changes), "csrf_token": csrf_token(client, PAGE)})


def schemes(app) -> list[CpdScheme]:
    with app.app_context():
        return list(db.session.scalars(select(CpdScheme).order_by(CpdScheme.effective_from,
                                                                  CpdScheme.id)))


@pytest.fixture
def lead(client, create_user):
    user = create_user("moderator", name="Priya Lead")
    sign_in(client, user)
    return user


def test_a_new_version_takes_effect_from_its_date_and_earlier_years_keep_theirs(
        app, client, lead):
    today = date.today()
    starts = today + timedelta(days=30)
    response = post(client, effective_from=starts.isoformat(), yearly_hours="30.5",
                    participatory_hours="12.25", required_topics=TOPICS[:2])
    assert response.status_code == 302
    assert "Years that ended before then keep the rule" in text(client.get(PAGE))

    rows = schemes(app)
    # The defaults are kept as a row of their own, so years measured against them keep them.
    assert [(r.effective_from, r.yearly_minutes) for r in rows] == [
        (date(2000, 1, 1), 1200), (starts, 1830)]
    assert rows[1].participatory_minutes == 735 and rows[1].required_topics == TOPICS[:2]
    assert rows[1].created_by_id == lead.id and rows[1].note.startswith("Programme board")
    history = [r.rule() for r in rows]

    accredited = today - timedelta(days=3 * 365)
    ended = rules.year_of(today - timedelta(days=400), history, accredited)
    assert ended.end < today
    assert rules.requirement(history, ended).minutes == 20 * 60  # untouched
    assert rules.requirement(history, ended).topics == tuple(TOPICS)
    later = rules.year_of(starts + timedelta(days=400), history, accredited)
    assert rules.requirement(history, later).minutes == 1830
    spanning = rules.year_of(starts, history, accredited)
    if spanning.start < starts:  # a year under way on the date counts both, pro rata
        assert 1200 < rules.requirement(history, spanning).minutes < 1830
        assert rules.requirement(history, spanning).topics == tuple(TOPICS[:2])

    page = text(client.get(PAGE))
    assert "In force today" in page and "Takes effect later" in page
    assert "30.5 hours" in page and "12.25 hours" in page and "Priya Lead" in page
    assert "Takes effect later" in page.split("From 1 January 2000")[1]
    in_force = page.split("<h2>In force today")[1].split("</dl>")[0]
    assert "20 hours" in in_force  # today the defaults still apply
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "cpd_scheme_added", AuditEvent.subject_id == rows[1].id))
    assert event.actor_id == lead.id and event.after["yearly_minutes"] == 1830
    assert event.reason.startswith("Programme board")


def test_a_second_change_adds_a_version_and_rewrites_none(app, client, lead):
    first, second = date.today() + timedelta(days=10), date.today() + timedelta(days=60)
    assert post(client, effective_from=first.isoformat(), yearly_hours="25").status_code == 302
    assert post(client, effective_from=second.isoformat(), yearly_hours="22",
                year_start="fixed", year_start_day="1", year_start_month="4").status_code == 302
    rows = schemes(app)
    assert [r.yearly_minutes for r in rows] == [1200, 1500, 1320]
    assert (rows[2].year_start_month, rows[2].year_start_day) == (4, 1)
    assert rows[1].year_start_month is None
    assert "1 April each year" in text(client.get(PAGE))


def test_a_past_date_is_refused_and_everything_typed_is_kept(app, client, lead):
    past = date.today() - timedelta(days=1)
    response = post(client, effective_from=past.isoformat(), participatory_hours="lots",
                    note="Board minute 14")
    assert response.status_code == 422
    page = text(response)
    assert "There is a problem" in page
    assert "The date must be today" in page and "cannot change years that have already ended" \
        in page
    assert "Enter hours as a number, for example 20 or 7.5." in page
    assert 'value="lots"' in page and f'value="{past.isoformat()}"' in page
    assert "Board minute 14" in page
    assert schemes(app) == []


def test_the_rules_check_the_figures_at_their_fields(app, client, lead):
    response = post(client, yearly_hours="20.1", participatory_hours="21",
                    reflections="two", note="")
    assert response.status_code == 422
    page = text(response)
    assert "Enter the number of reflections, for example 2." in page
    assert "Say why the scheme changes" in page
    response = post(client, yearly_hours="20.1", participatory_hours="10")
    assert "Hours a year must be in quarter-hour steps." in text(response)
    response = post(client, yearly_hours="8", participatory_hours="9")
    assert "Participatory hours cannot be more than the hours a year." in text(response)
    assert 'value="9"' in text(response)
    response = post(client, year_start="fixed", year_start_day="31", year_start_month="2")
    assert response.status_code == 422
    assert "Enter a real day and month for the CPD year to start." in text(response)
    assert 'value="31"' in text(response)
    assert schemes(app) == []


def test_only_moderators_and_admins_change_the_scheme_and_examiners_read_it(
        app, client, create_user):
    for role in ("trainee", "advocate", "marker", "org_admin"):
        visitor = app.test_client()
        sign_in(visitor, create_user(role))
        assert visitor.get(PAGE).status_code == 403
        assert visitor.post(PAGE, data={**version(), "csrf_token": csrf_token(
            visitor, "/account/password")}).status_code == 403
    examiner = app.test_client()
    sign_in(examiner, create_user("examiner"))
    page = examiner.get(PAGE)
    assert page.status_code == 200 and "you can read it" in text(page)
    assert "Add this version" not in text(page)
    assert examiner.post(PAGE, data={**version(), "csrf_token": csrf_token(
        examiner, PAGE)}).status_code == 403
    admin = app.test_client()
    sign_in(admin, create_user("admin"))
    assert admin.post(PAGE, data={**version(), "csrf_token": csrf_token(
        admin, PAGE)}).status_code == 302
    assert len(schemes(app)) == 2
