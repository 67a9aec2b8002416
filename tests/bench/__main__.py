"""The benchmark (`make bench`): a seeded large dataset served by gunicorn and driven by wrk.

python -m tests.bench [--scale 1] [--duration 10] [--databases sqlite,postgresql] [--no-load]
"""

import argparse
import os
import secrets
import signal
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from tests.bench import report, serve, wrk

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PDF_REPEATS = 20


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="dataset size as a multiple of the defaults (5,000 trainees, ...)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--warmup", type=int, default=None,
                        help="seconds of wrk before each measured run (default 2, 1 if short)")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    parser.add_argument("--postgresql-url", default=POSTGRES_ADMIN_URL,
                        help="an existing database to connect to; the benchmark creates and "
                             "drops its own database beside it")
    parser.add_argument("--pages", default="", help="only these pages (comma-separated names)")
    parser.add_argument("--load", action=argparse.BooleanOptionalAction, default=True,
                        help="run the load test (100 users, 60 s) after the pages")
    parser.add_argument("--load-users", type=int, default=100)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--json", type=Path, default=report.RESULTS_JSON)
    parser.add_argument("--readme", action=argparse.BooleanOptionalAction, default=True,
                        help="replace the README's bench section with the table")
    args = parser.parse_args(argv)
    args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(args.databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}")
    args.pages = {name.strip() for name in args.pages.split(",") if name.strip()}
    if args.warmup is None:
        args.warmup = 1 if args.duration < 5 else 2
    if args.duration < 1:
        parser.error("--duration is whole seconds, at least 1")
    return args


def server_env(workdir: Path) -> dict[str, str]:
    """The settings both the in-process app and gunicorn read (keys made once per run)."""
    from certificates.keys import generate_private_key, private_key_to_pem

    return {
        "LMS_SECRET_KEY": secrets.token_hex(32),
        "LMS_SIGNING_KEY": private_key_to_pem(generate_private_key()),
        # The public check allows 10 a minute from one address: wrk would measure the 429 page.
        "LMS_RATELIMIT_ENABLED": "0",
        "LMS_MAIL_BACKEND": "outbox",
        "LMS_QUEUE_URL": f"sqlite:///{workdir / 'queue.sqlite3'}",
        # One machine: production accepts the SQLite database and queue file only when told.
        "LMS_SINGLE_MACHINE": "1",
        # Plain HTTP on 127.0.0.1: the session cookie must not be marked Secure.
        "LMS_SECURE_COOKIES": "0",
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    wrk.wrk_path()
    # Stopped by a signal, still stop the servers and drop the database on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with serve.temporary_workdir() as tmp:
        workdir = Path(tmp)
        settings = server_env(workdir)
        # Set before lms is imported: the task queue reads LMS_QUEUE_URL on import.
        os.environ.update(settings)
        os.environ.pop("FLASK_DEBUG", None)
        results = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": report.machine_info(),
            "settings": {"scale": args.scale, "seed": args.seed, "duration_s": args.duration,
                         "warmup_s": args.warmup, "connections": wrk.CONNECTIONS,
                         "threads": wrk.THREADS, "gunicorn_workers": serve.WORKERS,
                         "worker_class": "sync", "rate_limits": "off",
                         "lms_env": "production"},
            "databases": {},
        }
        print(f"Benchmark: scale {args.scale:g}, {args.duration} s a page after {args.warmup} s "
              f"warm-up, wrk {wrk.CONNECTIONS} connections / {wrk.THREADS} threads, gunicorn "
              f"{serve.WORKERS} sync workers, LMS_ENV=production.")
        print("Rate limits are OFF (LMS_RATELIMIT_ENABLED=0): the public check allows 10 a "
              "minute from one address and would otherwise answer 429.", flush=True)
        results["cpd_record_pdf"] = cpd_record_pdf()
        cpd = results["cpd_record_pdf"]
        print(f"CPD record PDF, {cpd['entries']:,} entries (in process): {cpd['seconds']:.3f} s "
              f"wall, {cpd['cpu_seconds']:.3f} s CPU", flush=True)
        results["user_markdown"] = user_markdown()
        worst = results["user_markdown"]
        print(f"User Markdown, worst of {worst['cases']} texts of {worst['length']:,} characters "
              f"(in process): {worst['cpu_seconds'] * 1000:.1f} ms CPU ({worst['worst']})",
              flush=True)
        for name in args.databases:
            results["databases"][name] = run_database(name, args, settings, workdir)
    results["targets"] = report.targets(results)
    failures = report.failures(results)
    table = report.markdown(results)
    print()
    print(table)
    report.write_json(results, args.json)
    report.write_markdown(table, args.json.with_suffix(".md"))
    print(f"Wrote {args.json} and {args.json.with_suffix('.md')}.")
    if args.readme:
        if report.update_readme(report.README, table):
            print(f"Replaced the bench section of {report.README}.")
        else:
            print(f"{report.README} has no {report.START} ... {report.END} markers: "
                  "the table above was not written into it.")
    if failures:
        print("\n" + "!" * 78)
        for failure in failures:
            print(f"FAILED: {failure}")
        print("!" * 78)
        return 1
    return 0


def cpd_record_pdf(entries: int = 2000) -> dict:
    """Render the CPD record PDF for 2,000 entries in process; best of 3 (wall and CPU)."""
    from lms.cpd.record import record_pdf
    from tests.bench_cpd_record import synthetic_record

    record_pdf(synthetic_record(1))  # fonts registered outside the timing
    record = synthetic_record(entries)
    wall, cpu = [], []
    for _ in range(3):
        began, began_cpu = time.perf_counter(), time.process_time()
        record_pdf(record)
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return {"entries": entries, "seconds": round(min(wall), 4), "cpu_seconds": round(min(cpu), 4)}


def user_markdown() -> dict:
    """Time the slowest render of users' Markdown over the adversarial texts: best of 3 each."""
    from lms.courses.render import render_user_markdown
    from tests.markdownkit import LENGTH, every_case

    render = render_user_markdown.__wrapped__  # uncached: the first render of a text
    times = {}
    for name, text in every_case().items():
        best = float("inf")
        for _ in range(3):
            began = time.process_time()
            render(text)
            best = min(best, time.process_time() - began)
        times[name] = best
    worst = max(times, key=times.get)
    return {"cases": len(times), "length": LENGTH, "worst": worst,
            "cpu_seconds": round(times[worst], 4)}


def run_database(name: str, args, settings: dict, workdir: Path) -> dict:
    print(f"\n== {name} ==", flush=True)
    try:
        with _Database(name, workdir, args.postgresql_url) as url:
            if url is None:
                return {"skipped": f"PostgreSQL at {report.safe_url(args.postgresql_url)} "
                                   "is unreachable"}
            return measure_database(name, url, args, settings, workdir)
    except Exception as error:  # noqa: BLE001 - one database failing must not lose the other
        traceback.print_exc()
        print(f"!! {name}: {error}", flush=True)
        return {"error": f"{type(error).__name__}: {error}"}


def measure_database(name: str, url: str, args, settings: dict, workdir: Path) -> dict:
    from tests.bench import counting

    began = time.perf_counter()
    app, dataset = counting.build_dataset(url, args.scale, args.seed)
    result = {"url": report.safe_url(url), "version": counting.server_version(app),
              "build_seconds": round(time.perf_counter() - began, 1),
              "counts": dict(dataset.counts), "pages": [], "load": None}
    print(f"Dataset built in {result['build_seconds']} s: "
          + ", ".join(f"{k} {v:,}" for k, v in dataset.counts.items()), flush=True)
    pages = [page for page in dataset.pages if not args.pages or page.name in args.pages]
    queries = {page.name: count_queries(app, dataset, page) for page in pages}
    counting.dispose(app)
    env = dict(os.environ) | settings | {"LMS_DATABASE_URL": url, "LMS_ENV": "production"}

    with serve.Gunicorn(serve.HELLO_APP, env, workdir) as hello:
        ceiling = drive(hello, "/", wrk.script(), args)
    result["ceiling"] = ceiling
    print(f"{'hello world (ceiling)':24} {ceiling['rps']:8.1f} req/s  p95 "
          f"{ceiling['p95_ms']:6.1f} ms", flush=True)

    with serve.Gunicorn(serve.LMS_APP, env, workdir) as lms:
        for page in pages:
            row = measure_page(lms, dataset, page, args)
            row["queries"] = queries[page.name]
            row["ratio"] = round(row["rps"] / ceiling["rps"], 4) if ceiling["rps"] else None
            result["pages"].append(row)
            print(report.progress_line(row), flush=True)
        if args.load:
            result["load"] = run_load(lms.base_url, dataset, args)
    return result


def count_queries(app, dataset, page) -> int | None:
    from tests.bench import counting

    try:
        return counting.queries_per_request(app, dataset, page)
    except Exception as error:  # noqa: BLE001 - the HTTP run still measures the page
        print(f"!! counting the queries of {page.name} failed: {error}", flush=True)
        return None


def measure_page(server: serve.Gunicorn, dataset, page, args) -> dict:
    row = {"page": page.name, "method": page.method, "path": page.path, "account": page.account}
    try:
        server.wait_idle()
        browser = serve.Browser(server.base_url)
        if page.account:
            browser.sign_in(dataset.accounts[page.account], dataset.password)
        body = None
        if page.method == "POST":
            form = dict(page.form or {})
            form["csrf_token"] = browser.csrf_token(page.form_page or page.path)
            status, content = browser.send("POST", page.path, form)
            body = urlencode(form)
        else:
            status, content = browser.send("GET", page.path)
        if not 200 <= status < 300:
            raise serve.ServerFailed(f"a first {page.method} {page.path} answered {status}")
        headers = {"Cookie": browser.cookie_header()} if browser.cookies else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        row |= drive(server, page.path, wrk.script(page.method, body, headers), args)
        if page.name == "certificate_pdf":
            row["single_request_ms"] = single_request_ms(browser, page.path)
    except (serve.ServerFailed, KeyError, OSError, RuntimeError, ValueError) as error:
        # One page failing must not lose the others: it is reported, loudly, at the end.
        row |= {"failed": True, "problem": f"{type(error).__name__}: {error}", "rps": 0.0}
    return row


def drive(server: serve.Gunicorn, path: str, lua: str, args) -> dict:
    """Warm up, reset the workers' peak memory, measure; return the numbers as a dict."""
    url = server.base_url + path
    wrk.run(url, lua, server.workdir, args.warmup)
    server.wait_idle()
    reset = server.reset_peak_memory()
    measured = wrk.run(url, lua, server.workdir, args.duration)
    numbers = measured.as_dict()
    numbers["peak_worker_mb"] = server.peak_memory_mb()
    numbers["peak_since"] = "page" if reset else "server start"
    if measured.failed:
        numbers["problem"] = measured.problem()
    if server.process.poll() is not None:
        raise serve.ServerFailed(f"gunicorn stopped during {path}:\n{server.log_tail()}")
    server.wait_idle()
    return numbers


def single_request_ms(browser: serve.Browser, path: str) -> dict:
    """One request at a time (no queueing): what a person waits for the PDF."""
    timings = []
    for _ in range(PDF_REPEATS):
        began = time.perf_counter()
        status, _ = browser.send("GET", path)
        timings.append((time.perf_counter() - began) * 1000)
        if status != 200:
            raise serve.ServerFailed(f"GET {path} answered {status}")
    timings.sort()
    return {"median": round(timings[len(timings) // 2], 2), "max": round(timings[-1], 2),
            "requests": PDF_REPEATS}


def run_load(base_url: str, dataset, args) -> dict:
    try:
        from tests.bench.load import run_load as load
    except ModuleNotFoundError as error:
        if error.name != "tests.bench.load":
            raise
        print("Load run skipped: tests/bench/load.py is not there yet.", flush=True)
        return {"skipped": "tests/bench/load.py is missing"}
    print(f"Load run: {args.load_users} users for {args.load_seconds} s ...", flush=True)
    try:
        outcome = load(base_url, dataset, users=args.load_users, seconds=args.load_seconds)
    except Exception as error:  # noqa: BLE001 - reported as a failure, the table still prints
        traceback.print_exc()
        return {"error": f"{type(error).__name__}: {error}"}
    print(report.load_sentence(outcome), flush=True)
    return outcome


class _Database:
    """A throwaway database: a SQLite file, or a PostgreSQL database dropped afterwards."""

    def __init__(self, name: str, workdir: Path, admin_url: str):
        self.name, self.workdir, self.admin_url, self.pg_name = name, workdir, admin_url, None

    def __enter__(self) -> str | None:
        if self.name == "sqlite":
            return f"sqlite:///{self.workdir / f'bench-{secrets.token_hex(4)}.sqlite3'}"
        import psycopg

        name = f"lms_bench_{os.getpid()}_{secrets.token_hex(3)}"
        try:
            with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as error:
            print(f"PostgreSQL skipped: cannot reach {report.safe_url(self.admin_url)} "
                  f"({str(error).strip()}).", flush=True)
            return None
        self.pg_name = name
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}"

    def __exit__(self, *exc) -> None:
        if self.pg_name is None:
            return
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
