"""A real gunicorn for tests, and a small browser that talks to it over HTTP."""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.conftest import CSRF_RE, PASSWORD

ROOT = Path(__file__).resolve().parents[1]


class Gunicorn:
    """gunicorn serving `app_path` with one sync worker on a port the OS picks."""

    def __init__(self, app_path: str, env: dict[str, str], log: Path):
        self.log = log
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", "127.0.0.1:0",
             "--timeout", "120", "--graceful-timeout", "3", "--preload", app_path],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            stdout=subprocess.DEVNULL, stderr=self._log)
        self.port = self._port()

    def _port(self) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log.read_text())
            if found:
                return int(found.group(1))
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def wait_for_worker(self, not_pid: int | None = None, timeout: float = 30) -> int:
        """Wait until a worker (other than `not_pid`) answers; return its pid."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                response = Browser(self.port).get("/healthz")
            except OSError:
                response = None
            if response and response.status == 200:
                pid = int(response.headers.get("X-Worker-Pid", "0"))
                if pid != not_pid:
                    return pid
            time.sleep(0.05)
        raise AssertionError(f"no worker answered:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # quick shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


def _multipart(form: dict, files: dict[str, tuple[bytes, str, str]]) -> tuple[bytes, str]:
    boundary = f"----lms-test-{uuid.uuid4().hex}"
    parts = []
    for name, values in form.items():
        for value in values if isinstance(values, list | tuple) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                         f"\r\n\r\n{value}\r\n".encode())
    for name, (content, filename, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                     + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One person's browser: keeps cookies, follows no redirects."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None,
                files: dict[str, tuple[bytes, str, str]] | None = None) -> Response:
        """Send a request; `files` maps a field to (content, filename, content type) and sends
        the form as multipart/form-data, as a browser does for a form with a file."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if files:
            body, headers["Content-Type"] = _multipart(form or {}, files)
        elif form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode()
        finally:
            connection.close()
        for value in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return Response(answer.status, dict(answer.headers.items()), text)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict,
             files: dict[str, tuple[bytes, str, str]] | None = None) -> Response:
        return self.request("POST", path, form, files)

    def token(self, page: str) -> str:
        """The CSRF token of a form on `page`, as the browser would send it back."""
        response = self.get(page)
        found = CSRF_RE.search(response.text)
        assert found, f"no form on {page} ({response.status})"
        return found.group(1)

    def sign_in(self, user) -> None:
        response = self.post("/sign-in", {"email": user.email, "password": PASSWORD,
                                          "csrf_token": self.token("/sign-in")})
        assert response.status == 302, response.text[:500]
