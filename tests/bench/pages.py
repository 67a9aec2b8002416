"""What a benchmark run measures: the pages, and the accounts and password that reach them
(shared by the dataset, the runner and the load run, which needs nothing else of the app)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    account: str | None
    path: str
    method: str = "GET"
    form: dict[str, str] | None = None
    form_page: str | None = None


@dataclass(frozen=True)
class Dataset:
    scale: float
    password: str
    accounts: dict[str, str]
    pages: tuple[Page, ...]
    counts: dict[str, int]
