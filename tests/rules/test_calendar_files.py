"""Calendar files: a valid notice loads and wins over the package; an invalid one is refused with the
file, the line and the reason."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from hotline.rules.calendar import SHANGHAI, OfficeHours, WorkCalendar
from hotline.rules.calendar_files import NoticeDay, load_calendar_file, parse_calendar_text
from hotline.rules.errors import CalendarFileError

EXAMPLE_2027 = Path(__file__).resolve().parents[2] / "hotline" / "rules" / "calendars" / "example-2027.toml"
HOURS = OfficeHours.all_year(("09:00", "12:00"), ("13:30", "17:30"))

NOTICE_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知 (test data)
year = 2027
complete = true
source = "国办发明电〔2026〕7号"

[[holidays]]
name = "春节"
first = 2027-02-06
last = 2027-02-12

[[workdays]]
date = 2027-02-14
name = "春节调休"

[[closures]]
date = 2027-07-15
name = "台风停工"
"""


def write(tmp_path: Path, text: str, name: str = "notice.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str) -> CalendarFileError:
    path = write(tmp_path, text)
    with pytest.raises(CalendarFileError) as error:
        load_calendar_file(path)
    assert error.value.file == str(path)
    return error.value


# --- valid files -------------------------------------------------------------------------------------


def test_a_valid_notice_loads_with_every_day_it_names(tmp_path: Path) -> None:
    notice = load_calendar_file(write(tmp_path, NOTICE_2027))
    assert (notice.year, notice.complete, notice.source) == (2027, True, "国办发明电〔2026〕7号")
    assert notice.path == str(tmp_path / "notice.toml")
    assert len(notice.days) == 7 + 1 + 1
    assert notice.days[date(2027, 2, 6)] == NoticeDay(False, "春节", "holiday")
    assert notice.days[date(2027, 2, 12)] == NoticeDay(False, "春节", "holiday")
    assert notice.days[date(2027, 2, 14)] == NoticeDay(True, "春节调休", "workday")
    assert notice.days[date(2027, 7, 15)] == NoticeDay(False, "台风停工", "closure")


def test_the_example_2027_file_loads_and_says_it_is_unofficial() -> None:
    notice = load_calendar_file(EXAMPLE_2027)
    assert notice.year == 2027 and notice.complete
    assert "unofficial" in (notice.source or "")
    assert "NOT OFFICIAL" in EXAMPLE_2027.read_text(encoding="utf-8").splitlines()[0]


def test_a_loaded_file_wins_over_the_package(tmp_path: Path) -> None:
    # the package says 2026-10-08 is worked and 2026-10-10 is a make-up Saturday
    path = write(tmp_path, '[[holidays]]\nname = "延长假期"\nfirst = 2026-10-08\nlast = 2026-10-08\n\n'
                           '[[closures]]\ndate = 2026-10-10\nname = "台风停工"\n')
    calendar = WorkCalendar.from_files([path])
    assert not calendar.is_working_day(date(2026, 10, 8))
    assert not calendar.is_working_day(date(2026, 10, 10))
    assert calendar.day(date(2026, 10, 8)).source == "notice"
    assert calendar.day(date(2026, 10, 10)).source == "local"
    # +7 working days from 09-30 now: 10-09 (1), 10-12..10-16 (2..6), 10-19 (7)
    due = calendar.add_working_days(datetime(2026, 9, 30, 10, tzinfo=SHANGHAI), 7, HOURS).due
    assert due == datetime(2026, 10, 19, 17, 30, tzinfo=SHANGHAI)


def test_a_complete_notice_makes_its_year_known_and_a_partial_one_does_not(tmp_path: Path) -> None:
    partial = parse_calendar_text('year = 2027\n[[closures]]\ndate = 2027-07-15\nname = "台风停工"\n', "p.toml")
    assert not WorkCalendar([partial]).is_year_known(2027)
    assert WorkCalendar([parse_calendar_text(NOTICE_2027, "n.toml")]).is_year_known(2027)
    # a day a partial file names is certain even in an unknown year
    assert not WorkCalendar([partial]).day(date(2027, 7, 15)).provisional


def test_the_same_date_twice_with_the_same_meaning_is_accepted() -> None:
    text = ('[[holidays]]\nname = "国庆节"\nfirst = 2027-10-01\nlast = 2027-10-07\n'
            '[[holidays]]\nname = "国庆节"\nfirst = 2027-10-07\nlast = 2027-10-08\n')
    assert len(parse_calendar_text(text, "x.toml").days) == 8


def test_an_empty_file_says_nothing_and_a_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    assert load_calendar_file(write(tmp_path, "")).days == {}
    with_bom = write(tmp_path, "\ufeffyear = 2027\n", "bom.toml")
    assert load_calendar_file(with_bom).year == 2027


def test_a_holiday_of_31_days_is_accepted() -> None:
    text = '[[holidays]]\nname = "长假"\nfirst = 2027-01-01\nlast = 2027-01-31\n'
    assert len(parse_calendar_text(text, "x.toml").days) == 31


# --- refused files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "line", "reason"), [
    ('year = 2027\ncomplete = \n', 2, "TOML syntax error: Invalid value (column 12)"),
    ('year = 2027\n\n[[holidays]]\nname = "春节\n', 4, "TOML syntax error"),
    ('year = 2027\n[[holidays]]\nname = "a"\nfirst = 2027-02-30\nlast = 2027-03-01\n', 4,
     "TOML syntax error: Invalid date or datetime"),
    ('year = 2027\nyear = 2028\n', 2, "TOML syntax error"),
    ('source = "x"\nsauce = "y"\n', 2, "unknown key 'sauce'"),
    ('[extra]\nx = 1\n', 1, "unknown key 'extra'"),
    ('[[holidays]]\nname = "春节"\nfirst = 2027-02-06\nlast = 2027-02-12\nnote = "x"\n', 5,
     "unknown key 'note' in a [[holidays]] entry"),
    ('[[holidays]]\nname = "a"\nfirst = 2027-02-06\nlast = 2027-02-07\n\n[[holidays]]\nfirst = 2027-04-03\n'
     'last = 2027-04-05\n', 6, "this [[holidays]] entry has no 'name'"),
    ('[[workdays]]\nname = "春节调休"\n', 1, "this [[workdays]] entry has no 'date'"),
    ('# a closure\n\n[[closures]]\ndate = 2027-07-15\n', 3, "this [[closures]] entry has no 'name'"),
    ('year = "2027"\n', 1, "year must be a whole number"),
    ('year = 2027\ncomplete = "yes"\n', 2, "complete must be true or false"),
    ('source = 7\n', 1, "source must be text"),
    ('holidays = 3\n', 1, "holidays must be a list of [[holidays]] entries"),
    ('[[closures]]\ndate = 2027-07-15\nname = 5\n', 3, "name must be non-empty text"),
    ('[[closures]]\ndate = 2027-07-15\nname = "  "\n', 3, "name must be non-empty text"),
    ('[[closures]]\ndate = "2027-07-15"\nname = "台风停工"\n', 2, "date must be a date written like"),
    ('[[closures]]\ndate = 2027-07-15T09:00:00\nname = "台风停工"\n', 2, "date must be a date written like"),
    ('[[holidays]]\nname = "春节"\nfirst = 2027-02-12\nlast = 2027-02-06\n', 4,
     "last (2027-02-06) is before first (2027-02-12)"),
    ('year = 2027\ncomplete = true\n\n[[workdays]]\nname = "元旦调休"\ndate = 2026-12-27\n', 6,
     "date = 2026-12-27 is outside 2027"),
    ('year = 2027\ncomplete = true\n[[holidays]]\nname = "元旦"\nfirst = 2026-12-31\nlast = 2027-01-01\n', 5,
     "first = 2026-12-31 is outside 2027"),
    ('source = "x"\ncomplete = true\n', 2, "complete = true needs the notice's year"),
    ('[[holidays]]\nname = "春节"\nfirst = 2027-02-06\nlast = 2027-02-12\n\n'
     '[[closures]]\ndate = 2027-02-10\nname = "台风停工"\n', 6,
     "2027-02-10 is given twice with different meaning: holiday '春节' (line 1) and closure '台风停工'"),
    ('[[closures]]\ndate = 2027-07-15\nname = "台风停工"\n[[closures]]\ndate = 2027-07-15\nname = "暴雨停工"\n', 4,
     "2027-07-15 is given twice with different meaning"),
    ('[[holidays]]\nname = "长假"\nfirst = 2027-01-01\nlast = 2027-02-01\n', 4,
     "a holiday of 32 days is longer than 31 days"),
    ('[[workdays]]\ndate = 2027-02-10\nname = "春节调休"\n', 2,
     "2027-02-10 is a Wednesday: a make-up working day (调休) is a Saturday or Sunday"),
])
def test_an_invalid_file_is_refused_naming_the_line_and_the_reason(
        tmp_path: Path, text: str, line: int, reason: str) -> None:
    error = refused(tmp_path, text)
    assert error.line == line
    assert reason in error.reason
    assert f"{error.file}:{line}" in str(error)
    assert "日历文件" in error.message_zh


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CalendarFileError) as error:
        load_calendar_file(tmp_path / "missing.toml")
    assert error.value.line is None and "cannot be read" in error.value.reason


def test_a_file_that_is_not_utf8_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes('year = 2027\n[[closures]]\ndate = 2027-07-15\nname = "台风停工"\n'.encode("gbk"))
    with pytest.raises(CalendarFileError) as error:
        load_calendar_file(path)
    assert error.value.line == 4 and "UTF-8" in error.value.reason


def test_a_broken_file_among_several_stops_the_calendar_from_loading(tmp_path: Path) -> None:
    good = write(tmp_path, NOTICE_2027, "good.toml")
    bad = write(tmp_path, "year = 2027\nfoo = 1\n", "bad.toml")
    with pytest.raises(CalendarFileError) as error:
        WorkCalendar.from_files([good, bad])
    assert error.value.file == str(bad) and error.value.line == 2
