"""Choosing the moderation sample."""

import hashlib
import math

from assessments.marks import PASS_MARK


def moderation_sample(marks: dict[int, int], *, seed: str, rate: float = 0.10,
                      minimum: int = 5, pass_mark: int = PASS_MARK,
                      high: int = 70) -> set[int]:
    """Every fail, every mark at or above `high`, and `rate` of the rest (at least `minimum`).

    The rest is chosen by a hash of the seed and the submission id, so the same data and seed
    always give the same sample and no one can steer which scripts are seen."""
    required = {sid for sid, mark in marks.items() if mark < pass_mark or mark >= high}
    rest = sorted((sid for sid in marks if sid not in required),
                  key=lambda sid: hashlib.sha256(f"{seed}:{sid}".encode()).hexdigest())
    wanted = max(math.ceil(rate * len(rest)), minimum - len(required), 0)
    return required | set(rest[:wanted])


def even_allocation(submission_ids: list[int], marker_ids: list[int],
                    current: dict[int, int] | None = None) -> dict[int, int]:
    """Share unallocated submissions among markers so their loads differ by at most one."""
    if not marker_ids:
        raise ValueError("no markers to allocate to")
    current = dict(current or {})
    load = dict.fromkeys(marker_ids, 0)
    for marker in current.values():
        if marker in load:
            load[marker] += 1
    for sid in sorted(submission_ids):
        if sid in current:
            continue
        marker = min(load, key=lambda m: (load[m], m))
        current[sid] = marker
        load[marker] += 1
    return current
