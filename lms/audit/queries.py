"""Names for the records a page of audit events mentions: one query per kind, not per row."""

from sqlalchemy import select

from lms.audit.readable import Names
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation


def _users(ids):
    return select(User.id, User.name).where(User.id.in_(ids))


def _organisations(ids):
    return select(HostOrganisation.id, HostOrganisation.name).where(HostOrganisation.id.in_(ids))


def _cohorts(ids):
    return select(Cohort.id, Cohort.name).where(Cohort.id.in_(ids))


def _enrolments(ids):
    return (select(Enrolment.id, User.name + " on " + Cohort.name)
            .join(User, User.id == Enrolment.user_id).join(Cohort, Cohort.id == Enrolment.cohort_id)
            .where(Enrolment.id.in_(ids)))


def _employments(ids):
    return (select(Employment.id, User.name + " at " + HostOrganisation.name)
            .join(User, User.id == Employment.user_id)
            .join(HostOrganisation, HostOrganisation.id == Employment.organisation_id)
            .where(Employment.id.in_(ids)))


LOOKUPS = {"User": _users, "HostOrganisation": _organisations, "Cohort": _cohorts,
           "Enrolment": _enrolments, "Employment": _employments}


def names_for(wanted: dict[str, set[int]]) -> Names:
    """Look up the names of the records wanted ({kind: ids}); kinds with no name are skipped."""
    names: Names = {}
    for kind, ids in wanted.items():
        lookup = LOOKUPS.get(kind)
        if lookup is None or not ids:
            continue
        for record_id, name in db.session.execute(lookup(sorted(ids))):
            names[(kind, record_id)] = name
    return names
