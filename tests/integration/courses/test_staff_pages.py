from tests.conftest import post_form, sign_in


def text(response):
    return response.get_data(as_text=True)


def test_staff_see_the_content_report_versions_and_trainee_counts(app, client, content, sync,
                                                                  create_user, create_trainee):
    sync(content)
    learner = app.test_client()
    sign_in(learner, create_trainee())
    learner.get("/modules/foundations/lesson-1")
    lesson = content / "shared_core/foundations/lessons/01-lesson-1.md"
    lesson.write_text(lesson.read_text().replace("last_reviewed = 2026-11-20",
                                                 "last_reviewed = 2024-01-15"))
    sync(content)
    sign_in(client, create_user("moderator"))
    page = text(client.get("/staff/content"))
    assert "Content report" in page and "T7001" in page
    assert "2 of 2" in page  # foundations is on its second version
    # 8 lessons and 4 scenarios, the lesson last reviewed in 2024 among those due
    assert "of 12 lessons and scenarios" in page and "Open the content review" in page
    page = text(client.get("/staff/content/foundations"))
    assert "Version 1</a></td>" in page and "Version 2</a> (current)" in page
    assert '<td class="numeric">1</td>' in page  # one trainee still on version 1
    assert "Due</strong>" in page
    assert "version 1, last reviewed" in text(client.get("/modules/foundations?version=1"))


def test_cohort_progress_flags_who_is_behind(app, client, synced, create_user, create_trainee):
    ahead = [create_trainee(name=f"Ahead {n}") for n in range(3)]
    slow = create_trainee(name="Slow Starter")
    for person in ahead:
        c = app.test_client()
        sign_in(c, person)
        for lesson in ("lesson-1", "lesson-2"):
            c.get(f"/modules/foundations/{lesson}")
            post_form(c, f"/modules/foundations/{lesson}/content-note", {}, page="/programme")
            post_form(c, f"/modules/foundations/{lesson}/done", {}, page="/programme")
    sign_in(client, create_user("marker"))
    page = text(client.get(f"/staff/content/foundations/progress?cohort={slow.cohort_id}"))
    assert page.count("100%") == 3
    row = page.split("Slow Starter")[1].split("</tr>")[0]
    assert "0%" in row and "Behind" in row and "not started" in row


def test_trainees_and_org_admins_cannot_see_staff_pages(client, synced, create_user,
                                                        create_trainee):
    sign_in(client, create_trainee())
    assert client.get("/staff/content").status_code == 403
    other = client.application.test_client()
    sign_in(other, create_user("org_admin"))
    assert other.get("/staff/content").status_code == 403
    assert other.get("/programme").status_code == 403
