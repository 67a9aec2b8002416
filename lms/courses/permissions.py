"""Who may study or review which module."""

from lms.vocab import STAFF_ROLES

STUDY_ROLES = ("trainee", *sorted(STAFF_ROLES))


def is_course_staff(user) -> bool:
    return user.has_any_role(STAFF_ROLES)


def can_study(user, kind: str, specialism: str | None, specialisms: set[str]) -> bool:
    """Trainees study the core and their own specialism; course staff see every module."""
    if is_course_staff(user):
        return True
    return user.has_role("trainee") and (kind == "core" or specialism in specialisms)
