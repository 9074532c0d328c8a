"""The working calendar (工作日历): which days are worked, office hours, and counting periods.

Counting follows the Civil Code (民法典 §201–§203):

* a period of N working days starts on the day after the event (§201) and ends at the close of business
  (the end of the last office span) of its N-th working day (§203);
* a period of working hours runs from the moment of the event, inside office spans on working days only;
  an event outside office hours starts counting at the next span start;
* a period of clock hours runs from the moment of the event, holidays included.

Which days are worked follows the State Council's yearly holiday notice, make-up working days (调休)
included: the ``chinese_calendar`` package knows 2004–2026; a loaded notice file (:mod:`calendar_files`)
wins over the package and can make a new year known. A day of a year nobody knows is counted on
weekends only (Monday to Friday worked) and every result that used such a day is *provisional* and says
which notice is missing.

Every datetime in and out is timezone-aware, in Asia/Shanghai; a naive datetime is refused.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

import chinese_calendar

from hotline.rules.calendar_files import CalendarNotice, NoticeDay, load_calendar_file
from hotline.rules.errors import InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)
#: no real calendar has this many non-working days in a row; more means the loaded files are wrong
MAX_DAYS_OFF_IN_A_ROW = 400

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MAKE_UP = "make-up working day (调休)"
# first day of each month in a leap year, counted from 0: a (month, day) -> index into 366 days
_MONTH_OFFSET = (0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


# --- office hours --------------------------------------------------------------------------------------


def _parse_clock(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"时间 {text!r} 格式不对，应写成 09:00",
                           f"time {text!r} is malformed: write it like 09:00") from error


@dataclass(frozen=True)
class Span:
    """One block of office hours on a day, e.g. 08:30–12:00: ``start`` before ``end``, the same day."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise InvalidInput("办公时间不带时区（按北京时间）",
                               "office hours are wall-clock times without a timezone (Beijing time)")
        if not self.start < self.end:
            raise InvalidInput(f"办公时段 {self.start:%H:%M}-{self.end:%H:%M} 的开始须早于结束",
                               f"office span {self.start:%H:%M}-{self.end:%H:%M} must start before it ends")

    @property
    def length(self) -> timedelta:
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _index_of(month: int, day: int) -> int:
    """Where (month, day) falls in a leap year, 0..365."""
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]):
        raise InvalidInput(f"日期 {month}-{day} 不存在", f"there is no day {month:02d}-{day:02d}")
    return _MONTH_OFFSET[month - 1] + day - 1


@dataclass(frozen=True)
class Season:
    """Office hours from ``first`` to ``last`` (month, day), both included; may wrap the year end.

    ``spans`` are the day's office spans: at least one, sorted, not overlapping.
    """

    name: str
    first: tuple[int, int]
    last: tuple[int, int]
    spans: tuple[Span, ...]

    def __post_init__(self) -> None:
        _index_of(*self.first)
        _index_of(*self.last)
        if not self.spans:
            raise InvalidInput(f"办公季节 {self.name!r} 没有办公时段",
                               f"office season {self.name!r} has no office spans")
        for before, after in zip(self.spans, self.spans[1:], strict=False):
            if after.start < before.end:
                raise InvalidInput(
                    f"办公季节 {self.name!r} 的时段 {before} 与 {after} 须按时间先后排列且不重叠",
                    f"office season {self.name!r}: spans {before} and {after} must be in order, not overlapping")

    def indexes(self) -> list[int]:
        """The days of a leap year (0..365) this season covers."""
        first, last = _index_of(*self.first), _index_of(*self.last)
        if first <= last:
            return list(range(first, last + 1))
        return list(range(first, 366)) + list(range(0, last + 1))


@dataclass(frozen=True)
class OfficeHours:
    """A city's office hours, possibly by season; the seasons cover every day of the year exactly once
    (29 February included)."""

    seasons: tuple[Season, ...]
    _by_day: tuple[tuple[Span, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        owner: list[Season | None] = [None] * 366
        for season in self.seasons:
            for index in season.indexes():
                other = owner[index]
                if other is not None:
                    raise InvalidInput(f"办公季节 {other.name!r} 与 {season.name!r} 重叠（{_md(index)}）",
                                       f"office seasons {other.name!r} and {season.name!r} overlap "
                                       f"({_md(index)})")
                owner[index] = season
        for index, found in enumerate(owner):
            if found is None:
                raise InvalidInput(f"办公季节没有覆盖 {_md(index)}",
                                   f"the office seasons do not cover {_md(index)}: every day needs hours")
        object.__setattr__(self, "_by_day", tuple(s.spans for s in owner if s is not None))

    @classmethod
    def all_year(cls, *spans: tuple[str, str]) -> OfficeHours:
        """The same office hours every day: ``OfficeHours.all_year(("09:00", "12:00"), ("13:30", "17:30"))``."""
        parsed = tuple(Span(_parse_clock(start), _parse_clock(end)) for start, end in spans)
        return cls((Season("all year", (1, 1), (12, 31), parsed),))

    def spans_on(self, d: date) -> tuple[Span, ...]:
        """The office spans of day ``d`` (of its season)."""
        return self._by_day[_MONTH_OFFSET[d.month - 1] + d.day - 1]

    def close_of_business(self, d: date) -> time:
        """Close of business on ``d``: the end of its last office span."""
        return self.spans_on(d)[-1].end


def _md(index: int) -> str:
    leap = date(2000, 1, 1) + timedelta(days=index)
    return f"{leap:%m-%d}"


# --- results -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayInfo:
    """What one day is: worked or not, why, and who says so.

    ``source``: ``"package"`` (chinese_calendar, plain weekdays of a known year included), ``"notice"``
    (a loaded notice file, or the plain weekdays of a year a complete notice made known), ``"local"``
    (a loaded closure), ``"provisional"`` (a year nobody knows: weekends only).
    """

    day: date
    working: bool
    name: str | None
    source: str
    provisional: bool


@dataclass(frozen=True)
class DueTime:
    """When a period ends (Asia/Shanghai), whether it may still move, and how it was counted."""

    due: datetime
    provisional: bool
    trace: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Elapsed:
    """Office time measured between two moments."""

    amount: timedelta
    provisional: bool
    warnings: tuple[str, ...]


def missing_notice_warning(year: int) -> str:
    """The warning for a count that used a year whose holiday notice is not loaded (Chinese / English)."""
    return (f"{year} 年国务院节假日安排通知尚未载入，按仅周末休息临时计算 / "
            f"The State Council's {year} holiday notice is not loaded: counted on weekends only, provisional")


def to_shanghai(moment: datetime, what: str = "time") -> datetime:
    """``moment`` in Asia/Shanghai; a naive datetime (no timezone) is refused."""
    if not isinstance(moment, datetime):
        raise InvalidInput(f"{what} 须为带时区的日期时间", f"{what} must be a timezone-aware datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{what} {moment.isoformat()} 没有时区，无法确定是北京时间几点",
                           f"{what} {moment.isoformat()} has no timezone: give an aware datetime "
                           "(Asia/Shanghai)")
    if moment.tzinfo is SHANGHAI:
        return moment
    return moment.astimezone(SHANGHAI)


def _hours_amount(amount: int | float | timedelta) -> timedelta:
    """A positive amount of time: a timedelta, or a number of hours."""
    if isinstance(amount, bool) or not isinstance(amount, int | float | timedelta):
        raise InvalidInput(f"时长 {amount!r} 须为小时数或 timedelta",
                           f"amount {amount!r} must be a number of hours or a timedelta")
    if isinstance(amount, float) and not math.isfinite(amount):
        raise InvalidInput(f"时长 {amount!r} 不是有限数", f"amount {amount!r} is not a finite number")
    delta = amount if isinstance(amount, timedelta) else timedelta(hours=amount)
    if delta <= timedelta(0):
        raise InvalidInput(f"时长须大于零，而不是 {amount!r}", f"an amount of time must be positive, not {amount!r}")
    return delta


def _fmt_delta(delta: timedelta) -> str:
    """``5h``, ``1h30m``, ``0h45m``, ``2h00m30s``."""
    seconds = delta.total_seconds()
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if secs:
        return f"{sign}{hours}h{minutes:02d}m{secs:02d}s"
    return f"{sign}{hours}h{minutes:02d}m" if minutes else f"{sign}{hours}h"


def _fmt_hours(delta: timedelta, kind: str) -> str:
    """``5 working hours``, ``1 working hour``, ``1h30m of working hours`` (kind: "working", "clock")."""
    if delta % timedelta(hours=1):
        return f"{_fmt_delta(delta)} of {kind} hours"
    whole = delta // timedelta(hours=1)
    return f"{whole} {kind} hour{'s' if whole != 1 else ''}"


def _hm(moment: datetime | time) -> str:
    """``09:30`` (cheaper than strftime, which the counting loops call often)."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _at(d: date, t: time) -> datetime:
    return datetime.combine(d, t, tzinfo=SHANGHAI)


# --- the count's notebook ------------------------------------------------------------------------------


class _Count:
    """Collects, during one count, the trace lines, the skipped days and the unknown years used."""

    __slots__ = ("trace", "unknown_years", "_year", "_run")

    def __init__(self, first_line: str, reference_year: int) -> None:
        self.trace: list[str] = [first_line]
        self.unknown_years: list[int] = []
        self._year = reference_year
        self._run: list[DayInfo] = []

    def saw(self, info: DayInfo) -> None:
        """Note a classified day: a provisional one names its year; a day off joins the current run."""
        if info.provisional and info.day.year not in self.unknown_years:
            self.unknown_years.append(info.day.year)
        if not info.working:
            self._run.append(info)
            return
        self.flush()
        if info.day.weekday() >= 5:
            self.trace.append(f"{self.label(info.day)} {_WEEKDAY_NAMES[info.day.weekday()]} is a "
                              f"{info.name or _MAKE_UP}")

    def flush(self) -> None:
        """Write the current run of days off as one line: ``10-01..10-07 National Day skipped``."""
        run = self._run
        if not run:
            return
        names: list[str] = []
        for info in run:
            reason = "weekend" if info.name in ("Saturday", "Sunday") or info.name is None else info.name
            if reason not in names:
                names.append(reason)
        when = self.label(run[0].day) if len(run) == 1 else f"{self.label(run[0].day)}..{self.label(run[-1].day)}"
        note = " (provisional: weekends only)" if any(info.provisional for info in run) else ""
        self.trace.append(f"{when} {', '.join(names)} skipped{note}")
        self._run = []

    def label(self, d: date) -> str:
        return f"{d.month:02d}-{d.day:02d}" if d.year == self._year else d.isoformat()

    def warnings(self) -> tuple[str, ...]:
        return tuple(missing_notice_warning(year) for year in self.unknown_years)

    def due(self, due: datetime, last_line: str) -> DueTime:
        self.flush()
        self.trace.append(last_line)
        return DueTime(due, bool(self.unknown_years), tuple(self.trace), self.warnings())


# --- the calendar --------------------------------------------------------------------------------------


class WorkCalendar:
    """Working days from the ``chinese_calendar`` package, overridden by loaded notice files.

    Later files win over earlier ones, all win over the package. A complete notice makes its year known:
    its days not listed follow the plain rule (Monday to Friday worked). Day lookups are cached.
    """

    def __init__(self, notices: Iterable[CalendarNotice] = ()) -> None:
        self.notices: tuple[CalendarNotice, ...] = tuple(notices)
        self._said: dict[date, tuple[NoticeDay, str]] = {}
        self._complete_years: set[int] = set()
        for notice in self.notices:
            for day, said in notice.days.items():
                self._said[day] = (said, notice.path)
            if notice.complete and notice.year is not None:
                self._complete_years.add(notice.year)
        self._days: dict[date, DayInfo] = {}
        self._years: dict[int, bool] = {}

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> WorkCalendar:
        """A calendar with these files loaded, in order (a later file wins)."""
        return cls(load_calendar_file(path) for path in paths)

    # -- days

    def day(self, d: date) -> DayInfo:
        """What day ``d`` is (an aware datetime is taken as its Shanghai date)."""
        if isinstance(d, datetime):
            d = to_shanghai(d, "day").date()
        info = self._days.get(d)
        if info is None:
            info = self._days[d] = self._classify(d)
        return info

    def is_working_day(self, d: date) -> bool:
        return self.day(d).working

    def is_year_known(self, year: int) -> bool:
        """Whether the year's holidays are known: the package knows it, or a complete notice was loaded."""
        known = self._years.get(year)
        if known is None:
            known = self._years[year] = year in self._complete_years or _package_knows(year)
        return known

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self._step(d, ONE_DAY)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        return self._step(d, -ONE_DAY)

    def _step(self, d: date, step: timedelta) -> date:
        if isinstance(d, datetime):
            d = to_shanghai(d, "day").date()
        for _ in range(MAX_DAYS_OFF_IN_A_ROW):
            d += step
            if self.day(d).working:
                return d
        _no_working_day(d)

    def _classify(self, d: date) -> DayInfo:
        said = self._said.get(d)
        if said is not None:
            entry, _path = said
            name = f"{_MAKE_UP}: {entry.name}" if entry.kind == "workday" else entry.name
            return DayInfo(d, entry.working, name, "local" if entry.kind == "closure" else "notice", False)
        if d.year in self._complete_years:
            return _plain_day(d, "notice", provisional=False)
        try:
            working = bool(chinese_calendar.is_workday(d))
        except NotImplementedError:
            self._years[d.year] = False
            return _plain_day(d, "provisional", provisional=True)
        return _package_day(d, working)

    # -- counting

    def add_working_days(self, start: datetime, n: int, hours: OfficeHours) -> DueTime:
        """A period of ``n`` working days (民法典 §201, §203): counting starts the day after the event and
        ends at the close of business of the ``n``-th working day."""
        start = to_shanghai(start, "start")
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise InvalidInput(f"工作日数须为正整数，而不是 {n!r}", f"a number of working days must be 1 or more, not {n!r}")
        count = _Count(f"+{n} working day{'s' if n > 1 else ''} from {start.date().isoformat()} "
                       "(counting starts the next day, Civil Code §201)", start.year)
        d, done = start.date(), 0
        off_in_a_row = 0
        while done < n:
            d += ONE_DAY
            info = self.day(d)
            count.saw(info)
            if info.working:
                done, off_in_a_row = done + 1, 0
            else:
                off_in_a_row += 1
                if off_in_a_row > MAX_DAYS_OFF_IN_A_ROW:
                    _no_working_day(d)
        close = hours.close_of_business(d)
        return count.due(_at(d, close), f"due {d.isoformat()} {close:%H:%M}, close of business of "
                                        f"working day {n}")

    def add_working_hours(self, start: datetime, amount: int | float | timedelta,
                          hours: OfficeHours) -> DueTime:
        """A period of working hours: runs from the event, only inside office spans on working days.

        An event outside office hours starts counting at the next span start; a period that ends exactly
        at a span's end is due at that span's end."""
        start = to_shanghai(start, "start")
        left = _hours_amount(amount)
        count = _Count(f"+{_fmt_hours(left, 'working')} from {start:%Y-%m-%d %H:%M} "
                       "(runs from the event, inside office hours on working days)", start.year)
        d, started = start.date(), False
        off_in_a_row = 0
        while True:
            info = self.day(d)
            count.saw(info)
            if info.working:
                off_in_a_row = 0
                due, left, pieces, begin = _spend_day(d, start, left, hours)
                if begin is not None and not started:
                    started = True
                    if begin != start:
                        count.flush()
                        count.trace.append(f"the event is outside office hours: counting starts "
                                           f"{count.label(d)} {begin:%H:%M}")
                if pieces:
                    count.trace.append(f"{count.label(d)} {', '.join(pieces)}")
                if due is not None:
                    return count.due(due, f"due {due:%Y-%m-%d %H:%M}")
            else:
                off_in_a_row += 1
                if off_in_a_row > MAX_DAYS_OFF_IN_A_ROW:
                    _no_working_day(d)
            d += ONE_DAY

    def add_clock_hours(self, start: datetime, amount: int | float | timedelta) -> DueTime:
        """A period of clock hours: runs from the event, holidays and nights included (never provisional)."""
        start = to_shanghai(start, "start")
        delta = _hours_amount(amount)
        due = (start.astimezone(UTC) + delta).astimezone(SHANGHAI)
        trace = (f"+{_fmt_hours(delta, 'clock')} from {start:%Y-%m-%d %H:%M} "
                 "(run from the event, holidays included)", f"due {due:%Y-%m-%d %H:%M}")
        return DueTime(due, False, trace, ())

    # -- measuring

    def working_time_between(self, a: datetime, b: datetime, hours: OfficeHours) -> Elapsed:
        """Office time on working days inside [a, b); negative if ``b`` is before ``a``."""
        a, b = to_shanghai(a, "from"), to_shanghai(b, "to")
        if b < a:
            back = self.working_time_between(b, a, hours)
            return Elapsed(-back.amount, back.provisional, back.warnings)
        total = timedelta(0)
        unknown: list[int] = []
        d = a.date()
        while _at(d, time.min) < b:
            info = self.day(d)
            if info.provisional and d.year not in unknown:
                unknown.append(d.year)
            if info.working:
                total += _office_time_inside(d, a, b, hours)
            d += ONE_DAY
        return Elapsed(total, bool(unknown), tuple(missing_notice_warning(year) for year in unknown))

    def working_days_between(self, a: datetime, b: datetime) -> int:
        """The number of working days ``d`` with ``a``'s date < ``d`` <= ``b``'s date (negative if reversed):
        the measure that gives back N for a period of N working days."""
        first, last = to_shanghai(a, "from").date(), to_shanghai(b, "to").date()
        if last < first:
            return -self._working_days_after(last, first)
        return self._working_days_after(first, last)

    def _working_days_after(self, first: date, last: date) -> int:
        found, d = 0, first + ONE_DAY
        while d <= last:
            if self.day(d).working:
                found += 1
            d += ONE_DAY
        return found


# --- helpers of the calendar ---------------------------------------------------------------------------


def _no_working_day(d: date) -> NoReturn:
    raise InvalidInput(f"{d} 前后连续 {MAX_DAYS_OFF_IN_A_ROW} 天没有工作日，请检查载入的日历文件",
                       f"no working day in {MAX_DAYS_OFF_IN_A_ROW} days in a row around {d}: check the loaded "
                       "calendar files")


def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _plain_day(d: date, source: str, *, provisional: bool) -> DayInfo:
    """The plain rule: Monday to Friday worked, Saturday and Sunday off."""
    weekday = d.weekday()
    return DayInfo(d, weekday < 5, _WEEKDAY_NAMES[weekday] if weekday >= 5 else None, source, provisional)


def _package_day(d: date, working: bool) -> DayInfo:
    """A day as ``chinese_calendar`` has it; on a make-up working day its detail names the holiday."""
    weekday = d.weekday()
    if working and weekday < 5:
        return DayInfo(d, True, None, "package", False)
    holiday = chinese_calendar.get_holiday_detail(d)[1]
    if working:
        name = f"{_MAKE_UP}: {holiday}" if holiday else _MAKE_UP
    else:
        name = str(holiday) if holiday else _WEEKDAY_NAMES[weekday]
    return DayInfo(d, working, name, "package", False)


def _spend_day(d: date, moment: datetime, left: timedelta, hours: OfficeHours
               ) -> tuple[datetime | None, timedelta, list[str], datetime | None]:
    """Spend up to ``left`` of office time on working day ``d``, not before ``moment``.

    Returns the due time if the period ends that day, the time still left, what was counted, and when
    counting began that day (None if no office time of the day was after ``moment``)."""
    pieces: list[str] = []
    first: datetime | None = None
    for span in hours.spans_on(d):
        end = _at(d, span.end)
        if end <= moment:
            continue
        begin = max(moment, _at(d, span.start))
        if first is None:
            first = begin
        available = end - begin
        if left <= available:
            due = begin + left
            pieces.append(f"{_hm(begin)}-{_hm(due)} ({_fmt_delta(left)})")
            return due, timedelta(0), pieces, first
        left -= available
        pieces.append(f"{_hm(begin)}-{_hm(end)} ({_fmt_delta(available)})")
    return None, left, pieces, first


def _office_time_inside(d: date, a: datetime, b: datetime, hours: OfficeHours) -> timedelta:
    """Office time of working day ``d`` inside [a, b)."""
    total = timedelta(0)
    for span in hours.spans_on(d):
        begin = max(a, _at(d, span.start))
        end = min(b, _at(d, span.end))
        if begin < end:
            total += end - begin
    return total
