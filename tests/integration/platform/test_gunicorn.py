"""The gunicorn configuration: sensible defaults moved by the environment, and an access log
that records what an operator needs (method, path, status, time) and nothing personal."""

import re
import runpy
import urllib.request

import pytest
from gunicorn.config import Config

from certificates.keys import generate_private_key, private_key_to_multibase
from lms.accesslog import AccessLogger, mask_path
from tests.nodekit import ROOT, Node

CONF = ROOT / "gunicorn.conf.py"


def settings(monkeypatch, **env) -> dict:
    for name in ("LMS_WEB_WORKERS", "WEB_CONCURRENCY", "LMS_BIND", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(CONF))
    config = Config()
    for name, value in values.items():
        if name in config.settings:
            config.set(name, value)  # gunicorn's own validation
    return values


def test_defaults_workers_from_cores_and_a_local_bind(monkeypatch):
    import os

    values = settings(monkeypatch)
    assert values["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert values["worker_class"] == "sync" and values["bind"] == "127.0.0.1:8000"
    assert values["timeout"] == 30 and values["graceful_timeout"] == 30
    assert values["max_requests"] == 1000 and values["max_requests_jitter"] == 100
    assert values["forwarded_allow_ips"] == ""  # LMS_PROXY_FIX decides, in the app
    assert values["logger_class"] == "lms.accesslog.AccessLogger"


def test_the_environment_moves_workers_and_bind(monkeypatch):
    assert settings(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3
    values = settings(monkeypatch, WEB_CONCURRENCY="3", LMS_WEB_WORKERS="5",
                      LMS_BIND="0.0.0.0:9000")
    assert (values["workers"], values["bind"]) == (5, "0.0.0.0:9000")


def test_every_path_with_a_token_or_a_code_is_masked(app):
    secret = "Zq9SECRETxY"
    covered = 0
    for rule in app.url_map.iter_rules():
        if not {"token", "code"} & rule.arguments:
            continue
        values = {name: "revoke" if name == "action" else secret for name in rule.arguments}
        path = rule.build(values, append_unknown=False)[1]
        masked = mask_path(path)
        assert secret not in masked, path
        assert masked == re.sub(secret, "<token>" if "token" in rule.arguments else "<code>",
                                path)
        covered += 1
    assert covered >= 9
    assert mask_path("/cpd/entries/12/evidence/3") == "/cpd/entries/12/evidence/3"
    assert mask_path("/certificates") == "/certificates"


def test_a_served_request_is_logged_without_address_agent_referrer_query_or_token(
        app, tmp_path):
    env = {"LMS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "LMS_SECRET_KEY": "gunicorn-test-secret", "LMS_QUEUE_URL": "memory://",
           "LMS_SIGNING_KEY": private_key_to_multibase(generate_private_key())}
    node = Node(env, tmp_path)
    try:
        request = urllib.request.Request(  # noqa: S310 - a local node
            node.url + "/set-password/Zq9SECRETxY?email=someone%40example.org",
            headers={"User-Agent": "AgentMarker/1.0", "Referer": "https://referrer.example/"})
        try:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310 - local
        except urllib.error.HTTPError as answer:
            assert answer.code < 500
        urllib.request.urlopen(node.url + "/healthz", timeout=10)  # noqa: S310 - local
    finally:
        node.stop()
    log = node.access.read_text()
    line = next(line for line in log.splitlines() if "/set-password/" in line)
    assert re.search(r'"GET /set-password/<token>" [1-4]\d\d \S+ \d+ms$', line), line
    for personal in ("Zq9SECRETxY", "127.0.0.1", "AgentMarker", "referrer", "someone",
                     "email", "?"):
        assert personal not in log, personal
    assert re.search(r'"GET /healthz" 200 \d+ \d+ms', log)


@pytest.mark.parametrize(("path", "logged"), [
    ("/certificates/ABCD-1234.pdf", "/certificates/<code>.pdf"),
    ("/certificates/ABCD-1234/credential.json", "/certificates/<code>/credential.json"),
    ("/staff/certificates/ABCD-1234/revoke", "/staff/certificates/<code>/revoke"),
    ("/verify/ABCD-1234", "/verify/<code>"),
    ("/modules/law/lesson-1/check", "/modules/law/lesson-1/check"),
])
def test_masking_keeps_what_tells_requests_apart(path, logged):
    assert mask_path(path) == logged


def test_the_error_log_leaves_out_tokens_queries_and_addresses(tmp_path):
    log = tmp_path / "error.log"
    config = Config()
    config.set("errorlog", str(log))
    logger = AccessLogger(config)
    try:
        raise RuntimeError("escaped the app")
    except RuntimeError:
        logger.exception("Error handling request %s %s", "GET",
                         "/cpd/confirm/Zq9SECRETxY?email=someone%40example.org")
    logger.warning("Invalid request from ip=203.0.113.9: Invalid HTTP method")
    logger.warning("Invalid request from ip=2001:db8::7: Invalid HTTP method")
    written = log.read_text()
    assert "Error handling request GET /cpd/confirm/<token>" in written
    assert written.count("Invalid request from ip=-: Invalid HTTP method") == 2
    for personal in ("Zq9SECRETxY", "someone", "203.0.113.9", "2001:db8"):
        assert personal not in written
