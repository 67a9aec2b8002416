"""The load run's client (tests/bench/load.py): it must send what a browser sends from a form
(the CSRF token among it) and judge answers as the benchmark reports them, or a load run could
say "zero errors" about requests the app refused."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from tests.bench.load import Client, Recorder, find_form, links, mix_for, parse_forms

PAGE = """<html><body>
<form method="post" action="/sign-out"><input type="hidden" name="csrf_token" value="a"></form>
<form method="post" action="/assessments/2/scenario/answer" enctype="multipart/form-data">
  <input type="hidden" name="csrf_token" value="tok&amp;en">
  <input type="hidden" name="version" value="4">
  <textarea name="answer">
Saved text</textarea>
  <select name="activity"><option value="">Choose</option><option value="peer" selected>P
  </option></select>
  <input type="checkbox" name="topics" value="law">
  <input type="radio" name="option" value="a"><input type="radio" name="option" value="b">
  <input type="file" name="attachment">
  <button type="submit" name="action" value="save">Save draft</button>
</form>
<a href="/modules/m/one">1</a> <a href="/modules/m/two?x=1">2</a> <a href="/modules/m">m</a>
</body></html>"""


def test_a_form_gives_what_a_browser_would_send_by_default():
    answer = find_form(PAGE, action=r"/scenario/answer$", has="answer")
    assert answer.method == "POST"
    assert answer.fields == {"csrf_token": "tok&en", "version": "4", "answer": "Saved text",
                             "activity": "peer"}
    assert answer.options["option"] == ["a", "b"] and answer.options["topics"] == ["law"]
    assert answer.buttons == [("action", "save")]
    assert find_form(PAGE, has="nothing") is None
    assert len(parse_forms(PAGE)) == 2


def test_links_are_distinct_paths_without_their_query():
    assert links(PAGE, r"/modules/[^/]+/[^/]+$") == ["/modules/m/one", "/modules/m/two"]


@pytest.mark.parametrize("users", [1, 7, 10, 33, 100, 250])
def test_the_mix_keeps_its_proportions_at_any_size(users):
    roles = mix_for(users)
    assert len(roles) == users
    if users == 100:
        assert {r: roles.count(r) for r in set(roles)} == {
            "trainee": 55, "marker": 6, "moderator": 4, "advocate": 20, "orgadmin": 5,
            "public": 10}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        routes = {
            "/sign-in": (200, b'<form method="post"><input name="csrf_token" value="t">'
                              b'<input name="email"><input name="password" type="password">'
                              b"</form>", [("Set-Cookie", "s=anon; Path=/")]),
            "/home": (200, self.headers.get("Cookie", "").encode(), []),
            "/broken": (500, b"", []),
            "/missing": (404, b"", []),
            "/stale": (409, b"", []),
            "/gone": (302, b"", [("Location", "/sign-in?next=/gone")]),
        }
        self._answer(*routes[self.path.split("?")[0]])

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        if form.get("csrf_token") == ["t"] and form.get("password") == ["right"]:
            self._answer(302, headers=[("Location", "/home"),
                                       ("Set-Cookie", "s=signed-in; Path=/")])
        else:
            self._answer(401)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_signing_in_sends_the_forms_token_and_keeps_the_new_cookie(server):
    recorder = Recorder()
    client = Client(server, recorder)
    assert client.sign_in("a@example.org", "right")
    assert client.get("home", "/home").body == "s=signed-in"
    assert not Client(server, Recorder()).sign_in("a@example.org", "wrong")
    assert sum(recorder.errors.values()) == 0


def test_5xx_unexpected_4xx_and_a_lost_session_are_errors_and_a_409_a_conflict(server):
    recorder = Recorder()
    client = Client(server, recorder)
    assert client.sign_in("a@example.org", "right")
    assert client.get("page", "/broken") is None
    assert client.get("page", "/missing") is None
    assert client.get("page", "/missing", expect=(404,)).status == 404
    assert client.get("save", "/stale", conflict=(409,)).status == 409
    assert client.get("page", "/gone") is None and not client.signed_in
    assert recorder.errors == {"page": 3} and recorder.conflicts == {"save": 1}
    assert recorder.error_samples == [("GET", "/broken", 500), ("GET", "/missing", 404),
                                      ("GET", "/gone", "signed out")]
    client.close()
    assert Client("http://127.0.0.1:9", recorder).get("down", "/") is None
    assert recorder.errors["down"] == 1
