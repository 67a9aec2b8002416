"""Staff pages: set an assessment for a cohort and see who has submitted."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assessments.deadlines import london_deadline
from lms.access import allow
from lms.admin.forms import choices
from lms.assessments import bp
from lms.assessments.forms import SetAssessmentForm
from lms.assessments.models import Assessment, Submission
from lms.audit.services import record
from lms.cohorts.models import Cohort
from lms.courses.models import Module, ModuleVersion
from lms.extensions import db

SETTERS = ("moderator",)


@bp.route("/staff/assessments")
@allow("examiner", *SETTERS)
def staff_index():
    rows = db.session.scalars(select(Assessment).options(
        selectinload(Assessment.cohort), selectinload(Assessment.version))
        .order_by(Assessment.deadline)).all()
    counts = {(a, s): n for a, s, n in db.session.execute(
        select(Submission.assessment_id, Submission.state, func.count(Submission.id))
        .group_by(Submission.assessment_id, Submission.state))}
    return render_template("assessments/staff_index.html", rows=rows, counts=counts)


def _components():
    """Every component of every module's current version, as (value, label) choices."""
    versions = db.session.scalars(select(ModuleVersion).join(
        Module, Module.current_version_id == ModuleVersion.id).order_by(ModuleVersion.position))
    return {f"{v.id}:{c['id']}": (v, c) for v in versions for c in v.meta["components"]}


@bp.route("/staff/assessments/new", methods=["GET", "POST"])
@allow(*SETTERS)
def staff_new():
    form = SetAssessmentForm()
    form.cohort_id.choices = choices((c.id, c.name) for c in db.session.scalars(
        select(Cohort).order_by(Cohort.starts_on.desc())))
    components = _components()
    form.component.choices = choices((key, f"{v.module.code} {v.title}: {c['title']}")
                                     for key, (v, c) in components.items())
    if form.validate_on_submit():
        version, component = components[form.component.data]
        assessment = Assessment(
            cohort_id=form.cohort_id.data, module_id=version.module_id, version_id=version.id,
            component_id=component["id"], title=component["title"], kind=component["kind"],
            scenario_slug=component.get("scenario"),
            deadline=london_deadline(form.deadline_date.data, form.deadline_time.data),
            anonymous=form.anonymous.data, second_marking=form.second_marking.data,
            created_by_id=current_user.id)
        db.session.add(assessment)
        db.session.flush()
        record("assessment_set", assessment, after={"title": assessment.title,
                                                    "deadline": assessment.deadline.isoformat()})
        db.session.commit()
        flash(f"{assessment.title} set for the cohort.", "success")
        return redirect(url_for("assessments.staff_index"))
    return render_template("assessments/staff_new.html", form=form)
