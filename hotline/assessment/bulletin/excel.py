"""The bulletin as an Excel workbook (openpyxl): one sheet per part, numbers as numbers.

Counts are integers; rates and changes are numbers between 0 and 1 with a percent number format
(``0.00%``), never text; a rate with an empty denominator is an empty cell. Times are naive datetimes
in the hotline's time zone (Excel has no time zones).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hotline.assessment.bulletin.build import Bulletin
from hotline.assessment.bulletin.figures import COUNTS, LABELS, RATES, Breakdown, Figures, change
from hotline.assessment.bulletin.units import UnitTable
from hotline.rules.calendar import SHANGHAI

PERCENT = "0.00%"
WHEN = "yyyy-mm-dd hh:mm"
_HEAD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="DDE7F2")
_TITLE = Font(bold=True, size=14)

Cell = int | float | str | datetime | Decimal | None


class _Sheet:
    """Writes rows top to bottom; remembers which columns are percentages."""

    def __init__(self, ws: Worksheet, title: str, subtitle: str = "") -> None:
        self.ws = ws
        self.row = 1
        ws.cell(1, 1, title).font = _TITLE
        if subtitle:
            ws.cell(2, 1, subtitle)
        self.row = 4 if subtitle else 3

    def heading(self, text: str) -> None:
        self.ws.cell(self.row, 1, text).font = _HEAD
        self.row += 1

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Cell]], percent: Sequence[int] = ()) -> None:
        for col, name in enumerate(header, 1):
            cell = self.ws.cell(self.row, col, name)
            cell.font, cell.fill = _HEAD, _FILL
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        self.row += 1
        for values in rows:
            for col, value in enumerate(values, 1):
                cell = self.ws.cell(self.row, col, _value(value))
                if col - 1 in percent:
                    cell.number_format = PERCENT
                elif isinstance(value, datetime):
                    cell.number_format = WHEN
            self.row += 1
        self.row += 1

    def widths(self, widths: Sequence[int]) -> None:
        for col, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(col)].width = width


def _value(value: Cell) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).replace(tzinfo=None)
    return value


def _overview(sheet: _Sheet, b: Bulletin) -> None:
    rows: list[list[Cell]] = []
    for name in COUNTS:
        now, before, year = b.total.counts[name], b.previous.counts[name], b.year_before.counts[name]
        rows.append([LABELS[name], now, before, change(now, before), year, change(now, year)])
    sheet.heading("一、运行情况")
    sheet.table(["指标", "本月", "上月", "环比", "去年同月", "同比"], rows, percent=(3, 5))
    rate_rows: list[list[Cell]] = []
    for name in RATES:
        now_r, before_r, year_r = b.total.rates[name], b.previous.rates[name], b.year_before.rates[name]
        rate_rows.append([LABELS[name], now_r, before_r, _diff(now_r, before_r), year_r, _diff(now_r, year_r)])
    sheet.heading("二、三率及按时办结率（变化为百分点）")
    sheet.table(["指标", "本月", "上月", "环比变化", "去年同月", "同比变化"], rate_rows, percent=(1, 2, 3, 4, 5))
    sheet.heading("三、每日受理量")
    sheet.table(["日期", "受理量"], [[d.isoformat(), n] for d, n in b.daily])
    sheet.widths([18, 12, 12, 12, 12, 12])


def _diff(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return a - b if a is not None and b is not None else None


def _volume_table(sheet: _Sheet, part: Breakdown) -> None:
    rows: list[list[Cell]] = [[line.label, line.figures.counts["orders"], line.previous, line.mom, line.year_before,
                               line.yoy] for line in part.lines]
    sheet.heading(part.title)
    sheet.table([part.key_label, "受理量", "上月", "环比", "去年同月", "同比"], rows, percent=(3, 5))


_FIGURE_COLUMNS = ("orders", "valid_callbacks", "satisfied", "basically_satisfied", "dissatisfied", "due", "on_time",
                   "overdue", "extended", "redone")


def _figures_row(label: str, f: Figures) -> list[Cell]:
    return [label, *(f.counts[k] for k in _FIGURE_COLUMNS), *(f.rates[k] for k in RATES)]


def _figures_table(sheet: _Sheet, part: Breakdown) -> None:
    sheet.heading(part.title)
    header = [part.key_label, *(LABELS[k] for k in _FIGURE_COLUMNS), *(LABELS[k] for k in RATES)]
    start = 1 + len(_FIGURE_COLUMNS)
    sheet.table(header, [_figures_row(line.label, line.figures) for line in part.lines],
                percent=range(start, start + len(RATES)))


_UNIT_COUNTS = ("orders", "valid_callbacks", "satisfied", "basically_satisfied", "dissatisfied", "due", "on_time",
                "overdue", "extensions", "redos", "returns")
_UNIT_LABELS = {**LABELS, "extensions": "延期", "redos": "重办", "returns": "退单"}


def _units(sheet: _Sheet, table: UnitTable) -> None:
    header = ["排名", "单位代码", "单位名称", "得分", "等级", "名次变化",
              *(_UNIT_LABELS[k] for k in _UNIT_COUNTS), *(LABELS[k] for k in RATES)]
    rows: list[list[Cell]] = []
    for r in table.rows:
        rows.append([r.rank, r.unit_code, r.unit_name, r.score, r.grade or None, r.rank_change,
                     *(r.counts.get(k) for k in _UNIT_COUNTS), *(r.rates.get(k) for k in RATES)])
    sheet.heading(f"{table.title}（{'考核结果' if table.source == 'unit_figures' else '按满意率排序，通报自算'}）")
    start = 6 + len(_UNIT_COUNTS)
    sheet.table(header, rows, percent=range(start, start + len(RATES)))
    sheet.widths([6, 10, 26, 8, 6, 8])


def write_xlsx(b: Bulletin) -> bytes:
    """The workbook's bytes."""
    wb = Workbook()
    subtitle = f"{b.office} · 统计期间 {b.month.start:%Y-%m-%d} 至 {b.month.end:%Y-%m-%d}（不含） · 数据截至 " \
               f"{b.generated_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"
    overview = wb.active
    assert overview is not None
    overview.title = "运行概况"
    _overview(_Sheet(overview, b.title, subtitle), b)

    sheet = _Sheet(wb.create_sheet("渠道与类型"), "受理渠道与诉求类型")
    _volume_table(sheet, b.by_channel)
    _volume_table(sheet, b.by_type)
    sheet.widths([16, 10, 10, 10, 10, 10])

    sheet = _Sheet(wb.create_sheet("分类与区域"), "诉求分类、区域分布与满意度")
    _figures_table(sheet, b.by_category)
    _figures_table(sheet, b.by_area)
    sheet.widths([16] + [10] * 14)

    sheet = _Sheet(wb.create_sheet("热点"), "热点诉求")
    for title, lines in (("诉求量前十的分类", b.hot_categories), ("诉求量前十的区域", b.hot_regions)):
        sheet.heading(title)
        sheet.table(["序号", "名称", "受理量", "上月", "环比"],
                    [[i, line.label, line.figures.counts["orders"], line.previous, line.mom]
                     for i, line in enumerate(lines, 1)], percent=(4,))
    sheet.widths([6, 20, 10, 10, 10])

    for table in b.units:
        _units(_Sheet(wb.create_sheet("部门排名" if table.group == "department" else "区域排名"), table.title), table)

    sheet = _Sheet(wb.create_sheet("典型案例"), "典型案例（已去除个人信息）")
    sheet.table(["类别", "工单编号", "诉求类型", "分类", "承办单位", "受理时间", "诉求内容", "办理结果", "评价"],
                [[c.kind, c.number, c.appeal_type, c.category, c.unit, c.received_at, c.content, c.result, c.evaluation]
                 for c in b.cases])
    sheet.widths([10, 18, 8, 12, 22, 16, 50, 40, 8])

    sheet = _Sheet(wb.create_sheet("督办约谈"), "督办与约谈")
    sheet.heading("各单位督办件次")
    sheet.table(["承办单位", "督办件次"], [[unit, n] for unit, n in b.supervision_by_unit])
    sheet.heading("督办工单")
    sheet.table(["工单编号", "承办单位", "督办情形", "督办时间", "当前状态"],
                [[s.number, s.unit, s.label, s.at, s.state] for s in b.supervision])
    sheet.heading("约谈")
    sheet.table(["被约谈单位", "约谈时间", "约谈事由", "依据", "约谈结果"],
                [[i.unit, i.held_at, i.reason, i.rule, i.outcome] for i in b.interviews])
    sheet.widths([20, 24, 30, 16, 20])

    out = BytesIO()
    wb.save(out)
    return out.getvalue()


#: the name ``hotline bench scale`` looks for
render_xlsx = write_xlsx
