"""Forms for an advocate's status: the advocate's request to be withheld from the public check,
and course staff's decisions. Every decision form carries the latest decision the member of
staff saw, so two people deciding at once get a conflict, not two decisions made blind."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from lms import limits
from lms.admin.forms import choices
from lms.formatting import uk_date
from lms.validators import MaxLength
from lms.vocab import SPECIALISMS


def _reason(label: str, message: str) -> TextAreaField:
    return TextAreaField(label, validators=[DataRequired(message), MaxLength(limits.REASON)],
                         render_kw={"rows": 3})


class WithholdRequestForm(FlaskForm):
    """An advocate asks staff to withhold their entry from the public check (or show it)."""

    reason = _reason("Why you are asking",
                     "Say why you are asking, for example a risk to your safety.")


class DecisionForm(FlaskForm):
    """Every decision: the latest decision seen when the page was opened, and a reason."""

    seen = HiddenField()
    reason = _reason("Reason", "Give the reason for the decision: the advocate reads it.")

    def seen_id(self) -> int:
        value = (self.seen.data or "").strip()
        return int(value) if value.isdecimal() and len(value) < 12 else -1

    def problems(self, today: date) -> dict[str, str]:
        return {}


class AwardForm(DecisionForm):
    specialism = SelectField("Specialism", choices=choices(
        [("", "Choose a specialism"), *SPECIALISMS.items()]),
        validators=[InputRequired("Choose the specialism the PG Cert was awarded in.")])
    awarded_on = DateField("Date of the award", validators=[
        DataRequired("Enter the date of the exam board's award, for example 14 July 2026.")])
    reason = _reason("Reason or reference",
                     "Give the exam board's decision, for example its meeting and date.")

    def problems(self, today: date) -> dict[str, str]:
        if self.specialism.data not in SPECIALISMS:
            return {"specialism": "Choose the specialism the PG Cert was awarded in."}
        if self.awarded_on.data and self.awarded_on.data > today:
            return {"awarded_on": f"The date of the award must be today ({uk_date(today)}) "
                                  "or earlier."}
        return {}


class ConditionsForm(DecisionForm):
    conditions = TextAreaField("Conditions", validators=[
        DataRequired("Write the conditions the advocate must meet."),
        MaxLength(limits.REASON)], render_kw={"rows": 3})
    due_on = DateField("Conditions to be met by", validators=[
        DataRequired("Enter the date the conditions must be met by.")])

    def problems(self, today: date) -> dict[str, str]:
        if self.due_on.data and self.due_on.data <= today:
            return {"due_on": f"The date must be after today ({uk_date(today)})."}
        return {}


class WithdrawForm(DecisionForm):
    final = BooleanField("I understand this is final: a withdrawn accreditation cannot be "
                         "restored", validators=[
                             DataRequired("Tick the box to confirm you understand that "
                                          "withdrawal is final.")])


# Which form each decision uses; the words on its button; what the flash says afterwards.
FORMS = {
    "accredit": DecisionForm, "conditions": ConditionsForm, "conditions_met": DecisionForm,
    "suspend": DecisionForm, "lift": DecisionForm, "withdraw": WithdrawForm,
    "withhold": DecisionForm, "unwithhold": DecisionForm,
}
