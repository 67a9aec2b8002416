"""Session rules and the sign-in/proxy settings: pure, no app."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.auth.rules import SEEN_EVERY, activity_due, session_is_live
from lms.config import Config

NOW = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
EIGHT_HOURS = timedelta(hours=8)


@pytest.mark.parametrize(("ended_at", "idle", "live"), [
    (None, timedelta(0), True),
    (None, timedelta(hours=7, minutes=59), True),
    (None, EIGHT_HOURS, False),
    (None, timedelta(days=3), False),
    (NOW - timedelta(minutes=1), timedelta(0), False),
])
def test_a_session_is_live_only_while_open_and_recently_used(ended_at, idle, live):
    assert session_is_live(ended_at, NOW - idle, NOW, EIGHT_HOURS) is live


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
def test_an_ended_session_is_never_live(idle):
    assert not session_is_live(NOW - timedelta(seconds=1), NOW - idle, NOW, EIGHT_HOURS)


@pytest.mark.parametrize(("since", "due"), [
    (timedelta(0), False),
    (SEEN_EVERY - timedelta(seconds=1), False),
    (SEEN_EVERY, True),
    (timedelta(hours=2), True),
])
def test_activity_is_noted_at_most_every_few_minutes(since, due):
    assert activity_due(NOW - since, NOW) is due


def config(monkeypatch, tmp_path, **env):
    for name, value in env.items():
        monkeypatch.setenv(f"LMS_{name}", value)
    monkeypatch.setenv("LMS_SECRET_KEY", "x")
    return Config(str(tmp_path))


def test_sign_in_limits_default_to_address_account_and_address_and_account(monkeypatch,
                                                                           tmp_path):
    for name in ("LOGIN_LIMIT_PER_ADDRESS", "LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS",
                 "LOGIN_LIMIT_PER_ACCOUNT", "PROXY_FIX"):
        monkeypatch.delenv(f"LMS_{name}", raising=False)
    settings = config(monkeypatch, tmp_path)
    assert settings.LOGIN_LIMIT_PER_ADDRESS == "20 per 15 minutes"
    assert settings.LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS == "5 per 15 minutes"
    assert settings.LOGIN_LIMIT_PER_ACCOUNT == "50 per 5 minutes"
    assert settings.PROXY_FIX == 0


@pytest.mark.parametrize(("value", "proxies"), [
    ("0", 0), ("off", 0), ("false", 0), ("", 0), ("1", 1), ("on", 1), ("TRUE", 1), ("2", 2),
])
def test_proxy_fix_counts_trusted_proxies_and_still_reads_on_and_off(monkeypatch, tmp_path,
                                                                     value, proxies):
    trusted = config(monkeypatch, tmp_path, PROXY_FIX=value).PROXY_FIX
    assert trusted == proxies


def test_proxy_fix_refuses_a_value_it_cannot_read(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match="LMS_PROXY_FIX"):
        config(monkeypatch, tmp_path, PROXY_FIX="nginx")
