# The marks export test sets an assessment for the cohort a roster fills.
from tests.integration.assessments.conftest import enrolled, setting  # noqa: F401
