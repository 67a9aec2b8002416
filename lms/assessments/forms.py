"""Forms for taking and setting assessments."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from assessments.scenario import JURISDICTIONS
from lms import limits
from lms.admin.forms import choices
from lms.validators import MaxLength, length_problem


class DeclarationForm(FlaskForm):
    declaration = BooleanField(
        "I confirm this work is my own, that I have acknowledged any sources I used, and that "
        "it contains no real person's identifying details.",
        validators=[InputRequired("Confirm the declaration to submit.")])


class ExtensionForm(FlaskForm):
    until = DateField("New deadline you are asking for",
                      validators=[DataRequired("Enter the date you are asking for.")])
    reason = TextAreaField("Reason", validators=[
        DataRequired("Say why you need more time."), MaxLength(limits.EXTENSION_REASON)])
    evidence = FileField("Evidence (optional): PDF, Word document or image, up to 10 MB")


class SetAssessmentForm(FlaskForm):
    cohort_id = SelectField("Cohort", coerce=int)
    component = SelectField("Module component")
    deadline_date = DateField("Deadline date", validators=[DataRequired("Enter the date.")])
    deadline_time = TimeField("Deadline time (UK time)",
                              validators=[DataRequired("Enter the time.")])
    anonymous = BooleanField("Anonymous marking (markers see candidate numbers, not names)",
                             default=True)
    second_marking = SelectField("Second marking", choices=choices([
        ("sample", "A sample: every fail, every 70+, and 10% of the rest (at least 5)"),
        ("all", "All work"), ("none", "None")]))
    # Scenario components: the scenario each nation's trainees take (choices set by the view,
    # checked there against the chosen component; left out of a post, it means the default).
    scenario_england_wales = SelectField("Trainees in England and Wales", validate_choice=False)
    scenario_scotland = SelectField("Trainees in Scotland", validate_choice=False)
    scenario_northern_ireland = SelectField("Trainees in Northern Ireland", validate_choice=False)

    def scenario_fields(self):
        return [(key, getattr(self, f"scenario_{key}")) for key in JURISDICTIONS]


class DeadlineForm(FlaskForm):
    deadline_date = DateField("New deadline date", validators=[DataRequired("Enter the date.")])
    deadline_time = TimeField("New deadline time (UK time)",
                              validators=[DataRequired("Enter the time.")])
    change_reason = TextAreaField("Reason (optional, kept in the audit log)",
                           validators=[Optional(), MaxLength(limits.REASON)])


class WithdrawForm(FlaskForm):
    reason = TextAreaField("Why is it being withdrawn?", validators=[
        DataRequired("Say why the assessment is being withdrawn."), MaxLength(limits.REASON)])


class ExaminerReportForm(FlaskForm):
    """The external examiner's report; `version` is the one it revises, so a stale tab conflicts."""

    text = TextAreaField("Your report", validators=[
        DataRequired("Write your report before you submit it."),
        MaxLength(limits.EXAMINER_REPORT)], render_kw={"rows": 14})
    version = HiddenField(default="0")

    def based_on(self) -> int:
        """The version this form revises (0 for a first report); junk counts as stale."""
        value = (self.version.data or "").strip()
        return int(value) if value.isdecimal() and len(value) < 9 else -1


class NoteForm(FlaskForm):
    text = TextAreaField(validators=[Optional(), MaxLength(limits.NOTE)])


def feedback_problems(form, rubric: list[dict]) -> dict[str, str]:
    """Return a message for each of a marker's feedback boxes that is over its limit, by id."""
    boxes = [(f"feedback-{c['id']}", limits.CRITERION_FEEDBACK,
              f"Feedback on {c.get('title') or c['id']}") for c in rubric]
    boxes.append(("overall", limits.OVERALL_FEEDBACK, "Overall feedback"))
    problems = {name: length_problem(form.get(name, ""), limit, what)
                for name, limit, what in boxes}
    return {name: problem for name, problem in problems.items() if problem}


def criterion_marks(form, rubric: list[dict], *, complete: bool
                    ) -> tuple[dict[str, int | None], dict[str, str]]:
    """Read a marker's criterion marks; return them and a message for each box that is wrong.

    A blank box is no mark yet (fine for provisional marks); anything else must be a whole
    number from 0 to 100. Marking as complete needs every mark and the overall feedback."""
    marks: dict[str, int | None] = {}
    problems: dict[str, str] = {}
    for c in rubric:
        name, what = f"mark-{c['id']}", c.get("title") or c["id"]
        typed = (form.get(name) or "").strip()
        if not typed:
            marks[c["id"]] = None
            if complete:
                problems[name] = f"Give a mark for {what} to mark this as complete."
        elif typed.isascii() and typed.isdecimal() and int(typed) <= 100:
            marks[c["id"]] = int(typed)
        else:
            problems[name] = f"The mark for {what} must be a whole number from 0 to 100."
    if complete and not (form.get("overall") or "").strip():
        problems["overall"] = "Write overall feedback to mark this as complete."
    return marks, problems
