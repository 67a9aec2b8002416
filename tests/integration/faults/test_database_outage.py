"""The database unreachable: every page answers 503 without internals, /healthz says so, and the
same running app serves normal pages again once the database is back, with no restart."""

import socket
import threading
from contextlib import suppress
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.access import PUBLIC, allow
from lms.extensions import db
from tests.conftest import sign_in

UNAVAILABLE = "Sorry, the service is unavailable"


class TcpProxy:
    """Forwards a local port to PostgreSQL. Closed, it refuses connections and cuts the open
    ones, as a stopped server does; opened again, on the same port, it forwards again."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, 0
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.open()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        listener.settimeout(0.05)
        self.port, self._listening = listener.getsockname()[1], threading.Event()
        self._listening.set()
        self._thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._thread.start()

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while self._listening.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                client.settimeout(None)
                try:
                    upstream = socket.create_connection(self.target)
                except OSError:
                    client.close()
                    continue
                with self._lock:
                    self._sockets += [client, upstream]
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                _hang_up(end)

    def cut(self) -> None:
        """Cut every open connection, as a database restart does."""
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for end in sockets:
            _hang_up(end)

    def close(self) -> None:
        self._listening.clear()
        self._thread.join()  # the port is closed: connecting is refused
        self.cut()


def _hang_up(end: socket.socket) -> None:
    with suppress(OSError):
        end.shutdown(socket.SHUT_RDWR)
    end.close()


class PostgresOutage:
    """The app reaches PostgreSQL through a proxy the test closes and opens again."""

    def __init__(self, url):
        self.proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
        self.url = url.set(host="127.0.0.1", port=self.proxy.port)
        self.internals = [url.host or "127.0.0.1", str(url.port or 5432), str(self.proxy.port)]

    def down(self, served) -> None:
        self.proxy.close()

    def up(self) -> None:
        self.proxy.open()

    def finish(self) -> None:
        self.proxy.close()


class SqliteOutage:
    """The database file's folder moved away, so no connection can open it, and put back.

    A connection already open keeps reading the moved file through its descriptor, so the
    served app's connections are closed first, as a stopped server closes PostgreSQL's."""

    def __init__(self, url):
        self.url = url
        self.folder = Path(url.database).parent
        self.away = self.folder.with_name(self.folder.name + "-away")
        self.internals = [str(self.folder), Path(url.database).name]

    def down(self, served) -> None:
        with served.app_context():
            db.engine.dispose()
        self.folder.rename(self.away)

    def up(self) -> None:
        if self.away.exists():
            self.away.rename(self.folder)

    def finish(self) -> None:
        self.up()


@pytest.fixture
def outage(app):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    kind = PostgresOutage if url.get_backend_name() == "postgresql" else SqliteOutage
    found = kind(url)
    yield found
    found.finish()


def served_app(url, **extra):
    """The app as it runs in production (errors answered, not raised), on `url`."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
                       "SECRET_KEY": "test-secret-key-not-for-production",
                       "MAIL_BACKEND": "outbox", "EXTERNAL_URL": "http://localhost",
                       "RATELIMIT_STORAGE_URI": "memory://", **extra})


@pytest.fixture
def served(outage):
    found = served_app(outage.url)
    yield found
    with found.app_context():
        db.engine.dispose()


def pages(app) -> list[str]:
    """Every page that takes no arguments, as a signed-in person would ask for it."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static")


def assert_unavailable_page(response, outage, path: str) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503, f"{path}: {response.status_code}"
    assert response.headers["Retry-After"]
    if path.startswith("/api/"):
        assert response.json["error"] == "unavailable", path
    else:
        assert response.mimetype == "text/html" and UNAVAILABLE in page, path
        assert "Sign out" not in page  # no one is looked up while the database is away
    lowered = page.lower()
    for internal in ["error:", "traceback", "sqlalchemy", "psycopg", "sqlite", "select ",
                     "connection", *outage.internals]:
        assert internal.lower() not in lowered, f"{path} shows {internal!r}"


def test_while_the_database_is_unreachable_pages_answer_503_and_the_app_recovers_by_itself(
        app, served, outage, create_user):
    trainee = create_user("trainee", name="Tamsin Reade")
    person, stranger = served.test_client(), served.test_client()
    sign_in(person, trainee)
    assert "Tamsin Reade" in person.get("/").get_data(as_text=True)
    assert person.get("/healthz").json == {"status": "ok", "database": "ok"}

    before = {path: person.get(path).status_code for path in pages(served)}

    outage.down(served)
    untouched = set()
    for path in pages(served):
        response = person.get(path)
        if response.status_code != 503 and path != "/healthz":
            # A page that needs no record (a static document) answers as it did; never a 500.
            assert response.status_code == before[path] != 500, path
            untouched.add(path)
            continue
        if path != "/healthz":
            assert_unavailable_page(response, outage, path)
    assert len(untouched) < len(before) / 10 and not {"/", "/programme", "/cpd"} & untouched
    # Those not signed in: a public page, the API, and signing in (a form sent) all say so.
    code = "ABCD-EFGH-JKMN"
    for path in ["/organisations/register", f"/verify/{code}", f"/api/v1/verify/{code}"]:
        assert_unavailable_page(stranger.get(path), outage, path)
    signing_in = stranger.post("/sign-in", data={"email": trainee.email, "password": "x",
                                                 "csrf_token": _token(stranger)})
    assert_unavailable_page(signing_in, outage, "/sign-in")
    health = stranger.get("/healthz")
    assert (health.status_code, health.json) == (503, {"status": "degraded",
                                                       "database": "unavailable"})

    outage.up()
    # The same app, not restarted: the normal page, for the same signed-in person.
    page = person.get("/")
    assert page.status_code == 200 and "Tamsin Reade" in page.get_data(as_text=True)
    assert "Sign out" in page.get_data(as_text=True)
    assert stranger.get("/healthz").json == {"status": "ok", "database": "ok"}


def _token(client) -> str:
    from tests.conftest import CSRF_RE

    return CSRF_RE.search(client.get("/sign-in").get_data(as_text=True)).group(1)


def test_a_database_restart_between_two_requests_costs_no_one_a_page(
        app, served, outage, create_user):
    if not isinstance(outage, PostgresOutage):
        pytest.skip("a restart that cuts open connections is PostgreSQL's (SQLite has none)")
    trainee = create_user("trainee", name="Tamsin Reade")
    person = served.test_client()
    sign_in(person, trainee)
    assert person.get("/").status_code == 200
    outage.proxy.cut()  # every pooled connection is now dead; the server is back at once
    # The pool tests a connection before handing it out (pool_pre_ping) and replaces it.
    page = person.get("/")
    assert page.status_code == 200 and "Tamsin Reade" in page.get_data(as_text=True)


def test_a_mistake_in_sql_is_still_a_500_not_an_outage(app):
    broken = served_app(make_url(app.config["SQLALCHEMY_DATABASE_URI"]))

    @allow(PUBLIC)
    def missing_table():
        db.session.execute(text("SELECT * FROM no_such_table"))
        return "unreachable"

    broken.add_url_rule("/broken", view_func=missing_table)
    try:
        response = broken.test_client().get("/broken")
        assert response.status_code == 500
        assert "Sorry, something went wrong" in response.get_data(as_text=True)
        assert broken.test_client().get("/healthz").status_code == 200
    finally:
        with broken.app_context():
            db.engine.dispose()
