"""Background work on Huey: mail delivered after the change that caused it commits, and the
daily jobs (CPD, accreditation and certificate reminders; certificates made due by dates).

Huey, because it is maintained, small, keeps its queue in a SQLite file by default (nothing to
install for `make run`) and in Redis at scale with the same code, and runs periodic tasks from
the same queue. The queue only says "there is work": the work itself (pending mail, reminders
sent) lives in the application's database, claimed row by row, so several workers on several
machines deliver each message once and a lost queue loses nothing.

LMS_QUEUE_URL chooses the queue: unset, a SQLite file in the instance folder; redis://… in
production; memory:// for tests. `flask --app lms worker` runs a consumer."""

import os
from datetime import date
from pathlib import Path

from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "instance" / "queue.sqlite3"


def make_queue(url: str | None):
    url = url or ""
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("lms", url=url)
    if url.startswith("memory://"):
        return MemoryHuey("lms")
    path = Path(url.removeprefix("sqlite:///")) if url else DEFAULT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("lms", filename=str(path))


huey = make_queue(os.environ.get("LMS_QUEUE_URL"))
_app = None


def _context():
    """The worker's application (created once per process) and a context to work in."""
    global _app
    if _app is None:
        from lms import create_app

        _app = create_app()
    return _app.app_context()


def deliver_now():
    from lms.db import utcnow
    from lms.mail.delivery import deliver_pending

    with _context():
        return deliver_pending(utcnow())


@huey.task(retries=2, retry_delay=30)
def deliver_mail():
    """Deliver pending mail now (enqueued when a transaction with mail commits)."""
    return deliver_now()


@huey.periodic_task(crontab(minute="*"))
def deliver_mail_every_minute():
    """The safety net: retries after backoff, and anything enqueued while no worker ran."""
    return deliver_now()


def run_daily_jobs(today: date) -> dict[str, int]:
    """The reminders and certificate runs the README once asked cron to start."""
    from lms.accreditation.renewals import send_due_reminders as organisation_reminders
    from lms.certs.issuing import issue_due
    from lms.certs.reminders import send_expiry_reminders
    from lms.cpd.reminders import send_due_reminders as cpd_reminders
    from lms.extensions import db

    done = {"cpd_reminders": cpd_reminders(today)}
    db.session.commit()
    done["organisation_reminders"] = sum(organisation_reminders(today).values())
    db.session.commit()
    done["certificate_reminders"] = send_expiry_reminders(today)
    db.session.commit()
    people, orgs = _everyone()
    done["certificates_issued"] = issue_due(people, orgs, today=today).issued
    db.session.commit()
    return done


def _everyone():
    from sqlalchemy import select

    from lms.auth.models import User
    from lms.extensions import db
    from lms.organisations.models import HostOrganisation

    return (list(db.session.scalars(select(User).where(User.active.is_(True)))),
            list(db.session.scalars(select(HostOrganisation))))


def run_daily_jobs_once(today: date) -> dict[str, int] | None:
    """Run the day's jobs unless another worker, on any node, is running them now (None then).

    Every worker's scheduler enqueues the daily task, so with several workers it runs several
    times: the lock keeps the runs apart, and each reminder and certificate is recorded once
    (unique keys), so a run after another finds nothing left to send."""
    import logging

    from lms.locks import held_alone

    with held_alone("daily-jobs") as mine:
        if not mine:
            logging.getLogger(__name__).info("daily jobs: another worker is running them")
            return None
        return run_daily_jobs(today)


@huey.periodic_task(crontab(hour="7", minute="15"))
def daily_jobs():
    with _context():
        return run_daily_jobs_once(date.today())


def enqueue_delivery() -> None:
    """Ask a worker to deliver now; if the queue is unreachable, the minute's run will."""
    try:
        deliver_mail()
    except Exception:  # noqa: BLE001 - the mail is safe in the database either way
        import logging

        logging.getLogger(__name__).warning("queue unreachable; mail waits for the next run")
