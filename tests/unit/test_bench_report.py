"""The benchmark's plumbing: wrk's numbers read right, failures seen, the README section kept."""

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.bench import report, wrk

DONE_LINE = (f"{wrk.MARKER} requests=1200 duration_us=10000000 bytes=99 p50_us=4500 "
             "p95_us=12250 p99_us=20000 max_us=31000 mean_us=5000.0 non2xx=0 first_status=0 "
             "connect=0 read=0 write=0 status=0 timeout=0")


def test_wrk_done_line_becomes_milliseconds_and_requests_per_second():
    result = wrk.parse("Running 10s test @ http://127.0.0.1:1/\n" + DONE_LINE + "\n")
    assert result.rps == pytest.approx(120.0)
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (4.5, 12.25, 20.0)
    assert not result.failed


@pytest.mark.parametrize(("change", "problem"), [
    ("non2xx=0 first_status=0", "non2xx=3 first_status=302"),
    ("read=0", "read=2"),
    ("timeout=0", "timeout=1"),
])
def test_any_answer_not_2xx_or_socket_error_fails_the_page(change, problem):
    result = wrk.parse(DONE_LINE.replace(change, problem))
    assert result.failed
    assert result.problem()


def test_wrk_output_without_the_line_is_an_error_not_zeros():
    with pytest.raises(ValueError, match="BENCH-RESULT"):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_readme_section_is_replaced_between_the_markers_only():
    text = f"# LMS\n\nBefore.\n\n{report.START}\nold table\n{report.END}\n\nAfter.\n"
    replaced = report.replace_section(text, "| new | table |\n")
    assert replaced == (f"# LMS\n\nBefore.\n\n{report.START}\n| new | table |\n{report.END}"
                        "\n\nAfter.\n")
    assert report.replace_section(replaced, "| new | table |") == replaced


def test_readme_without_markers_is_left_alone():
    assert report.replace_section("# LMS\n\nNo markers here.\n", "| table |") is None
    assert report.replace_section(f"{report.END}\n{report.START}\n", "| table |") is None


class _Redirects(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server hook's name
        length = int(self.headers.get("Content-Length", 0))
        seen = self.rfile.read(length).decode()
        ok = seen == 'q="x"&csrf_token=t' and self.headers.get("Cookie") == "s=1"
        self.send_response(200 if ok else 400)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # noqa: N802
        self.send_response(302)
        self.send_header("Location", "/sign-in")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_the_lua_script_counts_redirects_and_carries_cookie_and_form(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirects)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        redirected = wrk.run(url, wrk.script(), tmp_path, 1, connections=2, threads=1)
        posted = wrk.run(url, wrk.script("POST", 'q="x"&csrf_token=t', {
            "Cookie": "s=1", "Content-Type": "application/x-www-form-urlencoded"}),
            tmp_path, 1, connections=2, threads=1)
    finally:
        server.shutdown()
        server.server_close()
    assert redirected.failed and redirected.first_status == 302
    assert redirected.non2xx == redirected.requests > 0
    assert not posted.failed and posted.requests > 0
