"""People and accounts: search, create, roles, deactivation, employment."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from lms.access import allow
from lms.admin import bp
from lms.admin.forms import (
    EmploymentForm,
    EndEmploymentForm,
    ReasonForm,
    RolesForm,
    UserForm,
    choices,
    status_for,
)
from lms.admin.permissions import (
    can_change_active,
    can_change_roles,
    grantable_roles,
    marking_roles_granted,
)
from lms.admin.services import tell_moderators_of_grant
from lms.audit.models import AuditEvent
from lms.audit.queries import names_for
from lms.audit.readable import change_lines, references
from lms.auth.models import RoleGrant, User
from lms.auth.services import create_user, find_user_by_email, send_password_link, set_active
from lms.auth.services import set_roles as set_user_roles
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation
from lms.organisations.services import add_employment, end_employment
from lms.vocab import ROLES


def _organisation_choices():
    return choices((o.id, o.name) for o in db.session.scalars(
        select(HostOrganisation).order_by(HostOrganisation.name)))


@bp.route("/users")
@allow("admin", "moderator")
def users():
    q = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    status = request.args.get("status", "active")
    query = select(User).order_by(User.name, User.id)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(User.email.like(like), User.name.ilike(like)))
    if role in ROLES:
        query = query.where(User.role_grants.any(RoleGrant.role == role))
    if status in {"active", "inactive"}:
        query = query.where(User.active.is_(status == "active"))
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("admin/users.html", page=page, q=q, role=role, status=status)


@bp.route("/users/new", methods=["GET", "POST"])
@allow("admin", "moderator")
def user_new():
    form = UserForm()
    allowed = grantable_roles(current_user)
    form.roles.choices = choices([(k, v) for k, v in ROLES.items() if k in allowed])
    if form.validate_on_submit():
        if find_user_by_email(form.email.data):
            form.email.errors = ["An account already uses this email address."]
        else:
            user = create_user(form.name.data, form.email.data, form.roles.data,
                               actor=current_user, invite=form.send_invite.data)
            tell_moderators_of_grant(user, marking_roles_granted(set(), form.roles.data),
                                     actor=current_user)
            db.session.commit()
            flash(f"Account created for {user.name}."
                  + (" We emailed them a link to set their password." if form.send_invite.data
                     else ""), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_new.html", form=form), status_for(form)


@bp.route("/users/<int:user_id>")
@allow("admin", "moderator")
def user_detail(user_id: int):
    return _detail_page(db.get_or_404(User, user_id))


def _detail_page(user: User, *, roles_form: RolesForm | None = None,
                 refusal: str | None = None, reason_form: ReasonForm | None = None,
                 employment_form: EmploymentForm | None = None,
                 end_form: EndEmploymentForm | None = None, ending: int | None = None):
    """Render a person's page; the form that was posted, if any, comes back as it was sent."""
    if roles_form is None:
        roles_form = RolesForm(formdata=None, roles=sorted(user.roles))
        roles_form.roles.choices = choices(ROLES)
    if employment_form is None:
        employment_form = EmploymentForm(formdata=None)
        employment_form.organisation_id.choices = _organisation_choices()
    history = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "User", AuditEvent.subject_id == user.id)
        .options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(20)).all()
    names = names_for(references(history))
    return render_template(
        "admin/user_detail.html", user=user, roles_form=roles_form,
        reason_form=reason_form or ReasonForm(formdata=None), employment_form=employment_form,
        end_form=end_form or EndEmploymentForm(formdata=None), ending=ending,
        grantable=grantable_roles(current_user) if user.id != current_user.id else frozenset(),
        refusal=refusal, can_change_active=can_change_active(current_user, user),
        employments=db.session.scalars(
            select(Employment).where(Employment.user_id == user.id)
            .options(selectinload(Employment.organisation)).order_by(Employment.start_date)).all(),
        enrolments=db.session.scalars(
            select(Enrolment).where(Enrolment.user_id == user.id)
            .options(selectinload(Enrolment.cohort)).order_by(Enrolment.id)).all(),
        history=[(event, change_lines(event.before, event.after, names)) for event in history],
    )


def _refusal(actor, user: User, wanted: set[str]) -> str:
    if actor.id == user.id:
        return ("You cannot change your own roles. Ask another admin to make the change: "
                "roles that open trainees' work are granted by someone else, and moderators "
                "are told.")
    refused = (set(user.roles) ^ wanted) - grantable_roles(actor)
    return ("You cannot grant or remove these roles: "
            + ", ".join(ROLES[r] for r in sorted(refused)) + ". Ask a platform admin.")


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@allow("admin", "moderator")
def user_roles(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RolesForm()
    form.roles.choices = choices(ROLES)
    if not form.validate_on_submit():
        return _detail_page(user, roles_form=form), 422
    wanted, before = set(form.roles.data), set(user.roles)
    if not can_change_roles(current_user, user, wanted):
        return _detail_page(user, roles_form=form,
                            refusal=_refusal(current_user, user, wanted)), 403
    reason = form.reason.data or None
    set_user_roles(user, form.roles.data, actor=current_user, reason=reason)
    tell_moderators_of_grant(user, marking_roles_granted(before, wanted), actor=current_user,
                             reason=reason)
    db.session.commit()
    flash("Roles saved.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@allow("admin")
def user_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if not can_change_active(current_user, user):
        abort(403)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _detail_page(user, reason_form=form), 422
    set_active(user, not user.active, actor=current_user, reason=form.reason.data)
    db.session.commit()
    flash("Account " + ("reactivated." if user.active else "deactivated. Its records are kept."),
          "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/send-link", methods=["POST"])
@allow("admin", "moderator")
def user_send_link(user_id: int):
    user = db.get_or_404(User, user_id)
    if not user.active:
        abort(409)
    send_password_link(user, "invite" if user.password_hash is None else "reset")
    db.session.commit()
    flash(f"We emailed {user.email} a link to set a password.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/employments", methods=["POST"])
@allow("admin", "moderator")
def employment_add(user_id: int):
    user = db.get_or_404(User, user_id)
    form = EmploymentForm()
    form.organisation_id.choices = _organisation_choices()
    if not form.validate_on_submit():
        return _detail_page(user, employment_form=form), 422
    organisation = db.get_or_404(HostOrganisation, form.organisation_id.data)
    add_employment(user, organisation, form.start_date.data, form.job_title.data or "",
                   actor=current_user)
    db.session.commit()
    flash(f"Employment at {organisation.name} recorded.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/employments/<int:employment_id>/end", methods=["POST"])
@allow("admin", "moderator")
def employment_end(employment_id: int):
    employment = db.get_or_404(Employment, employment_id)
    form = EndEmploymentForm()
    if form.validate_on_submit() and form.end_date.data < employment.start_date:
        form.end_date.errors = ["The last day must be on or after the start date, "
                                + employment.start_date.strftime("%-d %B %Y") + "."]
    if form.errors:
        return _detail_page(employment.user, end_form=form, ending=employment.id), 422
    end_employment(employment, form.end_date.data, actor=current_user, reason=form.reason.data)
    db.session.commit()
    flash("Employment end date recorded.", "success")
    return redirect(url_for("admin.user_detail", user_id=employment.user_id))
