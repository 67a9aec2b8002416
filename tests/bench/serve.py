"""Serve an app with gunicorn for the benchmark, and talk to it as a browser would."""

import functools
import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
LMS_APP = "lms:create_app()"
HELLO_APP = "tests.bench.hello:app"


class ServerFailed(RuntimeError):
    """gunicorn did not start, or stopped answering."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with 2 sync workers on a free local port, in its own process group.

    Use as a context manager: the whole group is stopped on the way out, whatever happened.
    An empty config file is passed so a gunicorn.conf.py in the project does not change the
    settings between the app and the ceiling.
    """

    def __init__(self, app: str, env: dict[str, str], workdir: Path):
        self.app, self.env, self.workdir = app, env, workdir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = workdir / f"gunicorn-{self.port}.log"

    def __enter__(self) -> "Gunicorn":
        config = self.workdir / "gunicorn-bench.conf.py"
        config.write_text("# The benchmark's settings are all on the command line.\n")
        command = [sys.executable, "-m", "gunicorn", "--config", str(config),
                   "--workers", str(WORKERS), "--worker-class", "sync",
                   "--bind", f"127.0.0.1:{self.port}", "--timeout", "120",
                   *_no_control_socket(), self.app]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_ready(self, timeout: float = 60) -> None:
        """Wait until /healthz answers 200 and both workers are up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"gunicorn ({self.app}) exited with {self.process.returncode} "
                                   f"before answering:\n{self.log_tail()}")
            try:
                status, _, _ = request(self.base_url, "GET", "/healthz", timeout=5)
            except OSError:
                status = None
            if status == 200 and len(self.worker_pids()) == WORKERS:
                return
            if status not in (None, 200):
                raise ServerFailed(f"{self.app}: /healthz answered {status}:\n{self.log_tail()}")
            time.sleep(0.2)
        raise ServerFailed(f"{self.app} was not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def wait_idle(self, timeout: float = 120, quick: float = 0.5) -> bool:
        """Wait until the workers have worked through requests a finished wrk left queued.

        gunicorn's sync workers still serve requests accepted before wrk closed the
        connections; on a slow page they would otherwise delay the next run. One request per
        worker, all at once, answered quickly means every request queued before them is done.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            began = time.monotonic()
            with ThreadPoolExecutor(WORKERS) as pool:
                statuses = list(pool.map(lambda _: self._status("/healthz"), range(WORKERS)))
            if statuses == [200] * WORKERS and time.monotonic() - began < quick:
                return True
            if self.process.poll() is not None:
                raise ServerFailed(f"gunicorn stopped:\n{self.log_tail()}")
        print(f"Note: {self.app} still answered slowly {timeout:.0f} s after a run; going on.")
        return False

    def _status(self, path: str) -> int | None:
        try:
            return request(self.base_url, "GET", path, timeout=60)[0]
        except OSError:
            return None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def worker_pids(self) -> list[int]:
        """The master's children, found by their parent id in /proc."""
        if self.process is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces and brackets: the parent id follows the last ')'.
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def reset_peak_memory(self) -> bool:
        """Reset each worker's peak RSS to its current RSS (Linux: write 5 to clear_refs)."""
        done = True
        for pid in self.worker_pids():
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                done = False
        return done

    def peak_memory_mb(self) -> float | None:
        """The largest VmHWM (peak resident memory) of the workers, in MB."""
        peaks = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if found:
                peaks.append(int(found.group(1)) / 1024)
        return max(peaks) if peaks else None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass


@functools.cache
def _no_control_socket() -> tuple[str, ...]:
    """Newer gunicorn opens a control socket at one shared path; several servers would fight."""
    help_text = subprocess.run([sys.executable, "-m", "gunicorn", "--help"], capture_output=True,
                               text=True).stdout
    return ("--no-control-socket",) if "--no-control-socket" in help_text else ()


def request(base_url: str, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30):
    """One HTTP request, no redirects followed: (status, headers as a list, body)."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


@dataclass
class Browser:
    """Enough of a browser for the benchmark: a cookie jar and forms with a CSRF token."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def send(self, method: str, path: str, form: dict[str, str] | None = None):
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, response_headers, content = request(self.base_url, method, path, body, headers)
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return status, content

    def csrf_token(self, path: str) -> str:
        status, content = self.send("GET", path)
        token = csrf_token_in(content.decode("utf-8", "replace"))
        if status != 200 or token is None:
            raise ServerFailed(f"GET {path} answered {status} without a form's csrf_token")
        return token

    def sign_in(self, email: str, password: str) -> None:
        token = self.csrf_token("/sign-in")
        status, _ = self.send("POST", "/sign-in",
                              {"email": email, "password": password, "csrf_token": token})
        if status != 302:
            raise ServerFailed(f"signing in as {email} answered {status}, not a redirect")


def csrf_token_in(page: str) -> str | None:
    for tag in re.findall(r"<input[^>]*>", page):
        if re.search(r'name="csrf_token"', tag):
            found = re.search(r'value="([^"]*)"', tag)
            if found:
                return html.unescape(found.group(1))
    return None


def temporary_workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="lms-bench-")
