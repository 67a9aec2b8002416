"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from lms.auth.passwords import MAX_LENGTH
from lms.validators import EmailAddress


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address."),
                                                    Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."),
                                                     Length(max=MAX_LENGTH)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address."),
                    EmailAddress(), Length(max=254)],
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired("Enter a new password.")])
    confirm = PasswordField(
        "Confirm new password",
        validators=[DataRequired("Enter the new password again."),
                    EqualTo("password", "The two passwords do not match.")],
    )


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField("Current password",
                            validators=[DataRequired("Enter your current password.")])
