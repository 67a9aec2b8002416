"""Who may take, see and set assessments."""


def can_take(user, assessment, enrolled_cohorts: dict[int, set[str]]) -> bool:
    """A trainee takes an assessment set for their cohort, in a module of their programme."""
    if not user.has_role("trainee") or assessment.cohort_id not in enrolled_cohorts:
        return False
    version = assessment.version
    return version.kind == "core" or version.specialism in enrolled_cohorts[assessment.cohort_id]


def can_see_submission(user, submission) -> bool:
    """Before marking exists, only the trainee who wrote the work sees it."""
    return submission.user_id == user.id


def can_set_assessments(user) -> bool:
    return user.has_role("moderator")


def can_download(user, attachment, submission, allocated: bool, in_sample: bool = False) -> bool:
    """The owner, their allocated markers, moderators, and the examiner for the sample only."""
    if attachment.owner_id == user.id:
        return True
    if submission is None:  # extension evidence (often medical): moderators only
        return user.has_role("moderator")
    if submission.state == "draft":
        return False
    if allocated or user.has_role("moderator"):
        return True
    return in_sample and user.has_role("examiner")


ALLOCATABLE_ROLES = frozenset({"marker", "moderator"})


def can_be_given_marking(person) -> bool:
    """Only active markers or moderators are allocated marking."""
    return person is not None and person.active and person.has_any_role(ALLOCATABLE_ROLES)


def can_be_allocated(person, submission) -> bool:
    """Only active markers or moderators mark a piece of work, and never their own."""
    return can_be_given_marking(person) and person.id != submission.user_id


def can_read_script(user, submission, in_sample: bool) -> bool:
    """Moderators read any submitted work; the external examiner reads the sample only."""
    if submission.state == "draft":
        return False
    if user.has_role("moderator"):
        return True
    return in_sample and user.has_role("examiner")


def can_write_examiner_report(user) -> bool:
    """Only an external examiner writes an examiner's report (the one thing they write)."""
    return user.has_role("examiner")
