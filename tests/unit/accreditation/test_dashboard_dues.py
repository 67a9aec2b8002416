"""What the organisation dashboard lists as expiring or due: within 90 days, overdue marked,
soonest first, the CPD year's end with its hours instead of a second CPD step."""

from datetime import date, timedelta
from types import SimpleNamespace

from lms.accreditation.orgrules import OrgStatus
from lms.accreditation.orgrules import Step as OrgStep
from lms.accreditation.rules import AdvocateStatus, Step
from lms.cpd.rules import CpdYear, Progress, Requirement
from lms.organisations import dashboard

TODAY = date(2026, 11, 30)


def progress(minutes, required, end):
    year = CpdYear(end - timedelta(days=364), end, 365)
    req = Requirement(year, required, 0, 0, (), 0, 0)
    short = () if minutes >= required else ("hours",)
    return Progress(req, minutes, 0, 0, 0, (), (), 0, 1, short)


def row(name, status, cpd=None):
    employment = SimpleNamespace(user=SimpleNamespace(name=name))
    return dashboard.AdvocateRow(employment, status, cpd)


def test_the_organisations_renewal_and_yearly_return_are_listed_when_near():
    until = TODAY + timedelta(days=60)
    status = OrgStatus("accredited", ("Accredited.",),
                       (OrgStep("Apply to renew accreditation.", until),
                        OrgStep("Send the yearly return.", TODAY - timedelta(days=3))),
                       valid_from=until - timedelta(days=1000), valid_until=until,
                       renewal_open=True)
    dues = dashboard.organisation_dues("Northbridge", status, TODAY)
    assert [(d.on, d.what, d.overdue) for d in sorted(dues, key=lambda d: d.on)] == [
        (TODAY - timedelta(days=3), "Send the yearly return.", True),
        (until, "Accreditation ends unless it is renewed.", False),
        (until, "Apply to renew accreditation.", False)]


def test_a_renewal_window_that_opens_soon_is_listed_and_a_distant_end_is_not():
    until = TODAY + timedelta(days=150)
    status = OrgStatus("accredited", ("Accredited.",), valid_until=until)
    dues = dashboard.organisation_dues("Northbridge", status, TODAY)
    assert [(d.on, d.what) for d in dues] == [
        (until - timedelta(days=90), "The renewal window opens: apply to renew from this day.")]
    assert dashboard.organisation_dues(
        "Northbridge", OrgStatus("declined", ("Declined.",)), TODAY) == []


def test_an_advocates_dues_show_cpd_hours_and_leave_out_far_dates():
    end = TODAY + timedelta(days=40)
    status = AdvocateStatus("accredited", "modern_slavery", ("Accredited.",),
                            (Step("Meet the conditions and tell course staff.",
                                  TODAY + timedelta(days=10)),
                             Step("Complete this year's CPD.", end),
                             Step("Something far off.", TODAY + timedelta(days=91))),
                            valid_until=end)
    ada = row("Ada Quinn", status, progress(14 * 60, 20 * 60, end))
    assert [(d.on, d.what) for d in dashboard.advocate_dues(ada, TODAY)] == [
        (end, "Accreditation valid until this day."),
        (end, "CPD year ends: 14 hours of 20 hours logged (requirement not yet met)."),
        (TODAY + timedelta(days=10), "Meet the conditions and tell course staff.")]


def test_everything_comes_soonest_first_across_people():
    org = OrgStatus("accredited", ("A.",), (OrgStep("Send the yearly return.",
                                                    TODAY + timedelta(days=20)),),
                    valid_until=TODAY + timedelta(days=900))
    ben = row("Ben", AdvocateStatus("qualified", "modern_slavery", ("Q.",),
                                    (Step("Do a thing.", TODAY + timedelta(days=5)),)))
    cara = row("Cara", AdvocateStatus("in_training", None, ("T.",)),
               progress(20 * 60, 20 * 60, TODAY + timedelta(days=1)))
    dues = dashboard.coming_up("Northbridge", org, [ben, cara], TODAY)
    assert [(d.who, d.what) for d in dues] == [
        ("Cara", "CPD year ends: 20 hours of 20 hours logged (requirement met)."),
        ("Ben", "Do a thing."), ("Northbridge", "Send the yearly return.")]
