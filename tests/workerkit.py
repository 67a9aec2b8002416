"""Workers in processes of their own, for tests: `python -m tests.workerkit JOB FOLDER`.

Each process builds the app from the environment (the test database), says it is ready,
waits for FOLDER/go so that every worker starts at once, runs its job with a slow recording
mail server, and prints what it did as JSON. Jobs: "deliver" (lms.mail.delivery, as the
queue's deliver_mail task runs it) and "daily" (the worker's daily_jobs task)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLOW = 0.1  # seconds each message takes to send: the workers overlap


def start(job: str, folder: Path, env: dict, name: str) -> subprocess.Popen:
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT), "WORKER_NAME": name}
    return subprocess.Popen([sys.executable, "-m", "tests.workerkit", job, str(folder)],
                            cwd=ROOT, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def run_together(job: str, folder: Path, env: dict, count: int = 2) -> list[dict]:
    """Start `count` workers, let them go at once, and return what each printed."""
    folder.mkdir(parents=True, exist_ok=True)
    workers = [start(job, folder, env, f"worker{n}") for n in range(count)]
    try:
        deadline = time.monotonic() + 60
        while len(list(folder.glob("ready-*"))) < count:
            if any(w.poll() is not None for w in workers) or time.monotonic() > deadline:
                raise RuntimeError([w.communicate()[1][-2000:] for w in workers])
            time.sleep(0.02)
        (folder / "go").touch()
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=60)
            assert worker.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


def _recording_send(folder: Path, name: str):
    def send(recipient, subject, body):
        time.sleep(SLOW)
        with (folder / "sent.txt").open("a") as sent:
            sent.write(f"{recipient} {name}\n")

    return send


def main(job: str, folder: Path) -> None:
    from lms import create_app

    name = os.environ["WORKER_NAME"]
    app = create_app()
    with app.app_context():
        from lms.extensions import db

        db.session.execute(db.select(1))  # connected before the start
        db.session.rollback()
    (folder / f"ready-{name}").touch()
    while not (folder / "go").exists():
        time.sleep(0.005)
    send = _recording_send(folder, name)
    with app.app_context():
        if job == "deliver":
            from lms.db import utcnow
            from lms.mail.delivery import deliver_pending

            done = deliver_pending(utcnow(), send=send).sent
        else:
            import lms.cpd.reminders
            import lms.tasks

            recorded = lms.cpd.reminders.send_mail

            def slow_send_mail(recipient, subject, body):  # recording is slow, as SMTP was
                send(recipient, subject, body)
                recorded(recipient, subject, body)

            lms.cpd.reminders.send_mail = slow_send_mail
            lms.tasks._app = app
            done = lms.tasks.daily_jobs.call_local()
    print(json.dumps({"worker": name, "done": done}))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
