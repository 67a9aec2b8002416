"""The real programme in courses/: clean, complete to the PG Cert's numbers, light pages."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.courses.content import load_programme
from lms.courses.models import Lesson, Module
from lms.courses.services import sync_programme
from lms.extensions import db
from lms.vocab import SPECIALISMS
from tests.conftest import csrf_token, sign_in

COURSES = Path(__file__).resolve().parents[3] / "courses"


@pytest.fixture(scope="module")
def programme():
    return load_programme(COURSES)


def test_courses_check_is_clean(programme):
    assert [str(p) for p in programme.problems] == []


def test_six_modules_two_core_and_one_per_specialism(programme):
    kinds = sorted((m.meta["kind"], m.meta.get("specialism") or "") for m in programme.modules)
    assert kinds == [("core", ""), ("core", "")] + [("specialism", s) for s in sorted(SPECIALISMS)]
    assert sum(m.meta["credits"] for m in programme.modules if m.meta["kind"] == "core") == 40
    assert all(m.meta["credits"] == 20 and m.meta["level"] == 7 for m in programme.modules)


def test_every_module_meets_the_numbers(programme):
    for module in programme.modules:
        assert len(module.lessons) >= 8, module.code
        assert len(module.outcome_ids) >= 4, module.code
        for lesson in module.lessons:
            assert lesson.words >= 800, (module.code, lesson.slug, lesson.words)
            assert len(lesson.questions) >= 4, (module.code, lesson.slug)
            assert lesson.meta.get("sources"), (module.code, lesson.slug)
        summative = [s for s in module.scenarios.values() if s.get("summative")]
        assert len(summative) >= (1 if module.meta["kind"] == "core" else 2), module.code


def test_every_lesson_page_weighs_under_100_kb_with_its_css(app, client, programme,
                                                             create_user):
    with app.app_context():
        sync_programme(programme)
        db.session.commit()
        lessons = db.session.execute(select(Module.slug, Lesson.slug).join(
            Lesson, Lesson.version_id == Module.current_version_id)).all()
    sign_in(client, create_user("moderator"))
    with client.get("/static/css/main.css") as stylesheet:
        css = len(stylesheet.data)
    heaviest = max((len(client.get(f"/modules/{m}/{lesson}").data), m, lesson)
                   for m, lesson in lessons)
    assert heaviest[0] + css < 100 * 1024, heaviest


def test_the_demo_trainee_has_progress_to_show(app, programme):
    from lms.demo import load_demo

    with app.app_context():
        sync_programme(programme)
        db.session.commit()
        load_demo(today=date(2026, 11, 22))
    client = app.test_client()

    client.post("/sign-in", data={"email": "trainee@example.org",
                                  "password": "demo-password-2026",
                                  "csrf_token": csrf_token(client)})
    page = client.get("/programme").get_data(as_text=True)
    assert "3 of" in page and "Continue" in page


NATION_SUFFIXES = {"england": "england_wales", "wales": "england_wales",
                   "scotland": "scotland", "northern-ireland": "northern_ireland"}


def test_each_specialism_assesses_a_trainee_on_a_case_in_their_own_nation(programme):
    """No trainee of these specialisms takes every scenario on another nation's law (issue 12).
    Stalking's two cases are set in Northern Ireland and Wales, by their narratives."""
    for module in programme.modules:
        if module.meta.get("specialism") not in ("modern_slavery", "domestic_abuse",
                                                 "sexual_violence"):
            continue
        nations = set()
        for component in module.meta["components"]:
            for slug in [component.get("scenario"), *component.get("jurisdictions", {}).values()]:
                nations |= {nation for suffix, nation in NATION_SUFFIXES.items()
                            if slug and slug.endswith(suffix)}
        assert nations == set(NATION_SUFFIXES.values()), (module.code, nations)

