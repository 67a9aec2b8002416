"""Pure rules about study: progress, resuming, knowledge checks, review dates, the report."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def resume_target(lesson_ids: list[int], completed: set[int],
                  last_viewed: int | None) -> int | None:
    """Return the lesson to resume: the last one viewed if unfinished, else the next unfinished."""
    if not lesson_ids:
        return None
    if last_viewed in lesson_ids and last_viewed not in completed:
        return last_viewed
    start = lesson_ids.index(last_viewed) + 1 if last_viewed in lesson_ids else 0
    for lesson_id in lesson_ids[start:] + lesson_ids[:start]:
        if lesson_id not in completed:
            return lesson_id
    return None


# Note a trainee's visit to the lesson they are on at most this often: staff see only the day of
# the last visit, and reading a lesson again should not write every time.
VISIT_EVERY = timedelta(minutes=1)


def visit_due(last_lesson_id: int | None, last_active_at: datetime | None, lesson_id: int,
              now: datetime, every: timedelta = VISIT_EVERY) -> bool:
    """Return whether a visit to a lesson must be written: another lesson, or time has passed."""
    return last_lesson_id != lesson_id or last_active_at is None or now - last_active_at >= every


@dataclass(frozen=True)
class QuestionResult:
    prompt: str
    chosen: int | None
    correct_index: int
    options: list[dict]

    @property
    def right(self) -> bool:
        return self.chosen == self.correct_index


def mark_check(questions: list[dict], answers: list[int | None]) -> list[QuestionResult]:
    """Mark a formative knowledge check; unanswered questions count as wrong."""
    results = []
    for number, question in enumerate(questions):
        options = question["options"]
        correct = next(i for i, o in enumerate(options) if o.get("correct"))
        chosen = answers[number] if number < len(answers) else None
        if chosen is not None and not 0 <= chosen < len(options):
            chosen = None
        results.append(QuestionResult(question["prompt"], chosen, correct, options))
    return results


def review_due_on(last_reviewed: date, months: int) -> date:
    """Return the day content last reviewed on a day falls due, `months` later (day 28 at most,
    so every month has it)."""
    year, month = divmod(last_reviewed.month - 1 + months, 12)
    return date(last_reviewed.year + year, month + 1, min(last_reviewed.day, 28))


def review_due(last_reviewed: date, today: date, months: int) -> bool:
    """Return whether content last reviewed on a day is due for review by today."""
    return today >= review_due_on(last_reviewed, months)


def behind(percentages: dict[int, int], margin: int = 20) -> set[int]:
    """Return the trainees whose completion is more than `margin` points below the median."""
    if not percentages:
        return set()
    middle = median(percentages.values())
    return {who for who, pct in percentages.items() if pct < middle - margin}


@dataclass(frozen=True)
class ReportLesson:
    words: int
    questions: int
    sources: tuple[str, ...]
    last_reviewed: date


def report_row(module: dict, lessons: list[ReportLesson]) -> dict:
    """Summarise one module for staff: size, coverage and the oldest review date."""
    reviewed = [module["last_reviewed"], *(lesson.last_reviewed for lesson in lessons)]
    return {
        "code": module["code"],
        "title": module["title"],
        "credits": module["credits"],
        "kind": module["kind"],
        "lessons": len(lessons),
        "words": sum(lesson.words for lesson in lessons),
        "learning_outcomes": module["outcomes"],
        "knowledge_check_questions": sum(lesson.questions for lesson in lessons),
        "scenarios": module["scenarios"],
        "sources_cited": len({s for lesson in lessons for s in lesson.sources}),
        "oldest_last_reviewed": min(reviewed).isoformat(),
    }
