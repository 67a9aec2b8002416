"""Gunicorn settings: `gunicorn -c gunicorn.conf.py "lms:create_app()"`.

Each setting can be moved by the environment (names below) or by gunicorn's own command-line
options, which override this file."""

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers)
    except AttributeError:
        return os.cpu_count() or 1


def _number(*names: str, default: int) -> int:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return int(value)
    return default


bind = os.environ.get("LMS_BIND", "127.0.0.1:8000")
# Sync workers: each request has a process to itself (page renders and PDFs use the CPU; the
# database calls are short). Two per core plus one keeps a core busy while a worker waits.
worker_class = "sync"
workers = _number("LMS_WEB_WORKERS", "WEB_CONCURRENCY", default=2 * _cores() + 1)
# A request taking longer than this is killed and logged (the longest, a CPD record PDF of
# thousands of entries, takes about a second); on a restart, requests get this long to finish.
timeout = _number("LMS_WEB_TIMEOUT", default=30)
graceful_timeout = _number("LMS_WEB_GRACEFUL_TIMEOUT", default=30)
# Sync workers close each connection after its response; this applies if the worker class is
# changed to gthread, and should stay below the proxy's own keep-alive.
keepalive = 5
# Replace each worker after about a thousand requests (never all at once, thanks to the
# jitter): whatever a worker leaks is bounded.
max_requests = _number("LMS_WEB_MAX_REQUESTS", default=1000)
max_requests_jitter = _number("LMS_WEB_MAX_REQUESTS_JITTER", default=100)
# Forwarded headers are the app's to trust (LMS_PROXY_FIX: how many proxies are in front), so
# gunicorn trusts none of its own unless FORWARDED_ALLOW_IPS says otherwise.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")

# The access log: time, method, path (codes and tokens masked), status, bytes, milliseconds.
# No address, user agent, referrer or query string (lms/accesslog.py keeps them out).
accesslog = os.environ.get("LMS_ACCESS_LOG", "-")
errorlog = os.environ.get("LMS_ERROR_LOG", "-")
logger_class = "lms.accesslog.AccessLogger"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
