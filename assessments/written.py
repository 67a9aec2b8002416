"""A written assignment as a one-task scenario, so one workflow serves both kinds of work."""

LEVEL7_BANDS = {
    "distinction": "70+: critical, original and well-evidenced; synthesises law, guidance and "
                   "research with practice; anticipates complexity and risk; precise writing.",
    "merit": "60-69: well-argued and accurate; applies law and guidance critically to the case; "
             "some synthesis; minor gaps.",
    "pass": "50-59: accurate and relevant; applies the main law and guidance; description "
            "outweighs analysis in places.",
    "marginal": "40-49: some relevant knowledge, but errors of law or practice, or little "
                "analysis; does not yet meet the outcome.",
    "fail": "0-39: largely inaccurate, irrelevant or unsafe for practice; the outcome is not "
            "met.",
}


def written_scenario(component: dict, outcomes: list[dict], reviewed: str = "") -> dict:
    """Build the scenario for a written component: one task, marked per outcome it assesses."""
    assessed = [o for o in outcomes if o["id"] in component.get("outcomes", [])]
    weights = _even_weights(len(assessed))
    rubric = [{"id": o["id"], "title": o["text"], "outcome": o["id"], "weight": w,
               "bands": LEVEL7_BANDS} for o, w in zip(assessed, weights, strict=True)]
    brief = component.get("brief") or component["title"]
    return {
        "slug": f"written-{component['id']}", "title": component["title"],
        "summary": brief, "summative": True, "scoring": "none", "allow_back": False,
        "start": "write", "outcomes": [o["id"] for o in assessed], "last_reviewed": reviewed,
        "weights": {"decisions": 0, "written": 100}, "rubric": rubric,
        "stages": [
            {"id": "write", "title": component["title"], "narrative": brief,
             "narrative_html": f"<p>{_escape(brief)}</p>",
             "task": {"prompt": component["title"], "words": _words(component["title"]),
                      "criteria": [c["id"] for c in rubric], "next": "done"}},
            {"id": "done", "title": "Ready to submit",
             "narrative": "Check your answer, then submit it.",
             "narrative_html": "<p>Check your answer, then submit it.</p>",
             "end": {"score": 0, "summary": "Your answer is saved."}},
        ],
    }


def _even_weights(n: int) -> list[int]:
    if n == 0:
        return []
    base, extra = divmod(100, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def _words(title: str) -> int:
    digits = "".join(ch for ch in title.split("(")[-1] if ch.isdigit())
    return int(digits) if digits else 3000


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters (Markdown marks included)."""
    return len(text.split())


# An answer this far below the suggested length is worth a word before submitting.
SHORT_FRACTION = 0.9


def before_submitting(stages: dict, trail: list[str], answers: dict, finished: bool) -> list[str]:
    """What a trainee should hear before submitting: written tasks on their path left empty or
    well under the suggested length, and an unfinished scenario. Warnings only, never a block.

    `trail` is the stage ids on the trainee's path, the stage they are at included."""
    notes = []
    if not finished:
        notes.append("You have not reached an ending yet, so there may be written tasks ahead "
                     "that you have not seen.")
    for sid in trail:
        task = stages.get(sid, {}).get("task")
        if task is None:
            continue
        title = stages[sid].get("title") or sid
        words = word_count(answers.get(sid, ""))
        suggested = task.get("words") or 0
        if words == 0:
            notes.append(f"Your answer to “{title}” is empty.")
        elif suggested and words < suggested * SHORT_FRACTION:
            notes.append(f"Your answer to “{title}” is {words:,} word{'s' if words != 1 else ''}; "
                         f"the suggested length is about {suggested:,}.")
    return notes
