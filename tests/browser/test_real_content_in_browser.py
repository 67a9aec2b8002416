"""Every real module and lesson page passes axe, as a trainee and as staff would see it."""

from pathlib import Path

import pytest
from sqlalchemy import select

from lms.courses.content import load_programme
from lms.courses.models import Lesson, Module
from lms.courses.services import sync_programme
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in

pytestmark = pytest.mark.browser
COURSES = Path(__file__).resolve().parents[2] / "courses"


def test_every_real_lesson_passes_axe(app, page, axe, create_user):
    programme = load_programme(COURSES)
    assert programme.problems == []
    with app.app_context():
        sync_programme(programme)
        db.session.commit()
        pages = db.session.execute(select(Module.slug, Lesson.slug).join(
            Lesson, Lesson.version_id == Module.current_version_id)
            .order_by(Module.slug, Lesson.position)).all()
        modules = sorted({m for m, _ in pages})
    create_user("moderator", email="lead@example.org")
    sign_in(page, axe, "lead@example.org")
    for module in modules:
        page.goto(f"/modules/{module}")
        axe.check(page)
    for module, lesson in pages:
        response = page.goto(f"/modules/{module}/{lesson}")
        assert response.status == 200
        axe.check(page)
        page.goto(f"/modules/{module}/{lesson}/check")
        axe.check(page)
    assert len(axe.checked) == 1 + len(modules) + 2 * len(pages)  # sign-in page too
