"""The assessment on the database: orders made through the real services, the rollup refreshed, figures
read through the contract (unit_figures); freezing, revisions, vetoes. Numbers are worked by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from hotline.assessment import selectors
from hotline.assessment.models import OrderFact, RefreshCursor, Revision, UnitDayFact
from hotline.assessment.selectors import unit_figures
from hotline.assessment.services import _safe_position, assessment_freeze, assessment_refresh, assessment_veto
from hotline.directory.seed import City
from hotline.orders import rulebook, services
from hotline.orders.models import Event, Order
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import Conflict, Forbidden, GuardRefused
from tests.rules.walk import article

REPLY = {"time": "当日", "process": "现场核查", "result": "已处理", "contact": "已电话告知"}
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


def handled(city: City, unit: str, evaluation: str | None, *, contacted: bool = True, resolved: bool = True,
            month: int = 10, day: int = 12, domain: str = "", channel: str = "phone") -> Order:
    """An order accepted, dispatched to ``unit``, signed and replied in time, then evaluated (Mon..Thu)."""
    result = services.appeal_intake(user=city.users["operator"], channel=channel, appeal_type="complaint",
                                    content="小区路灯不亮", requester_phone="13800000001", at=at(month, day, 9),
                                    domain=domain)
    order = result.orders[0]
    limit = "7wd" if rulebook.profile().dispatch.handling_limit_required else None   # tianjin §16(2)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=unit, at=at(month, day, 10),
                            handling_limit=limit)
    staff = city.staff(unit)
    services.order_sign(order=order.pk, user=staff, at=at(month, day, 11))
    services.order_reply(order=order.pk, user=staff, reply=REPLY, at=at(month, day + 1, 10))
    if evaluation is not None:
        services.order_evaluate(order=order.pk, user=city.users["operator"], evaluation=evaluation,
                                contacted=contacted, resolved=resolved, at=at(month, day + 2, 10))
    order.refresh_from_db()
    return order


def by_code(period: str = "2026-10", **kwargs: object) -> dict[str, selectors.UnitFigures]:
    return {f.unit_code: f for f in unit_figures(period, **kwargs)}  # type: ignore[arg-type]


def october(city: City) -> dict[str, Order]:
    orders = {
        "sat": handled(city, "D01", "satisfied", contacted=True, resolved=True),
        "basic": handled(city, "D01", "basically_satisfied", contacted=True, resolved=False),
        "dis": handled(city, "D02", "dissatisfied", contacted=True, resolved=False),
        "screened": handled(city, "D03", "dissatisfied", contacted=False, resolved=False),
    }
    services.order_uphold_dissatisfied(order=orders["dis"].pk, user=city.users["supervisor"], note="属办理原因",
                                       at=at(10, 15))
    services.order_screen_out(order=orders["screened"].pk, user=city.users["supervisor"],
                              note="诉求人期望过高，超出政策规定", at=at(10, 15))
    return orders


@article("ziyang §14(2)")
def test_14_2_figures_from_the_services_match_the_hand_count(city: City) -> None:
    october(city)
    assessment_refresh(now=NOW)
    figures = by_code(group="department")
    d01, d02, d03 = figures["D01"], figures["D02"], figures["D03"]
    # D01: response 2/2, resolution 1/2, satisfaction (1 + 0.8) / 2 = 0.9 → 10 + 25 + 36 = 71
    assert (d01.rates["response_rate"], d01.rates["resolution_rate"], d01.rates["satisfaction_rate"]) == (
        Decimal("1.0000"), Decimal("0.5000"), Decimal("0.9000"))
    assert (d01.score, d01.grade, d01.rank) == (Decimal("71.00"), "合格", 1)
    # D02: response 1/1, resolution 0/1, satisfaction 0/1 → 10
    assert (d02.score, d02.grade, d02.rank) == (Decimal("10.00"), "不合格", 2)
    # D03: its only callback was screened out: nothing to score, not ranked, but its orders are counted
    assert (d03.counts["orders"], d03.counts["valid_callbacks"], d03.counts["excluded"]) == (1, 0, 1)
    assert (d03.score, d03.rank, d03.rates["satisfaction_rate"]) == (None, None, None)
    assert d03.exclusions["screened"] == "ziyang §14(2)"
    assert (d01.counts["due"], d01.counts["on_time"], d01.counts["signed_on_time"]) == (2, 2, 2)
    assert not d01.frozen and d01.start == date(2026, 10, 1) and d01.end == date(2026, 11, 1)


def test_departments_and_districts_are_ranked_separately(city: City) -> None:
    handled(city, "D01", "dissatisfied", contacted=True, resolved=False)
    handled(city, "R01", "satisfied")
    handled(city, "R02", "basically_satisfied")
    assessment_refresh(now=NOW)
    areas = unit_figures("2026-10", group="area")
    assert {f.group for f in areas} == {"area"}
    assert [(f.unit_code, f.rank) for f in areas if f.rank] == [("R01", 1), ("R02", 2)]
    assert by_code(group="department")["D01"].rank == 1
    assert "HOTLINE" not in by_code()             # the hotline office is not assessed


def test_rank_movement_against_the_last_period_and_year_on_year(city: City) -> None:
    handled(city, "D01", "satisfied", month=9, day=14)
    handled(city, "D02", "dissatisfied", contacted=True, resolved=False, month=9, day=14)
    handled(city, "D01", "dissatisfied", contacted=True, resolved=False, month=10, day=12)
    handled(city, "D02", "satisfied", month=10, day=12)
    assessment_refresh(now=NOW)
    figures = by_code()
    assert (figures["D02"].rank, figures["D02"].previous_rank, figures["D02"].rank_change) == (1, 2, 1)
    assert (figures["D01"].rank, figures["D01"].previous_rank, figures["D01"].rank_change) == (2, 1, -1)
    assert figures["D01"].previous_score == Decimal("100.00") and figures["D01"].yoy_score is None


def test_year_on_year_compares_with_the_same_period_a_year_before(city: City) -> None:
    handled(city, "D01", "satisfied", month=10, day=12)
    handled(city, "D01", "basically_satisfied", contacted=True, resolved=False, month=10, day=12)
    assessment_refresh(now=NOW)
    # 2025-10 gets the same daily facts as 2026-10 (the demo city has no history of its own)
    october = list(UnitDayFact.objects.filter(day__gte=date(2026, 10, 1), day__lt=date(2026, 11, 1)))
    UnitDayFact.objects.bulk_create([UnitDayFact(unit_id=f.unit_id, day=f.day.replace(year=2025), **f.counts())
                                     for f in october])
    # the same score a year before: 10 × 1 + 50 × 0.5 + 40 × 0.9 = 71, and the same rank
    d01 = by_code()["D01"]
    assert (d01.score, d01.yoy_score, d01.yoy_rank) == (Decimal("71.00"), Decimal("71.00"), 1)


def test_the_incremental_refresh_reads_only_what_changed_and_equals_a_rebuild(city: City) -> None:
    october(city)
    first = assessment_refresh(now=NOW)
    assert first.orders == 4
    later = handled(city, "D02", "satisfied", day=19)
    second = assessment_refresh(now=NOW)
    assert later.pk in set(OrderFact.objects.values_list("order_id", flat=True))
    assert second.orders >= 1
    assert by_code()["D02"].counts["valid_callbacks"] == 2
    incremental = sorted(UnitDayFact.objects.values_list("unit_id", "day", "orders", "valid_callbacks", "satisfied"))
    OrderFact.objects.all().delete()
    UnitDayFact.objects.all().delete()
    RefreshCursor.objects.all().delete()
    assessment_refresh(start=date(2026, 10, 1), end=date(2026, 11, 1), now=NOW)
    rebuilt = sorted(UnitDayFact.objects.values_list("unit_id", "day", "orders", "valid_callbacks", "satisfied"))
    assert incremental == rebuilt
    again = assessment_refresh(start=date(2026, 10, 1), end=date(2026, 11, 1), now=NOW)
    assert (again.orders, again.facts, again.unit_days) == (5, 0, 0)     # read again, nothing changed, nothing written


def test_a_refresh_with_nothing_new_reads_nothing(city: City, django_assert_max_num_queries: Any) -> None:
    october(city)
    assessment_refresh(now=NOW)
    cursor = RefreshCursor.objects.get().last_event_id
    assert cursor == Event.objects.order_by("-pk").values_list("pk", flat=True).first()
    with django_assert_max_num_queries(3):
        again = assessment_refresh(now=NOW)
    assert again.orders == 0 and RefreshCursor.objects.get().last_event_id == cursor


def test_the_cursor_stops_before_a_fresh_gap_and_passes_an_old_one() -> None:
    wall = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    fresh, old = wall - timedelta(seconds=10), wall - timedelta(hours=1)
    assert _safe_position(10, [(11, 1, fresh), (12, 1, fresh)], wall) == 12          # no gap
    assert _safe_position(10, [(11, 1, old), (13, 2, fresh)], wall) == 11            # 12 may still commit
    assert _safe_position(10, [(11, 1, old), (13, 2, old), (14, 2, fresh)], wall) == 14   # 12 was rolled back
    assert _safe_position(0, [(5000, 1, fresh), (5001, 1, fresh)], wall) == 5001     # the very first read


# --- freezing and revisions ------------------------------------------------------------------------

@article("ziyang §14(2)")
def test_14_2_a_screening_decided_after_the_period_was_frozen_shows_as_a_revision(city: City) -> None:
    pending = handled(city, "D02", "dissatisfied", contacted=True, resolved=False)   # still in screening
    handled(city, "D02", "satisfied")
    assessment_refresh(now=NOW)
    frozen = assessment_freeze(user=city.users["supervisor"], period="2026-10", at=NOW)
    before = by_code()["D02"]
    assert before.frozen and before.counts["valid_callbacks"] == 2 and before.score == Decimal("55.00")
    services.order_screen_out(order=pending.pk, user=city.users["supervisor"], note="超出政策规定",
                              at=datetime(2026, 11, 24, 10, tzinfo=SHANGHAI))
    assessment_refresh(now=NOW)
    after = by_code()["D02"]
    assert (after.counts, after.score, after.rank) == (before.counts, before.score, before.rank)   # no silent change
    assert after.revised
    # what the order contributed to D02 in October, before → after
    changes = {(r.order_number, r.count, r.old, r.new) for r in selectors.revisions("2026-10")}
    assert changes == {(pending.number, "valid_callbacks", 1, 0), (pending.number, "dissatisfied", 1, 0),
                       (pending.number, "answered", 1, 0), (pending.number, "contacted", 1, 0),
                       (pending.number, "unresolved", 1, 0), (pending.number, "excluded", 0, 1)}
    row = Revision.objects.filter(frozen=frozen).first()
    assert row is not None and row.by == city.users["supervisor"] and row.action == "screen_out"
    assert row.at == datetime(2026, 11, 24, 10, tzinfo=SHANGHAI)


@article("tianjin §25")
def test_25_an_exemption_approved_after_the_freeze_shows_as_a_revision_with_who_and_when(
        city: City, settings: Any) -> None:
    settings.HOTLINE_PROFILE = "tianjin"
    handled(city, "D01", "satisfied")
    disputed = handled(city, "D01", "dissatisfied", contacted=True, resolved=False)
    services.order_uphold_dissatisfied(order=disputed.pk, user=city.users["supervisor"], note="属办理原因",
                                       at=at(10, 15))
    assessment_refresh(now=NOW)
    assessment_freeze(user=city.users["supervisor"], period="2026-10", at=NOW)
    frozen = by_code()["D01"]
    # satisfaction (1 + 0) / 2 = 0.5; response 2/2, resolution 1/2 → 10 + 25 + 20 = 55
    assert (frozen.counts["valid_callbacks"], frozen.score) == (2, Decimal("55.00"))
    services.order_request_exemption(order=disputed.pk, user=city.staff("D01"), reason="已依法履职",
                                     evidence="现场处理记录与照片", at=datetime(2026, 11, 24, 9, tzinfo=SHANGHAI))
    services.order_approve_exemption(order=disputed.pk, user=city.users["supervisor"], note="确已尽责",
                                     at=datetime(2026, 11, 24, 15, tzinfo=SHANGHAI))
    assessment_refresh(now=NOW)
    after = by_code()["D01"]
    assert (after.counts, after.score, after.revised) == (frozen.counts, frozen.score, True)
    changes = {(r.count, r.old, r.new, r.action, r.by) for r in selectors.revisions("2026-10")}
    assert ("excluded", 0, 1, "approve_exemption", "supervisor") in changes
    assert ("dissatisfied", 1, 0, "approve_exemption", "supervisor") in changes
    # the period not frozen (had it been left open) would now read 100: the exempted order left it
    live = selectors._live(selectors.parse_period("2026-10"), rulebook.profile())["D01"]
    assert live.score == Decimal("100.00")


def test_only_a_supervisor_freezes_and_only_an_ended_period_once(city: City) -> None:
    with pytest.raises(Forbidden):
        assessment_freeze(user=city.users["analyst"], period="2026-10", at=NOW)
    with pytest.raises(GuardRefused, match="尚未结束"):
        assessment_freeze(user=city.users["supervisor"], period="2026-11", at=NOW)
    assessment_freeze(user=city.users["supervisor"], period="2026-10", at=NOW)
    with pytest.raises(Conflict):
        assessment_freeze(user=city.users["supervisor"], period="2026-10", at=NOW)


# --- vetoes ----------------------------------------------------------------------------------------

@article("xixian §23")
def test_23_a_vetoed_unit_is_graded_by_the_veto_and_ranked_last(city: City, settings: object) -> None:
    settings.HOTLINE_PROFILE = "xixian"  # type: ignore[attr-defined]
    handled(city, "D01", "satisfied", channel="transfer")      # xixian §3: orders come from the city platform
    handled(city, "D02", "basically_satisfied", channel="transfer")
    assessment_refresh(now=NOW)
    assert by_code()["D01"].rank == 1
    assessment_veto(user=city.users["supervisor"], unit="D01", period="2026-10", reason="数据维护弄虚作假")
    figures = by_code()
    assert (figures["D01"].grade, figures["D01"].rank, figures["D01"].vetoed) == ("一票否决", 2, True)
    assert figures["D02"].rank == 1
    with pytest.raises(Conflict):
        assessment_veto(user=city.users["supervisor"], unit="D01", period="2026-10", reason="again")


def test_a_profile_without_the_veto_refuses_it_and_names_its_rule(city: City) -> None:
    with pytest.raises(GuardRefused) as info:
        assessment_veto(user=city.users["supervisor"], unit="D01", period="2026-10", reason="x")
    assert info.value.article and info.value.article.startswith("ziyang")


# --- drill-down and triggers -----------------------------------------------------------------------

@article("ziyang §14(2)")
def test_14_2_every_figure_drills_down_to_its_orders_and_the_excluded_say_why(city: City) -> None:
    orders = october(city)
    assessment_refresh(now=NOW)
    supervisor = city.users["supervisor"]
    rows = selectors.figure_orders(user=supervisor, period="2026-10", unit="D01", figure="resolution_rate")
    assert {(r.number, r.role) for r in rows} == {(orders["sat"].number, "numerator"),
                                                  (orders["basic"].number, "denominator")}
    excluded = selectors.figure_orders(user=supervisor, period="2026-10", unit="D03", figure="satisfaction_rate")
    assert [(r.number, r.role, r.excluded, r.excluded_rule) for r in excluded] == [
        (orders["screened"].number, "excluded", "screened", "ziyang §14(2)")]


def test_a_unit_leader_reads_the_figures_of_their_own_unit_only(city: City) -> None:
    october(city)
    assessment_refresh(now=NOW)
    leader = city.staff("D02", leader=True)
    assert selectors.figure_orders(user=leader, period="2026-10", unit="D02", figure="dissatisfied")
    with pytest.raises(Forbidden):
        selectors.figure_orders(user=leader, period="2026-10", unit="D01", figure="satisfaction_rate")
    with pytest.raises(Forbidden):
        selectors.figure_orders(user=city.users["operator"], period="2026-10", unit="D02", figure="orders")


@article("ziyang §25(5)")
def test_25_5_bottom_in_satisfaction_three_months_running_is_proposed_for_an_interview(city: City) -> None:
    for month, day in ((8, 10), (9, 14), (10, 12)):
        handled(city, "D01", "satisfied", month=month, day=day)
        handled(city, "D02", "dissatisfied", contacted=True, resolved=False, month=month, day=day)
    assessment_refresh(now=NOW)
    flagged = selectors.interview_candidates("2026-10")
    assert [(f.unit_code, f.trigger) for f in flagged] == [("D02", "bottom_satisfaction_3_months")]
    assert selectors.interview_candidates("2026-09") == []        # only two months (August, September) bottom


def test_the_tick_keeps_the_rollup_up_to_date(city: City) -> None:
    from hotline.orders.automation import tick

    handled(city, "D01", "satisfied")
    tick(NOW)
    assert by_code()["D01"].counts["valid_callbacks"] == 1
