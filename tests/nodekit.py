"""Real gunicorn nodes for tests: started with the repository's gunicorn.conf.py on a port the
OS chooses, against the test database, and always stopped."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
