"""Confirmers and employers: single-use confirmation links, organisations' advocates."""

from lms.cpd import bp  # noqa: F401  (views are registered on this blueprint)
