"""Forms for course staff acting on a certificate: each carries the version it was opened at."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from lms import limits
from lms.validators import MaxLength


class _StatusForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])

    def seen_version(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


class RevokeForm(_StatusForm):
    reason = TextAreaField("Why is the certificate revoked?", validators=[
        DataRequired("Enter the reason for revoking the certificate."),
        MaxLength(limits.REASON)])
    confirm = BooleanField("I understand that revocation is final and cannot be undone",
                           validators=[DataRequired("Confirm that revocation is final.")])


class SuspendForm(_StatusForm):
    reason = TextAreaField("Why is the certificate suspended?", validators=[
        DataRequired("Enter the reason for suspending the certificate."),
        MaxLength(limits.REASON)])


class LiftForm(_StatusForm):
    reason = TextAreaField("Why is the suspension lifted?", validators=[
        DataRequired("Enter the reason for lifting the suspension."),
        MaxLength(limits.REASON)])


FORMS = {"revoke": RevokeForm, "suspend": SuspendForm, "lift": LiftForm}
