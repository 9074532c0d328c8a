"""Excel: units hand over entries one row each; a file with any bad row is refused whole, row by row."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from hotline.directory.seed import City
from hotline.kb.excel import HEADERS, ImportRefused, kb_export, kb_import
from hotline.kb.models import Entry, EntryVersion
from hotline.rules.errors import Forbidden, InvalidInput
from tests.kb.conftest import MONDAY, publish

pytestmark = pytest.mark.django_db

GOOD = {"标准问题": "失业保险金怎么申领？", "其他问法": "失业金领取条件\n被辞退了能领失业金吗", "答案": "通过小程序申领。",
        "政策依据文件": "《失业保险条例》", "条款": "第十四条", "分类": "labour", "生效日期": "2026-01-01",
        "失效日期": "2026年12月31日", "标签": "失业、失业金", "是否公开": "是"}


def workbook(*rows: dict[str, Any], headers: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    columns = headers or list(HEADERS)
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(name) for name in columns])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_units_file_becomes_drafts_of_its_entries(city: City) -> None:
    result = kb_import(user=city.staff("D04"), data=workbook(GOOD, {**GOOD, "标准问题": "失业登记在哪办？",
                                                                   "条目编号": "SY-02", "是否公开": "否"}), at=MONDAY)
    assert len(result.created) == 2 and "SY-02" in result.created
    entry = Entry.objects.get(code="SY-02")
    version = entry.latest
    assert version is not None
    assert (entry.status, entry.unit.code, version.public, version.valid_until) == ("draft", "D04", False, date(2026, 12, 31))
    assert version.variants == ["失业金领取条件", "被辞退了能领失业金吗"] and version.tags == ["失业", "失业金"]
    assert version.note == "Excel 导入" and version.created_by == city.staff("D04")


def test_a_bad_file_is_refused_row_by_row_and_nothing_is_imported(city: City) -> None:
    rows = [GOOD,
            {**GOOD, "标准问题": "", "分类": "labour、nope"},                         # row 3
            {**GOOD, "生效日期": "明年", "是否公开": "也许"},                          # row 4
            {**GOOD, "责任单位": "D05"},                                              # row 5: another unit's
            {**GOOD, "条目编号": "A1"}, {**GOOD, "条目编号": "A1"},                    # row 7 repeats row 6
            {**GOOD, "适用区域": "火星区", "失效日期": "2025-01-01"}]                  # row 8
    with pytest.raises(ImportRefused) as info:
        kb_import(user=city.staff("D04"), data=workbook(*rows), at=MONDAY)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(3, "标准问题"), (3, "分类"), (4, "生效日期"), (4, "是否公开"), (5, "责任单位"), (7, "条目编号"),
                     (8, "适用区域"), (8, "失效日期")}
    assert "第3行“标准问题”：不能为空" in info.value.message_zh
    assert "row 4 生效日期" in info.value.message_en
    assert Entry.objects.count() == 0 and EntryVersion.objects.count() == 0


def test_files_that_are_not_a_knowledge_base_sheet_are_refused(city: City) -> None:
    with pytest.raises(InvalidInput, match="不是有效的 Excel"):
        kb_import(user=city.staff("D04"), data=b"question,answer\n", at=MONDAY)
    with pytest.raises(ImportRefused) as info:
        kb_import(user=city.staff("D04"), data=workbook({"问题": "x"}, headers=["问题", "回答"]), at=MONDAY)
    assert {p.column for p in info.value.problems} == {"标准问题", "答案"}
    with pytest.raises(InvalidInput, match="没有数据行"):
        kb_import(user=city.staff("D04"), data=workbook(), at=MONDAY)
    with pytest.raises(Forbidden):
        kb_import(user=city.users["analyst"], data=workbook(GOOD), at=MONDAY)


def test_an_export_goes_back_in_unchanged_and_an_edited_row_becomes_a_new_version(city: City) -> None:
    first = publish(city, question="社保卡补办", valid_until=MONDAY.date() + timedelta(days=300), region="990100")
    second = publish(city, question="社保卡密码重置", variants=("密码锁了",))
    publish(city, unit="D05", question="一年级报名", categories=("education",))    # another unit's: not exported
    data = kb_export(user=city.staff("D04"))
    book = load_workbook(BytesIO(data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:len(HEADERS)] == list(HEADERS) and "状态" in header
    assert sheet.max_row == 3

    again = kb_import(user=city.staff("D04"), data=data, at=MONDAY + timedelta(days=1))
    assert sorted(again.unchanged) == sorted([first.code, second.code]) and not again.created and not again.updated

    answer_column = header.index("答案") + 1
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == second.code:
            sheet.cell(row=row[0].row, column=answer_column, value="可在电子社保卡刷脸重置。")
    out = BytesIO()
    book.save(out)
    changed = kb_import(user=city.staff("D04"), data=out.getvalue(), submit=True, at=MONDAY + timedelta(days=1))
    assert changed.updated == [second.code] and changed.unchanged == [first.code]
    second.refresh_from_db()
    assert second.latest is not None and second.latest.number == 2 and second.latest.answer == "可在电子社保卡刷脸重置。"
    assert second.status == "published"                           # ziyang: the unit's submission publishes it


def test_the_hotline_exports_every_unit(city: City) -> None:
    publish(city, question="社保卡补办")
    publish(city, unit="D05", question="一年级报名", categories=("education",))
    sheet = load_workbook(BytesIO(kb_export(user=city.users["supervisor"]))).worksheets[0]
    assert sorted(str(row[2]) for row in sheet.iter_rows(min_row=2, values_only=True)) == ["D04", "D05"]
