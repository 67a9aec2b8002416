"""What staff may do to accounts."""

from lms.vocab import ROLES

# Moderators run cohorts; they may not hand out the staff roles that control the platform.
MODERATOR_GRANTABLE = frozenset({"trainee", "marker", "examiner", "org_admin"})


def grantable_roles(actor) -> frozenset[str]:
    """Return the roles an actor may grant or remove."""
    if actor.has_role("admin"):
        return frozenset(ROLES)
    if actor.has_role("moderator"):
        return MODERATOR_GRANTABLE
    return frozenset()


def can_change_roles(actor, user, wanted: set[str]) -> bool:
    """An actor may change roles only within what they can grant, and never their own admin."""
    changed = set(user.roles) ^ set(wanted)
    if actor.id == user.id and "admin" in changed:
        return False
    return changed <= grantable_roles(actor)


def can_change_active(actor, user) -> bool:
    return actor.has_role("admin") and actor.id != user.id
