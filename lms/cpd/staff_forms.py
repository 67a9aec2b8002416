"""Forms for course staff: a new scheme version, the yearly audit draw and each case's steps.

Figures are typed as text and read by lms.cpd.rules (parse_hours, scheme_problems), so what
was typed is shown again, as typed, beside the message that says what is wrong."""

from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from lms import limits
from lms.admin.forms import MultiCheckboxField, choices
from lms.cpd import rules
from lms.cpd.audits import OUTCOMES
from lms.formatting import uk_date
from lms.validators import MaxLength

MONTHS = [(str(n), date(2024, n, 1).strftime("%B")) for n in range(1, 13)]
YEAR_STARTS = {"anniversary": "On each advocate's accreditation anniversary",
               "fixed": "On the same day and month for everyone"}
LEAVE_RULES = {"pro_rata": "Leave reduces the year's hours and reflections pro rata, by day",
               "none": "Leave does not reduce the requirement"}
# Scheme problems from the rules, by the form field they belong to.
SCHEME_FIELDS = {"effective_from": "effective_from", "yearly_minutes": "yearly_hours",
                 "participatory_minutes": "participatory_hours",
                 "supervision_minutes": "supervision_hours", "reflections": "reflections",
                 "required_topics": "required_topics", "year_start": "year_start_day"}


class SchemeForm(FlaskForm):
    effective_from = DateField("Takes effect on", validators=[
        DataRequired("Enter the date the scheme takes effect, for example today's date.")])
    yearly_hours = StringField("Hours a year", render_kw={"inputmode": "decimal"})
    participatory_hours = StringField("Participatory hours a year (with other people)",
                                      render_kw={"inputmode": "decimal"})
    supervision_hours = StringField("Supervision hours a year",
                                    render_kw={"inputmode": "decimal"})
    required_topics = MultiCheckboxField("Required topic areas", choices=choices(
        rules.TOPIC_AREAS))
    reflections = StringField("Reflections required a year", render_kw={"inputmode": "numeric"})
    year_start = RadioField("When the CPD year starts", choices=choices(YEAR_STARTS),
                            default="anniversary",
                            validators=[InputRequired("Choose when the CPD year starts.")])
    year_start_day = StringField("Day", render_kw={"inputmode": "numeric"})
    year_start_month = SelectField("Month", choices=choices(MONTHS))
    leave = RadioField("How leave reduces the requirement", choices=choices(LEAVE_RULES),
                       default="pro_rata",
                       validators=[InputRequired("Choose how leave reduces the requirement.")])
    note = TextAreaField("Why the scheme changes", validators=[
        DataRequired("Say why the scheme changes, for example the board's decision and date."),
        MaxLength(limits.REASON)], render_kw={"rows": 3})

    def fill_from(self, scheme: rules.Scheme) -> None:
        """Start from the scheme in force, so staff change only what changes."""
        self.yearly_hours.data = _hours(scheme.yearly_minutes)
        self.participatory_hours.data = _hours(scheme.participatory_minutes)
        self.supervision_hours.data = _hours(scheme.supervision_minutes)
        self.required_topics.data = list(scheme.required_topics)
        self.reflections.data = str(scheme.reflections)
        self.year_start.data = "fixed" if scheme.year_start else "anniversary"
        if scheme.year_start:
            self.year_start_month.data = str(scheme.year_start[0])
            self.year_start_day.data = str(scheme.year_start[1])
        self.leave.data = "pro_rata" if scheme.leave_pro_rata else "none"

    def scheme(self, today: date) -> tuple[rules.Scheme | None, dict[str, str]]:
        """Return the scheme typed and what is wrong with it, by form field.

        A version takes effect today or later: an earlier date would change CPD years that
        have already ended, which a change must never do."""
        problems: dict[str, str] = {}
        figures = {}
        for name in ("yearly_hours", "participatory_hours", "supervision_hours"):
            minutes = rules.parse_hours(getattr(self, name).data or "")
            if minutes is None:
                problems[name] = "Enter hours as a number, for example 20 or 7.5."
            figures[name] = minutes
        text = (self.reflections.data or "").strip()
        if not (text.isdecimal() and len(text) < 4):
            problems["reflections"] = "Enter the number of reflections, for example 2."
        start = None
        if self.year_start.data == "fixed":
            day = (self.year_start_day.data or "").strip()
            month = self.year_start_month.data
            if not (day.isdecimal() and len(day) < 3) or month not in dict(MONTHS):
                problems["year_start_day"] = "Enter the day of the month, for example 1."
            else:
                start = (int(month), int(day))
        when = self.effective_from.data
        if when and when < today:
            problems["effective_from"] = (
                f"The date must be today ({uk_date(today)}) or later. A new version cannot "
                "change years that have already ended.")
        if problems:
            return None, problems
        scheme = rules.Scheme(
            effective_from=when or today, yearly_minutes=figures["yearly_hours"],
            participatory_minutes=figures["participatory_hours"],
            supervision_minutes=figures["supervision_hours"],
            required_topics=tuple(k for k in rules.TOPIC_AREAS
                                  if k in (self.required_topics.data or ())),
            reflections=int(text), year_start=start,
            leave_pro_rata=self.leave.data == "pro_rata")
        problems = {SCHEME_FIELDS[k]: v + "." for k, v in rules.scheme_problems(scheme).items()}
        return (scheme if when else None), problems


def _hours(minutes: int) -> str:
    return rules.hours_text(minutes).rsplit(" ", 1)[0]


class AuditForm(FlaskForm):
    label = StringField("Name of this audit", validators=[
        DataRequired("Give the audit a name, for example “CPD audit 2026”."),
        MaxLength(limits.SHORT_TEXT)])
    rate = StringField("Sample rate (per cent of eligible advocates)", default="2.5",
                       render_kw={"inputmode": "decimal"})
    minimum = StringField("At least this many advocates", default="1",
                          render_kw={"inputmode": "numeric"})
    deadline = DateField("Deadline for profiles", validators=[
        DataRequired("Enter the deadline for profiles, for example a date six weeks away.")])

    def rate_fraction(self) -> Fraction | None:
        try:
            percent = Decimal((self.rate.data or "").strip())
        except InvalidOperation:
            return None
        if not percent.is_finite() or not 0 < percent <= 100:
            return None
        rate = Fraction(percent) / 100
        return rate if len(str(rate)) <= 16 else None

    def problems(self, today: date) -> dict[str, str]:
        problems = {}
        if self.rate_fraction() is None:
            problems["rate"] = ("Enter a rate above 0 and up to 100 per cent, with up to two "
                                "decimal places, for example 2.5.")
        text = (self.minimum.data or "").strip()
        if not (text.isdecimal() and 1 <= int(text[:6]) <= 10_000):
            problems["minimum"] = "Enter a whole number of advocates, 1 or more, for example 1."
        if self.deadline.data and self.deadline.data <= today:
            problems["deadline"] = "The deadline must be after today."
        return problems


class CaseForm(FlaskForm):
    """Every step on a case carries the version it was opened at."""

    version = HiddenField()

    def opened_at(self) -> int:
        value = (self.version.data or "").strip()
        return int(value) if value.isdecimal() and len(value) < 9 else -1


class DeferForm(CaseForm):
    until = DateField("New deadline", validators=[DataRequired("Enter the new deadline.")])
    reason = TextAreaField("Reason for the deferral", validators=[
        DataRequired("Say why the deadline moves, for example parental leave."),
        MaxLength(limits.REASON)], render_kw={"rows": 3})


class AssessForm(CaseForm):
    outcome = RadioField("Outcome", choices=choices(OUTCOMES), validators=[
        InputRequired("Choose an outcome.")])
    note = TextAreaField("Your assessment", validators=[
        DataRequired("Say what you found: what meets the standard, and any advice."),
        MaxLength(limits.CONTENT_REVIEW)], render_kw={"rows": 5})


SECOND = {"not_met": "Agree: not met", "advice": "Disagree: met, with advice given",
          "met": "Disagree: met"}
APPEAL = {"not_met": "Dismiss the appeal: not met stands",
          "advice": "Uphold the appeal: met, with advice given", "met": "Uphold the appeal: met"}


class SecondForm(CaseForm):
    outcome = RadioField("Your decision", choices=choices(SECOND), validators=[
        InputRequired("Choose whether you agree.")])
    note = TextAreaField("Your reasons", validators=[
        DataRequired("Give your reasons."), MaxLength(limits.CONTENT_REVIEW)],
        render_kw={"rows": 4})


class AppealForm(CaseForm):
    note = TextAreaField("The advocate's appeal", validators=[
        DataRequired("Write down the grounds of the appeal."),
        MaxLength(limits.CONTENT_REVIEW)], render_kw={"rows": 4})


class AppealDecisionForm(CaseForm):
    outcome = RadioField("Decision on the appeal", choices=choices(APPEAL), validators=[
        InputRequired("Choose a decision.")])
    note = TextAreaField("Reasons for the decision", validators=[
        DataRequired("Give the reasons for the decision."), MaxLength(limits.CONTENT_REVIEW)],
        render_kw={"rows": 4})


class SubmitForm(CaseForm):
    """Mark submitted (staff) or "Submit my profile" (the advocate): only the version."""
