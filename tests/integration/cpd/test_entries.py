"""Advocates log, draft, plan, edit, withdraw and un-confirm CPD entries; nothing is lost."""

from datetime import timedelta

from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.cpd.models import CpdEntry, CpdEvidence
from lms.db import utcnow
from lms.extensions import db
from tests import filekit
from tests.conftest import csrf_token, sign_in
from tests.integration.cpd.conftest import TODAY, days_ago, entries_of, post_entry


def only_entry(app, user) -> CpdEntry:
    rows = entries_of(app, user)
    assert len(rows) == 1, rows
    return rows[0]


def audit_actions(app, entry_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_type == "CpdEntry", AuditEvent.subject_id == entry_id)
            .order_by(AuditEvent.id)))


def test_logging_an_activity_counts_it_on_the_year_page(app, advocate_client, advocate):
    response = post_entry(advocate_client, "/cpd/entries/new", "log")
    assert response.status_code == 302
    entry = only_entry(app, advocate)
    assert (entry.status, entry.minutes, entry.activity) == ("logged", 210,
                                                             "multi_agency_training")
    assert entry.participatory and entry.topics == ["law_and_policy", "safeguarding"]
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert "3.5 hours of 20 hours" in page
    assert "Multi-agency training on the NRM" in page
    assert audit_actions(app, entry.id) == ["cpd.entry.create"]


def test_a_draft_is_kept_on_the_server_and_shown_on_the_year_page(app, advocate_client,
                                                                  advocate):
    response = post_entry(advocate_client, "/cpd/entries/new", "draft", hours="", title="")
    entry = only_entry(app, advocate)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/cpd/entries/{entry.id}")
    assert entry.status == "draft" and entry.minutes is None
    assert entry.what_i_learned == "How **Reasonable Grounds** decisions are made."
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert "Drafts (1)" in page and "Untitled draft" in page
    assert "0 hours of 20 hours" in page  # a draft never counts


def test_autosave_creates_the_draft_then_saves_to_it(app, advocate_client, advocate):
    first = post_entry(advocate_client, "/cpd/entries/new", "autosave", hours="")
    assert first.status_code == 200 and first.json["saved"] is True
    entry = only_entry(app, advocate)
    assert first.json["action"] == f"/cpd/entries/{entry.id}"
    second = post_entry(advocate_client, first.json["action"], "autosave",
                        version=first.json["version"], what_happened="Second thoughts")
    assert second.json["saved"] is True and second.json["version"] == first.json["version"] + 1
    entry = only_entry(app, advocate)
    assert entry.status == "draft" and entry.what_happened == "Second thoughts"
    assert audit_actions(app, entry.id) == ["cpd.entry.create", "cpd.entry.autosave"]


def test_a_plan_may_be_in_the_future_and_turns_into_an_entry_when_done(app, advocate_client,
                                                                      advocate):
    ahead = (TODAY + timedelta(days=20)).isoformat()
    refused = post_entry(advocate_client, "/cpd/entries/new", "log", start=ahead)
    assert refused.status_code == 422
    assert "cannot be in the future" in refused.get_data(as_text=True)
    assert entries_of(app, advocate) == []
    assert post_entry(advocate_client, "/cpd/entries/new", "plan", start=ahead).status_code == 302
    plan = only_entry(app, advocate)
    assert plan.status == "planned"
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert "Plans (1)" in page and "0 hours of 20 hours" in page
    # Done: the plan is logged with the day it happened.
    done = post_entry(advocate_client, f"/cpd/entries/{plan.id}", "log", version=plan.version,
                      start=days_ago(1).isoformat())
    assert done.status_code == 302
    entry = only_entry(app, advocate)
    assert entry.id == plan.id and entry.status == "logged"
    assert "3.5 hours of 20 hours" in advocate_client.get("/cpd").get_data(as_text=True)


def test_editing_a_logged_entry_keeps_it_logged_and_audits_the_change(app, advocate_client,
                                                                      advocate):
    post_entry(advocate_client, "/cpd/entries/new", "log")
    entry = only_entry(app, advocate)
    form = advocate_client.get(f"/cpd/entries/{entry.id}").get_data(as_text=True)
    assert 'value="3.5"' in form and "Save changes" in form
    response = post_entry(advocate_client, f"/cpd/entries/{entry.id}", "draft",
                          version=entry.version, hours="4")
    assert response.status_code == 302
    entry = only_entry(app, advocate)
    assert (entry.status, entry.minutes) == ("logged", 240)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "cpd.entry.logged")).one()
        assert event.before == {"minutes": 210} and event.after == {"minutes": 240}
        assert event.actor_id == advocate.id


def test_a_stale_version_gets_a_conflict_showing_both_and_overwrites_nothing(
        app, advocate_client, advocate):
    post_entry(advocate_client, "/cpd/entries/new", "draft", what_happened="From the laptop")
    entry = only_entry(app, advocate)
    stale = entry.version
    post_entry(advocate_client, f"/cpd/entries/{entry.id}", "draft", version=stale,
               what_happened="From the phone")
    response = post_entry(advocate_client, f"/cpd/entries/{entry.id}", "draft", version=stale,
                          what_happened="Typed in the old tab")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Two versions of this entry" in page
    assert "From the phone" in page and "Typed in the old tab" in page
    assert only_entry(app, advocate).what_happened == "From the phone"
    autosave = post_entry(advocate_client, f"/cpd/entries/{entry.id}", "autosave",
                          version=stale, what_happened="Autosaved in the old tab")
    assert autosave.status_code == 409 and autosave.json["conflict"] is True
    assert only_entry(app, advocate).what_happened == "From the phone"


def test_withdrawing_needs_a_reason_and_keeps_the_entry(app, advocate_client, advocate):
    post_entry(advocate_client, "/cpd/entries/new", "log")
    entry = only_entry(app, advocate)
    url = f"/cpd/entries/{entry.id}/withdraw"
    refused = advocate_client.post(url, data={"reason": "", "csrf_token": csrf_token(
        advocate_client, url)})
    assert refused.status_code == 422 and "Enter why you are withdrawing" in refused.get_data(
        as_text=True)
    assert only_entry(app, advocate).status == "logged"
    done = advocate_client.post(url, data={"reason": "Logged twice by mistake",
                                           "csrf_token": csrf_token(advocate_client, url)})
    assert done.status_code == 302
    entry = only_entry(app, advocate)
    assert (entry.status, entry.withdrawn_reason) == ("withdrawn", "Logged twice by mistake")
    page = advocate_client.get("/cpd").get_data(as_text=True)
    assert "Withdrawn (1)" in page and "Logged twice by mistake" in page
    assert "0 hours of 20 hours" in page
    shown = advocate_client.get(f"/cpd/entries/{entry.id}").get_data(as_text=True)
    assert "Withdrawn on" in shown and "<form" not in shown.split("<main", 1)[1].split(
        "Back to your CPD", 1)[1]


def confirm(app, entry_id):
    with app.app_context():
        entry = db.session.get(CpdEntry, entry_id)
        entry.confirmed_at, entry.confirmed_by_name = utcnow(), "Sam Okafor"
        entry.confirmed_by_role = "Services manager"
        db.session.commit()


def test_a_confirmed_entry_is_read_only_until_unconfirmed_with_a_reason(app, advocate_client,
                                                                        advocate):
    post_entry(advocate_client, "/cpd/entries/new", "log")
    entry = only_entry(app, advocate)
    confirm(app, entry.id)
    shown = advocate_client.get(f"/cpd/entries/{entry.id}")
    page = shown.get_data(as_text=True)
    assert "Confirmed by Sam Okafor" in page and "Un-confirm to edit" in page
    assert 'name="hours"' not in page
    changed = post_entry(advocate_client, f"/cpd/entries/{entry.id}", "log",
                         version=entry.version + 1, hours="9")
    assert changed.status_code == 409 and only_entry(app, advocate).minutes == 210
    url = f"/cpd/entries/{entry.id}/unconfirm"
    refused = advocate_client.post(url, data={"unconfirm_reason": "",
                                              "csrf_token": csrf_token(advocate_client, "/cpd")})
    assert refused.status_code == 422
    assert "Enter why you need to change a confirmed entry" in refused.get_data(as_text=True)
    assert only_entry(app, advocate).confirmed_at is not None
    done = advocate_client.post(url, data={"unconfirm_reason": "The hours were wrong",
                                           "csrf_token": csrf_token(advocate_client, "/cpd")})
    assert done.status_code == 302
    entry = only_entry(app, advocate)
    assert entry.confirmed_at is None and entry.confirmed_by_name is None
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "cpd.entry.unconfirm")).one()
        assert event.reason == "The hours were wrong"
        assert event.before["confirmed_by_name"] == "Sam Okafor"
    assert 'name="hours"' in advocate_client.get(f"/cpd/entries/{entry.id}").get_data(
        as_text=True)


def test_bad_input_is_refused_at_each_field_and_everything_typed_is_kept(app, advocate_client,
                                                                       advocate):
    response = post_entry(advocate_client, "/cpd/entries/new", "log", hours="1.1",
                          activity="", start=days_ago(3).isoformat(),
                          end=days_ago(5).isoformat(), what_happened="Kept <b>word</b> for word")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    for message, field in [("Enter hours in quarter-hour steps", "hours"),
                           ("Choose the type of activity", "activity"),
                           ("The end date must be the same as or after", "end")]:
        assert page.count(message) == 2, message  # in the summary and at the field
        assert f'href="#{field}"' in page and f'id="{field}-error"' in page
    assert 'value="1.1"' in page and 'value="Multi-agency training on the NRM"' in page
    assert "Kept &lt;b&gt;word&lt;/b&gt; for word" in page
    assert 'value="law_and_policy" checked' in page
    assert entries_of(app, advocate) == []


def test_nobody_sees_or_changes_another_persons_entries(app, advocate_client, advocate,
                                                       create_advocate):
    post_entry(advocate_client, "/cpd/entries/new", "log")
    entry = only_entry(app, advocate)
    other = app.test_client()
    sign_in(other, create_advocate())
    base = f"/cpd/entries/{entry.id}"
    assert other.get(base).status_code == 404
    assert other.get(base + "/withdraw").status_code == 404
    token = csrf_token(other, "/cpd")
    for url, data in [(base, {"action": "log", "title": "Mine now", "version": "1"}),
                      (base, {"action": "autosave", "title": "Mine now", "version": "1"}),
                      (base + "/withdraw", {"reason": "Because"}),
                      (base + "/unconfirm", {"unconfirm_reason": "Because"})]:
        assert other.post(url, data={**data, "csrf_token": token}).status_code == 404
    unchanged = only_entry(app, advocate)
    assert (unchanged.title, unchanged.status) == ("Multi-agency training on the NRM", "logged")
    assert "Multi-agency training" not in other.get("/cpd").get_data(as_text=True)


def test_evidence_is_checked_by_its_content(app, advocate_client, advocate, create_user):
    refused = post_entry(advocate_client, "/cpd/entries/new", "log",
                         attachment=(b"<html><script>alert(1)</script></html>", "cert.pdf"))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Its content is not one of these" in page and 'id="attachment-error"' in page
    assert entries_of(app, advocate) == []
    pdf = filekit.pdf(text="Certificate of attendance")
    kept = post_entry(advocate_client, "/cpd/entries/new", "log", attachment=(pdf, "cert.pdf"))
    assert kept.status_code == 302
    entry = only_entry(app, advocate)
    with app.app_context():
        link = db.session.scalars(select(CpdEvidence).where(
            CpdEvidence.entry_id == entry.id)).one()
    shown = advocate_client.get(f"/cpd/entries/{entry.id}").get_data(as_text=True)
    assert "cert.pdf" in shown
    download = advocate_client.get(f"/cpd/entries/{entry.id}/evidence/{link.attachment_id}")
    assert download.status_code == 200 and download.data == pdf
    other = app.test_client()
    sign_in(other, create_user("advocate"))
    assert other.get(f"/cpd/entries/{entry.id}/evidence/{link.attachment_id}").status_code == 404


def test_trainees_log_cpd_too(app, create_user):
    trainee = create_user("trainee")
    client = app.test_client()
    sign_in(client, trainee)
    # Not accredited: the CPD year starts on the day they joined (here, today).
    assert post_entry(client, "/cpd/entries/new", "log",
                      start=TODAY.isoformat()).status_code == 302
    page = client.get("/cpd").get_data(as_text=True)
    assert "3.5 hours of 20 hours" in page
    assert 'href="/cpd"' in client.get("/").get_data(as_text=True)


def test_the_advocate_chooses_to_share_a_reflection_and_line_breaks_count_once(
        app, advocate, advocate_client):
    from lms import limits

    page = advocate_client.get("/cpd/entries/new").get_data(as_text=True)
    assert 'name="shared_with_employer"' in page
    # Exactly at the limit as typed: each line break is sent as two characters.
    typed = ("x" * 99 + "\r\n") * (limits.CPD_REFLECTION // 100)
    response = post_entry(advocate_client, "/cpd/entries/new", "log",
                          shared_with_employer="1", what_happened=typed)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]
    [entry] = entries_of(app, advocate)
    assert entry.shared_with_employer is True
