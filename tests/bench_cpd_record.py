"""Benchmark: time record_pdf and record_csv for one advocate with 2,000 CPD entries.

Run from the project root: python -m tests.bench_cpd_record [entries]. Prints timings and
asserts nothing (they depend on the machine); the target is under 1 s for 2,000 entries.
"""

import random
import sys
import time
from dataclasses import replace
from datetime import date, timedelta

from lms.cpd.record import Confirmation, CpdRecord, RecordEntry, record_csv, record_pdf

TYPES = ("Training course", "Peer supervision", "Reading", "Conference", "Shadowing")
TOPICS = ("National Referral Mechanism", "CICA", "Trauma-informed practice", "Housing",
          "Immigration status", "Legal aid")
DID = ("Attended a half-day session on reconsideration requests after a negative "
       "Conclusive Grounds decision, with a case discussion in small groups.")
LEARNED = ("The time limits for asking for reconsideration, and what new evidence the "
           "Single Competent Authority looks for.\n\nHow to explain the process to a survivor "
           "without promising an outcome.")
CHANGE = "- Check the decision letter date on the first visit\n- Keep a template request ready"


def synthetic_record(entries: int = 2000) -> CpdRecord:
    """Return a record with the given number of varied, realistic-length entries."""
    start = date(2026, 4, 1)
    items = []
    for n in range(entries):
        day = start + timedelta(days=n % 365)
        items.append(RecordEntry(
            starts_on=day, ends_on=day + timedelta(days=n % 3), minutes=30 + (n * 15) % 420,
            activity_type=TYPES[n % len(TYPES)], participatory=n % 2 == 0,
            topics=TOPICS[n % 4:n % 4 + 2], title=f"Session {n + 1}: reconsideration & <NRM>",
            did=DID, learned=LEARNED, change=CHANGE,
            confirmed_by=Confirmation("Sam Patel", "Service manager", "Hope Trust",
                                      day + timedelta(days=7)) if n % 3 else None,
            source="module" if n % 5 == 0 else "manual"))
    return CpdRecord(
        advocate_name="Alex Morgan", accreditation_number="IMSA-2026-0042",
        organisation="Hope Trust", period_start=start, period_end=date(2027, 3, 31),
        requirements=("30 hours of CPD each year", "At least 15 hours participatory"),
        progress=("You have logged the hours needed this year.",),
        generated_on=date(2027, 4, 2), entries=tuple(items))


def varied_record(entries: int = 2000) -> CpdRecord:
    """The same record with every reflection in its own words: 20,000 made-up words drawn
    with a long tail, as in real writing, about as many words per entry as synthetic_record,
    so few lines repeat and the word caches are tested fairly."""
    rng = random.Random(9)
    letters = "abcdefghijklmnopqrstuvwxyzéłș"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(2, 11))) for _ in range(20000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]

    def prose(words: int) -> str:
        return " ".join(rng.choices(vocabulary, weights, k=words)).capitalize() + "."

    record = synthetic_record(entries)
    return replace(record, entries=tuple(
        replace(entry, title=prose(5), did=prose(22), learned=f"{prose(28)}\n\n{prose(12)}",
                change=prose(16))
        for entry in record.entries))


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    record_pdf(synthetic_record(1))  # register the fonts outside the timing
    for label, render, record in (
            ("record_pdf", record_pdf, synthetic_record(entries)),
            ("record_pdf, varied words", record_pdf, varied_record(entries)),
            ("record_csv", record_csv, synthetic_record(entries))):
        wall, cpu = [], []
        for _ in range(3):
            began, began_cpu = time.perf_counter(), time.process_time()
            out = render(record)
            wall.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        # CPU time is the fairer number on a busy machine; wall time is what a person waits.
        print(f"{label} with {entries:,} entries: best {min(wall):.3f} s wall, "
              f"{min(cpu):.3f} s CPU, {len(out) / 1024:,.0f} KB")


if __name__ == "__main__":
    main()
