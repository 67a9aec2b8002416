"""Course staff: the CPD scheme and the yearly audit."""

from lms.cpd import bp  # noqa: F401  (views are registered on this blueprint)
