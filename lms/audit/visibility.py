"""Who may read which audit events: events about trainees' work are for moderators only.

Marking events carry marks before release, which trainee a reference belongs to and notes on
mitigating circumstances (DOMAIN.md: work is confidential to the trainee, markers and
moderators). A platform admin manages accounts, so reads account, organisation, cohort and
security events. Anything not named here counts as marking, so a new kind of event stays
with moderators until someone decides otherwise."""

from sqlalchemy import and_, false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from lms.audit.models import AuditEvent

ACCOUNT_SUBJECTS = frozenset({"User", "HostOrganisation", "Employment", "Cohort", "Enrolment"})
# Security events with no subject: a failed sign-in with an email that matches no account.
SUBJECTLESS_SECURITY_ACTIONS = frozenset({"sign_in_failed"})
SEES_EVERY_EVENT = frozenset({"moderator"})
SEES_ACCOUNT_EVENTS = frozenset({"admin"})


def is_marking_event(subject_type: str | None, action: str) -> bool:
    """Return whether an event is about marking (submissions, marks, extensions, resits...)."""
    if subject_type is None:
        return action not in SUBJECTLESS_SECURITY_ACTIONS
    return subject_type not in ACCOUNT_SUBJECTS


def visible_to(roles, subject_type: str | None, action: str) -> bool:
    """Return whether someone holding these roles may read an event."""
    roles = set(roles)
    if roles & SEES_EVERY_EVENT:
        return True
    return bool(roles & SEES_ACCOUNT_EVENTS) and not is_marking_event(subject_type, action)


def visible_events(viewer) -> ColumnElement[bool]:
    """The query condition for the events a viewer may read (the SQL form of visible_to)."""
    if viewer.has_any_role(SEES_EVERY_EVENT):
        return true()
    if not viewer.has_any_role(SEES_ACCOUNT_EVENTS):
        return false()
    return or_(AuditEvent.subject_type.in_(sorted(ACCOUNT_SUBJECTS)),
               and_(AuditEvent.subject_type.is_(None),
                    AuditEvent.action.in_(sorted(SUBJECTLESS_SECURITY_ACTIONS))))
