from sqlalchemy import func, select

from lms.courses.models import Lesson, LessonProgress, Module, ModuleStudy, ModuleVersion
from lms.extensions import db
from tests.conftest import post_form, sign_in


def versions(app, code):
    with app.app_context():
        return db.session.scalars(select(ModuleVersion.number).join(
            Module, Module.id == ModuleVersion.module_id).where(Module.code == code)
            .order_by(ModuleVersion.number)).all()


def test_sync_is_idempotent_and_a_change_makes_a_new_version(app, content, sync):
    assert sync(content).created == ["T7001 v1", "T7002 v1", "T7010 v1", "T7040 v1"]
    assert sync(content).created == []
    lesson = content / "shared_core/foundations/lessons/01-lesson-1.md"
    lesson.write_text(lesson.read_text().replace("## What this lesson covers",
                                                 "## What this lesson now covers"))
    report = sync(content)
    assert report.created == ["T7001 v2"] and "T7002" in report.unchanged
    assert versions(app, "T7001") == [1, 2]
    with app.app_context():
        assert db.session.scalar(select(func.count(Lesson.id))) == 10


def test_a_trainee_keeps_the_version_they_started(app, client, content, sync, create_trainee):
    sync(content)
    trainee = create_trainee()
    sign_in(client, trainee)
    client.get("/modules/foundations/lesson-1")
    post_form(client, "/modules/foundations/lesson-1/done", {}, page="/programme")
    lesson = content / "shared_core/foundations/lessons/01-lesson-1.md"
    lesson.write_text(lesson.read_text().replace("## What this lesson covers",
                                                 "## Revised heading for version two"))
    sync(content)
    page = client.get("/modules/foundations/lesson-1").get_data(as_text=True)
    assert "What this lesson covers" in page and "Revised heading" not in page
    with app.app_context():
        study = db.session.scalar(select(ModuleStudy).where(ModuleStudy.user_id == trainee.id))
        assert study.version.number == 1
        done = db.session.scalar(select(LessonProgress).where(
            LessonProgress.user_id == trainee.id))
        assert db.session.get(Lesson, done.lesson_id).version_id == study.version_id
    newcomer = app.test_client()
    sign_in(newcomer, create_trainee())
    assert "Revised heading" in newcomer.get("/modules/foundations/lesson-1").get_data(
        as_text=True)


def test_content_with_problems_is_never_synced(app, content):
    import pytest

    from lms.courses.content import load_programme
    from lms.courses.services import sync_programme
    from tests.coursekit import SMALL

    (content / "stalking/module.toml").write_text("code = ")
    with app.app_context(), pytest.raises(ValueError, match="run courses check"):
        sync_programme(load_programme(content, SMALL))
