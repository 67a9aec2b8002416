"""Administration home, audit log and mail outbox."""

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import false, func, select
from sqlalchemy.orm import selectinload

from lms.access import allow
from lms.admin import bp
from lms.admin.forms import AuditFilterForm, OutboxFilterForm, status_for
from lms.audit.models import AuditEvent
from lms.audit.queries import names_for
from lms.audit.readable import change_lines, references, subject_label
from lms.audit.visibility import visible_events
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.mail.linkify import linkify
from lms.mail.models import OutboxMessage
from lms.organisations.models import HostOrganisation


@bp.route("/")
@allow("admin", "moderator")
def index():
    counts = {
        "people": db.session.scalar(select(func.count(User.id))),
        "organisations": db.session.scalar(select(func.count(HostOrganisation.id))),
        "cohorts": db.session.scalar(select(func.count(Cohort.id))),
    }
    return render_template("admin/index.html", counts=counts)


@bp.route("/audit")
@allow("admin", "moderator")
def audit():
    form = AuditFilterForm(request.args)
    allowed = visible_events(current_user)  # marking events are for moderators only
    query = select(AuditEvent).where(allowed).options(selectinload(AuditEvent.actor)).order_by(
        AuditEvent.at.desc(), AuditEvent.id.desc())
    if not form.validate():  # a filter too long to match anything is shown at its field
        query = query.where(false())
    if form.action.data:
        query = query.where(AuditEvent.action == form.action.data.strip())
    if form.email.data:
        person = select(User.id).where(User.email == form.email.data.strip().lower())
        query = query.where((AuditEvent.actor_id.in_(person))
                            | ((AuditEvent.subject_type == "User")
                               & AuditEvent.subject_id.in_(person)))
    page = db.paginate(query, per_page=50, error_out=False)
    actions = db.session.scalars(select(AuditEvent.action).where(allowed).distinct().order_by(
        AuditEvent.action)).all()
    names = names_for(references(page.items))
    rows = [(event, subject_label(event.subject_type, event.subject_id, names),
             change_lines(event.before, event.after, names)) for event in page.items]
    return render_template("admin/audit.html", page=page, rows=rows, form=form,
                           actions=actions), status_for(form)


@bp.route("/outbox")
@allow("admin")
def outbox():
    form = OutboxFilterForm(request.args)
    # Only mail kept instead of sent: mail for real people carries set-password links, which
    # no admin may read. Of that, only how much is waiting, sent or failed.
    query = select(OutboxMessage).where(OutboxMessage.status == "captured") \
        .order_by(OutboxMessage.id.desc())
    delivery = dict(db.session.execute(
        select(OutboxMessage.status, func.count()).where(OutboxMessage.status != "captured")
        .group_by(OutboxMessage.status)).all())
    if form.validate():  # a filter too long to match anything is shown at its field
        if recipient := (form.recipient.data or "").strip():
            query = query.where(OutboxMessage.recipient.icontains(recipient, autoescape=True))
        if subject := (form.subject.data or "").strip():
            query = query.where(OutboxMessage.subject.icontains(subject, autoescape=True))
    else:
        query = query.where(false())
    page = db.paginate(query, per_page=25, error_out=False)
    return render_template("admin/outbox.html", page=page, form=form, linkify=linkify,
                           delivery=delivery), (
        status_for(form))
