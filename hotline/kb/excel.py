"""Excel import and export of entries, in the shape units hand them over: one row per entry, Chinese
headers (``HEADERS``), the first sheet.

Import checks every row first and refuses the whole file when anything is wrong, naming each row (its
number as Excel shows it) and what is wrong with it; otherwise it writes every row, in one transaction,
through the same services as the pages: a row without 条目编号 (or with one not yet used) creates a draft,
a row naming an existing entry adds a version to it when its content changed. Columns the import does
not read (状态, 版本…, written by the export) are ignored, so an exported file goes back in unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from io import BytesIO
from typing import Any
from zipfile import BadZipFile

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from hotline.directory.models import Category, Region, Unit, User
from hotline.kb import selectors, services
from hotline.kb.content import EntryContent, Problem, content_problems
from hotline.kb.models import Entry
from hotline.kb.workflow import PUBLISHER_ROLES, UNIT_ROLES, Action, Kind, Status, Who, allowed
from hotline.rules.errors import Forbidden, InvalidInput

MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024

#: column header → the field it holds, in the order the export writes them
HEADERS: dict[str, str] = {
    "条目编号": "code", "类型": "kind", "责任单位": "unit", "标准问题": "question", "其他问法": "variants",
    "答案": "answer", "政策依据文件": "basis_document", "条款": "basis_article", "依据链接": "basis_url",
    "适用区域": "region", "分类": "categories", "生效日期": "valid_from", "失效日期": "valid_until", "标签": "tags",
    "是否公开": "public", "优先级": "priority", "应急信息截止时间": "expires_at",
}
#: written by the export for the reader, ignored by the import
EXPORT_ONLY = ("状态", "当前版本", "发布版本", "更新时间")
REQUIRED = ("标准问题", "答案")
KIND_NAMES = {"知识条目": Kind.ENTRY, "政策解读": Kind.INTERPRETATION, "应急信息": Kind.EMERGENCY,
              **{k.value: k for k in Kind}}
YES = {"是", "y", "yes", "true", "1", "公开"}
NO = {"否", "n", "no", "false", "0", "不公开", ""}
_LIST_SPLIT = re.compile(r"[\n；;|]+")
_CODE_SPLIT = re.compile(r"[\n、，,；;|\s]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class RowProblem:
    row: int          # the row number as Excel shows it
    column: str       # the header, or "" for the whole row
    zh: str
    en: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message_zh": self.zh, "message_en": self.en}


class ImportRefused(InvalidInput):
    """The file was refused; ``problems`` names every row that is wrong. Nothing was imported."""

    code = "kb_import_refused"

    def __init__(self, problems: Sequence[RowProblem], *, total: int | None = None) -> None:
        self.problems = list(problems)
        shown = "；".join(f"第{p.row}行{('“' + p.column + '”') if p.column else ''}：{p.zh}" for p in self.problems[:20])
        shown_en = "; ".join(f"row {p.row}{(' ' + p.column) if p.column else ''}: {p.en}" for p in self.problems[:20])
        more = len(self.problems) - 20
        super().__init__(f"文件未导入，共{len(self.problems)}处错误：{shown}" + (f"……等{more}处" if more > 0 else ""),
                         f"nothing imported, {len(self.problems)} problem(s): {shown_en}"
                         + (f" … and {more} more" if more > 0 else ""))


@dataclass
class ParsedRow:
    row: int
    code: str
    kind: Kind
    unit: Unit
    content: EntryContent
    entry: Entry | None = None


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


# --- reading cells ---------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return str(value).strip()


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value).strip())
    if match is None:
        raise ValueError(f"{value!r}")
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _moment(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).strip().replace("/", "-"))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _bool(value: Any) -> bool:
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(text)


# --- import ----------------------------------------------------------------------------------------

def _sheet_rows(data: bytes) -> tuple[list[str], list[tuple[int, tuple[Any, ...]]]]:
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InvalidInput("文件不是有效的 Excel（.xlsx）文件", f"the file is not a valid Excel (.xlsx) file: {exc}") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell) for cell in next(rows, ())]
    body = []
    for number, values in enumerate(rows, start=2):
        if any(_text(v) for v in values):
            body.append((number, tuple(values)))
        if len(body) > MAX_ROWS:
            raise InvalidInput(f"一次最多导入{MAX_ROWS}行", f"{MAX_ROWS} rows at most per file")
    book.close()
    return header, body


def _columns(header: list[str]) -> dict[str, int]:
    positions = {name: index for index, name in enumerate(header) if name in HEADERS}
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        raise ImportRefused([RowProblem(1, name, "缺少此列（第一行须为表头）", "this column is missing (row 1 holds the headers)")
                             for name in missing])
    return positions


class _Lookups:
    """Units, regions and categories by code or name, read once per file."""

    def __init__(self) -> None:
        self.units = {u.code: u for u in Unit.objects.filter(active=True)}
        self.unit_names = {u.name: u for u in self.units.values()}
        regions = list(Region.objects.values_list("code", "name"))
        self.regions = {code: code for code, _ in regions} | {name: code for code, name in regions}
        categories = list(Category.objects.values_list("code", "name"))
        self.categories = {code: code for code, _ in categories} | {name: code for code, name in categories}

    def unit(self, text: str) -> Unit | None:
        return self.units.get(text) or self.unit_names.get(text)


def _parse_row(number: int, values: tuple[Any, ...], columns: dict[str, int], user: User, look: _Lookups,
               existing: dict[str, Entry], at: datetime) -> tuple[ParsedRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def cell(header: str) -> Any:
        index = columns.get(header)
        return values[index] if index is not None and index < len(values) else None

    def bad(header: str, zh: str, en: str) -> None:
        problems.append(RowProblem(number, header, zh, en))

    code = _text(cell("条目编号"))
    kind_text = _text(cell("类型")) or "知识条目"
    kind = KIND_NAMES.get(kind_text)
    if kind is None:
        bad("类型", f"“{kind_text}”不是知识条目、政策解读或应急信息", f"{kind_text!r} is not entry, interpretation or emergency")
        kind = Kind.ENTRY
    unit_text = _text(cell("责任单位"))
    unit = look.unit(unit_text) if unit_text else user.unit
    actor = Who(user.role, user.unit.code if user.unit else None)
    if unit is None:
        bad("责任单位", f"单位“{unit_text}”不存在" if unit_text else "请填写责任单位（代码或名称）",
            f"unit {unit_text!r} unknown" if unit_text else "give the owning unit (code or name)")
    elif not actor.may_edit(unit.code, kind):
        bad("责任单位", f"您不能录入{unit.name}的条目（谁提供、谁负责，ziyang §17）",
            f"you may not enter entries of unit {unit.code} (ziyang §17)")
    entry = existing.get(code) if code else None
    if entry is not None:
        if unit is not None and entry.unit_id != unit.pk:
            bad("责任单位", f"条目 {code} 属于{entry.unit.name}，不能改为其他单位", f"entry {code} belongs to unit {entry.unit.code}")
        if entry.kind != kind.value:
            bad("类型", f"条目 {code} 是{entry.kind_enum.zh}，类型不能修改", f"entry {code} is {entry.kind}: the kind cannot change")
    elif code and (len(code) > 32 or not re.fullmatch(r"[A-Za-z0-9_-]+", code)):
        bad("条目编号", "只能由字母、数字、- 和 _ 组成（最多32个）", "letters, digits, - and _ only (32 at most)")

    def read(header: str, parse: Any, zh: str, en: str) -> Any:
        try:
            return parse(cell(header))
        except (ValueError, TypeError):
            bad(header, f"“{_text(cell(header))}”{zh}", f"{_text(cell(header))!r}: {en}")
            return None

    region_text = _text(cell("适用区域"))
    region = None
    if region_text and region_text != "全市":
        region = look.regions.get(region_text)
        if region is None:
            bad("适用区域", f"区域“{region_text}”不存在", f"region {region_text!r} unknown")
    categories = []
    for item in _CODE_SPLIT.split(_text(cell("分类"))):
        if item:
            found = look.categories.get(item)
            if found is None:
                bad("分类", f"分类“{item}”不存在", f"category {item!r} unknown")
            else:
                categories.append(found)
    priority = read("优先级", lambda v: int(_text(v) or 0), "不是整数", "not a whole number")
    content = EntryContent(
        question=_text(cell("标准问题")), answer=_text(cell("答案")),
        variants=tuple(_LIST_SPLIT.split(_text(cell("其他问法")))), basis_document=_text(cell("政策依据文件")),
        basis_article=_text(cell("条款")), basis_url=_text(cell("依据链接")), region=region,
        categories=tuple(categories), tags=tuple(_CODE_SPLIT.split(_text(cell("标签")))),
        valid_from=read("生效日期", _date, "不是日期（如 2026-03-01）", "not a date (e.g. 2026-03-01)"),
        valid_until=read("失效日期", _date, "不是日期（如 2026-12-31）", "not a date (e.g. 2026-12-31)"),
        public=read("是否公开", _bool, "应填“是”或“否”", "write 是 or 否") or False, priority=priority or 0,
        expires_at=read("应急信息截止时间", _moment, "不是时间（如 2026-03-01 18:00）", "not a time (e.g. 2026-03-01 18:00)"),
    ).normalised()
    known_regions = [content.region] if content.region else []
    for problem in content_problems(content, kind, regions=known_regions, categories=categories, now=at):
        problems.append(_row_problem(number, problem))
    if entry is not None and entry.status_enum is Status.SUBMITTED and _changed(entry, content):
        bad("", f"条目 {code} 正在审核，审核结束前不能修改", f"entry {code} is in review: it cannot change until reviewed")
    if problems or unit is None:
        return None, problems
    return ParsedRow(number, code, kind, unit, content, entry), []


def _row_problem(number: int, problem: Problem) -> RowProblem:
    label = {v: k for k, v in HEADERS.items()}.get(problem.field, problem.label)
    zh = problem.zh.split("：", 1)[-1]
    en = problem.en.split(": ", 1)[-1]
    return RowProblem(number, label, zh, en)


def _comparable(content: EntryContent) -> EntryContent:
    moment = content.expires_at
    return replace(content.normalised(),
                   expires_at=timezone.localtime(moment).replace(second=0, microsecond=0) if moment else None)


def _changed(entry: Entry, content: EntryContent) -> bool:
    return entry.latest is None or _comparable(services.content_of(entry.latest)) != _comparable(content)


def kb_import(*, user: User, data: bytes, submit: bool = False, at: datetime | None = None) -> ImportResult:
    """Import a file (see the module's docstring); ``submit``: send the new and changed entries for review."""
    at = at or timezone.now()
    if user.role not in UNIT_ROLES | PUBLISHER_ROLES:
        raise Forbidden("知识库条目由承办单位导入（热线可导入应急信息）", "entries are imported by their units")
    header, body = _sheet_rows(data)
    columns = _columns(header)
    if not body:
        raise InvalidInput("文件中没有数据行", "the file holds no rows")
    look = _Lookups()
    codes = [_text(values[columns["条目编号"]]) for _, values in body
             if "条目编号" in columns and columns["条目编号"] < len(values)]
    existing = {e.code: e for e in Entry.objects.select_related("unit", "latest", "latest__region")
                .filter(code__in=[c for c in codes if c])}
    parsed: list[ParsedRow] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for number, values in body:
        row, found = _parse_row(number, values, columns, user, look, existing, at)
        problems += found
        if row is not None and row.code:
            if row.code in seen:
                problems.append(RowProblem(number, "条目编号", f"与第{seen[row.code]}行重复", f"repeats row {seen[row.code]}"))
            seen.setdefault(row.code, number)
        if row is not None:
            parsed.append(row)
    if problems:
        raise ImportRefused(problems)
    return _write(parsed, user, submit, at)


def _write(rows: Iterable[ParsedRow], user: User, submit: bool, at: datetime) -> ImportResult:
    result = ImportResult()
    with transaction.atomic():
        for row in rows:
            try:
                if row.entry is None:
                    entry = services.kb_entry_create(user=user, content=row.content, kind=row.kind.value,
                                                     unit=row.unit.code, code=row.code or None, note="Excel 导入", at=at)
                    result.created.append(entry.code)
                elif _changed(row.entry, row.content):
                    entry = services.kb_entry_update(entry=row.entry.pk, user=user, content=row.content,
                                                     note="Excel 导入", at=at)
                    result.updated.append(entry.code)
                else:
                    result.unchanged.append(row.entry.code)
                    continue
                if submit and allowed(entry.status_enum, Action.SUBMIT):
                    services.kb_entry_submit(entry=entry.pk, user=user, note="Excel 导入后提交", at=at)
            except InvalidInput as exc:   # changed since it was checked: refuse the whole file all the same
                raise ImportRefused([RowProblem(row.row, "", exc.message_zh, exc.message_en)]) from None
    return result


# --- export ----------------------------------------------------------------------------------------

def _row_of(entry: Entry, user: User) -> list[object]:
    version = selectors.shown_version(user, entry)
    assert version is not None
    content = services.content_of(version)
    expires = timezone.localtime(content.expires_at).replace(tzinfo=None) if content.expires_at else None
    values: dict[str, object] = {
        "code": entry.code, "kind": Kind(entry.kind).zh, "unit": entry.unit.code, "question": content.question,
        "variants": "\n".join(content.variants), "answer": content.answer, "basis_document": content.basis_document,
        "basis_article": content.basis_article, "basis_url": content.basis_url, "region": content.region or "",
        "categories": "、".join(content.categories), "valid_from": content.valid_from, "valid_until": content.valid_until,
        "tags": "、".join(content.tags), "public": "是" if content.public else "否", "priority": content.priority,
        "expires_at": expires,
    }
    updated = timezone.localtime(entry.updated_at).replace(tzinfo=None)
    return [*(values[name] for name in HEADERS.values()), entry.status_enum.zh, version.number,
            entry.published.number if entry.published else None, updated]


def kb_export(*, user: User, unit: str | None = None, status: str | None = None) -> bytes:
    """The entries the user may see (unit staff: their unit's, as they stand; the hotline: all), one row each."""
    entries = selectors.entry_list_for_user(user=user, unit=unit, status=status)
    if user.role in UNIT_ROLES:
        entries = entries.filter(unit_id=user.unit_id or 0)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "知识库条目"
    sheet.append([*HEADERS, *EXPORT_ONLY])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for entry in entries.order_by("code"):
        if selectors.shown_version(user, entry) is not None:
            sheet.append(_row_of(entry, user))
    widths = {"标准问题": 36, "其他问法": 30, "答案": 60, "政策依据文件": 30, "应急信息截止时间": 18, "更新时间": 18}
    for index, name in enumerate([*HEADERS, *EXPORT_ONLY], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(name, 12)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(cell.value, datetime) else "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
