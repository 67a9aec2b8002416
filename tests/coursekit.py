"""Write small, valid course programmes into a folder, for tests to break or load."""

from pathlib import Path

from lms.courses.content import Standards

SMALL = Standards(lessons=2, questions=1, words=20)

MODULE = '''code = "{code}"
slug = "{slug}"
title = "{title}"
credits = 20
level = 7
kind = "{kind}"
{specialism_line}
order = {order}
summary = "A module for tests."
authors = ["Test team"]
last_reviewed = 2026-11-20
content_notes = ["exploitation"]

[[outcomes]]
id = "LO1"
text = "Critically evaluate the advocate's role."

[[outcomes]]
id = "LO2"
text = "Apply the law of each nation to a case."

[[components]]
id = "scenario"
title = "Scenario assessment"
kind = "scenario"
weight = 40
outcomes = ["LO1"]
scenario = "first-meeting"

[[components]]
id = "essay"
title = "Case analysis"
kind = "written"
weight = 60
outcomes = ["LO2"]
brief = "Analyse a case."
'''

LESSON = '''+++
slug = "{slug}"
title = "{title}"
outcomes = ["{outcome}"]
minutes = 20
last_reviewed = {reviewed}
{extra}

[[sources]]
cite = "Modern Slavery Act 2015, section 45 (England and Wales)"

[[questions]]
prompt = "Who decides Reasonable Grounds in {title}?"
[[questions.options]]
text = "The first responder"
correct = false
feedback = "No: the first responder refers."
[[questions.options]]
text = "The Single Competent Authority"
correct = true
feedback = "Yes: the SCA decides."
+++

## What this lesson covers

{body}

!!! law "The statutory defence"
    A person compelled to commit certain offences may have a defence.

    Source: Modern Slavery Act 2015, section 45.

!!! jurisdiction england-wales "England and Wales"
    The defence is in section 45 of the 2015 Act.

    Source: Modern Slavery Act 2015, section 45.

!!! jurisdiction scotland "Scotland"
    Scotland relies on the Lord Advocate's instructions.

    Source: Lord Advocate's instructions, non-prosecution of victims.
'''

SCENARIO = '''slug = "first-meeting"
title = "A first meeting"
summary = "A fictional first meeting."
summative = true
scoring = "sum"
allow_back = false
start = "meet"
outcomes = ["LO1"]
last_reviewed = 2026-11-20

[weights]
decisions = 40
written = 60

[[rubric]]
id = "C1"
title = "Independence"
outcome = "LO1"
weight = 100
[rubric.bands]
distinction = "70+: excellent"
merit = "60-69: very good"
pass = "50-59: sound"
marginal = "40-49: weak"
fail = "0-39: poor"

[[stages]]
id = "meet"
title = "Meeting"
narrative = "You meet Ana (a fictional person)."
[stages.decision]
prompt = "What first?"
[[stages.decision.options]]
id = "a"
text = "Explain your independence"
feedback = "Good."
score = 2
next = "plan"
recommended = true
[[stages.decision.options]]
id = "b"
text = "Call the police"
feedback = "Not without consent."
score = 0
next = "reflect"

[[stages]]
id = "reflect"
title = "Looking back"
narrative = "Ana stops answering your calls."
[stages.task]
prompt = "Reflect on what happened and what you would do differently."
words = 300
criteria = ["C1"]
next = "end-bad"

[[stages]]
id = "plan"
title = "Plan"
narrative = "Write the plan."
[stages.task]
prompt = "Write a support plan."
words = 400
criteria = ["C1"]
next = "end-good"

[[stages]]
id = "end-good"
title = "Good end"
narrative = "Ana stays engaged."
[stages.end]
score = 10
summary = "Trust kept."

[[stages]]
id = "end-bad"
title = "Poor end"
narrative = "Ana disengages."
[stages.end]
score = 0
summary = "Trust lost."
'''

WORDS = ("An advocate works alongside the person so they can understand their rights "
         "and reach the services they need, staying independent of the police. ") * 3


def write_module(root: Path, *, folder: str, code: str, slug: str, kind: str = "core",
                 specialism: str | None = None, order: int = 1, lessons: int = 2,
                 content_note_on: int | None = 2, title: str | None = None) -> Path:
    path = root / folder
    (path / "lessons").mkdir(parents=True)
    (path / "scenarios").mkdir()
    (path / "module.toml").write_text(MODULE.format(
        code=code, slug=slug, title=title or f"Module {code}", kind=kind, order=order,
        specialism_line=f'specialism = "{specialism}"' if specialism else ""))
    for n in range(1, lessons + 1):
        extra = ('content_note = "Mentions coercion in general terms."'
                 if n == content_note_on else "")
        (path / "lessons" / f"{n:02d}-lesson-{n}.md").write_text(LESSON.format(
            slug=f"lesson-{n}", title=f"Lesson {n} of {code}", outcome=f"LO{1 + (n + 1) % 2}",
            reviewed="2026-11-20", extra=extra,
            body=WORDS + ("See also [the first lesson](lesson:lesson-1)." if n > 1 else "")))
    (path / "scenarios" / "first-meeting.toml").write_text(SCENARIO)
    return path


def write_programme(root: Path) -> Path:
    """Two core modules and two specialisms, each small but valid."""
    write_module(root, folder="shared_core/foundations", code="T7001", slug="foundations",
                 order=1)
    write_module(root, folder="shared_core/law", code="T7002", slug="law", order=2)
    write_module(root, folder="modern_slavery", code="T7010", slug="modern-slavery",
                 kind="specialism", specialism="modern_slavery", order=3)
    write_module(root, folder="stalking", code="T7040", slug="stalking", kind="specialism",
                 specialism="stalking", order=4)
    return root
