"""Advocates' pages: the CPD year, entries, plans, leave and evidence."""

from lms.cpd import bp  # noqa: F401  (views are registered on this blueprint)
