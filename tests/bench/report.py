"""The benchmark's report: targets, the Markdown table, results.json and the README section."""

import json
import os
import platform
import re
import sqlite3
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS_JSON = ROOT / "tests" / "bench" / "results.json"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# The dataset's rows named in the issue; results.json keeps every count.
HEADLINE_COUNTS = ("trainees", "cohorts", "host_organisations", "submissions", "cpd_entries",
                   "certificates")
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

RATIO_TARGET = 0.30  # the lesson page and the public check, of the hello world's req/s
P95_TARGET_MS = 50.0  # every page at 16 connections
CERTIFICATE_PDF_TARGET_MS = 50.0  # one request at a time
CPD_RECORD_TARGET_S = 1.0  # 2,000 entries
USER_MARKDOWN_TARGET_MS = 100.0  # the slowest render of a user's text at the longest length
FEW_REQUESTS = 100


def machine_info() -> dict:
    from tests.bench import wrk

    info = {"cores": os.cpu_count(), "cpu": _cpu_model(), "platform": platform.platform(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "postgresql": _postgresql_version(), "wrk": wrk.version()}
    from importlib.metadata import PackageNotFoundError, version

    try:
        info["gunicorn"] = version("gunicorn")
    except PackageNotFoundError:
        info["gunicorn"] = None
    return info


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _postgresql_version() -> str | None:
    try:
        result = subprocess.run(["psql", "--version"], capture_output=True, text=True, timeout=5)
        return result.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def safe_url(url: str) -> str:
    """The database URL without a password."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def _measured(results: dict):
    """(database key, database result) for every database that was measured."""
    for key, result in results["databases"].items():
        if "pages" in result:
            yield key, result


def _page(result: dict, name: str) -> dict | None:
    return next((row for row in result["pages"] if row["page"] == name), None)


def targets(results: dict) -> list[dict]:
    """The issue's targets: judged on SQLite, PostgreSQL beside it for information."""
    rows = []

    def row(target: str, measure, passes) -> None:
        values = {key: measure(result) for key, result in _measured(results)}
        sqlite = values.get("sqlite")
        rows.append({"target": target, "values": {k: v[1] for k, v in values.items() if v},
                     "passed": None if sqlite is None else passes(sqlite[0])})

    for name, label in (("lesson", "lesson page"), ("public_check", "public check")):
        def ratio(result, name=name):
            page = _page(result, name)
            if page is None or page.get("ratio") is None or page.get("failed"):
                return None
            return page["ratio"], f"{page['ratio']:.2f}"
        row(f"{label} >= {RATIO_TARGET:.2f} of ceiling", ratio, lambda v: v >= RATIO_TARGET)

    def worst_p95(result):
        pages = [page for page in result["pages"] if page.get("p95_ms") is not None]
        if not pages:
            return None
        worst = max(pages, key=lambda page: page["p95_ms"])
        return worst["p95_ms"], f"{worst['p95_ms']:.1f} ms ({worst['page']})"
    row(f"every page p95 < {P95_TARGET_MS:.0f} ms", worst_p95, lambda v: v < P95_TARGET_MS)

    def certificate(result):
        page = _page(result, "certificate_pdf")
        single = page and page.get("single_request_ms")
        if not single:
            return None
        return single["median"], f"{single['median']:.1f} ms"
    row(f"certificate PDF < {CERTIFICATE_PDF_TARGET_MS:.0f} ms", certificate,
        lambda v: v < CERTIFICATE_PDF_TARGET_MS)

    cpd = results.get("cpd_record_pdf")
    if cpd:
        measured = f"{cpd['seconds']:.3f} s ({cpd['cpu_seconds']:.3f} s CPU), in process"
        rows.append({"target": f"CPD record PDF, {cpd['entries']:,} entries < "
                               f"{CPD_RECORD_TARGET_S:.0f} s",
                     "values": {"sqlite": measured},
                     "passed": cpd["seconds"] < CPD_RECORD_TARGET_S})

    markdown = results.get("user_markdown")
    if markdown:
        ms = markdown["cpu_seconds"] * 1000
        rows.append({"target": f"user Markdown, worst of {markdown['cases']} texts of "
                               f"{markdown['length']:,} characters < "
                               f"{USER_MARKDOWN_TARGET_MS:.0f} ms",
                     "values": {"sqlite": f"{ms:.1f} ms CPU ({markdown['worst']}), in process"},
                     "passed": ms < USER_MARKDOWN_TARGET_MS})
    return rows


def failures(results: dict) -> list[str]:
    """Every page that answered anything but 2xx, or lost connections; databases that broke."""
    found = []
    for key, result in results["databases"].items():
        if "error" in result:
            found.append(f"{NAMES[key]}: {result['error']}")
            continue
        if "pages" not in result:
            continue
        if result.get("ceiling", {}).get("failed"):
            found.append(f"{NAMES[key]} hello world: {result['ceiling'].get('problem')}")
        for page in result["pages"]:
            if page.get("failed"):
                found.append(f"{NAMES[key]} {page['page']} ({page['method']} {page['path']}): "
                              f"{page.get('problem')}")
        load = result.get("load") or {}
        if load.get("error"):
            found.append(f"{NAMES[key]} load run: {load['error']}")
        elif load.get("errors"):
            found.append(f"{NAMES[key]} load run: {load['errors']} errors")
    return found


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    """A Markdown table padded to line up in a terminal too."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells):
        padded = (str(cell).rjust(width) if i in right else str(cell).ljust(width)
                  for i, (cell, width) in enumerate(zip(cells, widths, strict=True)))
        return "| " + " | ".join(padded) + " |"
    rule = "|" + "|".join(("-" * (w + 1) + ":") if i in right else "-" * (w + 2)
                          for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def page_rows(results: dict) -> list[list[str]]:
    rows = []
    for key, result in _measured(results):
        ceiling = result["ceiling"]
        rows.append(["hello world (ceiling)", NAMES[key], _number(ceiling["rps"]),
                     _number(ceiling["p50_ms"]), _number(ceiling["p95_ms"]),
                     _number(ceiling["p99_ms"]), "1.00", "-",
                     _number(ceiling.get("peak_worker_mb"), 0), "ok"])
        for page in result["pages"]:
            # A failed page's timings describe error pages or nothing: they are not shown.
            shown = {} if page.get("failed") else page
            rows.append([page["page"], NAMES[key], _number(shown.get("rps")),
                         _number(shown.get("p50_ms")), _number(shown.get("p95_ms")),
                         _number(shown.get("p99_ms")), _number(shown.get("ratio"), 2),
                         "-" if page.get("queries") is None else str(page["queries"]),
                         _number(page.get("peak_worker_mb"), 0),
                         "FAILED" if page.get("failed") else "ok"])
    return rows


def progress_line(page: dict) -> str:
    if page.get("failed"):
        return f"{page['page']:24} FAILED: {page.get('problem')}"
    return (f"{page['page']:24} {page['rps']:8.1f} req/s  p50 {page['p50_ms']:6.1f}  p95 "
            f"{page['p95_ms']:6.1f}  p99 {page['p99_ms']:6.1f} ms  x{page['ratio']:.2f}  "
            f"{page['queries'] if page['queries'] is not None else '-'} queries  "
            f"{_number(page.get('peak_worker_mb'), 0)} MB")


def load_sentence(load: dict) -> str:
    return (f"{load['users']} users, {load['seconds']} s: {load['requests']:,} requests, "
            f"{load['errors']:,} errors")


def markdown(results: dict) -> str:
    settings, machine = results["settings"], results["machine"]
    parts = [_table(["Page", "Database", "Req/s", "p50 ms", "p95 ms", "p99 ms", "x ceiling",
                     "Queries", "Peak MB/worker", "Status"], page_rows(results),
                    right={2, 3, 4, 5, 6, 7, 8})]
    measured = ["sqlite", *(key for key, _ in _measured(results) if key != "sqlite")]
    target_rows = [[row["target"], *(row["values"].get(key, "-") for key in measured),
                    {True: "pass", False: "MISS", None: "-"}[row["passed"]]]
                   for row in targets(results)]
    parts.append(_table(["Target (judged on SQLite)", *(NAMES[k] for k in measured),
                         "Pass/miss"], target_rows, right=set()))
    notes = []
    few = [f"{page['page']} on {NAMES[key]} ({page['requests']})"
           for key, result in _measured(results) for page in result["pages"]
           if not page.get("failed") and page.get("requests", 0) < FEW_REQUESTS]
    if few:
        notes.append(f"Fewer than {FEW_REQUESTS} requests measured, so the percentiles rest on "
                     f"few samples (a longer --duration gives more): {', '.join(few)}.")
    for key, result in results["databases"].items():
        load = result.get("load")
        if load and "requests" in load:
            notes.append(f"Load run on {NAMES[key]}: {load_sentence(load)}.")
        if "skipped" in result:
            notes.append(f"{NAMES[key]} not measured: {result['skipped']}.")
        if "error" in result:
            notes.append(f"{NAMES[key]} FAILED: {result['error']}.")
    counts = next((result["counts"] for _, result in _measured(results)), {})
    counts = {key: counts[key] for key in HEADLINE_COUNTS if key in counts} or counts
    rows = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
    notes.append(
        f"{results['date'][:10]}, scale {settings['scale']:g}" + (f" ({rows})" if rows else "")
        + f"; {machine['cores']} cores, Python {machine['python']}, SQLite "
        f"{machine['sqlite']}; gunicorn {settings['gunicorn_workers']} sync workers; wrk "
        f"{settings['connections']} connections, {settings['threads']} threads, "
        f"{settings['duration_s']} s a page; rate limits off.")
    parts.append("\n\n".join(notes))
    return "\n\n".join(parts) + "\n"


def replace_section(text: str, section: str) -> str | None:
    """Put section between the bench markers, each alone on its line (prose may name them);
    None when the markers are not both there."""
    found = re.search(rf"^{re.escape(START)}\n(.*?\n)?{re.escape(END)}$", text, re.S | re.M)
    if found is None:
        return None
    return (text[:found.start()] + START + "\n" + section.strip("\n") + "\n" + END
            + text[found.end():])


def update_readme(path: Path, section: str) -> bool:
    replaced = replace_section(path.read_text(), section)
    if replaced is None:
        return False
    path.write_text(replaced)
    return True


def write_json(results: dict, path: Path) -> None:
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")


def write_markdown(table: str, path: Path) -> None:
    path.write_text(table)
