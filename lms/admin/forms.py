"""Forms for the administration pages."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError

from lms import limits
from lms.validators import EmailAddress, MaxLength
from lms.vocab import (
    ENROLMENT_STATUSES,
    JURISDICTIONS,
    NATIONS,
    ORGANISATION_KINDS,
    ROLES,
    SPECIALISMS,
)


def status_for(form) -> int:
    """Bad input comes back with what was typed and its errors, as 422; a first visit is 200."""
    return 422 if form.errors else 200


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs or a vocabulary dict into select choices."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


class UserForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter the person's name."),
                                                MaxLength(limits.NAME)])
    email = EmailField("Email address", validators=[
        DataRequired("Enter an email address."),
        MaxLength(limits.EMAIL), EmailAddress()])
    roles = MultiCheckboxField("Roles", choices=choices(ROLES))
    send_invite = BooleanField("Email a link to set their password", default=True)

    def validate_roles(self, field):
        # Not DataRequired: its flag would mark every checkbox required.
        if not field.data:
            raise ValidationError("Choose at least one role: an account with no role can do "
                                  "nothing.")


class RolesForm(FlaskForm):
    roles = MultiCheckboxField("Roles", choices=choices(ROLES))
    reason = StringField("Reason for the change", validators=[Optional(), MaxLength(limits.REASON)])


class ReasonForm(FlaskForm):
    # Its own id: the roles form on the same page has a reason field too.
    reason = StringField("Reason", id="active-reason",
                         validators=[DataRequired("Give a reason."), MaxLength(limits.REASON)])


class EmploymentForm(FlaskForm):
    organisation_id = SelectField("Host organisation", coerce=int,
                                  validators=[DataRequired("Choose an organisation.")])
    job_title = StringField("Job title", validators=[Optional(), MaxLength(limits.SHORT_TEXT)])
    start_date = DateField("Start date", validators=[DataRequired("Enter a start date.")])


class EndEmploymentForm(FlaskForm):
    end_date = DateField("Last day", validators=[DataRequired("Enter the last day.")])
    reason = StringField("Reason", validators=[DataRequired("Give a reason."),
                                               MaxLength(limits.REASON)])


class OrganisationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the organisation's name."),
                                           MaxLength(limits.NAME)])
    kind = SelectField("Type", choices=choices(ORGANISATION_KINDS))
    nation = SelectField("Nation", choices=choices(NATIONS))
    region = StringField("Region", validators=[Optional(), MaxLength(limits.SHORT_TEXT)])
    reason = StringField("Reason for the change", validators=[Optional(), MaxLength(limits.REASON)])


class CohortForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter a name, like '2026/27 September "
                                                        "intake'."), MaxLength(limits.SHORT_TEXT)])
    starts_on = DateField("Starts on", validators=[DataRequired("Enter the start date.")])
    ends_on = DateField("Ends on", validators=[Optional()])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The end date must be after the start date.")


class EnrolForm(FlaskForm):
    email = EmailField("Email address of the person", validators=[
        DataRequired("Enter the email address of someone with an account."),
        MaxLength(limits.EMAIL), EmailAddress()])
    specialism = SelectField("Specialism", choices=choices(SPECIALISMS))
    jurisdiction = SelectField("Jurisdiction", choices=choices(JURISDICTIONS))
    student_id = StringField("Student ID", validators=[Optional(),
                                                       MaxLength(limits.STUDENT_ID)])


class EnrolmentForm(FlaskForm):
    status = SelectField("Status", choices=choices(ENROLMENT_STATUSES))
    specialism = SelectField("Specialism", choices=choices(SPECIALISMS))
    jurisdiction = SelectField("Jurisdiction", choices=choices(JURISDICTIONS))
    student_id = StringField("Student ID", validators=[Optional(),
                                                       MaxLength(limits.STUDENT_ID)])
    reason = StringField("Reason for the change", validators=[DataRequired("Give a reason."),
                                                              MaxLength(limits.REASON)])


class RosterUploadForm(FlaskForm):
    roster = FileField("Roster file (CSV)", validators=[FileRequired("Choose a CSV file.")])


class RosterConfirmForm(FlaskForm):
    csv_text = HiddenField(validators=[DataRequired()])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = StringField("Action", validators=[Optional(), MaxLength(limits.SHORT_TEXT)])
    email = EmailField("Person's email", validators=[Optional(), MaxLength(limits.EMAIL)])


class OutboxFilterForm(FlaskForm):
    class Meta:
        csrf = False

    recipient = StringField("Recipient",
                            validators=[Optional(), MaxLength(limits.EMAIL)])
    subject = StringField("Subject", validators=[Optional(), MaxLength(limits.NAME)])


class NoteForm(FlaskForm):
    """A form with only a CSRF token, for buttons."""

    note = TextAreaField(validators=[Optional(), MaxLength(limits.NOTE)])
