"""The verify page: anyone with a code sees every printed field and whether it holds."""

import html
from datetime import timedelta

import pytest

from certificates.printed import printed_fields
from lms.certs.lookup import facts_of
from tests.certkit import TODAY


def uk(day) -> str:
    return f"{day.day} {day:%B %Y}"


def page(client, code: str):
    response = client.get(f"/verify/{code}")
    return response, html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("kind", ["module_completion", "transcript", "advocate_accreditation",
                                  "organisation_accreditation", "cpd_statement"])
def test_every_printed_field_is_shown_in_order(app, client, create_certificate, kind):
    certificate = create_certificate(kind)
    response, body = page(client, certificate.code)
    assert response.status_code == 200
    with app.test_request_context():
        fields = printed_fields(facts_of(certificate))
    assert len(fields) >= 6
    position = 0
    for label, value in fields:
        found = body.find(f"<dt>{label}</dt>\n  <dd>{value}</dd>", position)
        assert found > position, f"{label}: {value} is not shown in order"
        position = found
    assert f"/verify/{certificate.code}" in body


def test_a_valid_certificate_says_so_and_until_when(client, create_certificate):
    certificate = create_certificate("advocate_accreditation")
    response, body = page(client, certificate.code)
    assert "Status: Valid" in body
    assert f"It is valid until {uk(certificate.valid_until)}." in body
    assert "not been revoked or suspended" in body


def test_an_expired_certificate_says_when_it_ended(client, create_certificate):
    certificate = create_certificate("advocate_accreditation", state="expired")
    response, body = page(client, certificate.code)
    assert response.status_code == 200
    assert "Status: Expired" in body
    assert f"It was valid until {uk(TODAY - timedelta(days=30))}." in body
    assert "Status: Valid" not in body


def test_a_suspended_certificate_says_since_when_and_not_why(client, create_certificate):
    certificate = create_certificate("advocate_accreditation", state="suspended")
    response, body = page(client, certificate.code)
    assert "Status: Suspended" in body
    assert f"suspended since {uk(TODAY - timedelta(days=2))}" in body
    assert "complaint" not in body  # the reason is for the holder and staff, not the public


def test_a_revoked_certificate_says_when(client, create_certificate):
    certificate = create_certificate("module_completion", state="revoked")
    response, body = page(client, certificate.code)
    assert "Status: Revoked" in body
    assert f"revoked on {uk(TODAY - timedelta(days=3))}" in body
    assert "Issued in error" not in body


def test_revocation_shows_at_once(app, client, create_certificate):
    from lms.certs.models import Certificate
    from lms.db import utcnow
    from lms.extensions import db

    certificate = create_certificate("module_completion")
    assert "Status: Valid" in page(client, certificate.code)[1]
    with app.app_context():
        db.session.get(Certificate, certificate.id).revoked_at = utcnow()
        db.session.commit()
    assert f"revoked on {uk(TODAY)}" in page(client, certificate.code)[1]


def test_an_unknown_code_is_a_404_with_the_form_again(client):
    response, body = page(client, "K7QX-9FD3-M2PA")
    assert response.status_code == 404
    assert "No certificate has this code" in body
    assert 'name="code"' in body and 'value="K7QX-9FD3-M2PA"' in body


def test_text_that_is_no_code_is_a_404_too(client):
    response, body = page(client, "anything at all")
    assert response.status_code == 404
    assert "No certificate has this code" in body


@pytest.mark.parametrize("typed", ["{}", "{} ", "{lower}", "{bare}", "{spaced}"])
def test_a_code_typed_loosely_redirects_to_its_printed_form(client, create_certificate, typed):
    code = create_certificate("module_completion").code
    typed = typed.format(code, lower=code.lower(), bare=code.replace("-", ""),
                         spaced=code.replace("-", " "))
    response = client.get(f"/verify/{typed}")
    if typed == code:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.headers["Location"] == f"/verify/{code}"


def test_the_form_leads_to_the_page_for_the_code(client, create_certificate):
    code = create_certificate("module_completion").code
    form = client.get("/verify")
    assert form.status_code == 200 and 'name="code"' in form.get_data(as_text=True)
    response = client.get("/verify", query_string={"code": code.lower().replace("-", " ")})
    assert response.status_code == 302 and response.headers["Location"] == f"/verify/{code}"
    empty = client.get("/verify", query_string={"code": "  "})
    assert empty.status_code == 422
    assert "Enter the verification code" in empty.get_data(as_text=True)
    assert client.get("/verify", query_string={"code": "not a code"}).status_code == 404


def test_verify_pages_ask_search_engines_not_to_index_them(client, create_certificate):
    code = create_certificate("module_completion").code
    for path in ("/verify", f"/verify/{code}", "/verify/K7QX-9FD3-M2PA"):
        response = client.get(path)
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in response.get_data(
            as_text=True)


def test_lookups_are_throttled_per_address_with_a_friendly_page(app, client, monkeypatch,
                                                                create_certificate):
    monkeypatch.setitem(app.config, "VERIFY_LIMIT_PER_ADDRESS", "3 per minute")
    code = create_certificate("module_completion").code
    assert client.get(f"/verify/{code}").status_code == 200
    assert client.get("/verify/K7QX-9FD3-M2PA").status_code == 404
    assert client.get(f"/api/v1/verify/{code}").status_code == 200  # one budget for both
    response = client.get(f"/verify/{code}")
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "Too many checks" in body and 'name="code"' in body
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    other = app.test_client()
    other_address = {"REMOTE_ADDR": "127.0.0.9"}
    assert other.get(f"/verify/{code}", environ_base=other_address).status_code == 200


def test_no_page_lists_codes(app, client, create_certificate):
    code = create_certificate("module_completion").code
    for path in ("/verify", "/verify/", "/api/v1/verify", "/api/v1/verify/"):
        assert code not in client.get(path).get_data(as_text=True)


def test_a_stranger_finds_the_form_from_any_page(client):
    body = client.get("/sign-in").get_data(as_text=True)
    footer = body.split('<footer class="site-footer">')[1]
    assert '<a href="/verify">Check a certificate</a>' in footer


def test_a_reissued_certificate_says_so_without_giving_the_new_code(app, client,
                                                                   create_certificate):
    from lms.certs.models import Certificate
    from lms.extensions import db

    old = create_certificate("advocate_accreditation", state="expired")
    new = create_certificate("advocate_accreditation")
    with app.app_context():
        db.session.get(Certificate, old.id).replaced_by_id = new.id
        db.session.commit()
    body = page(client, old.code)[1]
    assert "Status: Expired" in body
    assert "A newer certificate replaces this one." in body
    assert new.code not in body  # whoever had the old code must ask the holder for the new
    assert "replaces" not in page(client, new.code)[1]
