"""Staff pages: set an assessment for a cohort, change its deadline or withdraw it."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assessments.deadlines import LONDON, london_deadline
from assessments.scenario import variant_problem
from lms.access import allow
from lms.admin.forms import choices
from lms.assessments import bp
from lms.assessments.forms import DeadlineForm, SetAssessmentForm, WithdrawForm
from lms.assessments.models import Assessment, Submission
from lms.assessments.services import WorkError, utc_now
from lms.assessments.setting import change_deadline, duplicate_of, starters, withdraw
from lms.audit.services import record
from lms.cohorts.models import Cohort
from lms.courses.models import Module, ModuleVersion
from lms.extensions import db
from lms.formatting import uk_date

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
    scenarios = [("", "The component's own (or the one its module names for this nation)")]
    scenarios += [(f"{v.id}:{slug}", f"{v.module.code}: {data.get('title', slug)}")
                  for v in {v.id: v for v, _c in components.values()}.values()
                  for slug, data in sorted(v.scenarios.items())]
    for _key, select_field in form.scenario_fields():
        select_field.choices = scenarios
    if form.validate_on_submit():
        version, component = components[form.component.data]
        variants = _variants(form, version, component)
        deadline = london_deadline(form.deadline_date.data, form.deadline_time.data)
        if deadline <= utc_now():
            form.deadline_date.errors.append("The deadline must be in the future.")
        if same := duplicate_of(form.cohort_id.data, version.module_id, component["id"]):
            form.component.errors.append(
                f"{component['title']} is already set for this cohort (deadline "
                f"{uk_date(same.deadline)}). Change that assessment's deadline, or withdraw it "
                "first.")
        if not form.errors:
            return _set(form, version, component, deadline, variants)
    return render_template("assessments/staff_new.html", form=form), 422 if form.errors else 200


def _variants(form, version, component) -> dict[str, str]:
    """The scenario for each nation that has its own: the module's defaults, then the staff's
    choices; a choice from another module, or one not marked alike, is an error at its field."""
    if component["kind"] != "scenario":
        return {}
    default = version.scenarios.get(component.get("scenario"), {})
    variants = dict(component.get("jurisdictions", {}))
    for key, select_field in form.scenario_fields():
        if not select_field.data:
            continue
        version_id, _, slug = select_field.data.partition(":")
        chosen = version.scenarios.get(slug) if version_id == str(version.id) else None
        if chosen is None:
            select_field.errors.append("Choose a scenario of the module this component "
                                       "belongs to.")
        elif why := variant_problem(default, chosen):
            select_field.errors.append(f"“{chosen.get('title', slug)}” is not marked like "
                                       f"the component's scenario: {why}.")
        else:
            variants[key] = slug
    return {key: slug for key, slug in variants.items() if slug != component.get("scenario")}


def _set(form, version, component, deadline, variants):
    assessment = Assessment(
        cohort_id=form.cohort_id.data, module_id=version.module_id, version_id=version.id,
        component_id=component["id"], title=component["title"], kind=component["kind"],
        scenario_slug=component.get("scenario"), scenario_variants=variants or None,
        deadline=deadline,
        anonymous=form.anonymous.data, second_marking=form.second_marking.data,
        created_by_id=current_user.id)
    db.session.add(assessment)
    db.session.flush()
    record("assessment_set", assessment, after={"title": assessment.title,
                                                "deadline": assessment.deadline.isoformat(),
                                                "scenarios": variants or None})
    db.session.commit()
    flash(f"{assessment.title} set for the cohort.", "success")
    return redirect(url_for("assessments.staff_index"))


def _manage(assessment: Assessment, deadline_form=None, withdraw_form=None, status=200):
    if deadline_form is None:
        local = assessment.deadline.astimezone(LONDON)
        deadline_form = DeadlineForm(formdata=None, deadline_date=local.date(),
                                     deadline_time=local.time().replace(tzinfo=None))
    return render_template("assessments/staff_assessment.html", assessment=assessment,
                           deadline_form=deadline_form,
                           withdraw_form=withdraw_form or WithdrawForm(formdata=None),
                           started=len(starters(assessment))), status


@bp.route("/staff/assessments/<int:assessment_id>")
@allow(*SETTERS)
def staff_assessment(assessment_id: int):
    return _manage(db.get_or_404(Assessment, assessment_id))


@bp.route("/staff/assessments/<int:assessment_id>/deadline", methods=["POST"])
@allow(*SETTERS)
def staff_deadline(assessment_id: int):
    assessment = db.get_or_404(Assessment, assessment_id)
    form = DeadlineForm()
    if form.validate_on_submit():
        deadline = london_deadline(form.deadline_date.data, form.deadline_time.data)
        try:
            told = change_deadline(assessment, deadline, current_user, now=utc_now(),
                                   reason=form.change_reason.data or "")
        except WorkError as error:
            db.session.rollback()
            form.deadline_date.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Deadline changed. {_told(told)}", "success")
            return redirect(url_for("assessments.staff_assessment", assessment_id=assessment.id))
    return _manage(assessment, deadline_form=form, status=422)


@bp.route("/staff/assessments/<int:assessment_id>/withdraw", methods=["POST"])
@allow(*SETTERS)
def staff_withdraw(assessment_id: int):
    assessment = db.get_or_404(Assessment, assessment_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            told = withdraw(assessment, current_user, reason=form.reason.data, now=utc_now())
        except WorkError as error:
            db.session.rollback()
            form.reason.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{assessment.title} withdrawn. Nothing has been deleted. {_told(told)}",
                  "success")
            return redirect(url_for("assessments.staff_assessment", assessment_id=assessment.id))
    return _manage(assessment, withdraw_form=form, status=422)


def _told(count: int) -> str:
    if not count:
        return "No trainee had started, so no one was emailed."
    if count == 1:
        return "The 1 trainee who had started was emailed."
    return f"The {count} trainees who had started were emailed."
