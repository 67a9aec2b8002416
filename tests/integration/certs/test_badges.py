"""Open Badges 3.0 on the site: a holder's credential validates, verifies with the published key
and fails when changed; revocation and suspension show in signed status lists; the key comes
from configuration and production will not start without one."""

import copy
import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema.validators import validator_for

from certificates.keys import (
    generate_private_key,
    lookup_in_did_document,
    private_key_to_multibase,
    private_key_to_pem,
    public_key_from_multibase,
)
from certificates.openbadges import identity_matches, verify_credential
from certificates.statuslist import bit_is_set
from lms import create_app
from lms.config import Config
from lms.extensions import db
from tests.conftest import sign_in

SCHEMA = json.loads((Path(__file__).parents[2] / "unit" / "certificates" / "vectors"
                     / "achievementcredential.schema.json").read_text("utf-8"))


def download(client, code: str):
    response = client.get(f"/certificates/{code}/credential.json")
    return response, (json.loads(response.data) if response.status_code == 200 else None)


def site_keys(client):
    return lookup_in_did_document(json.loads(client.get("/.well-known/did.json").data))


@pytest.fixture
def holder_credential(client, create_user, create_certificate):
    holder = create_user("trainee", email="amina.okafor@example.org")
    certificate = create_certificate("module_completion", holder=holder)
    sign_in(client, holder)
    response, credential = download(client, certificate.code)
    assert response.status_code == 200
    return certificate, credential


def test_the_holders_credential_validates_against_the_schema(holder_credential):
    certificate, credential = holder_credential
    errors = sorted(validator_for(SCHEMA)(SCHEMA).iter_errors(credential), key=str)
    assert errors == []
    assert credential["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert credential["id"].endswith(f"/verify/{certificate.code}")
    assert credential["validFrom"] == f"{certificate.issued_on.isoformat()}T00:00:00Z"
    assert credential["credentialStatus"]["statusListIndex"] == str(certificate.status_index)
    assert credential["credentialStatus"]["statusListCredential"].endswith("/status/revocation")


def test_the_recipient_is_a_salted_hash_of_the_email(holder_credential):
    certificate, credential = holder_credential
    assert "example.org" not in json.dumps(credential)
    assert identity_matches(credential, " Amina.Okafor@example.org")
    assert not identity_matches(credential, "someone.else@example.org")


def test_it_verifies_with_the_key_the_site_publishes_and_fails_when_changed(client,
                                                                          holder_credential):
    _, credential = holder_credential
    keys = site_keys(client)
    assert verify_credential(credential, keys)
    tampered = copy.deepcopy(credential)
    name = tampered["credentialSubject"]["achievement"]["name"]
    tampered["credentialSubject"]["achievement"]["name"] = name[:-1] + chr(ord(name[-1]) + 1)
    assert not verify_credential(tampered, keys)
    later = copy.deepcopy(credential)
    later["validFrom"] = later["validFrom"].replace("T00", "T01")
    assert not verify_credential(later, keys)


def test_the_same_certificate_gives_the_same_credential(client, holder_credential):
    certificate, credential = holder_credential
    again = client.get(f"/certificates/{certificate.code}/credential.json")
    assert json.loads(again.data) == credential
    assert "attachment" in again.headers["Content-Disposition"]


def test_the_issuer_key_document_names_the_key_in_the_did(client):
    did = json.loads(client.get("/.well-known/did.json").data)
    key = json.loads(client.get("/issuer/key").data)
    assert key["type"] == "Multikey" and key["controller"] == did["id"]
    assert key["id"] in did["assertionMethod"]
    assert did["id"].startswith("did:web:")
    public = public_key_from_multibase(key["publicKeyMultibase"])
    assert site_keys(client)(key["id"]) == public


def test_only_the_holder_their_organisations_admins_and_staff_may_download(
        app, client, create_user, create_certificate, create_organisation):
    from lms.organisations.models import Employment

    holder = create_user("advocate")
    org = create_organisation()
    certificate = create_certificate("advocate_accreditation", holder=holder)
    with app.app_context():
        from lms.certs.models import Certificate

        db.session.get(Certificate, certificate.id).organisation_id = org.id
        org_admin = create_user("org_admin")
        db.session.add(Employment(user_id=org_admin.id, organisation_id=org.id,
                                  start_date=date(2020, 1, 1)))
        db.session.commit()
    outsider_admin = create_user("org_admin")
    expected = {holder: 200, org_admin: 200, create_user("admin"): 200,
                create_user("trainee"): 404, create_user("marker"): 404, outsider_admin: 404}
    for person, status in expected.items():
        visitor = app.test_client()
        sign_in(visitor, person)
        assert download(visitor, certificate.code)[0].status_code == status, person.roles
    anonymous = app.test_client().get(f"/certificates/{certificate.code}/credential.json")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]


def test_transcripts_and_organisations_have_no_credential(client, create_user,
                                                          create_certificate):
    admin = create_user("admin")
    sign_in(client, admin)
    for kind in ("transcript", "cpd_statement", "organisation_accreditation"):
        assert download(client, create_certificate(kind).code)[0].status_code == 404
    assert download(client, "K7QX-9FD3-M2PA")[0].status_code == 404


def status_list(client, purpose: str):
    response = client.get(f"/status/{purpose}")
    assert response.status_code == 200
    assert response.mimetype == "application/vc+ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.data)


def test_a_revoked_certificate_is_set_in_the_signed_revocation_list(client, create_certificate):
    revoked = create_certificate("module_completion", state="revoked")
    valid = create_certificate("module_completion")
    suspended = create_certificate("advocate_accreditation", state="suspended")
    listing = status_list(client, "revocation")
    assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listing["credentialSubject"]["statusPurpose"] == "revocation"
    encoded = listing["credentialSubject"]["encodedList"]
    assert bit_is_set(encoded, revoked.status_index)
    assert not bit_is_set(encoded, valid.status_index)
    assert not bit_is_set(encoded, suspended.status_index)
    assert verify_credential(listing, site_keys(client))
    listing["credentialSubject"]["encodedList"] = encoded[:-1] + ("A" if encoded[-1] != "A"
                                                                  else "B")
    assert not verify_credential(listing, site_keys(client))


def test_a_suspension_is_set_in_the_suspension_list_until_lifted(app, client,
                                                                 create_certificate):
    from lms.certs.models import Certificate

    suspended = create_certificate("advocate_accreditation", state="suspended")
    revoked = create_certificate("module_completion", state="revoked")
    listing = status_list(client, "suspension")
    assert listing["credentialSubject"]["statusPurpose"] == "suspension"
    assert bit_is_set(listing["credentialSubject"]["encodedList"], suspended.status_index)
    assert not bit_is_set(listing["credentialSubject"]["encodedList"], revoked.status_index)
    assert verify_credential(listing, site_keys(client))
    with app.app_context():
        db.session.get(Certificate, suspended.id).suspended_at = None  # lifted
        db.session.commit()
    lifted = status_list(client, "suspension")
    assert not bit_is_set(lifted["credentialSubject"]["encodedList"], suspended.status_index)


def test_the_list_a_credential_points_at_is_the_one_that_revokes_it(app, client, create_user,
                                                                    create_certificate):
    from lms.certs.models import Certificate
    from lms.db import utcnow

    holder = create_user("trainee")
    certificate = create_certificate("module_completion", holder=holder)
    sign_in(client, holder)
    entry = download(client, certificate.code)[1]["credentialStatus"]
    with app.app_context():
        db.session.get(Certificate, certificate.id).revoked_at = utcnow()
        db.session.commit()
    path = entry["statusListCredential"].removeprefix(app.config["EXTERNAL_URL"])
    listing = json.loads(client.get(path).data)
    assert listing["id"] == entry["statusListCredential"]
    assert bit_is_set(listing["credentialSubject"]["encodedList"],
                      int(entry["statusListIndex"]))


@pytest.fixture
def environment(monkeypatch):
    for name in ("SIGNING_KEY", "SECRET_KEY", "ENV"):
        monkeypatch.delenv(f"LMS_{name}", raising=False)
    return monkeypatch


def test_production_refuses_to_start_without_a_signing_key(environment):
    environment.setenv("LMS_ENV", "production")
    environment.setenv("LMS_SECRET_KEY", "a-real-secret-from-the-environment")
    with pytest.raises(RuntimeError, match="LMS_SIGNING_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize("encode", [private_key_to_pem, private_key_to_multibase])
def test_the_key_comes_from_the_environment_as_pem_or_multikey(environment, encode):
    key = generate_private_key()
    environment.setenv("LMS_ENV", "production")
    environment.setenv("LMS_SECRET_KEY", "a-real-secret-from-the-environment")
    environment.setenv("LMS_SIGNING_KEY", encode(key))
    environment.setenv("LMS_RATELIMIT_STORAGE_URL", "redis://127.0.0.1:6379/0")
    environment.setenv("LMS_QUEUE_URL", "redis://127.0.0.1:6379/0")
    environment.setenv("LMS_SINGLE_MACHINE", "1")  # the in-memory SQLite database below
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    try:
        did = json.loads(app.test_client().get("/.well-known/did.json").data)
        published = did["verificationMethod"][0]["publicKeyMultibase"]
        assert public_key_from_multibase(published).public_bytes_raw() == (
            key.public_key().public_bytes_raw())
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_signing_key_that_cannot_be_read_stops_the_start(environment, tmp_path):
    environment.setenv("LMS_SIGNING_KEY", "not a key")
    with pytest.raises(ValueError):
        Config(str(tmp_path))


def test_development_generates_a_key_once_into_the_instance_folder(environment, tmp_path):
    first = Config(str(tmp_path)).SIGNING_KEY
    assert (tmp_path / "signing-key.pem").stat().st_mode & 0o077 == 0
    assert first == Config(str(tmp_path)).SIGNING_KEY


def test_the_holders_pages_offer_the_credential_for_badge_kinds_only(app, client, create_user,
                                                                      create_certificate):
    holder = create_user("advocate")
    badge = create_certificate("advocate_accreditation", holder=holder)
    statement = create_certificate("cpd_statement", holder=holder)
    sign_in(client, holder)
    listing = client.get("/certificates").get_data(as_text=True)
    assert f'href="/certificates/{badge.code}/credential.json"' in listing
    assert f"/certificates/{statement.code}/credential.json" not in listing
    view = client.get(f"/certificates/{badge.code}").get_data(as_text=True)
    assert f'href="/certificates/{badge.code}/credential.json"' in view
