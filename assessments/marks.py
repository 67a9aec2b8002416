"""Mark rules for a UK Level 7 programme: bands, rounding, aggregation, pass, award.

Rounding rule: every aggregate is computed exactly (fractions) and rounded once, half up, to
a whole mark (49.5 -> 50, 49.49 -> 49). Inputs are whole marks from 0 to 100.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

BANDS = (  # (lowest mark, band key, words)
    (70, "distinction", "Distinction"),
    (60, "merit", "Merit"),
    (50, "pass", "Pass"),
    (40, "marginal", "Marginal fail"),
    (0, "fail", "Fail"),
)
PASS_MARK = 50
COMPONENT_MINIMUM = 40
AWARD_CREDITS = 60


def round_mark(value: Fraction | float | int) -> int:
    """Round a mark half up to a whole number, exactly (no binary floating-point drift)."""
    exact = Fraction(value)
    decimal = Decimal(exact.numerator) / Decimal(exact.denominator)
    return int(decimal.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_mark(mark: int) -> int:
    if not isinstance(mark, int) or isinstance(mark, bool) or not 0 <= mark <= 100:
        raise ValueError(f"a mark is a whole number from 0 to 100, not {mark!r}")
    return mark


def band(mark: int) -> str:
    """Return the Level 7 band of a mark: distinction, merit, pass, marginal or fail."""
    check_mark(mark)
    return next(key for lowest, key, _ in BANDS if mark >= lowest)


def band_words(mark: int) -> str:
    key = band(mark)
    return next(words for _, k, words in BANDS if k == key)


def weighted_mark(parts: Sequence[tuple[int, int | Fraction]]) -> int:
    """Return the weighted mean of (mark, weight) pairs, rounded once, half up."""
    total = sum(Fraction(w) for _, w in parts)
    if not parts or total <= 0 or any(Fraction(w) < 0 for _, w in parts):
        raise ValueError("weights must be non-negative and add up to more than zero")
    return round_mark(sum(Fraction(check_mark(m)) * Fraction(w) for m, w in parts) / total)


def rubric_mark(criteria: dict[str, int], marks: dict[str, int]) -> int:
    """Combine criterion marks by the rubric's weights; every criterion must be marked."""
    missing = set(criteria) - set(marks)
    if missing:
        raise ValueError(f"criteria not marked: {sorted(missing)}")
    return weighted_mark([(marks[c], w) for c, w in criteria.items()])


@dataclass(frozen=True)
class ModuleResult:
    mark: int
    passed: bool
    failed_components: tuple[str, ...]

    @property
    def band(self) -> str:
        return band(self.mark)


def module_result(components: dict[str, tuple[int, int]], *, pass_mark: int = PASS_MARK,
                  component_minimum: int = COMPONENT_MINIMUM) -> ModuleResult:
    """Pass needs the overall mark at the pass mark and every component at the minimum."""
    mark = weighted_mark(list(components.values()))
    below = tuple(sorted(c for c, (m, _) in components.items() if m < component_minimum))
    return ModuleResult(mark, mark >= pass_mark and not below, below)


@dataclass(frozen=True)
class Award:
    awarded: bool
    credits: int
    mark: int | None
    classification: str | None  # "distinction", "merit" or "pass"


def award(modules: Sequence[tuple[int, ModuleResult]], *,
          credits_needed: int = AWARD_CREDITS) -> Award:
    """Award the PG Cert when passed modules reach the credits; classify on the weighted mean."""
    passed = [(credits, result) for credits, result in modules if result.passed]
    credits = sum(c for c, _ in passed)
    if credits < credits_needed:
        return Award(False, credits, None, None)
    mark = weighted_mark([(result.mark, c) for c, result in passed])
    classification = "distinction" if mark >= 70 else "merit" if mark >= 60 else "pass"
    return Award(True, credits, mark, classification)


def resit_mark(mark: int, *, mitigating: bool, pass_mark: int = PASS_MARK) -> int:
    """A resit is capped at the pass mark unless mitigating circumstances were accepted."""
    check_mark(mark)
    return mark if mitigating else min(mark, pass_mark)


@dataclass(frozen=True)
class Agreement:
    difference: int
    flagged: bool
    proposed: int | None  # a mark to agree, when the two are within tolerance


def compare_marks(first: int, second: int, *, tolerance: int = 10) -> Agreement:
    """Compare first and second marks; within tolerance propose their mean, else flag."""
    difference = abs(check_mark(first) - check_mark(second))
    if difference > tolerance:
        return Agreement(difference, True, None)
    return Agreement(difference, False, round_mark(Fraction(first + second, 2)))


def decision_percentage(scoring: str, chosen_scores: Sequence[float], end_score: float | None,
                        best_sum: float, best_end: float) -> int | None:
    """Turn a learner's decisions into a mark out of 100 under the scenario's scoring mode."""
    if scoring == "none":
        return None
    if scoring == "sum":
        achieved, best = Fraction(sum(Fraction(s) for s in chosen_scores)), Fraction(best_sum)
    elif scoring == "end":
        achieved, best = Fraction(end_score or 0), Fraction(best_end)
    else:
        raise ValueError(f"unknown scoring mode {scoring!r}")
    if best <= 0:
        return None
    return round_mark(max(Fraction(0), min(achieved / best, Fraction(1))) * 100)


def component_mark(decisions: int | None, written: int | None,
                   weights: dict[str, int]) -> int:
    """Combine the decision mark and the written mark by the scenario's weights."""
    parts = []
    if decisions is not None and weights.get("decisions"):
        parts.append((decisions, weights["decisions"]))
    if written is not None and weights.get("written"):
        parts.append((written, weights["written"]))
    if not parts:
        raise ValueError("nothing to combine: no decision score and no written mark")
    return weighted_mark(parts)


@dataclass(frozen=True)
class Part:
    """One line of how a mark is made: a mark, the share it counts for, and what it adds."""

    key: str  # "decisions", "written", or a rubric criterion id
    weight: Fraction  # per cent of the whole
    mark: int | None  # None: set as a whole at moderation, not from this part
    contribution: Fraction | None  # mark x weight / 100


@dataclass(frozen=True)
class Adjustment:
    """A rule applied after the mark was agreed, and the mark it left."""

    kind: str  # "late", "resit" or "other"
    text: str
    mark: int


@dataclass(frozen=True)
class Breakdown:
    parts: tuple[Part, ...]  # decisions and written work, as they count
    criteria: tuple[Part, ...]  # the written work's criteria (empty when moderated away)
    written: int | None  # the written mark the criteria give
    calculated: int | None  # the mark the parts give, before moderation
    agreed: int
    moderated: bool  # the agreed mark is not the first marker's, or not what the parts give
    from_parts: bool  # the agreed mark is exactly what the parts give
    adjustments: tuple[Adjustment, ...]
    final: int
    note: str | None  # the moderator's own reason, without the notes the rules added

    @property
    def total(self) -> Fraction | None:
        """The exact sum of the parts, before rounding to a whole mark."""
        if not self.from_parts:
            return None
        return sum((p.contribution for p in self.parts), Fraction(0))

    @property
    def written_total(self) -> Fraction:
        return sum((c.contribution for c in self.criteria), Fraction(0))


def points(value: Fraction | int) -> str:
    """Write an exact share of a mark for people: 40, 38.4, 22.44 (two places at most)."""
    exact = Fraction(value)
    hundredths = round_mark(exact * 100)
    whole, rest = divmod(hundredths, 100)
    return str(whole) if not rest else f"{whole}.{rest:02d}".rstrip("0")


def mark_breakdown(*, decisions: int | None, weights: dict[str, int],
                   criteria: Sequence[tuple[str, int]], criterion_marks: dict[str, int],
                   agreed: int, final: int, first: int | None = None, days_late: int = 0,
                   late_capped_days: int = 5, resit: bool = False, mitigating: bool = False,
                   reason: str | None = None) -> Breakdown:
    """Explain a component mark: the parts with their weights, moderation, then the rules.

    The parts add up exactly to the calculated mark, which is rounded once, half up. When the
    agreed mark is not what the criteria give (the moderator set it as a whole), the criteria
    are left out: they are not the marks that made the agreed mark."""
    check_mark(agreed)
    check_mark(final)
    rubric = dict(criteria)
    marked = {c: criterion_marks[c] for c in rubric if c in criterion_marks}
    written = rubric_mark(rubric, marked) if rubric and len(marked) == len(rubric) else None
    try:
        calculated = component_mark(decisions, written, weights)
    except ValueError:
        calculated = None
    from_parts = calculated == agreed
    return Breakdown(
        parts=_parts(decisions, written, weights, from_parts),
        criteria=tuple(Part(c, Fraction(w), marked[c], Fraction(marked[c] * w, 100))
                       for c, w in rubric.items()) if from_parts and written is not None else (),
        written=written if from_parts else None, calculated=calculated, agreed=agreed,
        moderated=not from_parts or (first is not None and first != agreed),
        from_parts=from_parts, final=final,
        **_after_agreement(agreed, final, days_late, late_capped_days, resit, mitigating,
                           reason))


def _parts(decisions: int | None, written: int | None, weights: dict[str, int],
           from_parts: bool) -> tuple[Part, ...]:
    """The parts as component_mark counts them: a part with no mark shares out its weight."""
    if not from_parts:  # the moderator judged the work as a whole: the written mark is theirs
        written = None
    shown = [(key, mark, weights.get(key, 0)) for key, mark in
             (("decisions", decisions), ("written", written))
             if weights.get(key) and (mark is not None or not from_parts and key == "written")]
    total = sum(w for _, _, w in shown) or 1
    return tuple(Part(key, Fraction(w * 100, total), mark,
                      Fraction(mark * w, total) if from_parts else None)
                 for key, mark, w in shown)


def _after_agreement(agreed: int, final: int, days_late: int, late_capped_days: int,
                     resit: bool, mitigating: bool, reason: str | None) -> dict:
    """The late policy and the resit cap as agree() applies them, and the moderator's note."""
    from assessments.deadlines import LatePolicy, apply_late_penalty  # it imports this module

    adjustments, notes = [], []
    penalty = apply_late_penalty(agreed, days_late, LatePolicy(capped_days=late_capped_days))
    if penalty.reason:
        notes.append(penalty.reason)
        adjustments.append(Adjustment("late", penalty.reason, penalty.mark))
    mark = penalty.mark
    if resit and resit_mark(mark, mitigating=mitigating) < mark:
        mark = resit_mark(mark, mitigating=mitigating)
        notes.append(f"resit: capped at {mark}")
        adjustments.append(Adjustment("resit", f"A resit is capped at the pass mark, {mark}",
                                      mark))
    if mark != final:  # set under rules since changed: say so rather than explain it wrongly
        adjustments.append(Adjustment("other", "Adjusted when the mark was agreed", final))
    return {"adjustments": tuple(adjustments), "note": _own_reason(reason, notes)}


def _own_reason(reason: str | None, notes: list[str]) -> str | None:
    """The moderator's reason: what they wrote before the notes the rules appended."""
    text = (reason or "").strip()
    added = "; ".join(notes)
    if added and text == added:
        return None
    if added and text.endswith("; " + added):
        text = text[:-len(added) - 2]
    return text or None
