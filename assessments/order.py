"""The order in which a person sees the options of a question or decision.

Authors tend to write the best option first (all 38 decision points of the first scenarios
did). Shown in file order, "always pick the first" would score full marks. Each person
instead sees the options in an order fixed by a seed (their candidate number and the
stage, say): the same on every device and every reload, different between people. Options
keep their identity (an id or their index in the file), so marking never depends on order.
"""

import hashlib
import random


def display_order(count: int, seed: str) -> list[int]:
    """A permutation of range(count), fixed by the seed."""
    order = list(range(count))
    digest = hashlib.sha256(seed.encode()).digest()
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)  # noqa: S311 - not security
    return order


def in_display_order(items: list, seed: str) -> list[tuple[int, object]]:
    """The items as (index in the file, item), in the seed's order."""
    return [(index, items[index]) for index in display_order(len(items), seed)]
