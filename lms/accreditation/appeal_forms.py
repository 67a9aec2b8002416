"""Forms for what comes after a decision on an organisation: its appeal and the staff decision
on it, the yearly return, and staff decisions on an accredited organisation (suspend, lift,
withdraw, conditions met). Forms that change a shared record carry what they were opened at."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from lms import limits
from lms.accreditation.appeals import NEW_KINDS, OUTCOMES
from lms.admin.forms import choices
from lms.formatting import uk_date
from lms.validators import MaxLength

TEXT = limits.CONTENT_REVIEW  # grounds, reasons, conditions and changes: a page or so


def _number(field) -> int:
    value = (field.data or "").strip()
    return int(value) if value.isdecimal() and len(value) < 10 else -1


class AppealForm(FlaskForm):
    grounds = TextAreaField("Grounds of your appeal", validators=[
        DataRequired("Give the grounds of your appeal: what you think the decision got wrong, "
                     "and why."), MaxLength(TEXT)], render_kw={"rows": 8})


class AppealDecisionForm(FlaskForm):
    version = HiddenField()
    outcome = RadioField("Decision on the appeal", choices=choices(OUTCOMES), validators=[
        InputRequired("Choose whether to uphold or dismiss the appeal.")])
    new_kind = RadioField("New decision (if you uphold the appeal)", choices=choices(NEW_KINDS),
                          validators=[Optional()])
    valid_until = DateField("Accredited until (if you uphold the appeal)",
                            validators=[Optional()])
    conditions = TextAreaField("Conditions (if accredited with conditions)",
                               validators=[MaxLength(TEXT)], render_kw={"rows": 3})
    reasons = TextAreaField("Reasons for the decision", validators=[
        DataRequired("Give the reasons for the decision on the appeal."), MaxLength(TEXT)],
        render_kw={"rows": 5})

    def opened_at(self) -> int:
        return _number(self.version)

    def problems(self, today: date) -> dict[str, str]:
        """What an upheld appeal still needs: the new decision, its term and any conditions."""
        if self.outcome.data != "upheld":
            return {}
        problems = {}
        if self.new_kind.data not in NEW_KINDS:
            problems["new_kind"] = "Choose the new decision: accredited, or with conditions."
        if self.valid_until.data is None and not self.valid_until.errors:
            problems["valid_until"] = "Enter the last day of the accreditation term."
        elif self.valid_until.data and self.valid_until.data <= today:
            problems["valid_until"] = f"The term must end after today ({uk_date(today)})."
        if self.new_kind.data == "accredited_conditions" and not (
                self.conditions.data or "").strip():
            problems["conditions"] = "Say what the conditions are and when they must be met."
        return problems


class ReturnForm(FlaskForm):
    due_on = HiddenField()
    nothing_changed = BooleanField("Nothing material has changed since the decision or the "
                                   "last return")
    changes = TextAreaField("What has changed", validators=[MaxLength(TEXT)],
                            render_kw={"rows": 8})

    def due_date(self) -> date | None:
        try:
            return date.fromisoformat((self.due_on.data or "").strip())
        except ValueError:
            return None

    def problems(self) -> dict[str, str]:
        if not self.nothing_changed.data and not (self.changes.data or "").strip():
            return {"changes": "Say what has changed, or tick “Nothing material has changed”."}
        return {}


# ---------------------------------------------------------------------------- staff decisions


class OrgDecisionForm(FlaskForm):
    """Carries the id of the latest decision the member of staff saw."""

    seen = HiddenField()

    def seen_id(self) -> int:
        return _number(self.seen)


class SuspendForm(OrgDecisionForm):
    reason = TextAreaField("Reason for the suspension", validators=[
        DataRequired("Give the reason for the suspension."), MaxLength(TEXT)],
        render_kw={"rows": 4})


class LiftForm(OrgDecisionForm):
    reason = TextAreaField("What has been resolved", validators=[
        DataRequired("Say what has been resolved, so the suspension can be lifted."),
        MaxLength(TEXT)], render_kw={"rows": 3})


class ConditionsMetForm(OrgDecisionForm):
    reason = TextAreaField("How the conditions were met", validators=[
        DataRequired("Say how the conditions were met."), MaxLength(TEXT)],
        render_kw={"rows": 3})


class WithdrawForm(OrgDecisionForm):
    reason = TextAreaField("Reason for withdrawing accreditation", validators=[
        DataRequired("Give the reason for withdrawing accreditation."), MaxLength(TEXT)],
        render_kw={"rows": 4})
    confirm = BooleanField("I understand that withdrawal ends this organisation’s "
                           "accreditation; its advocates’ accreditation depends on it",
                           validators=[DataRequired("Tick the box to confirm the withdrawal.")])
