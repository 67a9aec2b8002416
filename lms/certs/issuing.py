"""Issue certificates when their facts hold, recorded with what they state.

Every certificate has a key saying what it certifies ("module:<user>:<module>"), unique in the
database, so issuing again never issues twice. A renewal (a new accreditation period, a new
transcript) is a new certificate; the old one points to it (replaced_by_id) and stays valid
until its own date. Services flush; the caller commits."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import func, or_, select

from certificates.codes import new_code
from certificates.openbadges import new_salt
from certificates.statuslist import choose_index
from lms.audit.services import record
from lms.certs import results
from lms.certs.documents import stored
from lms.certs.models import Certificate
from lms.extensions import db
from lms.vocab import NATIONS, SPECIALISMS

PROGRAMME_TITLE = "Postgraduate Certificate in Independent Advocacy"


@dataclass
class Tally:
    """What a run did: certificates issued, already issued before, and not yet due."""

    issued: int = 0
    already: int = 0
    not_due: int = 0

    def __str__(self) -> str:
        return (f"issued {self.issued}, already issued {self.already}, "
                f"not yet due {self.not_due}")


class _Issuer:
    """One run of issuing: the keys and status-list places already taken, read once."""

    def __init__(self, actor, today: date, tally: Tally | None = None):
        self.actor, self.today, self.tally = actor, today, tally or Tally()
        self.keys: set[str] = set()
        self.preloaded = False
        self.indexes: set[int] | None = None

    def has(self, key: str) -> bool:
        if key not in self.keys and not self.preloaded and db.session.scalar(
                select(func.count()).select_from(Certificate).where(Certificate.key == key)):
            self.keys.add(key)
        return key in self.keys

    def preload(self, user_ids=(), org_ids=()) -> None:
        """Read the keys of everyone in a run at once, so a cohort costs one query."""
        conditions = []
        if user_ids:
            conditions.append(Certificate.user_id.in_(list(user_ids)))
        if org_ids:
            conditions.append(Certificate.organisation_id.in_(list(org_ids)))
        if conditions:
            self.keys |= set(db.session.scalars(select(Certificate.key).where(or_(*conditions))))
            self.preloaded = True

    def issue(self, kind: str, key: str, facts: dict, *, user_id=None, organisation_id=None,
              valid_until: date | None = None, replaces: bool = False) -> Certificate | None:
        """Issue one certificate unless its key is already issued; return it, or None."""
        if self.has(key):
            self.tally.already += 1
            return None
        if self.indexes is None:
            self.indexes = set(db.session.scalars(select(Certificate.status_index)))
        index = choose_index(self.indexes)
        certificate = Certificate(
            code=_unused_code(), kind=kind, key=key, user_id=user_id,
            organisation_id=organisation_id, facts=stored(facts), issued_on=self.today,
            valid_until=valid_until, status_index=index, salt=new_salt(),
            issued_by_id=getattr(self.actor, "id", None))
        db.session.add(certificate)
        db.session.flush()
        self.indexes.add(index)
        self.keys.add(key)
        if replaces:
            _replace_earlier(certificate)
        record("certificate_issued", certificate, actor=self.actor,
               after={"code": certificate.code, "kind": kind, "key": key,
                      "valid_until": valid_until.isoformat() if valid_until else None})
        self.tally.issued += 1
        return certificate


def _unused_code() -> str:
    for _ in range(10):
        code = new_code()
        if not db.session.scalar(select(func.count()).select_from(Certificate)
                                 .where(Certificate.code == code)):
            return code
    raise RuntimeError("could not find an unused certificate code")


def _replace_earlier(new: Certificate) -> None:
    """Point the holder's earlier certificates of the same kind to the new one."""
    holder = (Certificate.user_id == new.user_id if new.kind != "organisation_accreditation"
              else Certificate.organisation_id == new.organisation_id)
    for old in db.session.scalars(select(Certificate).where(
            holder, Certificate.kind == new.kind, Certificate.id != new.id,
            Certificate.replaced_by_id.is_(None))):
        old.replaced_by_id = new.id


# ---------------------------------------------------------------------------- trainees


def _programme_modules() -> list:
    """The current version of every module, in programme order."""
    from lms.courses.models import Module, ModuleVersion

    return list(db.session.scalars(select(ModuleVersion).join(
        Module, Module.current_version_id == ModuleVersion.id).order_by(ModuleVersion.position)))


def _specialisms(user_ids) -> dict[int, str]:
    from lms.cohorts.models import Enrolment

    return {e.user_id: e.specialism for e in db.session.scalars(
        select(Enrolment).where(Enrolment.user_id.in_(list(user_ids)))
        .order_by(Enrolment.id))}


def issue_module_certificates(users, issuer: _Issuer, *, count_not_due: bool = False) -> None:
    """Issue module completion certificates and a transcript for each trainee with released
    results."""
    users = list(users)
    outcomes = results.released_outcomes(u.id for u in users)
    specialisms = _specialisms(u.id for u in users)
    modules = _programme_modules() if count_not_due else []
    for user in users:
        passed = set()
        for found in outcomes[user.id]:
            if not found.passed:
                continue
            passed.add(found.module_id)
            issuer.issue("module_completion", f"module:{user.id}:{found.module_id}", {
                "holder_name": user.name, "module_title": found.title,
                "specialism": SPECIALISMS.get(found.specialism) if found.specialism else None,
                "credits": found.credits, "completed_on": found.released_on,
                "result": found.result}, user_id=user.id)
        specialism = specialisms.get(user.id)
        issuer.tally.not_due += len([m for m in modules if m.module_id not in passed and (
            m.kind == "core" or m.specialism == specialism)])
        _issue_transcript(user, outcomes[user.id], specialism, issuer)


def _issue_transcript(user, outcomes, specialism: str | None, issuer: _Issuer) -> None:
    if not outcomes:
        issuer.tally.not_due += 1
        return
    modules = [{"title": o.title, "credits": o.credits, "mark": o.mark, "result": o.result}
               for o in outcomes]
    facts = {"holder_name": user.name, "programme_title": PROGRAMME_TITLE,
             "specialism": SPECIALISMS.get(specialism) if specialism else None,
             "modules": modules,
             "credits_achieved": sum(o.credits for o in outcomes if o.passed)}
    digest = hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:16]
    issuer.issue("transcript", f"transcript:{user.id}:{digest}", facts, user_id=user.id,
                 replaces=True)


# ---------------------------------------------------------------------------- advocates


def _accredited_since(user_ids, today: date) -> dict[int, date]:
    from lms.accreditation.models import AdvocateDecision

    out: dict[int, date] = {}
    for decision in db.session.scalars(select(AdvocateDecision).where(
            AdvocateDecision.user_id.in_(list(user_ids)), AdvocateDecision.kind == "accredit",
            AdvocateDecision.effective_on <= today).order_by(AdvocateDecision.effective_on)):
        out[decision.user_id] = decision.effective_on
    return out


def issue_accreditation_certificates(users, issuer: _Issuer) -> None:
    """Issue an accreditation certificate to each accredited advocate for their current
    period; a new period (renewal) issues a new certificate that replaces the last."""
    from lms.accreditation.services import advocate_statuses, register_entries_of

    users = list(users)
    entries = register_entries_of(u.id for u in users)
    users = [u for u in users if u.id in entries]  # only people on the register
    if not users:
        return
    statuses = advocate_statuses(users, issuer.today)
    since = _accredited_since([u.id for u in users], issuer.today)
    held = _in_force("advocate_accreditation", Certificate.user_id, [u.id for u in users])
    for user in users:
        status = statuses[user.id]
        follow_accreditation(held.get(user.id, []), status.state, status.headline, issuer.actor,
                             _since(status))
        start = since.get(user.id)
        if not status.accredited or status.valid_until is None or start is None:
            issuer.tally.not_due += 1
            continue
        issuer.issue("advocate_accreditation",
                     f"accreditation:{user.id}:{start.isoformat()}:{status.valid_until}", {
                         "holder_name": user.name,
                         "accreditation_number": entries[user.id].number,
                         "specialism": SPECIALISMS.get(status.specialism or "modern_slavery"),
                         "valid_from": start, "valid_until": status.valid_until},
                     user_id=user.id, valid_until=status.valid_until, replaces=True)


def issue_cpd_statements(users, issuer: _Issuer) -> None:
    """Issue a CPD statement for each CPD year an accredited advocate has completed."""
    from lms.accreditation.services import register_entries_of
    from lms.cpd.models import CpdProfile
    from lms.cpd.rules import ACTIVITY_TYPES
    from lms.cpd.services import year_view

    users = list(users)
    anchors = {p.user_id: p.accredited_on for p in db.session.scalars(select(CpdProfile).where(
        CpdProfile.user_id.in_([u.id for u in users]), CpdProfile.accredited_on.is_not(None)))}
    entries = register_entries_of(anchors)
    for user in users:
        if user.id not in anchors:
            continue
        view = year_view(user, issuer.today)
        done = [y for y in view.years if anchors[user.id] <= y.start and y.end < issuer.today]
        if not done:
            issuer.tally.not_due += 1
        for year in done:
            key = f"cpd:{user.id}:{year.start.isoformat()}"
            if issuer.has(key):
                issuer.tally.already += 1
                continue
            past = year_view(user, issuer.today, year.start)
            entry = entries.get(user.id)
            issuer.issue("cpd_statement", key, {
                "holder_name": user.name,
                "accreditation_number": entry.number if entry else None,
                "year_starts_on": year.start, "year_ends_on": year.end,
                "minutes_required": past.progress.requirement.minutes,
                "minutes_logged": past.progress.minutes, "met": past.progress.met,
                "minutes_by_type": [(ACTIVITY_TYPES[k].label if k in ACTIVITY_TYPES else k, m)
                                    for k, m in past.by_type]}, user_id=user.id)


# ---------------------------------------------------------------------------- organisations


def issue_organisation_certificates(orgs, issuer: _Issuer) -> None:
    """Issue an accreditation certificate to each accredited organisation for its period."""
    from lms.accreditation.services import org_statuses

    orgs = list(orgs)
    statuses = org_statuses(orgs, issuer.today)
    held = _in_force("organisation_accreditation", Certificate.organisation_id,
                     [o.id for o in orgs])
    for org in orgs:
        status = statuses[org.id]
        follow_accreditation(held.get(org.id, []), status.state,
                             status.reasons[0] if status.reasons else status.label, issuer.actor,
                             _since(status))
        if not status.accredited or not status.valid_from or not status.valid_until:
            issuer.tally.not_due += 1
            continue
        issuer.issue("organisation_accreditation",
                     f"org:{org.id}:{status.valid_from}:{status.valid_until}", {
                         "organisation_name": org.name,
                         "nation": NATIONS.get(org.nation, org.nation),
                         "valid_from": status.valid_from, "valid_until": status.valid_until,
                         "with_conditions": status.state == "accredited_conditions"},
                     organisation_id=org.id, valid_until=status.valid_until, replaces=True)


# ---------------------------------------------------------------------------- runs and hooks


def issue_due(users=(), orgs=(), *, today: date, actor=None,
              count_not_due: bool = True) -> Tally:
    """Issue every certificate due to these people and organisations; return the tally."""
    users, orgs = list(users), list(orgs)
    issuer = _Issuer(actor, today)
    issuer.preload([u.id for u in users], [o.id for o in orgs])
    if users:
        issue_module_certificates(users, issuer, count_not_due=count_not_due)
        issue_accreditation_certificates(users, issuer)
        issue_cpd_statements(users, issuer)
    if orgs:
        issue_organisation_certificates(orgs, issuer)
    return issuer.tally


def after_release(submissions, actor) -> Tally:
    """Issue what released marks make due: module certificates and a new transcript."""
    users = {s.user_id: s.user for s in submissions}
    issuer = _Issuer(actor, date.today())
    issuer.preload(users)
    issue_module_certificates(users.values(), issuer)
    return issuer.tally


FOLLOWED = "Accreditation "  # a suspension that follows the accreditation starts so
# The holder's own suspension or withdrawal suspends the certificate. An employer's loss of
# accreditation does not: the certificate's suspension would appear on the verify page and in
# the public status list at the moment the organisation's does, which would tell anyone
# watching the register who employs the advocate. The public check shows their status now.
# Lapsed and expired are left alone: the certificate's own date has passed, so it reads
# expired, which is the truth.
SUSPENDING = frozenset({"suspended", "withdrawn"})
STANDING = frozenset({"accredited", "accredited_conditions", "renewal_overdue"})


def _since(status) -> date | None:
    """The day the status took its current state, from its history."""
    last = status.history[-1] if status.history else None
    return last.on if last and last.state == status.state else None


def follow_accreditation(certificates, state: str, why: str, actor,
                         since: date | None = None) -> None:
    """Suspend accreditation certificates in force while the accreditation is suspended or
    withdrawn (the verify page must never show them valid), and lift that suspension when the
    accreditation stands again. Revocation stays a deliberate act by staff; a withdrawal can be
    appealed, so it suspends."""
    from lms.db import utcnow

    for certificate in certificates:
        if certificate.revoked_at is not None or certificate.replaced_by_id is not None:
            continue
        if state in SUSPENDING and certificate.suspended_at is None:
            # From the day the accreditation was suspended, so the verify page, the API and
            # the advocate's own page give one date.
            certificate.suspended_at = (datetime.combine(since, time(12), tzinfo=UTC)
                                        if since else utcnow())
            certificate.suspended_by_id = getattr(actor, "id", None)
            certificate.suspended_reason = f"{FOLLOWED}{state}: {why}"
            action = "certificate_suspended"
        elif (state in STANDING and certificate.suspended_at is not None
              and certificate.suspended_reason.startswith(FOLLOWED)):
            certificate.suspended_at = certificate.suspended_by_id = None
            certificate.suspended_reason = ""
            action = "certificate_suspension_lifted"
        else:
            continue
        db.session.flush()
        record(action, certificate, actor=actor, reason=why,
               after={"code": certificate.code, "accreditation": state})


def _in_force(kind: str, column, ids) -> dict[int, list[Certificate]]:
    """Each holder's accreditation certificates not revoked or replaced (one query)."""
    out: dict[int, list[Certificate]] = {}
    for certificate in db.session.scalars(select(Certificate).where(
            Certificate.kind == kind, column.in_(list(ids)), Certificate.revoked_at.is_(None),
            Certificate.replaced_by_id.is_(None))):
        out.setdefault(getattr(certificate, column.key), []).append(certificate)
    return out


def after_advocate_decision(user, actor) -> Tally:
    """Issue (or reissue) the advocate's accreditation certificate if a decision made it due;
    suspend it while the accreditation is suspended or withdrawn."""
    issuer = _Issuer(actor, date.today())
    issue_accreditation_certificates([user], issuer)
    return issuer.tally


def after_org_decision(org, actor) -> Tally:
    """Issue the organisation's certificate, and its advocates', if a decision made them due."""
    from lms.auth.models import User
    from lms.organisations.models import Employment

    today = date.today()
    issuer = _Issuer(actor, today)
    issue_organisation_certificates([org], issuer)
    staff = list(db.session.scalars(select(User).join(Employment, Employment.user_id == User.id)
                                    .where(Employment.organisation_id == org.id,
                                           Employment.start_date <= today,
                                           or_(Employment.end_date.is_(None),
                                               Employment.end_date >= today)).distinct()))
    issue_accreditation_certificates(staff, issuer)
    return issuer.tally


def module_certificate(user, module_id: int) -> Certificate | None:
    """The person's certificate for a module, if one was issued (for the module page)."""
    return db.session.scalar(select(Certificate).where(
        Certificate.key == f"module:{user.id}:{module_id}"))
