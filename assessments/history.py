"""A piece of work's marking history in words, from its audit events (no Flask, no database).

An event is anything with the audit log's attributes: at, action, actor_id, before, after,
detail and reason. The trainee is never named: their own actions read "the candidate". A
resit's reason is left out: it can hold personal circumstances, which stay with moderators."""

from collections.abc import Iterable, Mapping
from datetime import datetime

from assessments.deadlines import LONDON

STATE_WORDS = {
    "draft": "draft",
    "submitted": "submitted",
    "in_marking": "in marking",
    "marked": "marked",
    "moderated": "moderated",
    "ready": "ready for release",
    "released": "released",
}
CANDIDATE = "the candidate"
UNKNOWN = "someone no longer on record"


def uk_day(moment: datetime) -> str:
    """Return the UK calendar day of an instant, e.g. '30 October 2026'."""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class _Words:
    """Turn one event into a clause, naming people from `names` and never the trainee."""

    def __init__(self, names: Mapping[int, str], trainee_id: int | None):
        self.names, self.trainee_id = names, trainee_id

    def person(self, person_id) -> str:
        if person_id is None:
            return "the platform"
        if person_id == self.trainee_id:
            return CANDIDATE
        return self.names.get(person_id, UNKNOWN)

    def clause(self, event, *, actor_implied: bool) -> str | None:
        before, after = event.before or {}, event.after or {}
        by = self.person(event.actor_id)
        role = event.detail or before.get("role") or after.get("role") or ""
        action = event.action
        if action == "submission_started":
            return f"work started by {by}"
        if action == "submission_submitted":
            late = after.get("days_late") or 0
            return f"submitted by {by}" + (
                f", {plural(late, 'working day')} late" if late else "")
        if action == "submission_state":
            text = (f"moved from {STATE_WORDS.get(before.get('state'), before.get('state'))} "
                    f"to {STATE_WORDS.get(after.get('state'), after.get('state'))}")
            return text if actor_implied else f"{text} by {by}"
        if action == "allocated":
            return (f"allocated to {self.person(after.get('marker_id'))} for {role} marking "
                    f"by {by}")
        if action == "reallocated":
            text = (f"{role} marking moved from {self.person(before.get('marker_id'))} to "
                    f"{self.person(after.get('marker_id'))} by {by}")
            if after.get("superseded_mark_id"):
                text += f" (the provisional {role} mark is kept on record)"
            return text
        if action == "mark_saved":
            mark = after.get("mark")
            return f"provisional {role} mark saved by {by}" + (
                f": {mark}" if mark is not None else " (not every criterion marked yet)")
        if action == "mark_completed":
            return f"{role} mark completed by {by}: {after.get('mark')}"
        if action == "mark_superseded":
            return (f"{self.person(before.get('marker_id'))}'s provisional {role} mark set "
                    "aside and kept on record")
        if action == "mark_agreed":
            return f"mark agreed at {self._agreed(after)} by {by}" + self._why(event)
        if action == "mark_amended":
            return (f"agreed mark amended from {self._agreed(before)} to {self._agreed(after)} "
                    f"by {by}") + self._why(event)
        if action == "resit_granted":
            # The reason can hold personal circumstances: it stays with the moderators.
            return f"resit (attempt {after.get('attempt')}) granted by {by}" + (
                ", mitigating circumstances accepted" if after.get("mitigating") else "")
        return f"{action.replace('_', ' ')} by {by}" + self._why(event)

    @staticmethod
    def _agreed(snapshot: dict) -> str:
        mark, final = snapshot.get("mark"), snapshot.get("final_mark")
        if final is None or final == mark:
            return str(mark)
        return f"{mark} ({final} after the late or resit policy)"

    @staticmethod
    def _why(event) -> str:
        return f" (reason: {event.reason})" if event.reason else ""


def history_lines(events: Iterable, names: Mapping[int, str],
                  trainee_id: int | None = None) -> list[str]:
    """Return the history as one line per UK day, its events in order, joined by semicolons.

    A state change that follows another event by the same person on the same day is the
    consequence of that event, so it does not repeat who did it."""
    words = _Words(names, trainee_id)
    lines: list[tuple[str, list[str]]] = []
    previous = None
    for event in events:
        day = uk_day(event.at)
        implied = (previous is not None and uk_day(previous.at) == day
                   and previous.actor_id == event.actor_id)
        clause = words.clause(event, actor_implied=implied)
        previous = event
        if not clause:
            continue
        if lines and lines[-1][0] == day:
            lines[-1][1].append(clause)
        else:
            lines.append((day, [clause]))
    return [f"{day}: {'; '.join(clauses)}" for day, clauses in lines]
