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


def test_markers_named_in_prose_are_not_the_section():
    text = (f"The table goes between `{report.START}` and `{report.END}` below.\n\n"
            f"{report.START}\n{report.END}\n")
    assert report.replace_section(text, "| table |") == (
        f"The table goes between `{report.START}` and `{report.END}` below.\n\n"
        f"{report.START}\n| table |\n{report.END}\n")


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


def _page(name, rps, p95, **extra):
    return {"page": name, "method": "GET", "path": f"/{name}", "account": None, "rps": rps,
            "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 1.5, "requests": 500,
            "ratio": rps / 1000, "queries": 5, "peak_worker_mb": 120.0, **extra}


def _results(pages, cpd_seconds=0.8, markdown_seconds=0.04):
    ceiling = _page("hello", 1000, 10) | {"ratio": 1.0}
    return {"date": "2026-11-30T00:00:00+00:00", "cpd_record_pdf": {
                "entries": 2000, "seconds": cpd_seconds, "cpu_seconds": cpd_seconds},
            "user_markdown": {"cases": 105, "length": 50_000, "worst": "a![ (most parsed)",
                              "cpu_seconds": markdown_seconds},
            "machine": {"cores": 2, "python": "3.11", "sqlite": "3.40"},
            "settings": {"scale": 1, "gunicorn_workers": 2, "connections": 16, "threads": 2,
                         "duration_s": 10},
            "databases": {"sqlite": {"ceiling": ceiling, "counts": {}, "pages": pages},
                          "postgresql": {"skipped": "unreachable"}}}


def test_targets_are_judged_on_sqlite_and_name_the_slowest_page():
    results = _results([_page("lesson", 350, 20), _page("public_check", 250, 30),
                        _page("moderation", 100, 75),
                        _page("certificate_pdf", 50, 40, single_request_ms={"median": 30.0})])
    verdicts = {row["target"]: row["passed"] for row in report.targets(results)}
    assert verdicts == {"lesson page >= 0.30 of ceiling": True,
                        "public check >= 0.30 of ceiling": False,
                        "every page p95 < 50 ms": False,
                        "certificate PDF < 50 ms": True,
                        "CPD record PDF, 2,000 entries < 1 s": True,
                        "user Markdown, worst of 105 texts of 50,000 characters < 100 ms": True}
    table = report.markdown(results)
    assert "75.0 ms (moderation)" in table
    assert "40.0 ms CPU (a![ (most parsed)), in process" in table
    assert "PostgreSQL not measured: unreachable." in table


def test_a_slow_user_markdown_render_misses_its_target():
    results = _results([_page("lesson", 350, 20)], markdown_seconds=0.1003)
    verdicts = {row["target"]: row["passed"] for row in report.targets(results)}
    assert verdicts["user Markdown, worst of 105 texts of 50,000 characters < 100 ms"] is False


def test_a_failed_page_is_listed_and_its_timings_left_out_of_the_table():
    results = _results([_page("lesson", 350, 20),
                        _page("cpd", 90, 30, failed=True, non2xx=90,
                              problem="90 answers not 2xx (the first was 302)")])
    assert report.failures(results) == [
        "SQLite cpd (GET /cpd): 90 answers not 2xx (the first was 302)"]
    cpd_row = next(line for line in report.markdown(results).splitlines()
                   if line.startswith("| cpd "))
    assert "FAILED" in cpd_row and "90.0" not in cpd_row
