"""Stored facts come back as the dataclass the document was printed from, and codes are found
however they are typed."""

from dataclasses import replace

import pytest

from certificates.codes import format_code
from certificates.printed import KINDS
from lms.certs.lookup import facts_of, find_by_code
from lms.certs.models import Certificate
from tests.certkit import facts_json
from tests.unit.certificates import samples


@pytest.mark.parametrize("make", samples.ALL)
def test_stored_facts_rebuild_the_same_dataclass(app, make):
    facts = make()
    with app.test_request_context():
        row = Certificate(code=facts.code, kind=KINDS[type(facts)].key,
                          issued_on=facts.issued_on, facts=facts_json(facts))
        assert "code" not in row.facts and "verify_url" not in row.facts
        address = f"{app.config['EXTERNAL_URL']}/verify/{facts.code}"
        assert facts_of(row) == replace(facts, verify_url=address)


def test_codes_are_found_however_typed_and_nonsense_asks_nothing(app, ctx,
                                                                 create_certificate):
    code = create_certificate("module_completion").code
    for typed in (code, code.lower(), code.replace("-", ""), f" {code.replace('-', ' ')} "):
        assert find_by_code(typed).code == code
    assert find_by_code(format_code("K7QX9FD3M2PA")) is None
    assert find_by_code("'; drop table certificates; --") is None
    assert find_by_code("") is None
