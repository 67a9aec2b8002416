"""Pure rules for signed-in sessions: whether one still counts, and when to note activity."""

from datetime import datetime, timedelta

# Note a session's activity at most this often, so reading pages does not write every time.
SEEN_EVERY = timedelta(minutes=5)


def session_is_live(ended_at: datetime | None, last_seen_at: datetime, now: datetime,
                    idle_limit: timedelta) -> bool:
    """Return whether a session is open and was used within the idle limit."""
    return ended_at is None and now - last_seen_at < idle_limit


def activity_due(last_seen_at: datetime, now: datetime, every: timedelta = SEEN_EVERY) -> bool:
    """Return whether enough time has passed to note a session's activity again."""
    return now - last_seen_at >= every
