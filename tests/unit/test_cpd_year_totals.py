"""The shortcuts that make CPD years cheap give what the plain definitions give: the day a
year was met (one pass) is the first day whose activities so far meet it; a requirement summed
over runs of days under one scheme equals the one summed day by day; each year's entries are
its own."""

import math
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from lms.accreditation.services import _by_year
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
    assert cpd.first_day_met(drawn, req) == met_on_day_by_day(drawn, req)


@given(entries)
def test_each_year_totals_only_its_own_counted_entries(drawn):
    years = cpd.years_of(YEAR.start - timedelta(days=400), YEAR.end + timedelta(days=400),
                         HISTORY, date(2024, 3, 1))
    bucketed = _by_year(drawn, years)
    for year in years:
        assert bucketed[year] == [e for e in drawn if e.counts and e.last_day in year]


def requirement_day_by_day(history, year, leave):
    """The definition: each day carries 1/standard_days of the scheme in force that day,
    unless it is a day of leave under a scheme with pro rata leave."""
    schemes = sorted(history, key=lambda s: s.effective_from)
    away = cpd.leave_days(leave, year)
    sums, in_force, counted, day = [0, 0, 0, 0], [], 0, year.start
    while day <= year.end:
        scheme = cpd.scheme_on(schemes, day)
        if scheme not in in_force:
            in_force.append(scheme)
        if day not in away or not scheme.leave_pro_rata:
            counted += 1
            for i, figure in enumerate((scheme.yearly_minutes, scheme.participatory_minutes,
                                        scheme.supervision_minutes, scheme.reflections)):
                sums[i] += figure
        day += timedelta(days=1)
    due = [Fraction(v, year.standard_days) for v in sums]
    quarter = [math.ceil(d / 15) * 15 for d in due[:3]]
    topics = set.intersection(*(set(s.required_topics) for s in in_force)) if counted else set()
    return (*quarter, sorted(topics), math.ceil(due[3]), len(away))


schemes = st.lists(st.builds(
    cpd.Scheme,
    effective_from=st.integers(-500, 500).map(lambda n: YEAR.start + timedelta(days=n)),
    yearly_minutes=st.integers(0, 40 * 60), participatory_minutes=st.integers(0, 20 * 60),
    supervision_minutes=st.integers(0, 10 * 60),
    required_topics=st.lists(st.sampled_from(TOPICS), max_size=3, unique=True).map(tuple),
    reflections=st.integers(0, 4), leave_pro_rata=st.booleans(),
), min_size=1, max_size=4)
leave = st.lists(st.tuples(st.integers(-60, 400), st.integers(0, 120)).map(
    lambda t: cpd.Leave(YEAR.start + timedelta(days=t[0]),
                        YEAR.start + timedelta(days=t[0] + t[1]), "parental")), max_size=3)


@given(schemes, leave)
def test_a_requirement_summed_over_runs_of_days_equals_the_day_by_day_sum(history, away):
    req = cpd.requirement(history, YEAR, away)
    assert (req.minutes, req.participatory_minutes, req.supervision_minutes, sorted(req.topics),
            req.reflections, req.leave_days) == requirement_day_by_day(history, YEAR, away)
