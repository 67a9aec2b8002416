"""An advocate's accreditation: their own status page (/accreditation), and course staff's
register of advocates and decisions (/staff/advocates).

The status is computed by lms.accreditation.rules from dated facts (services reads them in a
fixed number of queries); views here only show it, and record decisions through services,
with an email to the advocate and their employer."""

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from lms.access import allow
from lms.accreditation import advocate_mail, bp, services
from lms.accreditation.advocate_forms import FORMS, AwardForm, WithholdRequestForm
from lms.accreditation.models import ADVOCATE_DECISIONS, AdvocateDecision, Award
from lms.accreditation.rules import ACCREDITED, IMSA, STATES
from lms.audit.models import AuditEvent
from lms.audit.services import record
from lms.auth.models import RoleGrant, User
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.formatting import plural, uk_date
from lms.links import external
from lms.organisations.models import Employment, HostOrganisation
from lms.vocab import SPECIALISMS

OWN = ("advocate", "trainee")
DECIDERS = ("moderator", "admin")
PER_PAGE = 50
REQUESTED = "withhold_requested"
DONE = {
    "award": "The award is recorded, with a new accreditation number.",
    "accredit": "The initial conditions are confirmed.",
    "conditions": "The conditions are recorded.",
    "conditions_met": "The conditions are recorded as met.",
    "suspend": "The accreditation is suspended.",
    "lift": "The suspension is lifted.",
    "withdraw": "The accreditation is withdrawn.",
    "withhold": "The entry is withheld from the public check.",
    "unwithhold": "The entry shows on the public check again.",
}
WORDS = {"states": STATES, "decision_words": ADVOCATE_DECISIONS, "specialisms": SPECIALISMS}


def _check_url() -> str:
    return external("/check")


def _requests(user_id: int) -> list[AuditEvent]:
    """The person's requests to be withheld from (or shown on) the public check, newest first."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == REQUESTED,
                                 AuditEvent.subject_type == "User",
                                 AuditEvent.subject_id == user_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


def _open_request(requests: list[AuditEvent], decisions: list[AdvocateDecision]):
    """The newest request if no decision on withholding came after it; else None."""
    if not requests:
        return None
    answered = [d.decided_at for d in decisions if d.kind in ("withhold", "unwithhold")]
    return None if answered and max(answered) >= requests[0].at else requests[0]


def _decisions(user_id: int) -> list[AdvocateDecision]:
    return list(db.session.scalars(
        select(AdvocateDecision).where(AdvocateDecision.user_id == user_id)
        .options(selectinload(AdvocateDecision.decided_by))
        .order_by(AdvocateDecision.decided_at.desc(), AdvocateDecision.id.desc())))


# ---------------------------------------------------------------------------- the advocate


def _own_page(form: WithholdRequestForm, refused: str | None = None, status: int = 200):
    today = date.today()
    me = current_user._get_current_object()
    entry = services.register_entries_of([me.id]).get(me.id)
    pending = _open_request(_requests(me.id), _decisions(me.id)) if entry else None
    return render_template(
        "accreditation/advocate_status.html", status=services.advocate_status_of(me, today),
        entry=entry, form=form, refused=refused, pending=pending, check_url=_check_url(),
        today=today, **WORDS), status


@bp.route("/accreditation")
@allow(*OWN)
def advocate_status():
    return _own_page(WithholdRequestForm(formdata=None))


@bp.route("/accreditation/withhold-request", methods=["POST"])
@allow(*OWN)
def advocate_withhold_request():
    me = current_user._get_current_object()
    form = WithholdRequestForm()
    entry = services.register_entries_of([me.id]).get(me.id)
    if entry is None:
        return _own_page(form, "You have no accreditation number yet, so the public check "
                               "has no entry of yours to withhold.", 422)
    if not form.validate_on_submit():
        return _own_page(form, status=422)
    pending = _open_request(_requests(me.id), _decisions(me.id))
    if pending is not None:  # one request at a time: staff are not emailed twice
        return _own_page(form, f"You asked on {uk_date(pending.at)} already. Course staff will "
                               "decide and email you; nothing more was sent.", 409)
    withhold = not entry.withheld
    record(REQUESTED, me, actor=me, reason=form.reason.data.strip(),
           after={"withhold": withhold})
    advocate_mail.send_withhold_request(me, withhold, url_for("accreditation.staff_advocate",
                                                              user_id=me.id))
    db.session.commit()
    flash("Your request is sent to course staff. They will decide and email you; until then "
          "nothing changes.", "success")
    return redirect(url_for("accreditation.advocate_status"))


# ---------------------------------------------------------------------------- the register


@dataclass(frozen=True)
class Page:
    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _employers(user_ids: list[int], today: date) -> dict[int, list[str]]:
    """Each person's current employers' names, in one query."""
    found: dict[int, list[str]] = {}
    for user_id, name in db.session.execute(
            select(Employment.user_id, HostOrganisation.name)
            .join(HostOrganisation, HostOrganisation.id == Employment.organisation_id)
            .where(Employment.user_id.in_(user_ids), Employment.start_date <= today,
                   or_(Employment.end_date.is_(None), Employment.end_date >= today))
            .order_by(HostOrganisation.name)):
        found.setdefault(user_id, []).append(name)
    return found


@bp.route("/staff/advocates")
@allow(*DECIDERS)
def staff_advocates():
    today = date.today()
    wanted = request.args.get("status", "")
    wanted = wanted if wanted in STATES else ""
    people = list(db.session.scalars(
        select(User).where(User.id.in_(select(RoleGrant.user_id)
                                       .where(RoleGrant.role.in_(OWN))))
        .order_by(func.lower(User.name), User.id)))
    statuses = services.advocate_statuses(people, today)
    counts = dict.fromkeys(STATES, 0)
    for person in people:
        counts[statuses[person.id].state] += 1
    if wanted:
        people = [p for p in people if statuses[p.id].state == wanted]
    pages = max(1, -(-len(people) // PER_PAGE))
    number = request.args.get("page", "1")
    number = min(int(number), pages) if number.isdecimal() and len(number) < 6 else 1
    shown = people[(max(number, 1) - 1) * PER_PAGE:max(number, 1) * PER_PAGE]
    ids = [p.id for p in shown]
    return render_template(
        "accreditation/staff_advocates.html", people=shown, statuses=statuses,
        entries=services.register_entries_of(ids), employers=_employers(ids, today),
        counts=counts, wanted=wanted, total=len(people), page=Page(max(number, 1), pages),
        **WORDS)


# ---------------------------------------------------------------------------- one advocate


def _person(user_id: int) -> User:
    person = db.get_or_404(User, user_id)
    if not person.roles & set(OWN) and db.session.scalar(
            select(func.count()).select_from(Award).where(Award.user_id == person.id)) == 0:
        abort(404)
    return person


def _open_kinds(status, entry, awards) -> list[str]:
    """The decisions that apply to a person in this status, in the order the page shows them."""
    state = status.state
    kinds = []
    if not awards:
        kinds.append("award")
    if state == "lapsed" or (state == "qualified" and status.specialism == IMSA):
        kinds.append("accredit")
    if state in ACCREDITED:
        kinds.append("conditions")
    if status.conditions or state == "accredited_conditions":
        kinds.append("conditions_met")
    if state == "suspended":
        kinds.append("lift")
    elif state != "withdrawn" and awards:  # a trainee has no accreditation to suspend
        kinds.append("suspend")
    if entry is not None:
        kinds.append("unwithhold" if entry.withheld else "withhold")
    if state != "withdrawn" and awards:
        kinds.append("withdraw")
    return kinds


def _latest(decisions: list[AdvocateDecision]) -> int:
    return max((d.id for d in decisions), default=0)


def _detail_page(person: User, given: dict, *, conflict: str | None = None,
                 status_code: int = 200):
    today = date.today()
    status = services.advocate_status_of(person, today)
    decisions = _decisions(person.id)
    awards = list(db.session.scalars(select(Award).where(Award.user_id == person.id)
                                     .order_by(Award.awarded_on)))
    entry = services.register_entries_of([person.id]).get(person.id)
    requests = _requests(person.id)
    may_decide = person.id != current_user.id
    forms = {}
    if may_decide:
        seen = str(_latest(decisions))
        forms = {kind: given.get(kind) or (AwardForm if kind == "award" else FORMS[kind])(
            formdata=None, prefix=kind, seen=seen)
            for kind in _open_kinds(status, entry, awards)}
    unsent = {kind: form for kind, form in given.items() if kind not in forms}
    return render_template(
        "accreditation/staff_advocate.html", person=person, status=status,
        decisions=decisions, awards=awards, entry=entry, requests=requests,
        pending=_open_request(requests, decisions), forms=forms, unsent=unsent,
        conflict=conflict, may_decide=may_decide,
        employers=_employers([person.id], today).get(person.id, []), opened=set(given),
        links=_links_for(person, today), **WORDS), status_code


def _links_for(person, today: date) -> dict:
    """Where staff go next from a person's page: their employers, certificates and CPD."""
    from lms.certs.models import KINDS, Certificate
    from lms.organisations.models import Employment, HostOrganisation

    organisations = db.session.execute(
        select(HostOrganisation.id, HostOrganisation.name).join(
            Employment, Employment.organisation_id == HostOrganisation.id)
        .where(Employment.user_id == person.id, Employment.start_date <= today,
               (Employment.end_date.is_(None)) | (Employment.end_date >= today))
        .distinct().order_by(HostOrganisation.name)).all()
    certificates = [(c.code, KINDS.get(c.kind, c.kind), c.issued_on)
                    for c in db.session.scalars(select(Certificate).where(
                        Certificate.user_id == person.id).order_by(Certificate.issued_on,
                                                                    Certificate.id))]
    return {"organisations": organisations, "certificates": certificates}


@bp.route("/staff/advocates/<int:user_id>")
@allow(*DECIDERS)
def staff_advocate(user_id: int):
    return _detail_page(_person(user_id), {})


def _conflict(person: User, form) -> str | None:
    """Say what was decided since the form was opened (None if nothing), holding the person's
    row so that two decisions sent at once are taken one after the other."""
    db.session.execute(select(User.id).where(User.id == person.id).with_for_update())
    decisions, seen = _decisions(person.id), form.seen_id()
    latest = _latest(decisions)
    if seen == latest:
        return None
    form.seen.data = str(latest)  # sending again is a decision made knowing what is new
    newer = [d for d in decisions if d.id > seen]
    if seen < 0 or not newer:
        return "The page was out of date. Nothing was recorded: read it again, then decide."
    last = max(newer, key=lambda d: d.id)
    who = last.decided_by.name if last.decided_by else "Someone"
    return (f"{who} recorded “{ADVOCATE_DECISIONS.get(last.kind, last.kind)}” after you "
            f"opened this page (reason: {last.reason.strip() or 'none given'}). Nothing was "
            "recorded: read the decisions on this page, then send yours again if it still applies.")


@bp.route("/staff/advocates/<int:user_id>/award", methods=["POST"])
@allow(*DECIDERS)
def staff_advocate_award(user_id: int):
    person = _person(user_id)
    if person.id == current_user.id:
        abort(403)  # nobody records their own award
    form = AwardForm(prefix="award")
    today = date.today()
    if not _valid(form, today):
        return _detail_page(person, {"award": form}, status_code=422)
    conflict = _conflict(person, form)
    if conflict is None and db.session.scalar(
            select(func.count()).select_from(Award).where(Award.user_id == person.id)):
        conflict = "An award was recorded after you opened this page. Nothing was recorded."
    if conflict:
        db.session.rollback()
        return _detail_page(person, {"award": form}, conflict=conflict, status_code=409)
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == person.id,
                                Enrolment.specialism == form.specialism.data)
        .order_by(Enrolment.id.desc()).limit(1))
    actor = current_user._get_current_object()
    services.record_award(person, form.specialism.data, form.awarded_on.data, actor=actor,
                          enrolment=enrolment)
    record("award_reason", person, actor=actor, reason=form.reason.data.strip(),
           after={"specialism": form.specialism.data,
                  "awarded_on": form.awarded_on.data.isoformat()})
    db.session.flush()
    told = advocate_mail.send_decision(person, "award", form.reason.data,
                                       services.advocate_status_of(person, today), today)
    db.session.commit()
    flash(f"{DONE['award']} {_emailed(person, told)}", "success")
    return redirect(url_for("accreditation.staff_advocate", user_id=person.id))


def _emailed(person: User, told: int) -> str:
    if told <= 1:
        return f"{person.name} has been emailed (no admin of a current employer is recorded)."
    return (f"{person.name} and {plural(told - 1, 'admin')} of their employer have been "
            "emailed.")


def _valid(form, today: date) -> bool:
    valid = form.validate_on_submit()
    problems = form.problems(today) if valid else {}
    for name, message in problems.items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]
    return valid and not problems


@bp.route("/staff/advocates/<int:user_id>/decisions", methods=["POST"])
@allow(*DECIDERS)
def staff_advocate_decide(user_id: int):
    person = _person(user_id)
    kind = request.form.get("kind", "")
    if kind not in FORMS:
        abort(400)
    if person.id == current_user.id:
        abort(403)  # nobody decides on their own accreditation
    form = FORMS[kind](prefix=kind)
    today = date.today()
    if not _valid(form, today):
        return _detail_page(person, {kind: form}, status_code=422)
    conflict = _conflict(person, form)
    if conflict is None:
        status = services.advocate_status_of(person, today)
        entry = services.register_entries_of([person.id]).get(person.id)
        awards = db.session.scalars(select(Award).where(Award.user_id == person.id)).all()
        if kind not in _open_kinds(status, entry, awards):
            conflict = (f"“{ADVOCATE_DECISIONS[kind]}” does not apply now: the status is "
                        f"“{status.label}”. Nothing was recorded.")
    if conflict:
        db.session.rollback()
        return _detail_page(person, {kind: form}, conflict=conflict, status_code=409)
    actor, reason = current_user._get_current_object(), form.reason.data.strip()
    conditions = form.conditions.data.strip() if kind == "conditions" else ""
    due_on = form.due_on.data if kind == "conditions" else None
    if kind in ("withhold", "unwithhold"):
        services.set_withheld(person, kind == "withhold", actor=actor, reason=reason)
    else:
        services.decide_for_advocate(person, kind, today, actor=actor, reason=reason,
                                     conditions=conditions, due_on=due_on)
    db.session.flush()
    told = advocate_mail.send_decision(person, kind, reason,
                                       services.advocate_status_of(person, today), today,
                                       conditions=conditions, due_on=due_on)
    db.session.commit()
    flash(f"{DONE[kind]} {_emailed(person, told)}", "success")
    return redirect(url_for("accreditation.staff_advocate", user_id=person.id))
