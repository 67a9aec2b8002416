import json

from tests.coursekit import write_programme


def test_check_names_file_and_line_and_exits_non_zero(app, tmp_path):
    root = write_programme(tmp_path / "courses")
    broken = root / "stalking/lessons/01-lesson-1.md"
    broken.write_text(broken.read_text().replace("minutes = 20", "minutes = = 20"))
    app.config["COURSES_PATH"] = str(root)
    try:
        result = app.test_cli_runner().invoke(args=["courses", "check"])
    finally:
        app.config["COURSES_PATH"] = app.config["COURSES_PATH_DEFAULT"]
    assert result.exit_code != 0
    assert f"{broken}:5: not valid TOML" in result.output
    assert "problems in course content" in result.output


def test_report_json_lists_every_module(app):
    result = app.test_cli_runner().invoke(args=["courses", "report", "--format", "json"])
    rows = json.loads(result.output)
    assert {row["kind"] for row in rows} <= {"core", "specialism"}
    for row in rows:
        assert set(row) == {"code", "title", "credits", "kind", "lessons", "words",
                            "learning_outcomes", "knowledge_check_questions", "scenarios",
                            "sources_cited", "oldest_last_reviewed"}
