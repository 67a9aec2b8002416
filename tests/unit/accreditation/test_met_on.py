"""The day a CPD year was met is the first day whose activities so far meet it: the halving
search gives the same day as trying every day in turn, and the year's entries are its own."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lms.accreditation.services import _by_year, _met_on
from lms.cpd import rules as cpd

HISTORY = [cpd.Scheme(date(2020, 1, 1))]
YEAR = cpd.years_of(date(2025, 3, 1), date(2025, 3, 1), HISTORY, date(2024, 3, 1))[0]
TOPICS = tuple(cpd.TOPIC_AREAS)
ACTIVITIES = tuple(cpd.ACTIVITY_TYPES)
WRITTEN = cpd.Reflection("A session", "What changed", "What I do now")

entries = st.lists(st.builds(
    cpd.Entry,
    start=st.integers(-30, 400).map(lambda n: YEAR.start + timedelta(days=n)),
    minutes=st.integers(15, 600),
    activity=st.sampled_from(ACTIVITIES),
    participatory=st.booleans(),
    topics=st.frozensets(st.sampled_from(TOPICS), max_size=2),
    reflection=st.sampled_from([WRITTEN, cpd.Reflection()]),
    status=st.sampled_from(["logged", "logged", "logged", "draft", "withdrawn"]),
), max_size=60)


def met_on_day_by_day(all_entries, req):
    counted = [e for e in all_entries if e.counts and e.last_day in req.year]
    for day in sorted({e.last_day for e in counted}):
        if cpd.progress([e for e in counted if e.last_day <= day], req).met:
            return day
    return None


@given(entries)
def test_the_day_met_is_the_first_day_the_activities_so_far_meet_the_year(drawn):
    req = cpd.requirement(HISTORY, YEAR)
    assert _met_on(drawn, req) == met_on_day_by_day(drawn, req)


@given(entries)
def test_each_year_totals_only_its_own_counted_entries(drawn):
    years = cpd.years_of(YEAR.start - timedelta(days=400), YEAR.end + timedelta(days=400),
                         HISTORY, date(2024, 3, 1))
    bucketed = _by_year(drawn, years)
    for year in years:
        assert bucketed[year] == [e for e in drawn if e.counts and e.last_day in year]
