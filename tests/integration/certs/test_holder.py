"""Holders see and download their own certificates; organisation admins their organisation's
and their current advocates' accreditation certificates; staff any; everyone else gets 404."""

import io
from datetime import date

from pypdf import PdfReader

from lms.certs.documents import facts_of
from lms.extensions import db
from lms.organisations.models import Employment
from tests.conftest import sign_in
from tests.integration.certs.conftest import certificates, release_mark


def _module_certificate(app, trainee, cohort):
    release_mark(app, trainee, cohort, "law", "scenario", 70)
    release_mark(app, trainee, cohort, "law", "essay", 60)
    app.test_cli_runner().invoke(args=["certificates", "issue", "--cohort", cohort.name])
    return certificates(app, kind="module_completion")[0]


def _client(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def test_the_holder_lists_views_and_downloads_their_certificate(app, trainee, cohort):
    certificate = _module_certificate(app, trainee, cohort)
    client = _client(app, trainee)
    listing = client.get("/certificates").get_data(as_text=True)
    assert certificate.code in listing and "Module completion" in listing
    assert f"/certificates/{certificate.code}.pdf" in listing
    # The verify link is there once the verify pages are served, and never a dead link.
    served = any(rule.rule.startswith("/verify/") for rule in app.url_map.iter_rules())
    assert (f'/verify/{certificate.code}"' in listing) == served
    assert "Valid" in listing and "Does not expire" in listing

    pdf = client.get(f"/certificates/{certificate.code}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert certificate.code in text and "Jordan Ellis" in text

    view = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    with app.test_request_context():
        from certificates.printed import printed_fields

        fields = printed_fields(facts_of(certificate))
    for label, value in fields:  # the title and notes stand as a heading and paragraphs
        assert label in ("Document", "Note") or label in view, label
        assert value.replace("'", "&#39;") in view, value


def test_a_transcript_view_has_a_real_table(app, trainee, cohort):
    _module_certificate(app, trainee, cohort)
    [transcript] = certificates(app, kind="transcript")
    page = _client(app, trainee).get(f"/certificates/{transcript.code}").get_data(as_text=True)
    assert "<table>" in page and '<th scope="col">Mark</th>' in page
    assert '<th scope="row">Module T7002</th><td>20</td><td>64%</td><td>Merit</td>' in page


def test_others_get_not_found_for_a_certificate_that_exists(app, trainee, cohort, create_user):
    certificate = _module_certificate(app, trainee, cohort)
    stranger = _client(app, create_user("trainee"))
    for url in (f"/certificates/{certificate.code}", f"/certificates/{certificate.code}.pdf"):
        assert stranger.get(url).status_code == 404
        assert stranger.get(url.replace(certificate.code, "K7QX-9FD3-M2PA")).status_code == 404
    assert certificate.code not in stranger.get("/certificates").get_data(as_text=True)
    staff = _client(app, create_user("moderator"))
    assert staff.get(f"/certificates/{certificate.code}").status_code == 200
    marker = _client(app, create_user("marker"))
    assert marker.get(f"/certificates/{certificate.code}").status_code == 404


def test_org_admins_see_their_organisation_and_their_advocates_only(
        app, advocate, create_user, create_organisation):
    org = create_organisation()
    elsewhere = create_organisation(name="Harbour Trust")
    person = advocate(org=org)
    [accreditation] = certificates(app, kind="advocate_accreditation")
    [org_certificate] = certificates(app, organisation_id=org.id)
    [their_certificate] = certificates(app, organisation_id=elsewhere.id)
    admin = create_user("org_admin")
    with app.app_context():
        db.session.add(Employment(user_id=admin.id, organisation_id=org.id,
                                  start_date=date(2020, 1, 1)))
        db.session.commit()
    client = _client(app, admin)
    listing = client.get("/certificates").get_data(as_text=True)
    assert accreditation.code in listing and org_certificate.code in listing
    assert their_certificate.code not in listing
    assert client.get(f"/certificates/{accreditation.code}.pdf").status_code == 200
    assert client.get(f"/certificates/{org_certificate.code}").status_code == 200
    assert client.get(f"/certificates/{their_certificate.code}").status_code == 404
    assert _client(app, person).get(f"/certificates/{org_certificate.code}").status_code == 404


def test_the_module_page_links_to_its_certificate_once_issued(app, trainee, cohort):
    client = _client(app, trainee)
    assert "your certificate of module completion" not in client.get("/modules/law").get_data(
        as_text=True)
    certificate = _module_certificate(app, trainee, cohort)
    page = client.get("/modules/law").get_data(as_text=True)
    assert f'href="/certificates/{certificate.code}">your certificate of module completion' in page
