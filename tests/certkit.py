"""Certificate rows made directly, with facts as the documents state them (a fixture)."""

import dataclasses
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from certificates.codes import new_code
from certificates.openbadges import new_salt
from lms.extensions import db
from tests.unit.certificates import samples

TODAY = date.today()


def at(day: date) -> datetime:
    """Noon UTC on a day: the same calendar day in the UK, summer or winter."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def facts_json(facts) -> dict:
    """Return what a kind of certificate states as Certificate.facts stores it: the row holds
    the code, the verify address and the issue day."""
    from lms.certs.documents import stored

    values = {field.name: getattr(facts, field.name) for field in dataclasses.fields(facts)
              if field.name not in ("code", "verify_url", "issued_on")}
    if "modules" in values:
        values["modules"] = [dataclasses.asdict(module) for module in values["modules"]]
    return stored(values)


@pytest.fixture
def create_certificate(app, create_user):
    """Return a factory: create_certificate("advocate_accreditation", state="revoked")."""
    from lms.certs.lookup import verify_url
    from lms.certs.models import Certificate

    counter = iter(range(1, 100_000))
    makers = {"module_completion": samples.module_completion,
              "transcript": samples.transcript,
              "advocate_accreditation": samples.advocate_accreditation,
              "organisation_accreditation": samples.organisation_accreditation,
              "cpd_statement": samples.cpd_statement}

    def factory(kind="advocate_accreditation", *, state="valid", holder=None, **changes):
        n = next(counter)
        holder = holder or (create_user() if kind != "organisation_accreditation" else None)
        code = new_code()
        issued = TODAY - timedelta(days=400)
        valid_until = TODAY + timedelta(days=700)
        if state == "expired":
            valid_until = TODAY - timedelta(days=30)
        with app.test_request_context():
            url = verify_url(code)
        dated = {"valid_from": issued, "valid_until": valid_until} if "accreditation" in kind \
            else {}
        facts = replace(makers[kind](), code=code, verify_url=url, issued_on=issued,
                        **dated, **changes)
        with app.app_context():
            certificate = Certificate(
                code=code, kind=kind, key=f"test:{kind}:{n}:{code}",
                user_id=holder.id if holder else None, facts=facts_json(facts),
                issued_on=issued, valid_until=valid_until if "accreditation" in kind else None,
                status_index=1000 + n * 7, salt=new_salt())
            if state == "revoked":
                certificate.revoked_at = at(TODAY - timedelta(days=3))
                certificate.revoked_reason = "Issued in error."
            if state == "suspended":
                certificate.suspended_at = at(TODAY - timedelta(days=2))
                certificate.suspended_reason = "A complaint is being looked into."
            db.session.add(certificate)
            db.session.commit()
            db.session.refresh(certificate)
            db.session.expunge(certificate)
            return certificate

    return factory
