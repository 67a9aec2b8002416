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
