"""The yearly CPD audit: who may be drawn, the seeded draw and its repeat, the emails, and each
case from deferral to a decision with a second assessor and an appeal."""

import html
from datetime import date, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.cpd import rules
from lms.cpd.models import CpdAudit, CpdAuditCase, CpdEntry, CpdProfile
from lms.extensions import db
from tests.conftest import csrf_token, outbox, sign_in

AUDITS = "/staff/cpd/audits"
STEP_PATHS = {"defer": "defer", "submitted": "submitted", "assess": "assess",
              "second": "second", "appeal": "appeal", "decide": "appeal-decision"}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def in_days(days: int) -> date:
    return date.today() + timedelta(days=days)


@pytest.fixture
def advocate(app, create_user):
    """Return a factory for a qualified advocate with a CPD profile, accredited days ago."""

    def make(days: int | None = 800, *, active=True, role="advocate", profile=True, name=None):
        user = create_user(role, active=active, name=name)
        if profile:
            with app.app_context():
                db.session.add(CpdProfile(user_id=user.id, accredited_on=(
                    None if days is None else in_days(-days))))
                db.session.commit()
        return user

    return make


@pytest.fixture
def lead(client, create_user):
    user = create_user("moderator", name="Morag Lead")
    sign_in(client, user)
    return user


@pytest.fixture
def second_lead(app, create_user):
    """Another member of staff, signed in on their own browser."""
    user = create_user("moderator", name="Sam Second")
    other = app.test_client()
    sign_in(other, user)
    return other, user


def run(client, **changes):
    data = {"label": "CPD audit", "rate": "2.5", "minimum": "1",
            "deadline": in_days(42).isoformat()}
    return client.post(AUDITS, data={**data, **changes,
                                     "csrf_token": csrf_token(client, AUDITS)})


def audits(app) -> list[CpdAudit]:
    with app.app_context():
        found = db.session.scalars(select(CpdAudit).order_by(CpdAudit.id)).all()
        db.session.expunge_all()
        return found


def cases(app, audit_id=None) -> list[CpdAuditCase]:
    with app.app_context():
        query = select(CpdAuditCase).order_by(CpdAuditCase.user_id)
        if audit_id is not None:
            query = query.where(CpdAuditCase.audit_id == audit_id)
        found = db.session.scalars(query).all()
        db.session.expunge_all()
        return found


def case_url(case) -> str:
    return f"{AUDITS}/{case.audit_id}/cases/{case.id}"


def step(client, case, name, *, version=None, **fields):
    """Post one step on a case as its form does (prefixed fields, the version it was opened at)."""
    data = {f"{name}-{key}": value for key, value in fields.items()}
    data[f"{name}-version"] = str(case.version if version is None else version)
    data[f"{name}-csrf_token"] = csrf_token(client, case_url(case))
    return client.post(f"{case_url(case)}/{STEP_PATHS[name]}", data=data)


def fresh(app, case) -> CpdAuditCase:
    [found] = [c for c in cases(app) if c.id == case.id]
    return found


def test_who_may_be_drawn_excludes_recent_under_review_and_suspended(
        app, client, lead, advocate, create_user):
    eligible = advocate(800, name="Eligible Advocate")
    just_a_year = advocate(366, name="Just A Year")
    advocate(200, name="Too Recent")
    advocate(None, name="No Date")
    advocate(900, active=False, name="Suspended Advocate")
    under_review = advocate(900, name="Under Review")
    advocate(900, profile=False, name="No Profile")
    advocate(900, role="trainee", name="A Trainee")
    with app.app_context():
        earlier = CpdAudit(label="Earlier", seed="x", rate="1/40", eligible=[under_review.id],
                           deadline=in_days(10))
        db.session.add(earlier)
        db.session.flush()
        db.session.add(CpdAuditCase(audit_id=earlier.id, user_id=under_review.id,
                                    status="submitted"))
        db.session.commit()
    page = text(client.get(AUDITS))
    assert "6 qualified advocates with a CPD record; <strong>2 eligible</strong>." in page
    assert "Accredited less than a year (or with no accreditation date): 2" in page
    assert "Already under review (an audit case still open): 1" in page
    assert "Suspended: 1. Until accreditation records exist, an account that has been " \
        "deactivated counts as suspended." in page

    assert run(client, rate="100").status_code == 302
    audit = audits(app)[-1]
    assert audit.eligible == sorted([eligible.id, just_a_year.id])
    assert [c.user_id for c in cases(app, audit.id)] == audit.eligible


def test_nobody_eligible_refuses_the_draw_and_keeps_the_form(app, client, lead, advocate):
    advocate(100)
    response = run(client, label="Audit with nobody")
    assert response.status_code == 422
    assert "No advocate is eligible for the audit today, so nothing was drawn." in text(response)
    assert 'value="Audit with nobody"' in text(response)
    assert audits(app) == []


def test_bad_audit_settings_are_refused_at_their_fields_with_input_kept(app, client, lead,
                                                                        advocate):
    advocate(800)
    response = run(client, rate="0", minimum="none", deadline=date.today().isoformat())
    assert response.status_code == 422
    page = text(response)
    assert "Enter a rate above 0 and up to 100 per cent" in page
    assert "Enter a whole number of advocates, 1 or more" in page
    assert "The deadline must be after today." in page
    assert 'value="none"' in page and 'value="0"' in page
    assert audits(app) == []


def test_the_draw_is_recorded_with_its_seed_and_repeats_exactly(app, client, lead, advocate):
    people = [advocate(800 + n) for n in range(45)]
    response = run(client, label="CPD audit 2026")
    assert response.status_code == 302
    assert "2 advocates drawn and emailed" in text(client.get(response.headers["Location"]))
    [audit] = audits(app)
    assert len(audit.seed) == 32 and int(audit.seed, 16) >= 0
    assert audit.eligible == sorted(p.id for p in people)
    assert (audit.rate, audit.minimum, audit.must_include) == ("1/40", 1, [])
    drawn = [c.user_id for c in cases(app, audit.id)]
    assert len(drawn) == 2  # 2.5% of 45, rounded up
    assert rules.draw_sample(audit.eligible, audit.seed, Fraction(1, 40), 1) == drawn

    page = text(client.get(f"{AUDITS}/{audit.id}?repeat=1"))
    assert "The repeat draw matches:" in page and "the same 2 advocates" in page
    assert audit.seed in page and "2.5% (1 in 40) of those eligible, at least 1" in page
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "cpd_audit_drawn"))
        assert event.after["seed"] == audit.seed and event.after["sample"] == drawn
        # A record changed after the draw no longer repeats: the check can fail.
        db.session.get(CpdAudit, audit.id).seed = "0" * 32
        db.session.commit()
    if rules.draw_sample(audit.eligible, "0" * 32, Fraction(1, 40), 1) != drawn:
        page = text(client.get(f"{AUDITS}/{audit.id}?repeat=1"))
        assert "The repeat draw does not match the audit's sample." in page


def test_each_advocate_drawn_is_emailed_the_deadline(app, client, lead, advocate):
    chosen = advocate(800, name="Amara Okafor")
    run(client, rate="100", deadline=in_days(42).isoformat(), label="CPD audit 2026")
    [mail] = outbox(app)
    deadline = in_days(42)
    assert mail.recipient == chosen.email
    assert mail.subject == "Your CPD has been selected for audit"
    assert f"submit your profile by {deadline.day} {deadline:%B %Y}" in mail.body
    assert "Dear Amara Okafor" in mail.body and "/cpd/audit" in mail.body
    assert "does not mean anyone has concerns" in mail.body


def test_a_deferral_moves_the_deadline_for_a_recorded_reason(app, client, lead, advocate):
    chosen = advocate(800)
    run(client, rate="100")
    [case] = cases(app)
    refused = step(client, case, "defer", until=in_days(90).isoformat(), reason="")
    assert refused.status_code == 422
    assert "Say why the deadline moves" in text(refused)
    assert f'value="{in_days(90).isoformat()}"' in text(refused)
    assert fresh(app, case).deferred_until is None

    response = step(client, case, "defer", until=in_days(90).isoformat(),
                    reason="Parental leave until the spring.")
    assert response.status_code == 302
    case = fresh(app, case)
    assert (case.status, case.deferred_until) == ("deferred", in_days(90))
    assert case.deferred_reason == "Parental leave until the spring."
    mail = outbox(app)[-1]
    assert mail.recipient == chosen.email and mail.subject == "Your CPD audit deadline has moved"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "cpd_audit_case_deferred"))
    assert event.actor_id == lead.id and event.reason == "Parental leave until the spring."
    page = text(client.get(case_url(case)))
    assert "Deadline deferred by Morag Lead" in page

    mine = client.application.test_client()
    sign_in(mine, chosen)
    notice = text(mine.get("/cpd/audit"))
    assert f"{in_days(90).day} {in_days(90):%B %Y}" in notice
    assert "(deferred: Parental leave until the spring.)" in notice


def test_not_met_needs_a_second_assessor_who_is_a_different_person(
        app, client, lead, second_lead, advocate, create_user):
    chosen = advocate(800, name="Amara Okafor")
    run(client, rate="100")
    [case] = cases(app)
    mine = app.test_client()
    sign_in(mine, chosen)
    assert "Submit my profile" in text(mine.get("/cpd/audit"))
    submitted = mine.post(f"/cpd/audit/cases/{case.id}/submit", data={
        f"case{case.id}-version": str(case.version),
        f"case{case.id}-csrf_token": csrf_token(mine, "/cpd/audit")})
    assert submitted.status_code == 302
    case = fresh(app, case)
    assert case.status == "submitted" and case.submitted_at is not None

    note = "No supervision logged and only one reflection."
    assert step(client, case, "assess", outcome="not_met", note=note).status_code == 302
    case = fresh(app, case)
    assert (case.status, case.outcome, case.assessor_id, case.decided_at) == (
        "pending_second", "not_met", lead.id, None)
    assert "Being assessed" in text(mine.get("/cpd/audit"))  # not final, so not told yet
    assert "Not met" not in text(mine.get("/cpd/audit"))
    page = text(client.get(case_url(case)))
    assert "a different member of staff must make the second" in page

    same = step(client, case, "second", outcome="not_met", note="I agree with myself.")
    assert same.status_code == 422
    assert "A second assessor must be a different person" in text(same)
    assert fresh(app, case).status == "pending_second"

    other, second = second_lead
    agreed = step(other, case, "second", outcome="not_met", note="Agreed: no supervision.")
    assert agreed.status_code == 302
    case = fresh(app, case)
    assert (case.status, case.outcome, case.second_assessor_id) == (
        "decided", "not_met", second.id)
    assert case.decided_at is not None
    assert note in case.outcome_note and "Agreed: no supervision." in case.outcome_note
    mail = outbox(app)[-1]
    assert mail.recipient == chosen.email and "is: Not met." in mail.body
    assert "Not met" in text(mine.get("/cpd/audit"))

    # The appeal: recorded, then decided by someone who did not assess the profile.
    assert step(client, case, "appeal", note="My supervision was logged late.").status_code \
        == 302
    case = fresh(app, case)
    assert (case.status, case.appeal_note) == ("appealed", "My supervision was logged late.")
    refused = step(other, case, "decide", outcome="met", note="Upheld.")
    assert refused.status_code == 422
    assert "decided by someone who did not assess the profile" in text(refused)
    third = app.test_client()
    sign_in(third, create_user("admin", name="Ada Admin"))
    decided = step(third, case, "decide", outcome="advice", note="Supervision evidence seen.")
    assert decided.status_code == 302
    case = fresh(app, case)
    assert (case.status, case.outcome) == ("appeal_decided", "advice")
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_type == "CpdAuditCase", AuditEvent.subject_id == case.id)
            .order_by(AuditEvent.id)))
    assert actions == ["cpd_audit_case_opened", "cpd_audit_case_submitted",
                       "cpd_audit_case_assessed", "cpd_audit_case_second_assessed",
                       "cpd_audit_case_appealed", "cpd_audit_case_appeal_decided"]
    history = text(client.get(case_url(case)))
    assert "Second assessment (not met) by Sam Second" in history
    assert "Appeal decided (met, with advice given) by Ada Admin" in history


def test_met_and_advice_are_final_at_once(app, client, lead, advocate):
    advocate(800)
    run(client, rate="100")
    [case] = cases(app)
    step(client, case, "submitted")
    case = fresh(app, case)
    assert step(client, case, "assess", outcome="met", note="Well evidenced.").status_code == 302
    case = fresh(app, case)
    assert (case.status, case.outcome, case.second_assessor_id) == ("decided", "met", None)


def test_anyone_given_advice_is_drawn_again_next_year(app, client, lead, advocate):
    people = [advocate(800 + n) for n in range(45)]
    run(client, label="First audit")
    [first] = audits(app)
    advised, *others = cases(app, first.id)
    for case in (advised, *others):
        step(client, case, "submitted")
    step(client, fresh(app, advised), "assess", outcome="advice",
         note="Log supervision as it happens.")
    for case in others:
        step(client, fresh(app, case), "assess", outcome="met", note="Met.")
    page = text(client.get(AUDITS))
    assert "1 advocate was given advice at the last audit" in page

    assert run(client, label="Second audit").status_code == 302
    second = audits(app)[-1]
    assert second.must_include == [advised.user_id]
    drawn = [c.user_id for c in cases(app, second.id)]
    assert advised.user_id in drawn and len(drawn) == 2
    assert drawn == rules.draw_sample(second.eligible, second.seed, Fraction(1, 40), 1,
                                      [advised.user_id])
    assert len(second.eligible) == len(people)
    assert "The repeat draw matches:" in text(client.get(f"{AUDITS}/{second.id}?repeat=1"))


def test_a_stale_form_gets_409_and_overwrites_nothing(app, client, lead, second_lead,
                                                      advocate):
    advocate(800)
    run(client, rate="100")
    [opened] = cases(app)
    other, _ = second_lead
    assert step(other, opened, "defer", until=in_days(60).isoformat(),
                reason="Sickness absence.").status_code == 302
    stale = step(client, opened, "defer", until=in_days(30).isoformat(),
                 reason="Another reason typed in an old tab.")
    assert stale.status_code == 409
    page = text(stale)
    assert "Nothing was saved: someone changed this case after you opened it." in page
    assert "Another reason typed in an old tab." in page  # what was typed is kept
    case = fresh(app, opened)
    assert (case.deferred_until, case.deferred_reason) == (in_days(60), "Sickness absence.")
    assert step(client, opened, "submitted").status_code == 409
    assert fresh(app, opened).status == "deferred"

    mine = app.test_client()
    with app.app_context():
        from lms.auth.models import User

        person = db.session.get(User, case.user_id)
        db.session.expunge(person)
    sign_in(mine, person)
    old = mine.post(f"/cpd/audit/cases/{case.id}/submit", data={
        f"case{case.id}-version": str(opened.version),
        f"case{case.id}-csrf_token": csrf_token(mine, "/cpd/audit")})
    assert old.status_code == 409 and "Nothing was submitted" in text(old)
    assert fresh(app, opened).submitted_at is None


def test_assessors_read_the_audited_year_and_its_reflections_examiners_do_not_change_it(
        app, client, lead, advocate, create_user):
    chosen = advocate(800)
    with app.app_context():
        db.session.add(CpdEntry(
            user_id=chosen.id, status="logged", title="NRM decision-making workshop",
            start=in_days(-200), minutes=150, activity="multi_agency_training",
            participatory=True, topics=["law_and_policy"],
            what_happened="Attended a workshop.", what_i_learned="How **RG** decisions work.",
            how_practice_changes="I explain the timeline to survivors."))
        db.session.add(CpdEntry(user_id=chosen.id, status="planned", title="A plan",
                                start=in_days(-150), minutes=60, activity="other"))
        db.session.commit()
    run(client, rate="100")
    [case] = cases(app)
    page = text(client.get(case_url(case)))
    assert "NRM decision-making workshop" in page and "2.5 hours" in page
    assert "A plan" not in page  # plans never count
    assert "Requirement not met" in page and "<strong>RG</strong>" in page

    examiner = app.test_client()
    sign_in(examiner, create_user("examiner"))
    seen = text(examiner.get(case_url(case)))
    assert "NRM decision-making workshop" in seen and "Reflection written" in seen
    assert "How <strong>RG</strong>" not in seen and "Record the assessment" not in seen
    assert step(examiner, case, "submitted").status_code == 403
    assert examiner.get(f"{AUDITS}/{case.audit_id}?repeat=1").status_code == 200
    assert examiner.post(AUDITS, data={"csrf_token": csrf_token(examiner, AUDITS)}
                         ).status_code == 403


def test_who_may_use_the_audit_pages(app, client, lead, advocate, create_user):
    chosen = advocate(800)
    run(client, rate="100")
    [case] = cases(app)
    for role in ("trainee", "advocate", "marker", "org_admin"):
        visitor = app.test_client()
        sign_in(visitor, create_user(role))
        for url in (AUDITS, f"{AUDITS}/{case.audit_id}", case_url(case)):
            assert visitor.get(url).status_code == 403, (role, url)
        assert step(visitor, case, "submitted").status_code in (400, 403)
    assert fresh(app, case).status == "selected"
    someone = app.test_client()
    sign_in(someone, advocate(800))
    assert "You have not been selected for a CPD audit." in text(someone.get("/cpd/audit"))
    assert someone.post(f"/cpd/audit/cases/{case.id}/submit", data={
        f"case{case.id}-version": "1",
        f"case{case.id}-csrf_token": csrf_token(someone, "/cpd/audit")}).status_code == 404
    staff = app.test_client()
    sign_in(staff, create_user("marker"))
    assert staff.get("/cpd/audit").status_code == 403
    assert chosen.id == case.user_id
