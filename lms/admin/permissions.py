"""What staff may do to accounts."""

from lms.vocab import ROLES

# Moderators run cohorts; they may not hand out the staff roles that control the platform.
MODERATOR_GRANTABLE = frozenset({"trainee", "marker", "examiner", "org_admin"})
# Roles that open trainees' written work: every grant is told to the moderators.
MARKING_ROLES = frozenset({"moderator", "marker", "examiner"})


def grantable_roles(actor) -> frozenset[str]:
    """Return the roles an actor may grant or remove."""
    if actor.has_role("admin"):
        return frozenset(ROLES)
    if actor.has_role("moderator"):
        return MODERATOR_GRANTABLE
    return frozenset()


def can_change_roles(actor, user, wanted: set[str]) -> bool:
    """An actor may change roles only within what they can grant, and never their own."""
    changed = set(user.roles) ^ set(wanted)
    if actor.id == user.id:  # or an admin could make themselves a moderator and read everything
        return not changed
    return changed <= grantable_roles(actor)


def marking_roles_granted(before, after) -> set[str]:
    """Return the roles opening trainees' work that a change of roles grants."""
    return (set(after) - set(before)) & MARKING_ROLES


def can_change_active(actor, user) -> bool:
    return actor.has_role("admin") and actor.id != user.id
