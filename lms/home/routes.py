"""The role-aware home page: each person lands where their work is."""

from datetime import date
from pathlib import Path

from flask import Response, current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms.access import PUBLIC, allow
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.home import bp
from lms.organisations.models import Employment
from lms.organisations.services import administered_organisations


@bp.route("/")
@allow(PUBLIC)
def index():
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    roles = current_user.roles
    today = date.today()
    context = {"roles": roles, "today": today}
    if "trainee" in roles:
        context["enrolments"] = db.session.scalars(
            select(Enrolment).where(Enrolment.user_id == current_user.id)
            .options(joinedload(Enrolment.cohort)).order_by(Enrolment.id)
        ).all()
        context["employments"] = db.session.scalars(
            select(Employment).where(Employment.user_id == current_user.id)
            .options(joinedload(Employment.organisation)).order_by(Employment.start_date)
        ).all()
    if roles & {"trainee", "advocate"}:
        from lms.cpd.reminders import notice_for
        from lms.cpd.rules import hours_text
        from lms.cpd.services import summary

        context["cpd"], context["cpd_hours"] = summary(current_user, today), hours_text
        context["cpd_notice"] = notice_for(context["cpd"], today)
        from lms.accreditation.services import advocate_status_of

        context["accreditation"] = advocate_status_of(current_user._get_current_object(), today)
    if "org_admin" in roles:
        from lms.accreditation.services import org_statuses

        context["organisations"] = administered_organisations(current_user, today)
        context["org_statuses"] = org_statuses(context["organisations"], today)
    if roles & {"marker", "moderator", "examiner", "admin"}:
        counts = (
            select(Cohort.id, Cohort.name, Cohort.starts_on, func.count(Enrolment.id))
            .outerjoin(Enrolment, (Enrolment.cohort_id == Cohort.id)
                       & (Enrolment.status == "active"))
            .group_by(Cohort.id, Cohort.name, Cohort.starts_on)
            .order_by(Cohort.starts_on.desc())
        )
        context["cohorts"] = db.session.execute(counts).all()
    return render_template("home/dashboard.html", **context)


@bp.route("/favicon.ico")
@allow(PUBLIC)
def favicon():
    """Serve the icon at the address browsers ask for on pages without a link to it."""
    icon = (Path(current_app.static_folder) / "favicon.ico").read_bytes()  # 5 kB, no file kept open
    response = Response(icon, mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
