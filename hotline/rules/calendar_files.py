"""Working-calendar files: a year's State Council notice, or a city's local changes, as small TOML files.

An administrator loads the State Council's yearly holiday notice (国务院办公厅关于N年部分节假日安排的通知)
before the ``chinese_calendar`` package knows the year, or local changes (a city's own day off, a typhoon
closure) at any time. What a file says wins over the package. The format::

    year = 2027                       # optional; required when complete = true
    complete = true                   # the State Council's full notice for `year`: the year becomes known
    source = "国办发明电〔2026〕7号"   # free text, optional

    [[holidays]]                      # days off, a range of at most 31 days
    name = "春节"
    first = 2027-02-06
    last = 2027-02-12

    [[workdays]]                      # make-up working day (调休): a Saturday or Sunday that is worked
    date = 2027-02-14
    name = "春节调休"

    [[closures]]                      # local change: a day that is closed (typhoon, the city's own day off)
    date = 2027-07-15
    name = "台风停工"

An invalid file is refused as a whole with :class:`CalendarFileError` naming the file, the line and why:
a calendar that silently drops a line would give wrong deadlines.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Literal, NamedTuple, NoReturn

from hotline.rules.errors import CalendarFileError

DayKind = Literal["holiday", "workday", "closure"]

TOP_LEVEL_KEYS = ("year", "complete", "source", "holidays", "workdays", "closures")
ENTRY_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "holidays": ("name", "first", "last"),
    "workdays": ("date", "name"),
    "closures": ("date", "name"),
})
KIND_OF_TABLE: Mapping[str, DayKind] = MappingProxyType({
    "holidays": "holiday", "workdays": "workday", "closures": "closure",
})
MAX_HOLIDAY_DAYS = 31
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class NoticeDay(NamedTuple):
    """What a file says about one date: working or not, the name given, and the kind of entry."""

    working: bool
    name: str
    kind: DayKind


@dataclass(frozen=True)
class CalendarNotice:
    """One loaded calendar file.

    ``complete`` means the file is the State Council's full notice for ``year``: that year becomes known,
    and its days not listed follow the plain rule (Monday to Friday worked, weekends off).
    """

    path: str
    year: int | None
    complete: bool
    source: str | None
    days: Mapping[date, NoticeDay] = field(hash=False)


# --- where things are in the raw text ------------------------------------------------------------------

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*[.=]")
_TOML_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


@dataclass
class _Entry:
    header: int
    keys: dict[str, int] = field(default_factory=dict)


class _Locator:
    """Finds the line (1-based) of a top-level key, of an entry's ``[[...]]`` header or of a key in it.

    A line scan, not a TOML parser: good enough to point a person at the right place.
    """

    def __init__(self, text: str) -> None:
        self.top: dict[str, int] = {}
        self.entries: dict[str, list[_Entry]] = {}
        current: _Entry | None = None
        in_table = False
        for number, line in enumerate(text.splitlines(), start=1):
            if (match := _ARRAY_HEADER.match(line)) is not None:
                current = _Entry(number)
                self.entries.setdefault(match.group(1), []).append(current)
                self.top.setdefault(match.group(1), number)
            elif (match := _TABLE_HEADER.match(line)) is not None:
                current, in_table = None, True
                self.top.setdefault(match.group(1).split(".")[0], number)
            elif (match := _KEY_LINE.match(line)) is not None:
                if current is not None:
                    current.keys.setdefault(match.group(1), number)
                elif not in_table:
                    self.top.setdefault(match.group(1), number)

    def key(self, name: str) -> int | None:
        return self.top.get(name)

    def entry(self, table: str, index: int, key: str | None = None) -> int | None:
        """The line of ``key`` in entry ``index`` of ``table``; else of the entry's header; else the table's."""
        entries = self.entries.get(table, [])
        if index < len(entries):
            found = entries[index]
            if key is not None and key in found.keys:
                return found.keys[key]
            return found.header
        return self.top.get(table)


@dataclass(frozen=True)
class _Refuser:
    file: str
    where: _Locator

    def at(self, line: int | None, reason: str) -> NoReturn:
        raise CalendarFileError(self.file, line, reason)


# --- reading -------------------------------------------------------------------------------------------


def load_calendar_file(path: str | Path) -> CalendarNotice:
    """Read and check one calendar file (UTF-8 TOML); refuse it with :class:`CalendarFileError` if invalid."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CalendarFileError(name, None, f"cannot be read: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CalendarFileError(name, line, "is not UTF-8 text") from error
    return parse_calendar_text(text, name)


def parse_calendar_text(text: str, file_name: str) -> CalendarNotice:
    """Check the text of a calendar file and return what it says; ``file_name`` names it in errors."""
    text = text.removeprefix("\ufeff")
    data = _parse_toml(text, file_name)
    refuse = _Refuser(file_name, _Locator(text))
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            refuse.at(refuse.where.key(key),
                      f"unknown key {key!r}; a calendar file may have: {', '.join(TOP_LEVEL_KEYS)}")
    year = _read_year(data, refuse)
    complete = _read_complete(data, refuse)
    source = _read_source(data, refuse)
    if complete and year is None:
        refuse.at(refuse.where.key("complete"), "complete = true needs the notice's year: add year = YYYY")
    days = _read_days(data, refuse, year if complete else None)
    return CalendarNotice(file_name, year, complete, source, MappingProxyType(days))


def _parse_toml(text: str, file_name: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        if (match := _TOML_AT_LINE.search(message)) is not None:
            reason = f"TOML syntax error: {message[: match.start()]} (column {match.group(2)})"
            raise CalendarFileError(file_name, int(match.group(1)), reason) from error
        if (match := _TOML_AT_END.search(message)) is not None:
            reason = f"TOML syntax error: {message[: match.start()]} (at the end of the file)"
            raise CalendarFileError(file_name, max(1, len(text.splitlines())), reason) from error
        raise CalendarFileError(file_name, None, f"TOML syntax error: {message}") from error


def _read_year(data: dict[str, object], refuse: _Refuser) -> int | None:
    year = data.get("year")
    if year is None:
        return None
    if not isinstance(year, int) or isinstance(year, bool) or not 1 <= year <= 9999:
        refuse.at(refuse.where.key("year"), f"year must be a whole number like 2027, not {year!r}")
    return year


def _read_complete(data: dict[str, object], refuse: _Refuser) -> bool:
    complete = data.get("complete", False)
    if not isinstance(complete, bool):
        refuse.at(refuse.where.key("complete"), f"complete must be true or false, not {complete!r}")
    return complete


def _read_source(data: dict[str, object], refuse: _Refuser) -> str | None:
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        refuse.at(refuse.where.key("source"), f"source must be text in quotes, not {source!r}")
    return source


def _read_days(data: dict[str, object], refuse: _Refuser, year: int | None) -> dict[date, NoticeDay]:
    """All entries, in file order; the same date twice is fine only if it means the same thing."""
    days: dict[date, NoticeDay] = {}
    lines: dict[date, int | None] = {}
    for table in ENTRY_KEYS:
        for index, entry in enumerate(_entries(data, table, refuse)):
            line = refuse.where.entry(table, index)
            for day, said in _entry_days(table, index, entry, refuse, year):
                before = days.get(day)
                if before is not None and before != said:
                    refuse.at(line, f"{day.isoformat()} is given twice with different meaning: "
                                    f"{before.kind} {before.name!r} (line {lines[day]}) and "
                                    f"{said.kind} {said.name!r}")
                days[day] = said
                lines.setdefault(day, line)
    return days


def _entries(data: dict[str, object], table: str, refuse: _Refuser) -> list[dict[str, object]]:
    value = data.get(table, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        refuse.at(refuse.where.key(table), f"{table} must be a list of [[{table}]] entries")
    return value


def _entry_days(table: str, index: int, entry: dict[str, object], refuse: _Refuser,
                year: int | None) -> list[tuple[date, NoticeDay]]:
    """The dates one entry speaks about, each with what it says."""
    allowed = ENTRY_KEYS[table]
    for key in entry:
        if key not in allowed:
            refuse.at(refuse.where.entry(table, index, key),
                      f"unknown key {key!r} in a [[{table}]] entry; it may have: {', '.join(allowed)}")
    for key in allowed:
        if key not in entry:
            refuse.at(refuse.where.entry(table, index), f"this [[{table}]] entry has no {key!r}")
    name = _entry_name(table, index, entry, refuse)
    kind = KIND_OF_TABLE[table]
    if table == "holidays":
        first = _entry_date(table, index, entry, "first", refuse, year)
        last = _entry_date(table, index, entry, "last", refuse, year)
        _check_range(table, index, first, last, refuse)
        count = (last - first).days + 1
        return [(first + timedelta(days=i), NoticeDay(False, name, kind)) for i in range(count)]
    day = _entry_date(table, index, entry, "date", refuse, year)
    if table == "workdays" and day.weekday() < 5:
        refuse.at(refuse.where.entry(table, index, "date"),
                  f"{day.isoformat()} is a {_WEEKDAY_NAMES[day.weekday()]}: a make-up working day (调休) "
                  "is a Saturday or Sunday that is worked")
    return [(day, NoticeDay(table == "workdays", name, kind))]


def _entry_name(table: str, index: int, entry: dict[str, object], refuse: _Refuser) -> str:
    name = entry["name"]
    if not isinstance(name, str) or not name.strip():
        refuse.at(refuse.where.entry(table, index, "name"), f"name must be non-empty text in quotes, not {name!r}")
    return name.strip()


def _entry_date(table: str, index: int, entry: dict[str, object], key: str, refuse: _Refuser,
                year: int | None) -> date:
    value = entry[key]
    line = refuse.where.entry(table, index, key)
    if isinstance(value, datetime) or not isinstance(value, date):
        refuse.at(line, f"{key} must be a date written like 2027-02-06 (no quotes, no time), not {value!r}")
    if year is not None and value.year != year:
        refuse.at(line, f"{key} = {value.isoformat()} is outside {year}, the year of this complete notice")
    return value


def _check_range(table: str, index: int, first: date, last: date, refuse: _Refuser) -> None:
    if last < first:
        refuse.at(refuse.where.entry(table, index, "last"),
                  f"last ({last.isoformat()}) is before first ({first.isoformat()})")
    if (last - first).days + 1 > MAX_HOLIDAY_DAYS:
        refuse.at(refuse.where.entry(table, index, "last"),
                  f"a holiday of {(last - first).days + 1} days is longer than {MAX_HOLIDAY_DAYS} days: "
                  "check the dates")
