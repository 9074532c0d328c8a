"""Properties of counting on the working calendar, for any start from 2024 to 2027.

The package knows 2024–2026; 2027 is unknown until its notice is loaded, so counts reaching it are
provisional.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.rules.calendar import SHANGHAI, OfficeHours, Season, Span, WorkCalendar

CAL = WorkCalendar()
HOURS = OfficeHours.all_year(("09:00", "12:00"), ("13:30", "17:30"))


def spans(*pairs: tuple[str, str]) -> tuple[Span, ...]:
    return tuple(Span(time.fromisoformat(a), time.fromisoformat(b)) for a, b in pairs)


SEASONAL = OfficeHours((
    Season("summer", (5, 1), (9, 30), spans(("08:30", "12:00"), ("14:30", "18:00"))),
    Season("winter", (10, 1), (4, 30), spans(("09:00", "12:00"), ("13:30", "17:30"))),
))
FIRST_UNKNOWN_YEAR = 2027

zones = st.sampled_from([SHANGHAI, UTC, timezone(timedelta(hours=-5))])
starts = st.builds(
    lambda moment, zone: moment.replace(tzinfo=SHANGHAI).astimezone(zone),
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31, 23, 59)),
    zones,
)
office_hours = st.sampled_from([HOURS, SEASONAL])
days = st.integers(min_value=1, max_value=40)
minutes = st.integers(min_value=1, max_value=60 * 80)

modest = settings(max_examples=200, deadline=None)


@modest
@given(starts, days, office_hours)
def test_adding_working_days_lands_at_close_of_business_of_a_working_day(
        start: datetime, n: int, hours: OfficeHours) -> None:
    due = CAL.add_working_days(start, n, hours).due
    assert due.tzinfo is SHANGHAI
    assert CAL.is_working_day(due.date())
    assert due.time() == hours.close_of_business(due.date())


@modest
@given(starts, days)
def test_measuring_working_days_gives_back_the_period(start: datetime, n: int) -> None:
    due = CAL.add_working_days(start, n, HOURS).due
    assert CAL.working_days_between(start, due) == n
    assert CAL.working_days_between(due, start) == -n


@modest
@given(starts, minutes, office_hours)
def test_measuring_working_hours_gives_back_the_period(start: datetime, amount: int, hours: OfficeHours) -> None:
    period = timedelta(minutes=amount)
    due = CAL.add_working_hours(start, period, hours).due
    assert due > start
    assert CAL.working_time_between(start, due, hours).amount == period


@modest
@given(starts, days, days, office_hours)
def test_a_longer_period_is_never_due_earlier(start: datetime, n: int, more: int, hours: OfficeHours) -> None:
    shorter = CAL.add_working_days(start, n, hours).due
    longer = CAL.add_working_days(start, n + more, hours).due
    assert shorter < longer
    assert CAL.add_working_hours(start, n, hours).due < CAL.add_working_hours(start, n + more, hours).due


@modest
@given(starts, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)), days, office_hours)
def test_a_later_event_is_never_due_earlier(start: datetime, later: timedelta, n: int,
                                            hours: OfficeHours) -> None:
    assert CAL.add_working_days(start, n, hours).due <= CAL.add_working_days(start + later, n, hours).due
    assert CAL.add_working_hours(start, n, hours).due <= CAL.add_working_hours(start + later, n, hours).due


@modest
@given(starts, days)
def test_a_count_is_provisional_exactly_when_it_reaches_an_unknown_year(start: datetime, n: int) -> None:
    result = CAL.add_working_days(start, n, HOURS)
    reaches = result.due.year >= FIRST_UNKNOWN_YEAR
    assert result.provisional == reaches
    assert bool(result.warnings) == reaches
    hours = CAL.add_working_hours(start, n, HOURS)
    assert hours.provisional == (hours.due.year >= FIRST_UNKNOWN_YEAR)


@modest
@given(starts, minutes)
def test_clock_hours_are_calendar_blind(start: datetime, amount: int) -> None:
    result = CAL.add_clock_hours(start, timedelta(minutes=amount))
    assert result.due - start == timedelta(minutes=amount)
    assert not result.provisional
