"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo

from lms import limits
from lms.auth.passwords import MAX_LENGTH
from lms.validators import EmailAddress, MaxLength


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address."),
                                                    MaxLength(limits.EMAIL)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."),
                                                     MaxLength(MAX_LENGTH)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address."),
                    MaxLength(limits.EMAIL), EmailAddress()],
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired("Enter a new password."),
                                                         MaxLength(MAX_LENGTH)])
    confirm = PasswordField(
        "Confirm new password",
        validators=[DataRequired("Enter the new password again."), MaxLength(MAX_LENGTH),
                    EqualTo("password", "The two passwords do not match.")],
    )


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField("Current password",
                            validators=[DataRequired("Enter your current password."),
                                        MaxLength(MAX_LENGTH)])
