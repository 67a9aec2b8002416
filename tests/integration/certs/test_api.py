"""The verify API: what a certificate states and whether it holds, as JSON, for any code."""

from datetime import timedelta

import pytest

from tests.certkit import TODAY

ISSUER = "Bakhita Centre, St Mary's University, Twickenham"


def answer(client, code: str):
    response = client.get(f"/api/v1/verify/{code}")
    return response, response.get_json()


@pytest.mark.parametrize(("state", "extra"), [
    ("valid", {}),
    ("expired", {}),
    ("suspended", {"suspended_on": (TODAY - timedelta(days=2)).isoformat()}),
    ("revoked", {"revoked_on": (TODAY - timedelta(days=3)).isoformat()}),
])
def test_an_accreditation_in_each_state(app, client, create_certificate, state, extra):
    certificate = create_certificate("advocate_accreditation", state=state)
    response, data = answer(client, certificate.code)
    assert response.status_code == 200
    assert data == {
        "status": state,
        "kind": "advocate_accreditation",
        "kind_label": "Advocate accreditation",
        "code": certificate.code,
        "holder": "Alex Morgan",
        "title": "Certificate of accreditation: independent advocate",
        "issued": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "issuer": ISSUER,
        "verify_url": f"{app.config['EXTERNAL_URL']}/verify/{certificate.code}",
        **extra,
    }


def test_a_module_certificate_does_not_expire_and_an_organisation_is_its_own_holder(
        client, create_certificate):
    module = answer(client, create_certificate("module_completion").code)[1]
    assert module["status"] == "valid" and module["valid_until"] is None
    assert module["title"] == "Certificate of module completion"
    organisation = answer(client, create_certificate("organisation_accreditation").code)[1]
    assert organisation["holder"] == "Hope Trust"


def test_any_way_of_typing_the_code_finds_it(client, create_certificate):
    code = create_certificate("module_completion").code
    assert answer(client, code.lower().replace("-", ""))[1]["code"] == code


@pytest.mark.parametrize("code", ["K7QX-9FD3-M2PA", "nonsense", "K7QX-9FD3-M2P"])
def test_an_unknown_code_is_a_json_404(client, code):
    response, data = answer(client, code)
    assert response.status_code == 404
    assert data == {"error": "not_found"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_answers_are_never_cached_and_any_site_may_read_them(client, create_certificate):
    response, _ = answer(client, create_certificate("module_completion").code)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_the_api_is_throttled_with_a_json_429(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_LIMIT_PER_ADDRESS", "2 per minute")
    assert answer(client, "K7QX-9FD3-M2PA")[0].status_code == 404
    assert answer(client, "K7QX-9FD3-M2PB")[0].status_code == 404
    response, data = answer(client, "K7QX-9FD3-M2PC")
    assert response.status_code == 429
    assert data == {"error": "too_many_requests"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
