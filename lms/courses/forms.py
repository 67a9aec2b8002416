"""Forms for course staff."""

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from lms import limits
from lms.admin.forms import choices
from lms.courses.models import REVIEW_OUTCOMES
from lms.validators import MaxLength


class ReviewForm(FlaskForm):
    checked = TextAreaField("What did you check?", validators=[
        DataRequired("Say what you checked, for example the Acts, sections and guidance."),
        MaxLength(limits.CONTENT_REVIEW)], render_kw={"rows": 6})
    outcome = RadioField("Outcome", choices=choices(REVIEW_OUTCOMES), validators=[
        InputRequired("Choose whether the text needs to change.")])
