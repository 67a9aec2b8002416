"""Who may see a certificate: its holder, the admins of the organisation it belongs to (or that
employs the advocate it accredits), and course staff who look after certificates."""

STAFF = frozenset({"moderator", "admin"})


def can_manage(user) -> bool:
    """Course staff who may revoke, suspend and lift suspensions."""
    return user.has_any_role(STAFF)


def can_view(user, certificate, administered_ids: set[int], advocate_ids: set[int]) -> bool:
    """The holder, staff, and org admins for their organisation's certificates and their
    current advocates' accreditation certificates. `administered_ids` are the organisations
    the person administers; `advocate_ids` the people those organisations employ now."""
    if certificate.user_id is not None and certificate.user_id == user.id:
        return True
    if can_manage(user):
        return True
    if not user.has_role("org_admin"):
        return False
    if certificate.organisation_id is not None:
        return certificate.organisation_id in administered_ids
    return (certificate.kind == "advocate_accreditation"
            and certificate.user_id in advocate_ids)
