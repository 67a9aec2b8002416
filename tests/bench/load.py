"""Load run: simulated users of mixed roles drive a served app over HTTP (part of make bench).

Each simulated user is a thread with its own keep-alive connection (stdlib http.client), its own
cookies and the CSRF token of the form it is about to send. It signs in through the real form,
then repeats its role's actions with a think time of 0.2-1.0 s (from a seeded Random).

An error is any 5xx, a connection error, a timeout or an unexpected 4xx. A 409 from a save that
another simulated user of the same account made at the same moment is a correct answer (the app
refuses to overwrite work it did not show) and is counted as a conflict, not an error.

Serve the app with rate limits off (LMS_RATELIMIT_ENABLED=0): a hundred users from one address
would otherwise be throttled on the public check and the verify page, as the app intends.
"""

import argparse
import http.client
import json
import random
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

from tests.bench.pages import Dataset, Page

TIMEOUT = 30.0


# Forms -------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # every named control, in order
    buttons: list[tuple[str, str]] = field(default_factory=list)  # submit buttons with a name
    options: dict[str, list[str]] = field(default_factory=dict)  # radio / select values


class _FormParser(HTMLParser):
    """Collect each <form>'s action, method and the values a browser would send by default."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").upper())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            form.names.append(name)
            if kind in {"submit", "image", "button"}:
                form.buttons.append((name, a.get("value", "")))
            elif kind in {"radio", "checkbox"}:
                form.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind != "file":
                form.fields[name] = a.get("value", "")
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            form.names.append(name)
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            form.names.append(name)
            self._select = name
        elif tag == "option" and self._select:
            value = a.get("value", "")
            form.options.setdefault(self._select, []).append(value)
            if "selected" in a or self._select not in form.fields:
                form.fields[self._select] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields[self._textarea] = "".join(self._text).removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def find_form(html: str, action: str | None = None, has: str | None = None) -> Form | None:
    """The first form whose action contains `action` (a regular expression) and that has a
    control named `has`; None if the page has none."""
    for form in parse_forms(html):
        if action is not None and not re.search(action, form.action):
            continue
        if has is not None and has not in form.names and has not in form.fields:
            continue
        return form
    return None


_HREF = re.compile(r'href="([^"#?]*)(?:\?[^"]*)?"')


def links(html: str, pattern: str) -> list[str]:
    """Distinct paths of links on the page matching `pattern` (a regular expression, anchored
    at the start), in page order."""
    seen = []
    rx = re.compile(pattern)
    for href in _HREF.findall(html):
        if rx.match(href) and href not in seen:
            seen.append(href)
    return seen


# Client ------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    path: str
    body: str
    location: str | None = None


class Outcome:
    OK, CONFLICT, ERROR = "ok", "conflict", "error"


class Recorder:
    """Every request's kind, time and outcome, shared by all the simulated users."""

    def __init__(self, samples: int = 10):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.conflicts: dict[str, int] = {}
        self.error_samples: list[tuple[str, str, int | str]] = []
        self._samples = samples
        self._window_opened: float | None = None
        self.in_window = 0  # requests sent after the measured window opened

    def window_open(self) -> None:
        self._window_opened = time.monotonic()

    def add(self, kind: str, ms: float, outcome: str, method: str, path: str,
            status: int | str) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(ms)
            if self._window_opened is not None and \
                    time.monotonic() - ms / 1000 >= self._window_opened:
                self.in_window += 1
            if outcome == Outcome.CONFLICT:
                self.conflicts[kind] = self.conflicts.get(kind, 0) + 1
            elif outcome == Outcome.ERROR:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.error_samples) < self._samples:
                    self.error_samples.append((method, path, status))


class Client:
    """One simulated browser: a keep-alive connection, cookies, redirects followed."""

    def __init__(self, base_url: str, recorder: Recorder, timeout: float = TIMEOUT):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.recorder = recorder
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.signed_in = False
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple:
        reused = self._conn is not None
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self._conn.request(method, self.prefix + path, body=body, headers=headers)
            resp = self._conn.getresponse()
            return resp, resp.read()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # A kept-alive connection the server closed while idle: send again on a new one.
            # A request that fails on a fresh connection is an error.
            self.close()
            if not reused:
                raise
            return self._send(method, path, body, headers)

    def request(self, kind: str, method: str, path: str, form: dict | None = None,
                expect: tuple[int, ...] = (), conflict: tuple[int, ...] = (),
                follow: bool = True) -> Response | None:
        """Send one request (and follow its redirects, each recorded under `kind`). 2xx and
        3xx are fine, and so are the statuses in `expect`; those in `conflict` count as
        conflicts; anything else, a timeout or a broken connection, as errors. Returns None
        after an error."""
        body = urlencode(form, doseq=True).encode() if form is not None else None
        for _hop in range(5):
            headers = {"Host": f"{self.host}:{self.port}", "Accept": "text/html",
                       "User-Agent": "lms-load/1"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Origin"] = f"http://{self.host}:{self.port}"
                headers["Referer"] = f"http://{self.host}:{self.port}{self.prefix}{path}"
            start = time.perf_counter()
            try:
                resp, raw = self._send(method, path, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                ms = (time.perf_counter() - start) * 1000
                self.close()
                status = "timeout" if isinstance(exc, socket.timeout) else type(exc).__name__
                self.recorder.add(kind, ms, Outcome.ERROR, method, path, status)
                return None
            ms = (time.perf_counter() - start) * 1000
            for header in resp.headers.get_all("Set-Cookie") or ():
                jar = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or (morsel["expires"] and not morsel.value):
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            if resp.getheader("Connection", "").lower() == "close":
                self.close()
            status = resp.status
            if status in conflict:
                outcome = Outcome.CONFLICT
            elif 200 <= status < 400 or status in expect:
                outcome = Outcome.OK
            else:
                outcome = Outcome.ERROR
            self.recorder.add(kind, ms, outcome, method, path, status)
            if outcome == Outcome.ERROR:
                return None
            location = resp.getheader("Location")
            if follow and status in (301, 302, 303, 307, 308) and location:
                target = urlsplit(urljoin(f"http://{self.host}:{self.port}{self.prefix}{path}",
                                          location))
                if self.signed_in and target.path == self.prefix + "/sign-in":
                    # Sent to sign in again: the session was lost, which no one should see.
                    self.signed_in = False
                    self.recorder.add(kind, 0.0, Outcome.ERROR, method, path, "signed out")
                    return None
                path = target.path.removeprefix(self.prefix) or "/"
                if target.query:
                    path += "?" + target.query
                if status in (301, 302, 303):
                    method, body = "GET", None
                continue
            return Response(status, path, raw.decode("utf-8", "replace"), location)
        return Response(status, path, raw.decode("utf-8", "replace"), location)

    def get(self, kind: str, path: str, **kw) -> Response | None:
        return self.request(kind, "GET", path, **kw)

    def submit(self, kind: str, page: Response, form: Form, values: dict | None = None,
               **kw) -> Response | None:
        """Send `form` from `page` as a browser would: its own fields (CSRF token included)
        with `values` over them."""
        data = dict(form.fields)
        data.update(values or {})
        action = form.action or page.path
        target = urlsplit(urljoin(f"http://h{self.prefix}{page.path}", action))
        path = target.path.removeprefix(self.prefix) + (f"?{target.query}" if target.query else "")
        return self.request(kind, form.method, path, form=data, **kw)

    def sign_in(self, email: str, password: str) -> bool:
        page = self.get("sign_in", "/sign-in")
        form = page and find_form(page.body, has="password")
        if form is None:
            return False
        resp = self.submit("sign_in", page, form, {"email": email, "password": password})
        self.signed_in = resp is not None and resp.path != "/sign-in"
        return self.signed_in


# Simulated users ---------------------------------------------------------------------------

# Of 100 users: (role, how many). Markers and moderators share the marking work; public
# visitors are signed out.
MIX = (("trainee", 55), ("marker", 6), ("moderator", 4), ("advocate", 20), ("orgadmin", 5),
       ("public", 10))
CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def mix_for(users: int) -> list[str]:
    """The role of each of `users` simulated users, in MIX's proportions (largest remainder)."""
    total = sum(n for _, n in MIX)
    exact = [(role, users * n / total) for role, n in MIX]
    counts = {role: int(x) for role, x in exact}
    short = users - sum(counts.values())
    for role, _x in sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)[:short]:
        counts[role] += 1
    return [role for role, _ in MIX for _ in range(counts[role])]


def accounts_for(dataset, role: str) -> list[str]:
    """The dataset's accounts for a role: one email, or a list of them (numbered accounts)."""
    value = dataset.accounts.get(role)
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _page(dataset, name: str):
    return next((p for p in dataset.pages if p.name == name), None)


class Stop(Exception):
    """The run's time is up (raised while thinking)."""


class Run:
    """What all the simulated users share: the recorder, the dataset and the clock. Users
    arrive (and sign in) over the ramp; the measured window opens when all have arrived."""

    def __init__(self, dataset, recorder: "Recorder", users: int):
        self.dataset, self.recorder = dataset, recorder
        self.stop = threading.Event()
        self.go = threading.Event()
        self.stop_at = float("inf")
        self._waiting = users
        self._lock = threading.Lock()
        self.all_arrived = threading.Event()

    def arrived(self) -> None:
        with self._lock:
            self._waiting -= 1
            if self._waiting <= 0:
                self.all_arrived.set()

    def open(self, seconds: float) -> None:
        self.stop_at = time.monotonic() + seconds
        self.recorder.window_open()
        self.go.set()


class User:
    """One simulated person: a client, a seeded Random, and what they have found so far."""

    def __init__(self, role: str, email: str | None, client: Client, rng: random.Random,
                 run: Run):
        self.role, self.email, self.client, self.rng = role, email, client, rng
        self.run_, self.dataset = run, run.dataset
        self.found: dict[str, list[str]] = {}

    def think(self) -> None:
        pause = self.rng.uniform(0.2, 1.0)
        if time.monotonic() + pause >= self.run_.stop_at or self.run_.stop.wait(pause):
            raise Stop

    def get(self, kind: str, path: str, **kw) -> Response | None:
        self.think()
        return self.client.get(kind, path, **kw)

    def submit(self, kind: str, page: Response, form: Form, values=None, **kw):
        self.think()
        return self.client.submit(kind, page, form, values, **kw)

    def pick(self, page: Response | None, key: str, pattern: str) -> str | None:
        """A random link matching `pattern` on `page` (remembered under `key` for later)."""
        if page is not None:
            found = links(page.body, pattern)
            if found:
                self.found[key] = found
        options = self.found.get(key)
        return self.rng.choice(options) if options else None

    def signed_in(self) -> bool:
        return self.role == "public" or self.client.signed_in

    def sign_in(self) -> None:
        """Through the real form; a failure is recorded, and the user tries again later."""
        self.think()
        self.client.sign_in(self.email, self.dataset.password)

    def arrive(self, delay: float) -> None:
        """Wait `delay`, sign in, and wait for the window to open; then work until it shuts."""
        run, counted = self.run_, False
        try:
            if run.stop.wait(delay):
                return
            if not self.signed_in():
                self.client.sign_in(self.email, self.dataset.password)
            run.arrived()
            counted = True
            run.go.wait()
            self.work()
        finally:
            if not counted:  # an exception on the way in: do not keep the others waiting
                run.arrived()
            self.client.close()

    def work(self) -> None:
        actions = ACTIONS[self.role]
        weights = [w for _, w in actions]
        try:
            while not self.run_.stop.is_set():
                if not self.signed_in():
                    self.sign_in()
                    continue
                self.rng.choices([a for a, _ in actions], weights)[0](self)
        except Stop:
            pass


# Trainees: programme, lessons (content notes, marking done), assessments (drafts, feedback).

def trainee_home(user: User) -> None:
    user.get("home", "/")


def trainee_study(user: User) -> None:
    lesson_path = None
    if user.rng.random() < 0.5 or "lessons" not in user.found:
        programme = user.get("programme", "/programme")
        module = user.pick(programme, "modules", r"/modules/[^/]+$")
        if module is None:
            return
        page = user.get("module", module)
        lesson_path = user.pick(page, "lessons", r"/modules/[^/]+/[^/]+$")
    else:
        lesson_path = user.pick(None, "lessons", "")
    if lesson_path is None:
        return
    lesson = user.get("lesson", lesson_path)
    if lesson is None:
        return
    note = find_form(lesson.body, action=r"/content-note$")
    if note is not None:
        lesson = user.submit("content_note", lesson, note)
        if lesson is None:
            return
    done = find_form(lesson.body, action=r"/done$")
    # Mark it done; now and then mark a done lesson not done again, so the writes go on.
    if done is not None and (done.fields.get("done") != "0" or user.rng.random() < 0.3):
        user.submit("lesson_done", lesson, done)


DRAFT_TEXT = ("The advocate would explain their role and the limits of confidentiality, agree "
              "with the person what happens next and record what was agreed. ")


def trainee_assessment(user: User) -> None:
    listing = user.get("assessments", "/assessments")
    target = user.pick(listing, "assessments", r"/assessments/\d+$")
    if target is None:
        return
    page = user.get("assessment", target)  # released marks and feedback, or the work so far
    if page is None:
        return
    start = find_form(page.body, action=r"/assessments/\d+/scenario$")
    work = links(page.body, r"/assessments/\d+/scenario$")
    if start is not None:  # not started: Start (another user of the account may at once)
        stage = user.submit("start", page, start)
    elif work:
        stage = user.get("scenario", work[0])
    else:
        return
    if stage is None:
        return
    answer = find_form(stage.body, action=r"/scenario/answer$", has="answer")
    decision = find_form(stage.body, action=r"/scenario/decide$", has="option")
    if answer is not None:
        text = DRAFT_TEXT * user.rng.randint(1, 4)
        if user.rng.random() < 0.5:  # as the page's script saves while typing (JSON answer)
            user.submit("draft_autosave", stage, answer, {"answer": text, "action": "autosave"},
                        conflict=(409,))
        else:  # the Save draft button
            user.submit("draft_save", stage, answer, {"answer": text, "action": "save"},
                        conflict=(409,))
    elif decision is not None and decision.options.get("option"):
        # Only the current stage can be decided; a user of the same account who decided first
        # makes this one stale, which the app answers with 409 and both texts.
        user.submit("decide", stage, decision,
                    {"option": user.rng.choice(decision.options["option"]),
                     "justification": "It keeps the person informed and in control."},
                    conflict=(409,))


# Markers and moderators: the queue, a piece of work, a saved draft of the mark.

def marker_queue(user: User) -> None:
    queue = user.get("marker_queue", "/marking")
    piece = user.pick(queue, "pieces", r"/marking/\d+/\w+$")
    if piece is None:
        return
    page = user.get("mark_piece", piece)
    form = page and find_form(page.body, has="version")
    if form is not None and ("action", "save") in form.buttons:
        user.submit("mark_save", page, form, {"action": "save"}, conflict=(409,))


def moderator_overview(user: User) -> None:
    listing = user.get("staff_assessments", "/staff/assessments")
    target = user.pick(listing, "moderation", r"/moderation/\d+$")
    if target is not None:
        user.get("moderation", target)


# Advocates: the CPD page, an entry logged through the form, the record.

def advocate_cpd(user: User) -> None:
    page = user.get("cpd", "/cpd")
    entry = user.pick(page, "entries", r"/cpd/entries/\d+$")
    if entry is not None and user.rng.random() < 0.5:
        user.get("cpd_entry", entry)


def advocate_log(user: User) -> None:
    page = user.get("cpd_new", "/cpd/entries/new")
    form = page and find_form(page.body, action=r"/cpd/entries/new$", has="title")
    if form is None:
        return
    day = date.today() - timedelta(days=user.rng.randint(1, 20))
    user.submit("cpd_add", page, form, {
        "action": "log", "title": f"Practice group {user.rng.randint(1, 999)}",
        "start": day.isoformat(), "end": "", "hours": user.rng.choice(["1", "1.5", "2.25"]),
        "activity": "peer_learning", "participatory": "1",
        "topics": ["law_and_policy", "safeguarding"],
        "what_happened": "Discussed a referral with the practice group.",
        "what_i_learned": "How other advocates share information lawfully.",
        "how_practice_changes": "I check consent before each referral."})


def advocate_record(user: User) -> None:
    page = user.get("cpd", "/cpd")
    record = user.pick(page, "record", r"/cpd/record\.csv$")
    if record is not None:
        user.get("cpd_record_csv", record)


# Organisation admins: the dashboard and the bulk check.

def _numbers(dataset) -> list[str]:
    check = _page(dataset, "public_check")
    number = (check.form or {}).get("number") if check else None
    return [number] if number else []


def orgadmin_dashboard(user: User) -> None:
    known = _page(user.dataset, "org_dashboard")
    target = known.path if known else user.pick(user.get("home", "/"), "orgs",
                                                 r"/organisations/\d+$")
    if target is not None:
        user.get("org_dashboard", target)


def orgadmin_bulk(user: User) -> None:
    known = _page(user.dataset, "org_dashboard")
    base = known.path if known else user.pick(user.get("home", "/"), "orgs",
                                               r"/organisations/\d+$")
    if base is None:
        return
    page = user.get("bulk_check_page", base + "/check")
    form = page and find_form(page.body, has="numbers")
    if form is not None:
        numbers = _numbers(user.dataset) + ["IMSA-0000-0000"]
        user.submit("bulk_check", page, form, {"numbers": "\n".join(numbers),
                                               "action": "check"})


# Public visitors: the public check with right and wrong surnames, the verify page.

def public_check(user: User) -> None:
    known = _page(user.dataset, "public_check")
    page = user.get("public_check_page", "/check")
    form = page and find_form(page.body, has="surname")
    if form is None:
        return
    values = dict(known.form) if known and known.form else {"number": "IMSA-0000-0000",
                                                             "surname": "Nobody"}
    if user.rng.random() < 0.5:
        values["surname"] += "x"  # a wrong surname: the same "no match" as an unknown number
    user.submit("public_check", page, form, values)


def public_verify(user: User) -> None:
    known = _page(user.dataset, "verify")
    if known is not None:
        user.get("verify", known.path)
    else:
        page = user.get("verify", "/verify")
        form = page and find_form(page.body, has="code")
        if form is not None:
            user.submit("verify", page, form, {"code": "AAAA-BBBB-CCCC"})


ACTIONS = {
    "trainee": ((trainee_home, 1), (trainee_study, 4), (trainee_assessment, 2)),
    "marker": ((marker_queue, 1),),
    "moderator": ((marker_queue, 1), (moderator_overview, 1)),
    "advocate": ((advocate_cpd, 2), (advocate_log, 1), (advocate_record, 1)),
    "orgadmin": ((orgadmin_dashboard, 2), (orgadmin_bulk, 1)),
    "public": ((public_check, 2), (public_verify, 1)),
}


# The run -----------------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run_load(base_url: str, dataset, users: int = 100, seconds: int = 60,
             seed: int = 1) -> dict:
    """Drive the app at `base_url` with `users` simulated users for `seconds` and say how it
    went. The users arrive over a ramp (a fifth of a second each, at most 20 s) and sign in;
    then all of them work together for `seconds`, the measured window. Sign-ins are recorded
    (kind "sign_in") and their errors counted like any other.

    `dataset` gives the accounts (`accounts[role]`: an email or a list of emails, shared
    round-robin among the users of that role; a role without one browses as a public visitor),
    the password and, from its pages, the public check's number and surname, the verify page
    and the organisation dashboard. The run writes (CPD entries, drafts, decisions, lessons
    done, marks): point it at a database you can throw away, served with rate limits off
    (LMS_RATELIMIT_ENABLED=0)."""
    recorder = Recorder()
    rng = random.Random(seed)
    run = Run(dataset, recorder, users)
    ramp = min(20.0, users / 5)
    roles, taken, people = mix_for(users), {}, []
    for role in roles:
        pool = accounts_for(dataset, role)
        if role != "public" and not pool:
            role = "public"
        email = pool[taken.get(role, 0) % len(pool)] if pool else None
        taken[role] = taken.get(role, 0) + 1
        people.append(User(role, email, Client(base_url, recorder),
                           random.Random(rng.getrandbits(64)), run))
    threads = [threading.Thread(target=u.arrive, args=(rng.uniform(0, ramp),), daemon=True,
                                name=f"load-{u.role}-{n}") for n, u in enumerate(people)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        # Every user has signed in (or failed to, after the client's timeout).
        run.all_arrived.wait(ramp + 3 * TIMEOUT)
        arrival = time.monotonic() - started
        run.open(seconds)
        for thread in threads:
            thread.join(max(0.0, run.stop_at - time.monotonic()) + TIMEOUT + 5)
    finally:
        run.stop.set()
        run.go.set()
    return _summary(recorder, people, users, seconds, arrival)


def _summary(recorder: Recorder, people: list[User], users: int, seconds: int,
             arrival: float) -> dict:
    with recorder.lock:  # a user still waiting on a late answer may yet record it
        times = {kind: list(values) for kind, values in recorder.times.items()}
        errors, conflicts = dict(recorder.errors), dict(recorder.conflicts)
        samples, window = list(recorder.error_samples), recorder.in_window
    by_kind = {kind: {"requests": len(values), "errors": errors.get(kind, 0),
                      "conflicts": conflicts.get(kind, 0),
                      "p50_ms": round(_percentile(values, 0.50), 1),
                      "p95_ms": round(_percentile(values, 0.95), 1)}
               for kind, values in sorted(times.items())}
    mix: dict[str, int] = {}
    for user in people:
        mix[user.role] = mix.get(user.role, 0) + 1
    return {"users": users, "seconds": seconds, "arrival_s": round(arrival, 1),
            "requests": sum(k["requests"] for k in by_kind.values()),
            "requests_in_window": window, "requests_per_s": round(window / seconds, 1),
            "errors": sum(errors.values()), "conflicts": sum(conflicts.values()),
            "mix": mix, "by_kind": by_kind,
            "error_samples": [list(s) for s in samples]}


# Trying it by hand against `make run` --------------------------------------------------------

DEMO_PASSWORD = "demo-password-2026"
DEMO_ACCOUNTS = {"trainee": "trainee@example.org", "marker": "marker@example.org",
                 "moderator": "moderator@example.org", "advocate": "advocate@example.org",
                 "orgadmin": "orgadmin@example.org"}


def demo_dataset(base_url: str) -> Dataset:
    """The demo data's accounts (README), with a certificate code read from the demo
    organisation admin's certificates page for the verify page."""
    pages = [Page("public_check", None, "/check", "POST",
                   {"number": "IMSA-7K3Q-9XFD", "surname": "Haddad"}, "/check")]
    client = Client(base_url, Recorder())
    if client.sign_in(DEMO_ACCOUNTS["orgadmin"], DEMO_PASSWORD):
        home = client.get("home", "/")
        org = links(home.body, r"/organisations/\d+$") if home else []
        if org:
            pages.append(Page("org_dashboard", "orgadmin", org[0]))
        certificates = client.get("certificates", "/certificates")
        codes = CODE.findall(certificates.body) if certificates else []
        if codes:
            pages.append(Page("verify", None, f"/verify/{codes[0]}"))
    client.close()
    return Dataset(0, DEMO_PASSWORD, dict(DEMO_ACCOUNTS), tuple(pages), {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.load",
        description="Simulated users of mixed roles against a served app (demo accounts). "
                    "It writes: use a throwaway database, served with LMS_RATELIMIT_ENABLED=0.")
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("--demo", action="store_true", required=True,
                        help="use the demo data's accounts (flask --app lms demo load)")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = run_load(args.base_url, demo_dataset(args.base_url), args.users, args.seconds,
                      args.seed)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(format_result(result))
    return 1 if result["errors"] else 0


def format_result(result: dict) -> str:
    lines = [f"{result['users']} users arrived and signed in over {result['arrival_s']} s, then "
             f"worked for {result['seconds']} s: {result['requests']} requests "
             f"({result['requests_per_s']}/s in the window), {result['errors']} errors, "
             f"{result['conflicts']} conflicts (409 on a save another user of the same account "
             f"made first)", "",
             f"{'kind':<20} {'requests':>8} {'errors':>6} {'409s':>5} {'p50 ms':>8} "
             f"{'p95 ms':>8}"]
    for kind, row in result["by_kind"].items():
        lines.append(f"{kind:<20} {row['requests']:>8} {row['errors']:>6} "
                     f"{row['conflicts']:>5} {row['p50_ms']:>8} {row['p95_ms']:>8}")
    for sample in result["error_samples"]:
        lines.append("error: " + " ".join(map(str, sample)))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
