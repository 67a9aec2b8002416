"""Build the benchmark's large dataset reproducibly from a seed (issue 13).

By default 5,000 trainees in 20 cohorts, 60 host organisations, 50,000 submissions, 200,000 CPD
entries and 10,000 certificates; `scale` multiplies every count. Rows go in with SQLAlchemy Core
bulk inserts (COPY on PostgreSQL) carrying their own ids (the database starts empty), so a build
at scale 1 takes a minute or two, not an hour of ORM flushes. The course content is the real
`courses/` tree, synced as `flask courses sync` does, so lesson pages are real.

The five measured accounts get work that grows with scale: the marker's queue, the moderation
page's submissions, the advocate's CPD entries and the org admin's advocates. Every other
person shares the same password: trainee<n>@, advocate<n>@ and marker<n>@bench.example.org
(n from 1), for a load run that signs in many people.

    python -m tests.bench.dataset --scale 0.1 --database-url sqlite:////tmp/bench.sqlite3
"""

import argparse
import functools
import json
import math
import random
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from alembic import command
from sqlalchemy import JSON, func, insert, select, text

from assessments.scenario import recommended_path, stages_by_id
from certificates.codes import format_code
from lms.accreditation.models import (
    AdvocateDecision,
    Award,
    OrgApplication,
    OrgDecision,
    RegisterEntry,
)
from lms.accreditation.orgrules import default_valid_until
from lms.assessments.models import Allocation, Assessment, Mark, Submission
from lms.auth.models import RoleGrant, User
from lms.auth.passwords import hash_password
from lms.certs.models import Certificate
from lms.cohorts.models import Cohort, Enrolment
from lms.courses.content import load_programme
from lms.courses.models import Module, ModuleVersion
from lms.courses.services import sync_programme
from lms.cpd.models import CpdEntry, CpdProfile
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation
from tests.bench.pages import Dataset, Page

PASSWORD = "benchmark-password-2026"  # noqa: S105 - a throwaway benchmark database only
DOMAIN = "bench.example.org"
CHUNK = 5_000

DEFAULTS = {"trainees": 5000, "cohorts": 20, "organisations": 60, "submissions": 50_000,
            "cpd_entries": 200_000, "certificates": 10_000}
ADVOCATES_PER_TRAINEE = 0.4  # 2,000 qualified advocates at scale 1, ~100 CPD entries each

FIRST = ("Amira", "Jordan", "Kofi", "Siobhan", "Priya", "Dafydd", "Marta", "Aisha", "Owen",
         "Grace", "Tomasz", "Callum", "Eilidh", "Niamh", "Bethan", "Meera", "Liezel", "Abena",
         "Nicolae", "Selam", "Rhiannon", "Morgan", "Oluwaseun", "Ioana", "Farah", "Declan",
         "Hannah", "Yusuf", "Ewa", "Tariq", "Catrin", "Mairead", "Sunil", "Zofia", "Adaeze")
LAST = ("Haddad", "Ellis", "Mensah", "Gallagher", "Natarajan", "Hughes", "Kowalczyk", "Rahman",
        "Price", "Okafor", "Nowak", "Fraser", "Munro", "Pryce", "Adeyemi", "Campbell", "Doherty",
        "Evans", "Popescu", "Tesfaye", "Murray", "Quinn", "Baptiste", "Llewellyn", "Osei",
        "Byrne", "Iqbal", "Novak", "MacLeod", "Ahmed", "Jones", "O'Neill", "Singh", "Wójcik")
PLACES = ("Northbridge", "Glenview", "Taff Valley", "Lough Erne", "Riverside", "Harbourside",
          "Moorland", "Eastgate", "Westfield", "Kingsmere", "Ashdale", "Brackenhurst",
          "Clydeside", "Dunmore", "Fairhaven", "Greyfriars", "Highcliff", "Larkspur")
SERVICES = ("Survivor Support", "Community Trust", "Advocacy Partnership", "Women's Aid",
            "Advocacy Service", "Justice Centre", "Refugee Network", "Council")
NATIONS = ("england", "wales", "scotland", "northern_ireland")
KINDS = ("ngo", "local_authority", "support_contract", "community_faith")
SPECIALISMS = ("modern_slavery", "domestic_abuse", "sexual_violence", "stalking")
JURISDICTIONS = ("england_wales", "scotland", "northern_ireland")
ACTIVITIES = ("formal_training", "pastoral_supervision", "clinical_supervision", "peer_learning",
              "multi_agency_training", "self_directed_study", "conference", "teaching",
              "shadowing")
TOPICS = ("law_and_policy", "trauma_informed", "safeguarding", "jurisdiction_law",
          "immigration_asylum", "wellbeing", "lived_experience", "multi_agency_working",
          "equality_inclusion", "professional_ethics")
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIXES = {"modern_slavery": "IMSA", "domestic_abuse": "IDVA", "sexual_violence": "ISVA",
            "stalking": "ISA"}
SPECIALISM_NAMES = {"modern_slavery": "Modern slavery (IMSA)",
                    "domestic_abuse": "Domestic abuse (IDVA)",
                    "sexual_violence": "Sexual violence (ISVA)", "stalking": "Stalking (ISA)"}
ANSWER = ("I would begin by explaining who I am and that I am independent of the police and of "
          "the support provider, then agree with the person what they want from today.")
JUSTIFICATION = "It keeps the person informed and in control of what happens next."
FEEDBACK = "Clear, person-led reasoning; cite the guidance you rely on."


def _count(name: str, scale: float) -> int:
    return max(1, round(DEFAULTS[name] * scale))


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, clock(hour), tzinfo=UTC)


def _insert(model, rows: list[dict]) -> None:
    """Insert rows in chunks: Core executemany, or COPY on PostgreSQL (psycopg 3 sends an
    executemany as one statement a row, which made a build there several times slower)."""
    if rows and db.engine.dialect.name == "postgresql":
        _copy(model.__table__, rows)
        return
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start:start + CHUNK])


def _copy(table, rows: list[dict]) -> None:
    columns = list(rows[0])
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    names = ", ".join(f'"{name}"' for name in columns)
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in as_json and row[c] is not None
                            else row[c] for c in columns])


class _Builder:
    """Holds the random source, today and the ids handed out so far."""

    def __init__(self, scale: float, seed: int, today: date):
        self.scale, self.rng, self.today = scale, random.Random(seed), today
        self.stamp = _at(today - timedelta(days=1000))
        self.hashed = hash_password(PASSWORD)
        self.users: list[dict] = []
        self.grants: list[dict] = []
        self.names: dict[int, str] = {}
        self.counts: dict[str, int] = {}

    def person(self, email: str, name: str, roles: tuple[str, ...]) -> int:
        user_id = len(self.users) + 1
        self.users.append({"id": user_id, "email": email, "name": name,
                           "password_hash": self.hashed, "active": True,
                           "created_at": self.stamp, "updated_at": self.stamp})
        self.grants.extend({"user_id": user_id, "role": role, "granted_at": self.stamp}
                           for role in roles)
        self.names[user_id] = name
        return user_id

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def unique(self, taken: set, make) -> str:
        while (value := make()) in taken:
            pass
        taken.add(value)
        return value


@functools.cache
def _programme(path: str):
    """The course content, read and rendered once per process (a build at two scales, as the
    query-count test does, need not render every lesson twice)."""
    return load_programme(Path(path))


def build(app, scale: float = 1.0, seed: int = 2026, *, today: date | None = None) -> Dataset:
    """Migrate app's (empty) database to head, sync the real courses/ content and fill it.
    Same seed and scale -> same rows. Counts are DEFAULTS * scale (at least 1 where needed)."""
    from lms.cli import alembic_config

    today = today or date.today()
    with app.app_context():
        command.upgrade(alembic_config(), "head")
        sync_programme(_programme(app.config["COURSES_PATH"]))
        db.session.commit()
        b = _Builder(scale, seed, today)
        staff = _staff(b)
        orgs = _organisations(b)
        trainees, cohorts = _trainees(b, orgs)
        advocates = _advocates(b, orgs, staff)
        _insert(User, b.users)
        _insert(RoleGrant, b.grants)
        _flush_people(b, orgs, trainees, cohorts, advocates, staff)
        focus = _assessments(b, cohorts, trainees, staff)
        _cpd(b, advocates, staff)
        certificate = _certificates(b, orgs, advocates, trainees, focus)
        _reset_sequences()
        db.session.commit()
        _analyse()
        lesson = _lesson_path()
    b.counts.update(users=len(b.users), role_grants=len(b.grants))
    accounts = {key: f"{key}@{DOMAIN}" for key in
                ("trainee", "marker", "moderator", "advocate", "orgadmin")}
    advocate = advocates[0]
    pages = (
        Page("lesson", "trainee", lesson),
        Page("programme", "trainee", "/programme"),
        Page("home", "trainee", "/"),
        Page("marker_queue", "marker", "/marking"),
        Page("moderation", "moderator", f"/moderation/{focus['moderation']}"),
        Page("cpd", "advocate", "/cpd"),
        Page("org_dashboard", "orgadmin", f"/organisations/{orgs[0]['id']}"),
        Page("public_check", None, "/check", method="POST",
             form={"number": advocate["number"], "surname": advocate["surname"]},
             form_page="/check"),
        Page("verify", None, f"/verify/{certificate}"),
        Page("certificate_pdf", "trainee", f"/certificates/{certificate}.pdf"),
    )
    return Dataset(scale=scale, password=PASSWORD, accounts=accounts, pages=pages,
                   counts=dict(sorted(b.counts.items())))


# ---------------------------------------------------------------------------- people


def _staff(b: _Builder) -> dict:
    """The measured staff and enough markers to share the rest of the marking."""
    staff = {
        "admin": b.person(f"admin@{DOMAIN}", "Ada Admin", ("admin",)),
        "marker": b.person(f"marker@{DOMAIN}", "Morgan Marker", ("marker",)),
        "moderator": b.person(f"moderator@{DOMAIN}", "Rhiannon Pryce", ("moderator", "marker")),
        "examiner": b.person(f"examiner@{DOMAIN}", "Professor Eilidh Munro", ("examiner",)),
        "orgadmin": b.person(f"orgadmin@{DOMAIN}", "Oluwaseun Adeyemi", ("org_admin",)),
    }
    staff["markers"] = [b.person(f"marker{n + 1}@{DOMAIN}", b.name(), ("marker",))
                        for n in range(max(2, math.ceil(20 * b.scale)))]
    return staff


def _organisations(b: _Builder) -> list[dict]:
    """Host organisations: the first (the org admin's) accredited, the rest in every state."""
    taken: set[str] = set()
    orgs, decisions, applications = [], [], []
    for n in range(_count("organisations", b.scale)):
        name = b.unique(taken, lambda: f"{b.rng.choice(PLACES)} {b.rng.choice(SERVICES)}")
        state = "accredited" if n == 0 else b.rng.choices(
            ("accredited", "conditions", "suspended", "lapsed", "applying", "none"),
            (55, 15, 5, 10, 10, 5))[0]
        org = {"id": n + 1, "name": name, "kind": b.rng.choice(KINDS),
               "nation": b.rng.choice(NATIONS), "region": "", "created_at": b.stamp,
               "updated_at": b.stamp, "state": state}
        orgs.append(org)
        since = b.today - timedelta(days=b.rng.randint(30, 900))
        if state == "lapsed":
            since = b.today - timedelta(days=3 * 365 + b.rng.randint(30, 400))
        if state in {"accredited", "conditions", "suspended", "lapsed"}:
            kind = "accredited_conditions" if state == "conditions" else "accredited"
            decisions.append({"organisation_id": org["id"], "kind": kind, "effective_on": since,
                              "valid_until": default_valid_until(since),
                              "reasons": "Every criterion met.",
                              "conditions": "Adopt a written complaints procedure."
                              if kind == "accredited_conditions" else "",
                              "decided_at": _at(since)})
        if state == "suspended":
            day = b.today - timedelta(days=b.rng.randint(3, 20))
            decisions.append({"organisation_id": org["id"], "kind": "suspended",
                              "effective_on": day, "valid_until": None,
                              "reasons": "A safeguarding concern is being looked into.",
                              "conditions": "", "decided_at": _at(day)})
        if state == "applying":
            applications.append({"organisation_id": org["id"], "kind": "initial",
                                 "status": "submitted", "created_at": _at(since),
                                 "submitted_at": _at(since + timedelta(days=10)), "version": 1})
    b.org_rows = [{k: v for k, v in o.items() if k != "state"} for o in orgs]
    b.org_decisions, b.org_applications = decisions, applications
    return orgs


def _trainees(b: _Builder, orgs: list[dict]) -> tuple[list[dict], list[dict]]:
    """Trainees spread over cohorts that started one after another; the measured one first."""
    count = _count("cohorts", b.scale)
    cohorts = [{"id": c + 1, "name": f"Cohort {c + 1}: intake of "
                f"{(b.today - timedelta(days=200 + 120 * c)).isoformat()}",
                "starts_on": b.today - timedelta(days=200 + 120 * c),
                "ends_on": b.today + timedelta(days=165 - 120 * c),
                "created_at": b.stamp, "updated_at": b.stamp} for c in range(count)]
    trainees = []
    for n in range(_count("trainees", b.scale)):
        if n == 0:
            user_id = b.person(f"trainee@{DOMAIN}", "Jordan Ellis", ("trainee",))
            specialism, jurisdiction = "modern_slavery", "england_wales"
        else:
            user_id = b.person(f"trainee{n}@{DOMAIN}", b.name(), ("trainee",))
            specialism = b.rng.choices(SPECIALISMS, (40, 30, 20, 10))[0]
            jurisdiction = b.rng.choices(JURISDICTIONS, (70, 20, 10))[0]
        status = "active" if n == 0 else b.rng.choices(
            ("active", "interrupted", "withdrawn"), (94, 3, 3))[0]
        trainees.append({"id": user_id, "cohort": cohorts[n % count], "specialism": specialism,
                         "jurisdiction": jurisdiction, "status": status,
                         "org": orgs[0] if n == 0 else b.rng.choice(orgs)})
    return trainees, cohorts


def _advocates(b: _Builder, orgs: list[dict], staff: dict) -> list[dict]:
    """Qualified advocates on the register; the org admin's organisation employs a growing
    share of them (the dashboard's rows), and the measured advocate is the first."""
    taken: set[str] = set()
    advocates = []
    for n in range(max(2, round(DEFAULTS["trainees"] * ADVOCATES_PER_TRAINEE * b.scale))):
        if n == 0:
            name, email = "Amira Haddad", f"advocate@{DOMAIN}"
        else:
            name, email = b.name(), f"advocate{n}@{DOMAIN}"
        user_id = b.person(email, name, ("advocate",))
        specialism = "modern_slavery"  # the specialism accreditation is for (IMSA)
        number = b.unique(taken, lambda s=specialism: "{}-{}-{}".format(
            PREFIXES[s], *(("".join(b.rng.choice(NUMBER_ALPHABET) for _ in range(4)))
                           for _ in range(2))))
        org = orgs[0] if n == 0 or b.rng.random() < 0.05 else b.rng.choice(orgs)
        since = b.today - timedelta(days=650 if n == 0 else b.rng.randint(60, 1400))
        state = "accredited" if n == 0 else b.rng.choices(
            ("accredited", "conditions", "suspended", "withdrawn"), (88, 6, 4, 2))[0]
        advocates.append({"id": user_id, "name": name, "surname": name.split()[-1],
                          "specialism": specialism, "number": number, "org": org,
                          "since": since, "state": state})
    return advocates


def _flush_people(b, orgs, trainees, cohorts, advocates, staff) -> None:
    _insert(HostOrganisation, b.org_rows)
    _insert(OrgDecision, [{**d, "decided_by_id": staff["moderator"]} for d in b.org_decisions])
    if b.org_applications:
        _insert(OrgApplication, b.org_applications)
    _insert(Cohort, cohorts)
    _insert(Enrolment, [{"id": n + 1, "cohort_id": t["cohort"]["id"], "user_id": t["id"],
                         "specialism": t["specialism"], "jurisdiction": t["jurisdiction"],
                         "status": t["status"], "student_id": f"S{100000 + n}",
                         "created_at": b.stamp, "updated_at": b.stamp}
                        for n, t in enumerate(trainees)])
    employments = [{"user_id": staff["orgadmin"], "organisation_id": orgs[0]["id"],
                    "job_title": "Services manager", "start_date": b.today - timedelta(days=2000),
                    "created_at": b.stamp, "updated_at": b.stamp}]
    employments += [{"user_id": t["id"], "organisation_id": t["org"]["id"],
                     "job_title": "Trainee advocate", "start_date": t["cohort"]["starts_on"],
                     "created_at": b.stamp, "updated_at": b.stamp} for t in trainees]
    employments += [{"user_id": a["id"], "organisation_id": a["org"]["id"],
                     "job_title": "Independent advocate",
                     "start_date": a["since"] - timedelta(days=90),
                     "created_at": b.stamp, "updated_at": b.stamp} for a in advocates]
    _insert(Employment, employments)
    decisions = []
    for a in advocates:
        decisions.append({"user_id": a["id"], "kind": "accredit", "effective_on": a["since"],
                          "reason": "DBS check, supervision agreement and code of practice "
                                    "received.", "conditions": "", "due_on": None,
                          "decided_by_id": staff["moderator"], "decided_at": _at(a["since"])})
        later = {"conditions": "conditions", "suspended": "suspend",
                 "withdrawn": "withdraw"}.get(a["state"])
        if later:
            day = b.today - timedelta(days=b.rng.randint(5, 50))
            decisions.append({"user_id": a["id"], "kind": later, "effective_on": day,
                              "reason": "Decided by the course team.",
                              "conditions": "Complete supervised practice."
                              if later == "conditions" else "",
                              "due_on": day + timedelta(days=180) if later == "conditions"
                              else None, "decided_by_id": staff["moderator"],
                              "decided_at": _at(day)})
    _insert(Award, [{"user_id": a["id"], "specialism": a["specialism"],
                     "awarded_on": a["since"] - timedelta(days=60),
                     "recorded_by_id": staff["moderator"],
                     "recorded_at": _at(a["since"] - timedelta(days=60))} for a in advocates])
    _insert(RegisterEntry, [{"user_id": a["id"], "number": a["number"], "withheld": False,
                             "created_at": _at(a["since"])} for a in advocates])
    _insert(AdvocateDecision, decisions)
    _insert(CpdProfile, [{"user_id": a["id"], "accredited_on": a["since"]} for a in advocates])
    b.counts.update(host_organisations=len(orgs), org_decisions=len(b.org_decisions),
                    cohorts=len(cohorts), enrolments=len(trainees), trainees=len(trainees),
                    advocates=len(advocates), employments=len(employments),
                    advocate_decisions=len(decisions))


# ---------------------------------------------------------------------------- assessments


def _components() -> list[tuple[ModuleVersion, dict]]:
    versions = db.session.scalars(select(ModuleVersion).join(
        Module, Module.current_version_id == ModuleVersion.id)
        .order_by(ModuleVersion.position, Module.code))
    return [(v, c) for v in versions for c in v.meta["components"]
            if c["kind"] == "written" or c.get("scenario") in v.scenarios]


def _phase(deadline: date, today: date) -> str:
    if deadline < today - timedelta(days=30):
        return "released"
    return "marking" if deadline < today else "open"


def _assessments(b: _Builder, cohorts, trainees, staff) -> dict:
    """Each cohort's assessments (core and its specialisms' components, due one after another)
    and its trainees' work: released long ago, in marking near the deadline, open after it."""
    components = _components()
    assessments, focus = [], {}
    slots: dict[str | None, int] = {}
    for cohort in cohorts:
        for version, component in components:
            slot = slots.setdefault(f"{cohort['id']}:{version.specialism}", 0)
            slots[f"{cohort['id']}:{version.specialism}"] = slot + 1
            position = slot if version.kind == "core" else 4 + slot
            due = cohort["starts_on"] + timedelta(days=45 * (position + 1))
            phase = _phase(due, b.today)
            assessments.append({
                "id": len(assessments) + 1, "cohort_id": cohort["id"],
                "module_id": version.module_id, "version_id": version.id,
                "component_id": component["id"], "title": component["title"],
                "kind": component["kind"], "scenario_slug": component.get("scenario"),
                "scenario_variants": dict(component.get("jurisdictions", {})) or None,
                "deadline": _at(due, 12), "anonymous": True, "second_marking": "sample",
                "tolerance": 10, "late_capped_days": 5,
                "released_at": _at(due + timedelta(days=25)) if phase == "released" else None,
                "created_by_id": staff["moderator"], "created_at": b.stamp,
                "updated_at": b.stamp, "_phase": phase, "_specialism": version.specialism})
    _insert(Assessment, [{k: v for k, v in a.items() if not k.startswith("_")}
                         for a in assessments])
    shapes = _shapes(assessments)
    by_cohort: dict[int, list[dict]] = {}
    for a in assessments:
        by_cohort.setdefault(a["cohort_id"], []).append(a)
    work = _work(b, trainees, by_cohort, shapes, staff)
    marking = [a for a in by_cohort[cohorts[0]["id"]] if a["_phase"] == "marking"]
    focus["moderation"] = (marking or [a for a in by_cohort[cohorts[0]["id"]]
                                       if a["_phase"] == "released"])[0]["id"]
    focus["released"] = work
    return focus


def _shapes(assessments) -> dict[int, dict]:
    """Each assessment's rubric, and the steps and answers of its recommended route, read once
    from the content, in the form the app records them: a decision is {"stage", "option",
    "justification"}, a written task {"stage", "answer": True} with its text in the answers."""
    shapes = {}
    for a in db.session.scalars(select(Assessment)):
        data = a.scenario or {}
        stages = stages_by_id(data)
        steps, answers = [], {}
        for stage_id in (recommended_path(data) if data else []):
            stage = stages[stage_id]
            if "decision" in stage:
                options = stage["decision"]["options"]
                chosen = (next((o for o in options if o.get("recommended")), None)
                          or max(options, key=lambda o: o.get("score", 0)))
                steps.append({"stage": stage_id, "option": chosen["id"],
                              "justification": JUSTIFICATION})
            elif "task" in stage:
                steps.append({"stage": stage_id, "answer": True})
                answers[stage_id] = ANSWER
        shapes[a.id] = {"rubric": [c["id"] for c in data.get("rubric", [])], "path": steps,
                        "answers": answers}
    db.session.expunge_all()
    return shapes


MARKING_STATES = (("submitted", 15), ("in_marking", 30), ("marked", 25), ("moderated", 20),
                  ("ready", 10))


def _work(b, trainees, by_cohort, shapes, staff) -> dict[int, list[tuple[int, int]]]:
    """Submissions, allocations and marks; returns each trainee's released passes."""
    target = _count("submissions", b.scale)
    subs, allocations, marks = [], [], []
    taken: dict[int, set[str]] = {}
    passes: dict[int, list[tuple[int, int]]] = {}
    markers = [staff["marker"], *staff["markers"], staff["moderator"]]
    released_pairs = []

    def add(assessment, trainee, state, attempt=1):
        shape = shapes[assessment["id"]]
        number = b.unique(taken.setdefault(assessment["id"], set()), lambda: "C" + "".join(
            b.rng.choice(CODE_ALPHABET) for _ in range(6)))
        sid = len(subs) + 1
        deadline = assessment["deadline"]
        done = state != "draft"
        when = deadline - timedelta(days=b.rng.randint(0, 6), hours=b.rng.randint(0, 20))
        subs.append({
            "id": sid, "assessment_id": assessment["id"], "user_id": trainee["id"],
            "attempt": attempt, "candidate_number": number, "state": state,
            "path": shape["path"] if done else shape["path"][:1],
            "answers": shape["answers"] if done else {
                k: v for k, v in shape["answers"].items()
                if any(step["stage"] == k for step in shape["path"][:1])},
            "decision_mark": b.rng.randint(40, 90) if done and assessment["kind"] == "scenario"
            else None,
            "submitted_at": when if done else None, "declaration_at": when if done else None,
            "reference": f"{assessment['id']:04d}-{number}-{attempt}" if done else None,
            "content_hash": f"{b.rng.getrandbits(256):064x}" if done else None,
            "days_late": 0, "mitigating": False, "scenario_slug": None, "version": 2,
            "created_at": when - timedelta(days=3), "updated_at": when})
        if state in ("submitted", "draft"):
            return sid
        first = staff["marker"] if b.rng.random() < 0.3 else b.rng.choice(markers)
        allocations.append({"submission_id": sid, "marker_id": first, "role": "first",
                            "allocated_by_id": staff["moderator"], "allocated_at": when})
        mark = b.rng.randint(35, 85)
        if trainee is trainees[0]:  # the measured trainee passes, so holds a certificate
            mark = max(mark, 62)
        criteria = dict.fromkeys(shape["rubric"], mark)
        feedback = dict.fromkeys(shape["rubric"], FEEDBACK)
        common = {"submission_id": sid, "criterion_marks": criteria,
                  "criterion_feedback": feedback, "written_mark": mark, "mark": mark,
                  "final_mark": None, "reason": None, "created_at": when, "updated_at": when,
                  "overall_feedback": "A thoughtful response that keeps the person at the centre."}
        if state == "in_marking":
            if b.rng.random() < 0.5:
                marks.append({**common, "marker_id": first, "role": "first",
                              "status": "provisional"})
            return sid
        marks.append({**common, "marker_id": first, "role": "first", "status": "complete"})
        if b.rng.random() < 0.2:
            second = b.rng.choice([m for m in markers if m != first])
            allocations.append({"submission_id": sid, "marker_id": second, "role": "second",
                                "allocated_by_id": staff["moderator"], "allocated_at": when})
            marks.append({**common, "marker_id": second, "role": "second",
                          "status": "complete", "mark": min(100, mark + b.rng.randint(-6, 6))})
        if state in ("moderated", "ready", "released"):
            marks.append({**common, "marker_id": staff["moderator"], "role": "agreed",
                          "status": "complete", "final_mark": mark})
        if state == "released" and mark >= 50:
            passes.setdefault(trainee["id"], []).append((assessment["id"], mark))
        return sid

    for trainee in trainees:
        for assessment in by_cohort[trainee["cohort"]["id"]]:
            if assessment["_specialism"] not in (None, trainee["specialism"]):
                continue
            phase = assessment["_phase"]
            if phase == "released":
                state = "released"
                released_pairs.append((assessment, trainee))
            elif phase == "marking":
                state = b.rng.choices(*zip(*MARKING_STATES, strict=True))[0]
            else:
                state = b.rng.choices(("draft", "submitted", None), (50, 30, 20))[0]
                if trainee is trainees[0] and state is None:
                    state = "draft"
            if state is not None and len(subs) < target:
                add(assessment, trainee, state)
    # The rest are resits of released work (second, third attempts), as far as the count goes.
    attempt = 2
    while len(subs) < target and released_pairs:
        for assessment, trainee in b.rng.sample(released_pairs, len(released_pairs)):
            if len(subs) >= target:
                break
            add(assessment, trainee, b.rng.choices(("draft", "submitted"), (40, 60))[0],
                attempt)
        attempt += 1
    _insert(Submission, subs)
    _insert(Allocation, allocations)
    _insert(Mark, marks)
    b.counts.update(assessments=sum(len(v) for v in by_cohort.values()), submissions=len(subs),
                    allocations=len(allocations), marks=len(marks))
    return passes


# ---------------------------------------------------------------------------- CPD


def _cpd(b: _Builder, advocates, staff) -> None:
    """CPD entries: the measured advocate's grow with scale (2,000 at scale 1), the rest are
    shared among the other advocates, over their years since accreditation."""
    total = _count("cpd_entries", b.scale)
    own = min(total, max(10, round(2000 * b.scale)))
    others = advocates[1:] or advocates
    owners = [advocates[0]] * own + [others[k % len(others)] for k in range(total - own)]
    rows = []
    for k, advocate in enumerate(owners):
        days = max(1, (b.today - advocate["since"]).days)
        start = advocate["since"] + timedelta(days=b.rng.randrange(days))
        status = b.rng.choices(("logged", "planned", "draft", "withdrawn"), (90, 4, 4, 2))[0]
        if status == "planned":
            start = b.today + timedelta(days=b.rng.randint(5, 90))
        activity = b.rng.choice(ACTIVITIES)
        confirmed = status == "logged" and b.rng.random() < 0.3
        created = _at(min(start, b.today))
        rows.append({
            "user_id": advocate["id"], "status": status,
            "title": f"{activity.replace('_', ' ').capitalize()}: session {k % 97 + 1}",
            "start": start, "end": None, "minutes": 15 * b.rng.randint(2, 24),
            "activity": activity, "participatory": b.rng.random() < 0.6,
            "topics": b.rng.sample(TOPICS, b.rng.randint(1, 3)),
            "what_happened": "A session with colleagues on referrals.",
            "what_i_learned": "How decisions are reached, and how long they take.",
            "how_practice_changes": "I will explain the wait to the people I support.",
            "source": "manual", "module_id": None, "shared_with_employer": confirmed,
            "confirmed_at": created + timedelta(days=7) if confirmed else None,
            "confirmed_by_name": "Oluwaseun Adeyemi" if confirmed else None,
            "confirmed_by_role": "Services manager" if confirmed else None,
            "confirmed_by_organisation": advocate["org"]["name"] if confirmed else None,
            "withdrawn_at": created + timedelta(days=2) if status == "withdrawn" else None,
            "withdrawn_reason": "Logged twice by mistake" if status == "withdrawn" else None,
            "version": 1, "created_at": created, "updated_at": created})
    _insert(CpdEntry, rows)
    b.counts.update(cpd_entries=len(rows), cpd_entries_of_measured_advocate=own)


# ---------------------------------------------------------------------------- certificates


def _certificates(b: _Builder, orgs, advocates, trainees, focus) -> str:
    """Certificates: organisations' and advocates' accreditation, then module completions for
    released passes, up to the count. Returns the code of the measured trainee's first."""
    target = _count("certificates", b.scale)
    codes: set[str] = set()
    indexes = b.rng.sample(range(131_072), min(131_072, target + len(orgs) + len(advocates)))
    rows = []
    holders = {t["id"]: b.names[t["id"]] for t in trainees}
    modules = {row[0]: row[1:] for row in db.session.execute(
        select(Assessment.id, Assessment.module_id, ModuleVersion.title, ModuleVersion.credits,
               ModuleVersion.specialism)
        .join(ModuleVersion, ModuleVersion.id == Assessment.version_id))}
    keys: set[str] = set()

    def issue(kind, key, facts, issued_on, valid_until=None, **holder):
        code = b.unique(codes, lambda: format_code("".join(
            b.rng.choice(CODE_ALPHABET) for _ in range(12))))
        rows.append({"id": len(rows) + 1, "code": code, "kind": kind, "key": key,
                     "user_id": holder.get("user_id"),
                     "organisation_id": holder.get("organisation_id"), "facts": facts,
                     "issued_on": issued_on, "valid_until": valid_until,
                     "status_index": indexes[len(rows)], "salt": f"{b.rng.getrandbits(128):032x}",
                     "issued_by_id": None, "issued_at": _at(issued_on), "revoked_reason": "",
                     "suspended_reason": "", "version": 1})
        return code

    def modules_of(user_id):
        for assessment_id, mark in passes.get(user_id, []):
            module_id, title, credits, specialism = modules[assessment_id]
            key = f"module:{user_id}:{module_id}"
            if len(rows) >= target or key in keys:  # one a module, on its first pass
                continue
            keys.add(key)
            done = b.today - timedelta(days=b.rng.randint(30, 700))
            yield issue("module_completion", key, {
                "holder_name": holders[user_id], "module_title": title,
                "specialism": SPECIALISM_NAMES.get(specialism), "credits": credits,
                "completed_on": done.isoformat(),
                "result": "Distinction" if mark >= 70 else "Merit" if mark >= 60 else "Pass"},
                done, user_id=user_id)

    # The measured trainee's certificates come first, whatever the scale; then accredited
    # organisations' and up to a fifth of the count for advocates; trainees' modules fill up.
    passes = focus["released"]
    own = list(modules_of(trainees[0]["id"]))
    mine = own[0] if own else None
    for org in orgs:
        if org["state"] in {"accredited", "conditions"} and len(rows) < target:
            since = b.today - timedelta(days=200)
            issue("organisation_accreditation", f"org:{org['id']}", {
                "organisation_name": org["name"], "nation": org["nation"].replace("_", " ")
                .title(), "valid_from": since.isoformat(),
                "valid_until": default_valid_until(since).isoformat(),
                "with_conditions": org["state"] == "conditions"}, since,
                default_valid_until(since), organisation_id=org["id"])
    for a in advocates[:max(0, min(target // 5, target - len(rows)))]:
        until = default_valid_until(a["since"])
        issue("advocate_accreditation", f"accreditation:{a['id']}:{a['since'].isoformat()}", {
            "holder_name": a["name"], "accreditation_number": a["number"],
            "specialism": SPECIALISM_NAMES[a["specialism"]],
            "valid_from": a["since"].isoformat(), "valid_until": until.isoformat()},
            a["since"], until, user_id=a["id"])
    for trainee in trainees[1:]:
        list(modules_of(trainee["id"]))
    _insert(Certificate, rows)
    b.counts.update(certificates=len(rows))
    if mine is None:
        raise RuntimeError("the measured trainee has no certificate: scale too small")
    return mine


# ---------------------------------------------------------------------------- finishing


def _reset_sequences() -> None:
    """On PostgreSQL, move each id sequence past the ids given explicitly."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("users", "role_grants", "host_organisations", "org_decisions",
                  "org_applications", "cohorts", "enrolments", "employments", "awards",
                  "advocate_decisions", "assessments", "submissions", "allocations", "marks",
                  "cpd_entries", "certificates"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


def _analyse() -> None:
    """Give the planner statistics after the bulk load, as a running database would have from
    autovacuum (PostgreSQL's "Populating a Database" advice): without them PostgreSQL plans
    200,000 fresh rows as if the tables were empty, and cannot answer from an index alone
    until the table is vacuumed. SQLite's ANALYZE writes the statistics its planner reads."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _lesson_path() -> str:
    """The third lesson of the first core module, as a trainee opens it."""
    version = db.session.scalar(select(ModuleVersion).join(
        Module, Module.current_version_id == ModuleVersion.id)
        .order_by(ModuleVersion.position, Module.code))
    lessons = version.lessons
    return f"/modules/{version.module.slug}/{lessons[min(2, len(lessons) - 1)].slug}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Build the benchmark dataset.")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", required=True,
                        help="an empty database, e.g. sqlite:////tmp/bench.sqlite3")
    args = parser.parse_args(argv)
    from lms import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    started = time.perf_counter()
    dataset = build(app, args.scale, args.seed)
    took = time.perf_counter() - started
    with app.app_context():
        users = db.session.scalar(select(func.count(User.id)))
        db.engine.dispose()
    for name, count in dataset.counts.items():
        print(f"{name:34} {count:>9,}")
    print(f"built scale {args.scale} ({users:,} people) in {took:.1f} s")
    for page in dataset.pages:
        print(f"{page.name:16} {page.account or '-':10} {page.method:4} {page.path}")


if __name__ == "__main__":
    main()
