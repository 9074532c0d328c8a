"""The monthly bulletin (月度通报): a small invented October 2026, worked out by hand, read back from the
Excel workbook and the PDF; the command's refusals.

October 2026 (all through the real services):
  A  phone,  complaint, urban → D01, replied in time, satisfied (contacted, resolved), archived
  B  app,    help, environment → D02, replied in time, basically satisfied (contacted, resolved)
  C  phone,  complaint, traffic → D03, replied 40 days late, dissatisfied (contacted, not resolved),
     upheld: stays in the callback figures
  D  web,    consult: answered directly by the operator
  E  phone,  complaint, urban → D01, never replied: overdue; put under supervision
  G  phone,  complaint, urban → D01, replied in time, dissatisfied, screened out (ziyang §14(2)):
     leaves the callback figures
September 2026: one phone order.  October 2025: two phone orders.

By hand, October: orders 6 (phone 4, app 1, web 1); dispatched 5; answered 1;
valid callbacks 3 (A satisfied, B basically, C dissatisfied; G screened out); contacted 3; resolved 2,
unresolved 1; due 5 (A, B, G on time; C late; E overdue unreplied), on time 3, overdue 2; supervised 1.
response rate 3/3 = 100 %; resolution 2/3 = 66.67 %; satisfaction (1 + w × 1) / 3; on-time 3/5 = 60 %.
Month on month 6 vs 1 = +500 %; year on year 6 vs 2 = +200 %; phone 4 vs 1 / 2.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from hotline.assessment.bulletin import Month, build_bulletin, render_pdf, write_xlsx
from hotline.assessment.bulletin.build import satisfaction_weight
from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import InvalidInput

REPLY = {"time": "10月6日", "process": "现场核查", "result": "已修复，联系人李四电话13912345678", "contact": "已电话告知"}
AS_OF = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)


def oct_(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 10, day, hour, 0, tzinfo=SHANGHAI)


def intake(city: City, at: datetime, *, channel: str = "phone", appeal_type: str = "complaint", category: str = "urban",
           name: str = "王小明", phone: str = "13800000001", content: str = "小区门口路灯坏了一个月无人修",
           outcome: str = "accept") -> Order:
    result = services.appeal_intake(user=city.users["operator"], channel=channel, appeal_type=appeal_type, outcome=outcome,
                                    content=content, requester_phone=phone, requester_name=name, category=category,
                                    address="东城区朝阳街道幸福路18号3栋", region="990100", at=at)
    return result.orders[0]


def handled(city: City, at: datetime, unit: str, *, reply_after: timedelta | None = timedelta(days=1),
            **kwargs: Any) -> Order:
    order = intake(city, at, **kwargs)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=unit, at=at + timedelta(minutes=20))
    staff = city.staff(unit)
    services.order_sign(order=order.pk, user=staff, at=at + timedelta(hours=1))
    if reply_after is not None:
        services.order_reply(order=order.pk, user=staff, reply=REPLY, at=at + reply_after)
    return order


def evaluate(city: City, order: Order, evaluation: str, at: datetime, *, resolved: bool = True) -> None:
    services.order_evaluate(order=order.pk, user=city.users["operator"], evaluation=evaluation, contacted=True,
                            resolved=resolved, at=at)


@pytest.fixture
def october(city: City) -> dict[str, Order]:
    a = handled(city, oct_(12), "D01", name="赵大山", phone="13700000011", content="幸福路路灯不亮，我叫赵大山，电话13700000011")
    evaluate(city, a, "satisfied", oct_(15))
    services.order_archive(order=a.pk, user=city.users["operator"], at=oct_(15, 11))
    b = handled(city, oct_(12, 11), "D02", channel="app", appeal_type="help", category="environment")
    evaluate(city, b, "basically_satisfied", oct_(15))
    c = handled(city, oct_(13), "D03", category="traffic", reply_after=timedelta(days=40))
    evaluate(city, c, "dissatisfied", oct_(13) + timedelta(days=41), resolved=False)
    services.order_uphold_dissatisfied(order=c.pk, user=city.users["supervisor"], note="属实",
                                       at=oct_(13) + timedelta(days=41, hours=1))
    d = intake(city, oct_(14), channel="web", appeal_type="consult", category="labour", outcome="answer_directly")
    e = handled(city, oct_(19), "D01", reply_after=None)
    services.order_supervise(order=e.pk, user=city.users["supervisor"], trigger="dissatisfied_confirmed",
                             note="群众反映强烈", at=oct_(28))
    g = handled(city, oct_(20), "D01")
    evaluate(city, g, "dissatisfied", oct_(23))
    services.order_screen_out(order=g.pk, user=city.users["supervisor"], note="诉求人对政策不满，非承办单位原因",
                              at=oct_(23, 11))
    intake(city, datetime(2026, 9, 10, 10, tzinfo=SHANGHAI))
    intake(city, datetime(2025, 10, 9, 10, tzinfo=SHANGHAI))
    intake(city, datetime(2025, 10, 10, 10, tzinfo=SHANGHAI))
    for order in (a, b, c, d, e, g):
        order.refresh_from_db()
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "G": g}


def test_the_month_is_read_as_year_dash_month_and_anything_else_is_refused() -> None:
    month = Month.parse("2026-10")
    assert (month.start, month.end) == (oct_(1, 0), datetime(2026, 11, 1, tzinfo=SHANGHAI))
    assert str(month.previous()) == "2026-09" and str(month.year_before()) == "2025-10"
    assert str(Month.parse("2026-01").previous()) == "2025-12"
    for bad in ("2026-13", "2026-1", "202610", "October", "", "2026-10-05"):
        with pytest.raises(InvalidInput):
            Month.parse(bad)


def test_a_month_with_a_start_day_runs_from_that_day_of_the_month_before() -> None:
    month = Month.parse("2026-10", start_day=19)
    assert month.start == datetime(2026, 9, 19, tzinfo=SHANGHAI)
    assert month.end == datetime(2026, 10, 19, tzinfo=SHANGHAI)
    assert len(month.dates) == 30


def test_the_operations_figures_match_the_hand_worked_month(october: dict[str, Order]) -> None:
    b = build_bulletin("2026-10", as_of=AS_OF)
    w = satisfaction_weight()
    c = b.total.counts
    assert (c["orders"], c["dispatched"], c["answered"]) == (6, 5, 1)
    assert (c["valid_callbacks"], c["contacted"], c["resolved"], c["unresolved"]) == (3, 3, 2, 1)
    assert (c["satisfied"], c["basically_satisfied"], c["dissatisfied"]) == (1, 1, 1)
    assert (c["due"], c["on_time"], c["overdue"], c["supervised"]) == (5, 3, 2, 1)
    r = b.total.rates
    assert r["response_rate"] == Decimal("1.0000")
    assert r["resolution_rate"] == Decimal("0.6667")
    assert r["satisfaction_rate"] == ((1 + w) / 3).quantize(Decimal("0.0001"))
    assert r["on_time_rate"] == Decimal("0.6000")
    assert (b.previous.counts["orders"], b.year_before.counts["orders"]) == (1, 2)
    assert (b.mom, b.yoy) == (Decimal("5.0000"), Decimal("2.0000"))
    channels = {line.key: line for line in b.by_channel.lines}
    assert (channels["phone"].figures.counts["orders"], channels["phone"].previous, channels["phone"].year_before) == (4, 1, 2)
    assert channels["app"].figures.counts["orders"] == 1 and channels["web"].figures.counts["orders"] == 1
    assert sum(n for _, n in b.daily) == 6 and len(b.daily) == 31


def test_the_analysis_groups_by_category_and_district_and_lists_the_hot_categories(october: dict[str, Order]) -> None:
    b = build_bulletin("2026-10", as_of=AS_OF)
    categories = {line.label: line.figures.counts["orders"] for line in b.by_category.lines}
    assert categories == {"城乡建设": 3, "环境保护": 1, "交通运输": 1, "劳动和社会保障": 1}
    assert [line.label for line in b.hot_categories][0] == "城乡建设"
    areas = {line.label: line.figures.counts["orders"] for line in b.by_area.lines}
    assert areas == {"东城区": 6}


def test_supervised_orders_and_typical_cases_are_listed_without_personal_data(october: dict[str, Order]) -> None:
    b = build_bulletin("2026-10", as_of=AS_OF, cases=[october["A"].number])
    assert [s.number for s in b.supervision] == [october["E"].number]
    assert b.supervision_by_unit == [("市住房和城乡建设局", 1)] and b.supervision_total == 1
    (case,) = [c for c in b.cases if c.number == october["A"].number]
    assert "赵大山" not in case.content and "13700000011" not in case.content
    assert "13912345678" not in case.result
    assert "幸福路路灯不亮" in case.content


def _sheet_values(data: bytes, sheet: str) -> dict[str, list[Any]]:
    ws = load_workbook(BytesIO(data))[sheet]
    return {str(row[0].value): [cell for cell in row] for row in ws.iter_rows() if row[0].value is not None}


def test_the_excel_workbook_carries_the_figures_as_numbers_and_rates_as_percentages(october: dict[str, Order]) -> None:
    data = write_xlsx(build_bulletin("2026-10", as_of=AS_OF))
    book = load_workbook(BytesIO(data))
    assert {"运行概况", "渠道与类型", "分类与区域", "热点", "部门排名", "区域排名", "典型案例", "督办约谈"} <= set(book.sheetnames)
    rows = _sheet_values(data, "运行概况")
    orders = rows["受理量"]
    assert [orders[1].value, orders[2].value, orders[4].value] == [6, 1, 2]
    assert isinstance(orders[1].value, int)
    assert orders[3].value == pytest.approx(5.0) and orders[3].number_format == "0.00%"
    assert rows["超期"][1].value == 2 and rows["按时办结"][1].value == 3
    on_time = rows["按时办结率"][1]
    assert on_time.value == pytest.approx(0.6) and on_time.number_format == "0.00%"
    assert rows["解决率"][1].value == pytest.approx(0.6667)
    channels = _sheet_values(data, "渠道与类型")
    assert [c.value for c in channels["电话"][1:3]] == [4, 1]


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                    reason="poppler-utils is not installed (make system-deps)")
def test_the_pdf_carries_the_chinese_title_and_embeds_a_cjk_font(october: dict[str, Order], tmp_path: Any) -> None:
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(render_pdf(build_bulletin("2026-10", as_of=AS_OF)))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "12345政务服务便民热线2026年10月工作通报" in text.replace(" ", "")
    assert "运行情况" in text and "典型案例" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk), fonts   # the "emb" column


def test_the_command_writes_both_files(october: dict[str, Order], tmp_path: Any) -> None:
    out = StringIO()
    call_command("bulletin", "--month", "2026-10", "--format", "xlsx", "--out", str(tmp_path), stdout=out)
    written = tmp_path / "bulletin-2026-10.xlsx"
    assert written.exists() and str(written) in out.getvalue()
    rows = _sheet_values(written.read_bytes(), "运行概况")
    assert rows["受理量"][1].value == 6


@pytest.mark.parametrize("month", ["2026-13", "10/2026", "next month", "2026-10-05"])
def test_the_command_refuses_a_bad_month_with_status_2_and_writes_nothing(month: str, tmp_path: Any) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("bulletin", "--month", month, "--out", str(tmp_path))
    assert refused.value.returncode == 2
    assert "2026-10" in str(refused.value) and "月份" in str(refused.value)
    assert not list(tmp_path.iterdir())


def test_the_hotline_command_exits_2_for_a_bad_month(tmp_path: Any) -> None:
    result = subprocess.run([".venv/bin/hotline", "bulletin", "--month", "2026-13", "--out", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert "月份 '2026-13' 格式不对，应写成 2026-10" in result.stderr


def test_the_unit_tables_are_the_assessment_ranking_best_first_departments_and_areas_apart(
        october: dict[str, Order]) -> None:
    from hotline.assessment.selectors import unit_figures
    from hotline.assessment.services import assessment_refresh

    assessment_refresh(orders=[o.pk for o in october.values()], now=AS_OF)
    b = build_bulletin("2026-10", as_of=AS_OF)
    departments, areas = b.units
    assert (departments.group, areas.group) == ("department", "area")
    ranked = [f for f in unit_figures("2026-10", group="department") if f.rank is not None]
    assert ranked, "the month has assessed departments"
    assert [r.unit_code for r in departments.rows] == [f.unit_code for f in sorted(ranked, key=lambda f: f.rank or 0)]
    assert {r.unit_code for r in departments.rows} <= {"D01", "D02", "D03"}
    assert departments.top[0].rank == 1
    assert not {r.unit_code for r in departments.top} & {r.unit_code for r in departments.bottom}
    data = write_xlsx(b)
    sheet = load_workbook(BytesIO(data))["部门排名"]
    codes = [row[1] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert codes == [r.unit_code for r in departments.rows]


def test_without_the_assessment_the_bulletin_ranks_lead_units_by_satisfaction(october: dict[str, Order]) -> None:
    from hotline.assessment.bulletin.units import _computed

    table = _computed(Month.parse("2026-10"), "department", as_of=AS_OF, weight=Decimal("0.8"))
    assert table.source == "bulletin"
    # D02: basically satisfied (0.8); D01: satisfied 1 of 1 valid (G was screened out) → 1.0; D03: dissatisfied → 0
    assert [(r.unit_code, r.rank, r.rates["satisfaction_rate"]) for r in table.rows] == [
        ("D01", 1, Decimal("1.0000")), ("D02", 2, Decimal("0.8000")), ("D03", 3, Decimal("0.0000"))]
