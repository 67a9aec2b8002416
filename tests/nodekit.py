"""Real gunicorn nodes for tests: started with the repository's gunicorn.conf.py on a port the
OS chooses, against the test database, and always stopped; and a browser to drive them."""

import copy
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LISTENING = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")


class Node:
    """One gunicorn master with its workers; `url` once it listens."""

    def __init__(self, env: dict, folder: Path, name: str = "node", workers: int = 1):
        folder.mkdir(parents=True, exist_ok=True)
        self.errors = folder / f"{name}-error.log"
        self.access = folder / f"{name}-access.log"
        full = {**os.environ, **env, "LMS_ACCESS_LOG": str(self.access),
                "LMS_ERROR_LOG": str(self.errors), "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers",
             str(workers), "--bind", "127.0.0.1:0", "lms:create_app()"],
            cwd=ROOT, env=full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = self._wait_until_listening()

    def _wait_until_listening(self, seconds: float = 30) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log()[-2000:]}")
            found = LISTENING.search(self.log())
            if found and self._answers(found.group(1)):
                return found.group(1)
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer: {self.log()[-2000:]}")

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5):  # noqa: S310 - local
                return True
        except OSError as error:
            return getattr(error, "code", None) is not None  # an HTTP answer, even 503

    def log(self) -> str:
        return self.errors.read_text() if self.errors.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class _Answer(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


class Browser:
    """A person's browser over real HTTP: cookies kept (sent to any node, as behind one
    address), redirects not followed, forms sent as a browser sends them."""

    def __init__(self, cookies=None):
        self.cookies = http.cookiejar.CookieJar()
        for cookie in cookies or ():
            self.cookies.set_cookie(copy.copy(cookie))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _Answer)

    def copy(self) -> "Browser":
        """Another browser holding a copy of this one's cookies (a stolen cookie)."""
        return Browser(list(self.cookies))

    def request(self, url: str, data: bytes | None = None, headers=None) -> "Page":
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as answer:
                return Page(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:
            return Page(answer.code, answer.headers, answer.read())

    def get(self, url: str) -> "Page":
        return self.request(url)

    def post(self, url: str, fields, files=None) -> "Page":
        """Post fields (a dict, or pairs for repeated names); files as {name: (filename,
        bytes, type)} make it multipart."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if not files:
            body = urllib.parse.urlencode(pairs, doseq=True).encode()
            return self.request(url, body, {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in pairs:
            for one in value if isinstance(value, list) else [value]:
                body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                         f"\r\n\r\n{one}\r\n").encode()
        for name, (filename, content, kind) in files.items():
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n').encode()
            body += content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.request(url, body,
                            {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def csrf_token(self, url: str) -> str:
        page = self.get(url)
        found = CSRF.search(page.text)
        assert found, f"no CSRF token on {url} ({page.status})"
        return found.group(1)


class Page:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")
