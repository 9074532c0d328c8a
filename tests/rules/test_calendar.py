"""The working calendar, by hand-worked examples on the 2026 State Council notice.

2026 as the package has it: Mid-autumn 09-25..09-27, National Day 10-01..10-07 off; make-up working days
01-04, 02-14, 02-28, 05-09, 09-20 (Sunday), 10-10 (Saturday). Office hours 09:00-12:00, 13:30-17:30.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from hotline.rules.calendar import (
    SHANGHAI,
    DayInfo,
    OfficeHours,
    Season,
    Span,
    WorkCalendar,
    missing_notice_warning,
)
from hotline.rules.calendar_files import load_calendar_file, parse_calendar_text
from hotline.rules.errors import InvalidInput

HOURS = OfficeHours.all_year(("09:00", "12:00"), ("13:30", "17:30"))
EXAMPLE_2027 = Path(__file__).resolve().parents[2] / "hotline" / "rules" / "calendars" / "example-2027.toml"


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def t(text: str) -> time:
    return time.fromisoformat(text)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def local(text: str, name: str = "local.toml") -> WorkCalendar:
    return WorkCalendar([parse_calendar_text(text, name)])


# --- working days ------------------------------------------------------------------------------------


def test_a_period_of_working_days_starts_the_day_after_the_event(cal: WorkCalendar) -> None:
    # Friday 2026-03-06 15:00 + 1 working day: the weekend is skipped, due Monday at close of business
    result = cal.add_working_days(at(2026, 3, 6, 15), 1, HOURS)
    assert result.due == at(2026, 3, 9, 17, 30)
    assert not result.provisional
    assert result.warnings == ()
    assert result.trace == (
        "+1 working day from 2026-03-06 (counting starts the next day, Civil Code §201)",
        "03-07..03-08 weekend skipped",
        "due 2026-03-09 17:30, close of business of working day 1",
    )


def test_the_day_of_the_event_never_counts_even_at_dawn(cal: WorkCalendar) -> None:
    assert cal.add_working_days(at(2026, 3, 3, 0, 1), 1, HOURS).due == at(2026, 3, 4, 17, 30)


def test_seven_working_days_from_national_day_eve_skip_the_holiday_and_count_the_make_up_saturday(
        cal: WorkCalendar) -> None:
    # 10-01..10-07 off; 10-08 (1), 10-09 (2), Saturday 10-10 make-up (3), 10-11 off, 10-12..10-15 (4..7)
    result = cal.add_working_days(at(2026, 9, 30, 10), 7, HOURS)
    assert result.due == at(2026, 10, 15, 17, 30)
    assert not result.provisional
    assert result.trace == (
        "+7 working days from 2026-09-30 (counting starts the next day, Civil Code §201)",
        "10-01..10-07 National Day skipped",
        "10-10 Saturday is a make-up working day (调休): National Day",
        "10-11 weekend skipped",
        "due 2026-10-15 17:30, close of business of working day 7",
    )


def test_an_event_inside_a_holiday_counts_from_the_next_day(cal: WorkCalendar) -> None:
    # event on 10-03 (holiday): 10-04..10-07 off, 10-08 (1), 10-09 (2), Saturday 10-10 make-up (3)
    result = cal.add_working_days(at(2026, 10, 3, 10), 3, HOURS)
    assert result.due == at(2026, 10, 10, 17, 30)
    assert "10-04..10-07 National Day skipped" in result.trace


def test_an_event_on_a_make_up_saturday_counts_from_the_sunday(cal: WorkCalendar) -> None:
    result = cal.add_working_days(at(2026, 10, 10, 10), 1, HOURS)
    assert result.due == at(2026, 10, 12, 17, 30)


def test_the_mid_autumn_make_up_sunday_is_a_working_day(cal: WorkCalendar) -> None:
    # Friday 09-18 + 1: Saturday 09-19 off, Sunday 09-20 worked (make-up for National Day)
    assert cal.add_working_days(at(2026, 9, 18, 9), 1, HOURS).due == at(2026, 9, 20, 17, 30)


def test_a_period_reaching_an_unknown_year_is_provisional_and_names_the_missing_notice(
        cal: WorkCalendar) -> None:
    # 12-29 (1), 12-30 (2), 12-31 (3), 2027-01-01 Friday (4, weekends-only rule), 01-04 Monday (5)
    result = cal.add_working_days(at(2026, 12, 28, 10), 5, HOURS)
    assert result.due == at(2027, 1, 4, 17, 30)
    assert result.provisional
    assert result.warnings == (
        "2027 年国务院节假日安排通知尚未载入，按仅周末休息临时计算 / The State Council's 2027 holiday "
        "notice is not loaded: counted on weekends only, provisional",
    )
    assert "2027-01-02..2027-01-03 weekend skipped (provisional: weekends only)" in result.trace


def test_a_loaded_complete_notice_makes_the_year_known(cal: WorkCalendar) -> None:
    # with the (example) 2027 notice: 01-01..01-03 off, so 01-04 is day 4 and 01-05 day 5
    known = WorkCalendar.from_files([EXAMPLE_2027])
    result = known.add_working_days(at(2026, 12, 28, 10), 5, HOURS)
    assert result.due == at(2027, 1, 5, 17, 30)
    assert not result.provisional
    assert result.warnings == ()
    assert "2027-01-01..2027-01-03 元旦 New Year's Day skipped" in result.trace
    assert known.is_year_known(2027) and not cal.is_year_known(2027)


def test_a_local_typhoon_closure_moves_the_due_date_by_one_day(cal: WorkCalendar) -> None:
    start = at(2026, 7, 13, 10)  # Monday
    assert cal.add_working_days(start, 3, HOURS).due == at(2026, 7, 16, 17, 30)
    closed = local('[[closures]]\ndate = 2026-07-15\nname = "台风停工"\n', "typhoon.toml")
    result = closed.add_working_days(start, 3, HOURS)
    assert result.due == at(2026, 7, 17, 17, 30)
    assert "07-15 台风停工 skipped" in result.trace


@pytest.mark.parametrize("n", [0, -1, True])
def test_a_period_of_working_days_needs_one_day_or_more(cal: WorkCalendar, n: int) -> None:
    with pytest.raises(InvalidInput):
        cal.add_working_days(at(2026, 3, 3, 10), n, HOURS)


# --- working hours -----------------------------------------------------------------------------------


def test_working_hours_run_from_the_event_inside_office_spans(cal: WorkCalendar) -> None:
    # Tuesday 16:00 + 5h: 16:00-17:30 (1h30m), Wednesday 09:00-12:00 (3h), 13:30-14:00 (30m)
    result = cal.add_working_hours(at(2026, 3, 3, 16), 5, HOURS)
    assert result.due == at(2026, 3, 4, 14)
    assert result.trace == (
        "+5 working hours from 2026-03-03 16:00 (runs from the event, inside office hours on working days)",
        "03-03 16:00-17:30 (1h30m)",
        "03-04 09:00-12:00 (3h), 13:30-14:00 (0h30m)",
        "due 2026-03-04 14:00",
    )


def test_working_hours_from_a_make_up_saturday_count_that_saturday(cal: WorkCalendar) -> None:
    result = cal.add_working_hours(at(2026, 10, 10, 16), 5, HOURS)
    assert result.due == at(2026, 10, 12, 14)


def test_working_hours_ending_at_a_span_end_are_due_at_that_end(cal: WorkCalendar) -> None:
    assert cal.add_working_hours(at(2026, 3, 3, 9), 3, HOURS).due == at(2026, 3, 3, 12)
    assert cal.add_working_hours(at(2026, 3, 3, 9), 7, HOURS).due == at(2026, 3, 3, 17, 30)


@pytest.mark.parametrize(("start", "due"), [
    (at(2026, 3, 3, 7), at(2026, 3, 3, 10)),          # before opening: from 09:00
    (at(2026, 3, 3, 12, 30), at(2026, 3, 3, 14, 30)),  # at lunch: from 13:30
    (at(2026, 3, 3, 20), at(2026, 3, 4, 10)),          # after closing: from the next working morning
    (at(2026, 3, 7, 10), at(2026, 3, 9, 10)),          # on a Saturday: from Monday
    (at(2026, 10, 3, 10), at(2026, 10, 8, 10)),        # inside a holiday: from the first working day
])
def test_an_event_outside_office_hours_starts_counting_at_the_next_span_start(
        cal: WorkCalendar, start: datetime, due: datetime) -> None:
    assert cal.add_working_hours(start, 1, HOURS).due == due


def test_working_hours_accept_fractions_and_timedeltas(cal: WorkCalendar) -> None:
    assert cal.add_working_hours(at(2026, 3, 3, 9), 1.5, HOURS).due == at(2026, 3, 3, 10, 30)
    assert cal.add_working_hours(at(2026, 3, 3, 9), timedelta(minutes=45), HOURS).due == at(2026, 3, 3, 9, 45)


@pytest.mark.parametrize("amount", [0, -1, float("nan"), float("inf"), timedelta(0), True, "5"])
def test_an_amount_of_hours_must_be_a_positive_number(cal: WorkCalendar, amount: object) -> None:
    with pytest.raises(InvalidInput):
        cal.add_working_hours(at(2026, 3, 3, 9), amount, HOURS)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        cal.add_clock_hours(at(2026, 3, 3, 9), amount)  # type: ignore[arg-type]


# --- clock hours -------------------------------------------------------------------------------------


def test_clock_hours_run_through_holidays_and_nights(cal: WorkCalendar) -> None:
    result = cal.add_clock_hours(at(2026, 10, 1, 23), 2)
    assert result.due == at(2026, 10, 2, 1)
    assert not result.provisional


def test_clock_hours_are_never_provisional(cal: WorkCalendar) -> None:
    result = cal.add_clock_hours(at(2026, 12, 31, 23), timedelta(hours=48))
    assert result.due == at(2027, 1, 2, 23)
    assert not result.provisional and result.warnings == ()


# --- timezones ---------------------------------------------------------------------------------------


def test_a_naive_datetime_is_refused_in_chinese_and_english(cal: WorkCalendar) -> None:
    naive = datetime(2026, 3, 3, 10)
    with pytest.raises(InvalidInput) as refused:
        cal.add_working_days(naive, 1, HOURS)
    assert "时区" in refused.value.message_zh and "timezone" in refused.value.message_en
    for call in (lambda: cal.add_working_hours(naive, 1, HOURS), lambda: cal.add_clock_hours(naive, 1),
                 lambda: cal.working_time_between(naive, at(2026, 3, 4), HOURS),
                 lambda: cal.working_time_between(at(2026, 3, 4), naive, HOURS),
                 lambda: cal.working_days_between(naive, at(2026, 3, 4)), lambda: cal.day(naive)):
        with pytest.raises(InvalidInput):
            call()


def test_a_time_in_another_timezone_is_taken_as_the_same_moment_in_shanghai(cal: WorkCalendar) -> None:
    # 2026-03-05 20:00 UTC is Friday 2026-03-06 04:00 in Shanghai
    result = cal.add_working_days(datetime(2026, 3, 5, 20, tzinfo=UTC), 1, HOURS)
    assert result.due == at(2026, 3, 9, 17, 30)
    assert result.due.tzinfo is SHANGHAI
    hours = cal.add_working_hours(datetime(2026, 3, 3, 8, tzinfo=UTC), 2, HOURS)  # 16:00 Shanghai
    assert hours.due == at(2026, 3, 4, 9, 30) and hours.due.tzinfo is SHANGHAI
    clock = cal.add_clock_hours(datetime(2026, 3, 3, 8, tzinfo=UTC), 1)
    assert clock.due == at(2026, 3, 3, 17) and clock.due.tzinfo is SHANGHAI


# --- office hours by season --------------------------------------------------------------------------

SUMMER_WINTER = OfficeHours((
    Season("summer", (5, 1), (9, 30), (Span(t("08:30"), t("12:00")), Span(t("14:30"), t("18:00")))),
    Season("winter", (10, 1), (4, 30), (Span(t("09:00"), t("12:00")), Span(t("13:30"), t("17:30")))),
))


def test_seasonal_office_hours_give_each_day_its_own_close_of_business(cal: WorkCalendar) -> None:
    assert SUMMER_WINTER.close_of_business(date(2026, 9, 30)) == t("18:00")
    assert SUMMER_WINTER.close_of_business(date(2026, 10, 1)) == t("17:30")
    assert SUMMER_WINTER.spans_on(date(2028, 2, 29))[0].start == t("09:00")
    assert cal.add_working_days(at(2026, 9, 28, 10), 1, SUMMER_WINTER).due == at(2026, 9, 29, 18)
    assert cal.add_working_days(at(2026, 9, 30, 10), 1, SUMMER_WINTER).due == at(2026, 10, 8, 17, 30)


def test_working_hours_follow_the_season_of_each_day(cal: WorkCalendar) -> None:
    # 09-30 (summer) 17:00-18:00 is 1h; 10-08 (winter) from 09:00
    assert cal.add_working_hours(at(2026, 9, 30, 17), 2, SUMMER_WINTER).due == at(2026, 10, 8, 10)
    assert cal.add_working_hours(at(2026, 9, 29, 12, 30), 1, SUMMER_WINTER).due == at(2026, 9, 29, 15, 30)


@pytest.mark.parametrize("seasons", [
    # a gap: 29 February is not covered
    (Season("a", (3, 1), (2, 28), (Span(t("09:00"), t("17:00")),)),),
    # an overlap
    (Season("a", (1, 1), (6, 30), (Span(t("09:00"), t("17:00")),)),
     Season("b", (6, 30), (12, 31), (Span(t("09:00"), t("17:00")),))),
    # nothing
    (),
])
def test_office_seasons_must_cover_every_day_of_the_year_exactly_once(seasons: tuple[Season, ...]) -> None:
    with pytest.raises(InvalidInput):
        OfficeHours(seasons)


@pytest.mark.parametrize("spans", [
    (),
    (Span(t("13:30"), t("17:30")), Span(t("09:00"), t("12:00"))),  # not sorted
    (Span(t("09:00"), t("12:00")), Span(t("11:00"), t("17:30"))),  # overlapping
])
def test_office_spans_must_be_sorted_non_overlapping_and_not_empty(spans: tuple[Span, ...]) -> None:
    with pytest.raises(InvalidInput):
        Season("all year", (1, 1), (12, 31), spans)


def test_a_span_must_start_before_it_ends_and_days_must_exist() -> None:
    with pytest.raises(InvalidInput):
        Span(t("12:00"), t("09:00"))
    with pytest.raises(InvalidInput):
        Season("x", (2, 30), (12, 31), (Span(t("09:00"), t("12:00")),))
    with pytest.raises(InvalidInput):
        OfficeHours.all_year(("9h", "12:00"))


# --- measuring ---------------------------------------------------------------------------------------


def test_working_time_between_skips_a_weekend(cal: WorkCalendar) -> None:
    # Friday 16:00-17:30 (1h30m) + Monday 09:00-10:00 (1h)
    elapsed = cal.working_time_between(at(2026, 3, 6, 16), at(2026, 3, 9, 10), HOURS)
    assert elapsed.amount == timedelta(hours=2, minutes=30)
    assert not elapsed.provisional


def test_working_time_between_skips_a_holiday(cal: WorkCalendar) -> None:
    elapsed = cal.working_time_between(at(2026, 9, 30, 16), at(2026, 10, 8, 10), HOURS)
    assert elapsed.amount == timedelta(hours=2, minutes=30)


def test_working_time_between_is_negative_when_reversed(cal: WorkCalendar) -> None:
    elapsed = cal.working_time_between(at(2026, 3, 9, 10), at(2026, 3, 6, 16), HOURS)
    assert elapsed.amount == -timedelta(hours=2, minutes=30)
    assert cal.working_time_between(at(2026, 3, 9, 10), at(2026, 3, 9, 10), HOURS).amount == timedelta(0)


def test_working_time_into_an_unknown_year_is_provisional(cal: WorkCalendar) -> None:
    elapsed = cal.working_time_between(at(2026, 12, 31, 17), at(2027, 1, 1, 10), HOURS)
    assert elapsed.amount == timedelta(hours=1, minutes=30)
    assert elapsed.provisional and elapsed.warnings == (missing_notice_warning(2027),)


def test_working_days_between_gives_back_the_period(cal: WorkCalendar) -> None:
    assert cal.working_days_between(at(2026, 9, 30, 10), at(2026, 10, 15, 17, 30)) == 7
    assert cal.working_days_between(at(2026, 10, 15, 17, 30), at(2026, 9, 30, 10)) == -7
    assert cal.working_days_between(at(2026, 3, 3, 9), at(2026, 3, 3, 18)) == 0


# --- days --------------------------------------------------------------------------------------------


def test_days_as_the_package_has_them(cal: WorkCalendar) -> None:
    assert cal.day(date(2026, 10, 1)) == DayInfo(date(2026, 10, 1), False, "National Day", "package", False)
    assert cal.day(date(2026, 10, 10)) == DayInfo(
        date(2026, 10, 10), True, "make-up working day (调休): National Day", "package", False)
    assert cal.day(date(2026, 3, 7)) == DayInfo(date(2026, 3, 7), False, "Saturday", "package", False)
    assert cal.day(date(2026, 3, 9)) == DayInfo(date(2026, 3, 9), True, None, "package", False)


def test_a_day_of_an_unknown_year_is_counted_on_weekends_only_and_provisional(cal: WorkCalendar) -> None:
    assert cal.day(date(2027, 1, 1)) == DayInfo(date(2027, 1, 1), True, None, "provisional", True)
    assert cal.day(date(2027, 1, 2)) == DayInfo(date(2027, 1, 2), False, "Saturday", "provisional", True)
    assert not cal.is_year_known(2027) and cal.is_year_known(2026) and not cal.is_year_known(2003)


def test_loaded_days_say_where_they_come_from() -> None:
    loaded = WorkCalendar([
        load_calendar_file(EXAMPLE_2027),
        parse_calendar_text('[[closures]]\ndate = 2027-07-15\nname = "台风停工"\n', "typhoon.toml"),
    ])
    assert loaded.day(date(2027, 2, 6)) == DayInfo(date(2027, 2, 6), False, "春节 Spring Festival", "notice", False)
    assert loaded.day(date(2027, 2, 14)).working
    assert loaded.day(date(2027, 7, 15)) == DayInfo(date(2027, 7, 15), False, "台风停工", "local", False)
    assert loaded.day(date(2027, 3, 1)) == DayInfo(date(2027, 3, 1), True, None, "notice", False)


def test_later_files_win_over_earlier_ones() -> None:
    closed = parse_calendar_text('[[closures]]\ndate = 2026-10-10\nname = "台风停工"\n', "closed.toml")
    worked = parse_calendar_text('[[workdays]]\ndate = 2026-10-10\nname = "补班"\n', "worked.toml")
    assert not WorkCalendar([worked, closed]).is_working_day(date(2026, 10, 10))
    assert WorkCalendar([closed, worked]).is_working_day(date(2026, 10, 10))


def test_next_and_previous_working_days_are_strictly_after_and_before(cal: WorkCalendar) -> None:
    assert cal.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
    assert cal.next_working_day(date(2026, 10, 9)) == date(2026, 10, 10)
    assert cal.previous_working_day(date(2026, 10, 8)) == date(2026, 9, 30)
    assert cal.previous_working_day(date(2026, 10, 12)) == date(2026, 10, 10)


def test_the_package_is_asked_once_per_date(cal: WorkCalendar, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[date] = []
    real = chinese_calendar.is_workday

    def counting(d: date) -> bool:
        asked.append(d)
        return bool(real(d))

    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    for _ in range(3):
        cal.add_working_days(at(2026, 9, 30, 10), 7, HOURS)
    assert sorted(asked) == sorted(set(asked))
