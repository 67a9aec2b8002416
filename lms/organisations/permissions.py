"""Who may see a host organisation's page."""

def can_view_organisation(user, organisation_id: int, administered_ids: set[int]) -> bool:
    """Admins and moderators see every organisation; org admins see those they work for."""
    if user.has_any_role({"admin", "moderator"}):
        return True
    return user.has_role("org_admin") and organisation_id in administered_ids

