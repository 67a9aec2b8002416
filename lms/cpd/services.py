"""Advocates' CPD writes and reads: entries, plans, drafts, leave and the year page's figures.

Services flush, never commit (the request commits once). Every rule (years, requirement,
progress, validation) comes from lms.cpd.rules; nothing here re-implements one."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, event, func, select
from sqlalchemy.orm import Session

from lms import limits
from lms.audit.services import record
from lms.cpd import rules
from lms.cpd.models import (
    ENTRY_RULE_COLUMNS,
    CpdEntry,
    CpdEvidence,
    CpdLeave,
    CpdProfile,
    CpdScheme,
    entry_rule,
)
from lms.db import utcnow
from lms.extensions import db
from lms.validators import length_problem

TITLE, REFLECTION = limits.CPD_TITLE, limits.CPD_REFLECTION
LEAVE_NOTE, REASON = limits.CPD_LEAVE_NOTE, limits.REASON
MAX_EVIDENCE = 10  # files on one entry

BUTTONS = {"draft": "draft", "plan": "planned", "log": "logged"}
FIELDS = ("title", "start", "end", "minutes", "activity", "participatory", "topics",
          "what_happened", "what_i_learned", "how_practice_changes", "shared_with_employer",
          "status")
REFLECTION_PARTS = {"what_happened": "What I did",
                    "what_i_learned": "What I learned",
                    "how_practice_changes": "How it changes my practice"}


# Built once (a statement costs about 0.2 ms of Python to build); every CPD figure reads these.
_SCHEMES = select(CpdScheme).order_by(CpdScheme.effective_from, CpdScheme.id)
_ACCREDITED_ON = (select(CpdProfile.user_id, CpdProfile.accredited_on)
                  .where(CpdProfile.user_id.in_(bindparam("ids", expanding=True)),
                         CpdProfile.accredited_on.is_not(None)))


@cache
def _first_cohort_starts():
    # Built on first use: lms.cohorts imports this package's models.
    from lms.cohorts.models import Cohort, Enrolment

    return (select(Enrolment.user_id, func.min(Cohort.starts_on))
            .join(Cohort, Enrolment.cohort_id == Cohort.id)
            .where(Enrolment.user_id.in_(bindparam("ids", expanding=True)))
            .group_by(Enrolment.user_id))


def scheme_history() -> list[rules.Scheme]:
    """Return the CPD schemes staff set, as rules; the defaults when they have set none."""
    rows = db.session.scalars(_SCHEMES).all()
    return [row.rule() for row in rows] or [rules.Scheme(effective_from=date(2000, 1, 1))]


def anchor_of(user) -> date:
    """The day a person's CPD years hang on: accreditation; for a trainee (not accredited yet)
    the start of their first cohort, else the day they joined the site."""
    return anchors_of([user], date.today())[user.id]


def anchors_of(users, today: date) -> dict[int, date]:
    """Return anchor_of for many people at once, in two queries whatever their number."""
    ids = [user.id for user in users]
    if not ids:
        return {}
    accredited = dict(db.session.execute(_ACCREDITED_ON, {"ids": ids}).all())
    started = dict(db.session.execute(_first_cohort_starts(), {"ids": ids}).all())
    return {user.id: accredited.get(user.id) or started.get(user.id)
            or (user.created_at.date() if user.created_at else today) for user in users}


# ---------------------------------------------------------------------------- reading


LOGGED_PER_PAGE = 50  # the year page's list of logged activities; figures count them all


@dataclass
class YearView:
    """Everything the year page shows: figures over every logged entry of the year (kept, see
    kept_from_entries), and the entries listed. `logged` holds one page of the year's logged
    entries when a page was asked for (`logged_page` then paginates them), else all of them."""

    year: rules.CpdYear
    years: list[rules.CpdYear]
    progress: rules.Progress
    by_month: list[tuple[date, int]]
    by_type: list[tuple[str, int]]
    logged: list[CpdEntry] = field(default_factory=list)
    logged_count: int = 0
    logged_page: object = None  # a Flask-SQLAlchemy Pagination, when paginated
    plans: list[CpdEntry] = field(default_factory=list)
    drafts: list[CpdEntry] = field(default_factory=list)
    withdrawn: list[CpdEntry] = field(default_factory=list)
    leave: list[CpdLeave] = field(default_factory=list)
    leave_withdrawn: list[CpdLeave] = field(default_factory=list)


_NEWEST_FIRST = (CpdEntry.start.desc(), CpdEntry.id.desc())
_LAST_DAY = func.coalesce(CpdEntry.end, CpdEntry.start)


def _leave(user) -> list[CpdLeave]:
    return list(db.session.scalars(select(CpdLeave).where(CpdLeave.user_id == user.id)
                                   .order_by(CpdLeave.start.desc(), CpdLeave.id.desc())))


def _years(first: date, today: date, history, anchor: date) -> list[rules.CpdYear]:
    # A mistyped year (0202 for 2022) must not make centuries of CPD years to choose from.
    first = max(min(first, today), anchor - timedelta(days=10 * 366))
    return rules.years_of(first, today, history, anchor)


def _logged_in(user, year: rules.CpdYear, page: int | None):
    """The year's logged entries, newest first: all of them, or (count, page, items)."""
    query = (select(CpdEntry).where(CpdEntry.user_id == user.id, CpdEntry.status == "logged",
                                    _LAST_DAY.between(year.start, year.end))
             .order_by(*_NEWEST_FIRST))
    if page is None:
        items = list(db.session.scalars(query))
        return len(items), None, items
    found = db.paginate(query, page=max(page, 1), per_page=LOGGED_PER_PAGE, error_out=False)
    if found.pages and found.page > found.pages:  # past the end (an old link): the last page
        found = db.paginate(query, page=found.pages, per_page=LOGGED_PER_PAGE, error_out=False)
    return found.total, found, list(found.items)


def year_view(user, today: date, start: date | None = None, page: int | None = None) -> YearView:
    """Return the year starting on `start` (default: the year holding today) with its figures;
    with `page`, only that page of its logged entries is read."""
    history, anchor = scheme_history(), anchor_of(user)
    first = db.session.scalar(select(func.min(CpdEntry.start)).where(
        CpdEntry.user_id == user.id, CpdEntry.start <= today))
    years = _years(min(first or anchor, anchor), today, history, anchor)
    year = next((y for y in years if y.start == start), years[-1])
    leave = _leave(user)
    active = [row for row in leave if row.withdrawn_at is None]
    req = rules.requirement(history, year, [row.rule() for row in active])
    progress, by_month, by_type = kept_from_entries(
        "year_figures", [user.id], lambda _: req,
        lambda _, entries: (rules.progress(entries, req), rules.hours_by_month(entries, year),
                            rules.hours_by_type(entries, year)),
        since=year.start)[user.id]
    count, paginated, logged = _logged_in(user, year, page)
    view = YearView(year, years, progress, by_month, by_type, logged, count, paginated)
    for entry in db.session.scalars(
            select(CpdEntry).where(CpdEntry.user_id == user.id,
                                   CpdEntry.status.in_(("planned", "draft", "withdrawn")))
            .order_by(*_NEWEST_FIRST)):
        last = entry.end or entry.start
        if entry.status == "planned":
            view.plans.append(entry)
        elif entry.status == "draft":
            view.drafts.append(entry)
        elif last is None or last in year:
            view.withdrawn.append(entry)
    view.leave = [row for row in active if row.end >= year.start and row.start <= year.end]
    view.leave_withdrawn = [row for row in leave if row.withdrawn_at is not None
                            and row.end >= year.start and row.start <= year.end]
    return view


def summary(user, today: date) -> rules.Progress:
    """Return this CPD year's progress (the home page's card): the year page's figure, without
    reading the entries the year page lists."""
    return progress_of_all([user], today)[user.id]


# ---------------------------------------------------------------------------- kept figures

# A figure worked out from a person's logged entries (a CPD year's progress, their years since
# accreditation) is a pure function of those entries and of other inputs the caller names. Each
# entry's version goes up with every change to it (SQLAlchemy's version_id_col), entries are
# never deleted and ids are not reused, so the (id, version) pairs of the logged entries name
# their contents exactly. Each app keeps the figures it worked out under those pairs and the
# other inputs, so a page read again costs one narrow query of ids and versions instead of
# reading and totalling every entry. Every node computes the same figure from the same rows.
#
# Two things could give a row's (id, version) to other contents, and both are guarded: a
# transaction that changed entries and then rolled back (SQLite may give the next entry the
# same id), so a figure is kept only by a transaction that has written no entry; and a
# database emptied or replaced under a running app (a restore, which README says to do with
# the app stopped, or the tests' clean database), which calls forget_kept_figures.
_KEPT_PER_STORE = 4096
_UNSETTLED = "lms_cpd_entries_unsettled"
_LOGGED = (CpdEntry.user_id.in_(bindparam("ids", expanding=True)), CpdEntry.status == "logged")
_LOGGED_SINCE = func.coalesce(CpdEntry.end, CpdEntry.start) >= bindparam("since")
_VERSIONS = select(CpdEntry.user_id, CpdEntry.id, CpdEntry.version).where(*_LOGGED)
_ENTRIES = select(*ENTRY_RULE_COLUMNS, CpdEntry.version).where(*_LOGGED)
_READS = {False: (_VERSIONS, _ENTRIES),
          True: (_VERSIONS.where(_LOGGED_SINCE), _ENTRIES.where(_LOGGED_SINCE))}


def _entries_name(pairs) -> bytes:
    """A fixed-size name for a person's logged entries: their (id, version) pairs, in id order."""
    digest = hashlib.blake2b(digest_size=16)
    for entry_id, version in sorted(pairs):
        digest.update(b"%d:%d," % (entry_id, version))
    return digest.digest()


@event.listens_for(Session, "after_flush")
def _note_entries_written(session, flush_context) -> None:
    if any(isinstance(row, CpdEntry)
           for row in (*session.new, *session.dirty, *session.deleted)):
        session.info[_UNSETTLED] = True


@event.listens_for(Session, "after_transaction_end")
def _entries_settled(session, transaction) -> None:
    if transaction.parent is None:  # committed or rolled back, not a savepoint
        session.info.pop(_UNSETTLED, None)


def forget_kept_figures(app) -> None:
    """Drop every figure this app kept: its database was emptied or replaced."""
    for name in [n for n in app.extensions if n.startswith("lms_kept_")]:
        app.extensions[name].clear()


def kept_from_entries(store: str, ids, inputs, compute, since: date | None = None) -> dict:
    """Return {id: compute(id, entries)} over each person's logged entries (those ending on or
    after `since` when given), reusing what this app worked out before from the same entries
    and the same inputs(id). Two queries when nothing is kept, one when everything is."""
    ids = list(ids)
    if not ids:
        return {}
    params = {"ids": ids} if since is None else {"ids": ids, "since": since}
    versions, read_entries = _READS[since is not None]
    pairs: dict[int, list] = {i: [] for i in ids}
    for user_id, entry_id, version in db.session.execute(versions, params):
        pairs[user_id].append((entry_id, version))
    kept = current_app.extensions.setdefault("lms_kept_" + store, {})
    out, missing = {}, []
    for user_id in ids:
        found = kept.get((user_id, _entries_name(pairs[user_id]), inputs(user_id)))
        if found is None:
            missing.append(user_id)
        else:
            out[user_id] = found
    if not missing:
        return out
    params["ids"] = missing
    entries: dict[int, list[rules.Entry]] = {i: [] for i in missing}
    read: dict[int, list] = {i: [] for i in missing}
    for row in db.session.execute(read_entries, params):
        entries[row.user_id].append(entry_rule(row))
        read[row.user_id].append((row.id, row.version))
    keep = not db.session.info.get(_UNSETTLED)
    if keep and len(kept) + len(missing) > _KEPT_PER_STORE:
        kept.clear()
    for user_id in missing:
        out[user_id] = compute(user_id, entries[user_id])
        if keep:  # under the entries it came from: they may be newer than the versions above
            kept[(user_id, _entries_name(read[user_id]), inputs(user_id))] = out[user_id]
    return out


def progress_of_all(users, today: date) -> dict[int, rules.Progress]:
    """Return each person's progress in the CPD year holding `today` (the year page's figures)
    from one read of leave and the kept figures, so reminders cost no query a head."""
    ids = [user.id for user in users]
    if not ids:
        return {}
    history, anchors = tuple(scheme_history()), anchors_of(users, today)
    # A CPD year holding today began at most a year ago; older rows cannot count in it.
    since = today - timedelta(days=400)
    leave: dict[int, list[rules.Leave]] = {i: [] for i in ids}
    for row in db.session.scalars(
            select(CpdLeave).where(CpdLeave.user_id.in_(ids), CpdLeave.withdrawn_at.is_(None),
                                   CpdLeave.end >= since)):
        leave[row.user_id].append(row.rule())

    def inputs(user_id):
        return (tuple(sorted(leave[user_id], key=repr)), history, anchors[user_id], today)

    def compute(user_id, entries):
        year = rules.year_of(today, history, anchors[user_id])
        return rules.progress(entries, rules.requirement(history, year, leave[user_id]))

    return kept_from_entries("progress", ids, inputs, compute, since=since)


def own_entry(user, entry_id: int) -> CpdEntry | None:
    """Return the person's own entry, or None (another person's entry is never shown)."""
    entry = db.session.get(CpdEntry, entry_id)
    return entry if entry is not None and entry.user_id == user.id else None


def own_leave(user, leave_id: int) -> CpdLeave | None:
    row = db.session.get(CpdLeave, leave_id)
    return row if row is not None and row.user_id == user.id else None


def evidence_of(entry: CpdEntry) -> list:
    """Return (attachment id, filename, size) for each file on the entry."""
    from lms.assessments.models import Attachment

    return db.session.execute(
        select(Attachment.id, Attachment.filename, Attachment.size)
        .join(CpdEvidence, CpdEvidence.attachment_id == Attachment.id)
        .where(CpdEvidence.entry_id == entry.id).order_by(Attachment.id)).all()


# ---------------------------------------------------------------------------- the form


@dataclass
class Typed:
    """What the person typed, kept as text so a refused form comes back exactly as it was."""

    title: str = ""
    start: str = ""
    end: str = ""
    hours: str = ""
    activity: str = ""
    participatory: bool = False
    topics: list[str] = field(default_factory=list)
    what_happened: str = ""
    what_i_learned: str = ""
    how_practice_changes: str = ""
    shared_with_employer: bool = False

    @classmethod
    def from_form(cls, form) -> "Typed":
        return cls(title=form.get("title", "").strip(), start=form.get("start", "").strip(),
                   end=form.get("end", "").strip(), hours=form.get("hours", "").strip(),
                   activity=form.get("activity", ""),
                   participatory=form.get("participatory") in ("1", "on", "yes", "true"),
                   topics=form.getlist("topics"),
                   what_happened=form.get("what_happened", ""),
                   what_i_learned=form.get("what_i_learned", ""),
                   how_practice_changes=form.get("how_practice_changes", ""),
                   shared_with_employer=form.get("shared_with_employer") in ("1", "on"))

    @classmethod
    def from_entry(cls, entry: CpdEntry) -> "Typed":
        minutes = entry.minutes
        hours = "" if minutes is None else rules.hours_text(minutes).rsplit(" ", 1)[0]
        return cls(title=entry.title, start=entry.start.isoformat() if entry.start else "",
                   end=entry.end.isoformat() if entry.end else "", hours=hours,
                   activity=entry.activity or "", participatory=entry.participatory,
                   topics=list(entry.topics or ()), what_happened=entry.what_happened,
                   what_i_learned=entry.what_i_learned,
                   how_practice_changes=entry.how_practice_changes,
                   shared_with_employer=entry.shared_with_employer)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def read_typed(typed: Typed) -> tuple[dict, dict[str, str]]:
    """Turn typed text into entry values; return (values, problems reading them)."""
    problems: dict[str, str] = {}
    start, end = _date(typed.start), _date(typed.end)
    if typed.start and start is None:
        problems["start"] = "Enter the date as a real date, for example 30 October 2026"
    if typed.end and end is None:
        problems["end"] = "Enter the end date as a real date, or leave it empty for one day"
    minutes = rules.parse_hours(typed.hours) if typed.hours else None
    if typed.hours and minutes is None:
        problems["minutes"] = "Enter the hours as a number, for example 1.5"
    if not typed.title:
        problems["title"] = "Enter a title for the activity"
    elif problem := length_problem(typed.title, TITLE, "The title"):
        problems["title"] = problem
    for name, label in REFLECTION_PARTS.items():
        if problem := length_problem(getattr(typed, name), REFLECTION, label):
            problems[name] = problem
    values = {"title": typed.title, "start": start, "end": end, "minutes": minutes,
              "activity": typed.activity if typed.activity in rules.ACTIVITY_TYPES else None,
              "participatory": typed.participatory,
              "topics": [t for t in rules.TOPIC_AREAS if t in typed.topics],
              "what_happened": typed.what_happened, "what_i_learned": typed.what_i_learned,
              "how_practice_changes": typed.how_practice_changes,
              "shared_with_employer": typed.shared_with_employer}
    return values, problems


def problems_for(typed: Typed, status: str, today: date) -> tuple[dict, dict[str, str]]:
    """Return (values, problems) for saving as `status`: a draft needs nothing, a plan or a
    logged activity must pass rules.entry_problems (a plan may be in the future)."""
    values, problems = read_typed(typed)
    if status == "draft":  # a draft keeps anything readable; only a missing title is fine
        if not typed.title:
            problems.pop("title", None)
        return values, problems
    candidate = rules.Entry(start=values["start"], minutes=values["minutes"],
                            activity=values["activity"], participatory=values["participatory"],
                            topics=frozenset(typed.topics), status=status, end=values["end"])
    for name, message in rules.entry_problems(candidate, today).items():
        problems.setdefault(name, message)
    return values, problems


def _snapshot(entry: CpdEntry) -> dict:
    out = {}
    for name in FIELDS:
        value = getattr(entry, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def save_entry(user, entry: CpdEntry | None, values: dict, status: str, *,
               action: str) -> CpdEntry:
    """Create or change an entry as `status` and audit what changed (flush, never commit)."""
    if entry is None:
        entry = CpdEntry(user_id=user.id, status=status, **values)
        db.session.add(entry)
        db.session.flush()
        record(f"cpd.entry.{action}", entry, after=_snapshot(entry))
        return entry
    before = _snapshot(entry)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.status = status
    after = _snapshot(entry)
    changed = [k for k in FIELDS if before[k] != after[k]]
    if changed:
        db.session.flush()
        record(f"cpd.entry.{action}", entry, before={k: before[k] for k in changed},
               after={k: after[k] for k in changed})
    return entry


def add_evidence(user, entry: CpdEntry, filename: str, data: bytes, prepared) -> None:
    """Keep a checked file and link it to the entry."""
    from lms.assessments.services import store_attachment

    attachment = store_attachment(user, filename, data, prepared)
    db.session.add(CpdEvidence(entry_id=entry.id, attachment_id=attachment.id))
    record("cpd.evidence.add", entry, after={"file": attachment.filename,
                                             "sha256": hashlib.sha256(data).hexdigest()})


def withdraw_entry(entry: CpdEntry, reason: str) -> None:
    """Withdraw an entry with its reason: kept and shown as withdrawn, never deleted."""
    before = entry.status
    entry.status, entry.withdrawn_at, entry.withdrawn_reason = "withdrawn", utcnow(), reason
    db.session.flush()
    record("cpd.entry.withdraw", entry, before={"status": before},
           after={"status": "withdrawn"}, reason=reason)


def unconfirm_entry(entry: CpdEntry, reason: str) -> None:
    """Clear a confirmation so the entry can be edited; the reason and who confirmed are kept."""
    before = {"confirmed_at": entry.confirmed_at.isoformat() if entry.confirmed_at else None,
              "confirmed_by_name": entry.confirmed_by_name,
              "confirmed_by_role": entry.confirmed_by_role,
              "confirmed_by_organisation": entry.confirmed_by_organisation}
    entry.confirmed_at = None
    entry.confirmed_by_name = entry.confirmed_by_role = entry.confirmed_by_organisation = None
    db.session.flush()
    record("cpd.entry.unconfirm", entry, before=before, after={"confirmed_at": None},
           reason=reason)


# ---------------------------------------------------------------------------- leave


def read_leave(form) -> tuple[dict, dict[str, str]]:
    """Return (typed, problems) for a leave form; the rules say what is wrong."""
    typed = {k: form.get(k, "").strip() for k in ("kind", "start", "end", "note")}
    start, end = _date(typed["start"]), _date(typed["end"])
    problems = rules.leave_problems(rules.Leave(start, end, typed["kind"]))
    if typed["start"] and start is None:
        problems["start"] = "Enter the first day of leave as a real date"
    if typed["end"] and end is None:
        problems["end"] = "Enter the last day of leave as a real date"
    if problem := length_problem(typed["note"], LEAVE_NOTE, "The note"):
        problems["note"] = problem
    return typed, problems


def add_leave(user, typed: dict) -> CpdLeave:
    row = CpdLeave(user_id=user.id, kind=typed["kind"], start=date.fromisoformat(typed["start"]),
                   end=date.fromisoformat(typed["end"]), note=typed["note"])
    db.session.add(row)
    db.session.flush()
    record("cpd.leave.add", row, after={"kind": row.kind, "start": typed["start"],
                                        "end": typed["end"]})
    return row


def withdraw_leave(row: CpdLeave, reason: str) -> None:
    row.withdrawn_at = utcnow()
    db.session.flush()
    record("cpd.leave.withdraw", row, before={"withdrawn_at": None},
           after={"withdrawn_at": row.withdrawn_at.isoformat()}, reason=reason or None)

