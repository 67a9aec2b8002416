"""The app as gunicorn serves it, with a trap the fault tests set to stop a worker mid-write.

LMS_FAULT_TRAP names a folder. A test arms the trap by writing `armed` there as JSON:
{"statement": "UPDATE submissions", "moment": "before-commit"} (or "after-commit"). In the next
request that runs that statement, the worker stops at that moment of its transaction (its SQL
all sent but not committed, or committed but not yet answered), writes its pid to `caught` and
waits to be killed. Every response says which worker served it (X-Worker-Pid), so a test can
tell the replacement from the worker it killed.
"""

import json
import os
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from lms import create_app
from lms.extensions import db

TRAP = Path(os.environ["LMS_FAULT_TRAP"])
MOMENTS = ("before-commit", "after-commit")

app = create_app()
_trap: dict | None = None  # the trap armed for the request being served
_written = False  # its statement has run in the transaction now open


def _arm() -> dict | None:
    try:
        trap = json.loads((TRAP / "armed").read_text())
    except (FileNotFoundError, ValueError):
        return None
    assert trap["moment"] in MOMENTS, trap
    return trap


def _stop(moment: str) -> None:
    """At the armed moment: disarm (the replacement worker must not stop too), say so, wait."""
    global _trap
    if _trap is None or not _written or _trap["moment"] != moment:
        return
    _trap = None
    (TRAP / "armed").unlink()
    (TRAP / "caught.tmp").write_text(str(os.getpid()))
    (TRAP / "caught.tmp").replace(TRAP / "caught")
    time.sleep(60)  # the test kills this worker long before


with app.app_context():
    engine = db.engine


@event.listens_for(engine, "before_cursor_execute")
def _note(conn, cursor, statement, parameters, context, executemany):
    global _written
    if _trap is not None and _trap["statement"].upper() in statement.upper():
        _written = True


@event.listens_for(engine, "commit")
def _before_commit(conn):  # runs just before the database is told to commit
    _stop("before-commit")


@event.listens_for(engine, "rollback")
def _rolled_back(conn):
    global _written
    _written = False


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    _stop("after-commit")


_serve = app.wsgi_app


def _wsgi_app(environ, start_response):
    global _trap, _written
    _trap, _written = _arm(), False

    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return _serve(environ, start)


app.wsgi_app = _wsgi_app
