"""Xixian (西咸新区12345市民热线综合服务平台管理办法), article by article.

The rulebook sets no office hours: the profile keeps the platform's 09:00-12:00, 13:30-17:30 (close of
business 17:30). Its "2小时" (sign) and "12小时" / "1小时" (return) are clock hours, holidays included.
2026-03-02 is a Monday; March 2026 has no holiday. Qingming is 04-04..04-06, National Day 10-01..10-07
with Saturday 10-10 a make-up working day.
"""

from __future__ import annotations

from typing import Any

import pytest

from hotline.rules import deadlines, profiles
from hotline.rules.errors import GuardRefused, InvalidInput
from hotline.rules.profiles import Rule
from hotline.rules.vocabulary import AppealType, Evaluation, ReplyElement

from .walk import (
    DISPATCHER,
    OPERATOR,
    OTHER,
    OTHER_UNIT,
    SUPERVISOR,
    SYSTEM,
    UNIT,
    UNIT_LEADER,
    UNIT_NAME,
    A,
    K,
    P,
    S,
    Walk,
    article,
    when,
)

RETURN = {"reason": "不属于本单位职责", "leader_confirmed": True}


def signed(appeal_type: str = "complaint", **dispatch_inputs: Any) -> Walk:
    """Accepted Monday 03-02 10:00, dispatched 11:00, signed 12:30 (inside the 2 hours)."""
    return Walk("xixian", appeal_type).signed(signed="2026-03-02 12:30", **dispatch_inputs)


# --- the profile ---------------------------------------------------------------------------------

def test_the_profile_loads_and_extends_the_national_defaults() -> None:
    profile = profiles.load("xixian")
    assert profile.name == "xixian" and profile.profile.extends == "national"
    assert profile.profile.city_zh == "西咸" and profile.profile.order_prefix == "XX"
    assert profile.profile.title == "西咸新区12345市民热线综合服务平台管理办法"


def test_what_the_rulebook_does_not_state_is_marked_as_a_default() -> None:
    profile = profiles.get("xixian")
    silent: list[Rule | None] = [profile.office_hours, profile.service_hours, profile.dispatch, profile.urgent_limits,
              profile.evaluation, profile.callback, profile.redo, profile.termination, profile.reply,
              profile.abuse, profile.privacy, profile.return_review, profile.joint]
    for rule in silent:
        assert rule is not None and rule.is_default and rule.source.startswith("default: ")
    assert profile.hours.close_of_business(when("2026-03-02 10:00").date()).isoformat() == "17:30:00"
    stated: list[Rule | None] = [profile.channels, profile.sign, profile.return_, profile.return_escalation, profile.designated_units,
              profile.extension, profile.provisional_close, profile.screening, profile.delegate, profile.supervision,
              profile.knowledge,
              *profile.handle.values(), *profile.appeal_types.values(), *profile.decline_reasons]
    for rule in stated:
        assert rule is not None and rule.cite is not None and rule.cite.startswith("xixian §")


# --- §3 appeal types and channels ----------------------------------------------------------------

@article("xixian §3")
@pytest.mark.parametrize(("appeal_type", "label"), [
    ("consult", "咨询"), ("help", "求助"), ("suggestion", "建议"), ("praise", "表扬"), ("complaint", "投诉"),
    ("report", "举报"),
])
def test_3_six_appeal_types_are_accepted_praise_included(appeal_type: str, label: str) -> None:
    w = Walk("xixian", appeal_type)
    event = w.do(A.ACCEPT, OPERATOR, "2026-03-02 10:00")
    assert w.state is S.ACCEPTED and "xixian §3" in event.rules
    assert w.profile.appeal_types[AppealType(appeal_type)].label == label


@article("xixian §3")
def test_3_orders_arrive_by_transfer_through_the_xian_platform() -> None:
    rule = profiles.get("xixian").channels
    assert rule.channels == ["transfer"]
    assert rule.cite == "xixian §3; xixian §9(1)"


# --- §7, §8 what is not accepted ------------------------------------------------------------------

@article("xixian §7")
@pytest.mark.parametrize(("code", "cite"), [
    ("out_of_jurisdiction", "xixian §7(1); xixian §8"),
    ("emergency", "xixian §7(2); xixian §8"),
    ("other_state_organs", "xixian §7(3); xixian §8"),
    ("legal_procedure", "xixian §7(4); xixian §8"),
    ("petition", "xixian §7(4); xixian §8"),
    ("special_channel", "xixian §7(5); xixian §8"),
    ("repeat_settled", "xixian §7(6); xixian §8"),
    ("no_substance", "xixian §7(7); xixian §8"),
    ("secret_or_privacy", "xixian §7(8); xixian §8"),
    ("other_unsuitable", "xixian §7(9); xixian §8"),
])
def test_7_each_excluded_matter_is_declined_and_the_requester_told_where_to_turn(code: str, cite: str) -> None:
    w = Walk("xixian", "help")
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code=code)
    assert w.state is S.DECLINED
    assert event.rules == (cite,)
    assert event.payload["decline_code"] == code and event.payload["refer_to"]


@article("xixian §7")
def test_7_a_reason_the_rulebook_does_not_list_is_not_a_decline_reason() -> None:
    w = Walk("xixian", "complaint")
    err = w.refused(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code="unlawful")   # a national default
    assert isinstance(err, InvalidInput)
    assert "other_unsuitable" in err.message_zh


@article("xixian §7(2)")
def test_7_2_emergencies_are_referred_to_110_119_120() -> None:
    w = Walk("xixian", "help")
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code="emergency")
    refer_to = str(event.payload["refer_to"])
    assert "110" in refer_to and "119" in refer_to and "120" in refer_to
    assert event.payload["transfer_call"] is False          # §8 asks to tell the channel, not to transfer the call


@article("xixian §7(6)")
def test_7_6_a_settled_matter_raised_again_on_the_same_facts_is_told_the_earlier_result() -> None:
    w = Walk("xixian", "complaint")
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code="repeat_settled")
    assert "原办理结果" in str(event.payload["refer_to"])


# --- §9(3) time limits ---------------------------------------------------------------------------

@article("xixian §9(3)")
def test_9_3_a_unit_signs_within_two_clock_hours() -> None:
    w = Walk("xixian").accept("2026-03-06 16:00").dispatch("2026-03-06 17:00")     # Friday
    assert w.due(K.SIGN) == when("2026-03-06 19:00")                                  # not Monday morning
    assert w.order.deadlines[K.SIGN].rule == "xixian §9(3)"
    w.sign("2026-03-09 09:00")
    assert w.state is S.SIGNED and w.order.signed_late


@article("xixian §9(3)")
def test_9_3_the_two_hours_run_on_holidays_too() -> None:
    w = Walk("xixian", "help").accept("2026-10-01 09:00").dispatch("2026-10-01 10:00")  # National Day
    assert w.due(K.SIGN) == when("2026-10-01 12:00")
    w.sign("2026-10-01 11:59")
    assert not w.order.signed_late


@article("xixian §9(3)")
@pytest.mark.parametrize(("appeal_type", "due"), [
    ("consult", "2026-03-05 17:30"),      # 3 working days
    ("help", "2026-03-09 17:30"),         # 5 working days: every 诉求类 item
    ("suggestion", "2026-03-09 17:30"),
    ("praise", "2026-03-09 17:30"),
    ("complaint", "2026-03-09 17:30"),
    ("report", "2026-03-09 17:30"),
])
def test_9_3_consultations_within_three_working_days_other_items_within_five(appeal_type: str, due: str) -> None:
    w = Walk("xixian", appeal_type).accept().dispatch("2026-03-02 11:00")
    assert w.due(K.HANDLE) == when(due)
    assert w.order.deadlines[K.HANDLE].rule == "xixian §9(3)"


@article("xixian §9(3)")
@pytest.mark.parametrize(("appeal_type", "dispatched", "due"), [
    ("consult", "2026-09-30 10:00", "2026-10-10 17:30"),    # 10-08, 10-09, Saturday 10-10 (make-up day)
    ("complaint", "2026-09-30 10:00", "2026-10-13 17:30"),  # … Sunday 10-11 skipped, 10-12, 10-13
    ("help", "2026-04-02 10:00", "2026-04-10 17:30"),       # 04-03, Qingming 04-04..04-06 skipped, 04-07..04-10
])
def test_9_3_working_days_skip_holidays_and_count_make_up_days(appeal_type: str, dispatched: str, due: str) -> None:
    w = Walk("xixian", appeal_type).accept(dispatched).dispatch(dispatched)
    assert w.due(K.HANDLE) == when(due)


@article("xixian §9(3)")
def test_9_3_the_handling_limit_is_the_rulebooks_and_a_longer_one_cannot_be_set_on_the_order() -> None:
    w = Walk("xixian", "complaint").accept()
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 11:00", unit=UNIT_NAME, handling_limit=P("7wd"),
                    basis=LAW)
    assert isinstance(err, GuardRefused) and err.article == "xixian §9(3)"
    assert err.code == "legal_limit_not_stricter"
    assert err.message_zh.startswith("西咸 §9(3)：") and "严于本规则" in err.message_zh
    # compared by due time, whatever the unit: 200 clock hours end 03-10 19:00, after the 5 working days
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 11:00", unit=UNIT_NAME, handling_limit=P("200h"), basis=LAW)
    assert err.code == "legal_limit_not_stricter"


LAW = "《某某条例》第二十条：十五日内答复（示例）"


@article("xixian §9(3)")
def test_9_3_a_stricter_limit_set_by_law_wins() -> None:
    w = Walk("xixian", "complaint").accept()
    w.dispatch("2026-03-02 11:00", handling_limit=P("3wd"), basis=LAW)
    assert w.due(K.HANDLE) == when("2026-03-05 17:30")
    assert w.order.handling_limit == P("3wd")
    assert "xixian §9(3)" in w.events[-1].rules
    assert w.events[-1].payload["handling_limit_basis"] == LAW
    assert LAW in w.order.deadlines[K.HANDLE].trace[0]


@article("xixian §9(3)")
def test_9_3_a_legal_limit_on_the_order_names_the_law_it_comes_from() -> None:
    w = Walk("xixian", "complaint").accept()
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 11:00", unit=UNIT_NAME, handling_limit=P("3wd"))
    assert isinstance(err, GuardRefused) and err.code == "legal_limit_basis_missing"
    assert err.article == "xixian §9(3)"


@article("xixian §9(3)")
def test_9_3_a_consultation_is_answered_by_contacting_the_requester() -> None:
    w = signed("consult")
    err = w.refused(A.REPLY, UNIT, "2026-03-04 10:00", reply={ReplyElement.RESULT: "已解答政策"})
    assert err.code == "reply_incomplete" and "回复诉求人情况" in err.message_zh
    w.reply("2026-03-05 17:30")                                                   # the last minute of 3 wd
    assert w.state is S.REPLIED and w.events[-1].payload["late"] is False


# --- §9(3) extensions ----------------------------------------------------------------------------

@article("xixian §9(3)")
def test_9_3_at_most_two_extensions_each_at_most_the_original_limit() -> None:
    w = signed("complaint")                                                      # due Monday 03-09 17:30
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-05 10:00", length=P("5wd"), reason="事项复杂，需多部门会商")
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-05 11:00")
    assert w.state is S.SIGNED and w.due(K.HANDLE) == when("2026-03-16 17:30")   # +5 wd from 03-09
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-12 10:00", length=P("5wd"), reason="仍需现场勘验")
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-12 11:00")
    assert w.due(K.HANDLE) == when("2026-03-23 17:30")
    assert "xixian §9(3)" in w.events[-1].rules
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-18 10:00", length=P("1wd"), reason="再延一天")
    assert err.code == "extension_count_exhausted" and err.article == "xixian §9(3)"
    assert err.message_zh == "西咸 §9(3)：延期只能申请2次"


@article("xixian §9(3)")
@pytest.mark.parametrize(("appeal_type", "too_long", "longest"), [
    ("consult", "4wd", "3wd"), ("help", "6wd", "5wd"), ("complaint", "6wd", "5wd"),
])
def test_9_3_an_extension_is_not_longer_than_the_limit(appeal_type: str, too_long: str, longest: str) -> None:
    w = signed(appeal_type)
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-03 10:00", length=P(too_long), reason="事项复杂")
    assert err.code == "extension_too_long" and err.article == "xixian §9(3)"
    assert "每次延期不得超过原办理时限" in err.message_zh
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-03 10:00", length=P(longest), reason="事项复杂")
    assert w.state is S.EXTENSION_REQUESTED


@article("xixian §9(3)")
def test_9_3_an_extension_is_applied_for_within_the_handling_limit() -> None:
    w = signed("complaint")                                                      # due Monday 03-09 17:30
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-09 17:31", length=P("2wd"), reason="事项复杂")
    assert err.code == "extension_too_late" and err.article == "xixian §9(3)"
    assert err.message_zh == "西咸 §9(3)：办理时限已过，不能再申请延期"
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-09 17:30", length=P("2wd"), reason="事项复杂")
    assert w.state is S.EXTENSION_REQUESTED


@article("xixian §9(3)")
def test_9_3_an_extension_is_for_a_complex_matter_and_says_why() -> None:
    w = signed("help")
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-03 10:00", length=P("2wd"))
    assert err.code == "extension_reason_missing" and err.article == "xixian §9(3)"


@article("xixian §9(3)")
def test_9_3_a_long_running_item_needs_a_written_application_confirmed_by_the_unit_leader() -> None:
    w = signed("complaint")
    err = w.refused(A.REQUEST_PROVISIONAL_CLOSE, UNIT, "2026-03-04 10:00", progress="需跨年度施工，申请延长办理周期")
    assert err.article == "xixian §9(3)" and "单位主要领导确认" in err.message_zh
    err = w.refused(A.REQUEST_PROVISIONAL_CLOSE, UNIT_LEADER, "2026-03-04 10:00")
    assert err.code == "provisional_close_incomplete" and "书面申请" in err.message_zh
    w.do(A.REQUEST_PROVISIONAL_CLOSE, UNIT_LEADER, "2026-03-04 10:00", progress="需跨年度施工，申请延长办理周期")
    assert w.state is S.PROVISIONAL_CLOSE_REQUESTED and w.events[-1].payload["leader_confirmed"] is True
    w.do(A.APPROVE_PROVISIONAL_CLOSE, DISPATCHER, "2026-03-05 10:00", note="上级热线办已确认")
    assert w.state is S.PROVISIONALLY_CLOSED


@article("xixian §9(3)")
def test_9_3_the_office_approves_a_long_running_item_once_the_superior_office_confirmed_it() -> None:
    w = signed("complaint")
    w.do(A.REQUEST_PROVISIONAL_CLOSE, UNIT, "2026-03-04 10:00", progress="需跨年度施工", leader_confirmed=True)
    err = w.refused(A.APPROVE_PROVISIONAL_CLOSE, DISPATCHER, "2026-03-05 10:00")
    assert err.code == "provisional_close_unconfirmed" and err.article == "xixian §9(3)"
    assert "上级热线办" in err.message_zh
    event = w.do(A.APPROVE_PROVISIONAL_CLOSE, DISPATCHER, "2026-03-05 10:00", note="西安市热线办2026-03-05确认")
    assert event.payload["confirmed_by"] == "上级热线办" and event.payload["note"] == "西安市热线办2026-03-05确认"
    assert "xixian §9(3)" in event.rules
    # the article sets no progress reports: none is due, and a reply still closes the item
    assert w.due(K.PROGRESS_REPORT) is None and "next_report_due" not in event.payload
    w.do(A.REPORT_PROGRESS, UNIT, "2026-04-01 10:00", progress="已完成主体施工")
    assert w.due(K.PROGRESS_REPORT) is None
    w.reply("2026-06-01 10:00")
    assert w.state is S.REPLIED


# --- §9(3) returns (退单) ------------------------------------------------------------------------

@article("xixian §9(3)")
def test_9_3_a_return_is_made_within_twelve_hours_of_receipt() -> None:
    w = Walk("xixian").accept().dispatch("2026-03-02 11:00")
    assert w.due(K.RETURN) == when("2026-03-02 23:00")
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-02 23:01", **RETURN)
    assert err.code == "return_window_passed" and err.article == "xixian §9(3)"
    assert err.message_zh == "西咸 §9(3)：退单时限（12小时）已过，应当按时限办理"
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 23:00", **RETURN)
    assert w.state is S.RETURN_REQUESTED and w.order.late_return is False


@article("xixian §9(3)")
def test_9_3_the_twelve_hours_are_clock_hours_and_run_overnight() -> None:
    w = Walk("xixian").accept("2026-03-02 16:00").dispatch("2026-03-02 16:30")
    assert w.due(K.RETURN) == when("2026-03-03 04:30")
    err = w.refused(A.REQUEST_RETURN, UNIT_LEADER, "2026-03-03 09:00", reason="不属于本单位职责")
    assert err.code == "return_window_passed" and err.article == "xixian §9(3)"


@article("xixian §9(3)")
def test_9_3_a_national_platform_item_is_returned_within_one_hour() -> None:
    w = Walk("xixian").accept().dispatch("2026-03-02 11:00")
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-02 12:01", national_platform_item=True, **RETURN)
    assert err.code == "return_window_passed" and "1小时" in err.message_zh
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 12:00", national_platform_item=True, **RETURN)
    assert w.state is S.RETURN_REQUESTED


@article("xixian §9(3)")
def test_9_3_a_return_is_confirmed_by_the_units_principal_leader() -> None:
    w = signed()
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", reason="不属于本单位职责")
    assert err.code == "return_incomplete" and err.article == "xixian §9(3)"
    assert err.message_zh == "西咸 §9(3)：退单须说明单位主要领导确认"
    w.do(A.REQUEST_RETURN, UNIT_LEADER, "2026-03-02 15:00", reason="不属于本单位职责")
    assert w.state is S.RETURN_REQUESTED
    assert w.events[-1].payload["leader_confirmed"] is True


@article("xixian §9(3)")
def test_9_3_a_return_gives_its_reason() -> None:
    w = signed()
    err = w.refused(A.REQUEST_RETURN, UNIT_LEADER, "2026-03-02 15:00")
    assert err.code == "return_incomplete" and "退回理由" in err.message_zh


@article("xixian §9(3)")
def test_9_3_the_hotline_office_reviews_a_return() -> None:
    w = signed()
    w.do(A.REQUEST_RETURN, UNIT_LEADER, "2026-03-02 15:00", reason="不属于本单位职责")
    w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-02 16:00")
    assert w.state is S.ACCEPTED and w.order.returns == 1 and w.order.lead_unit is None   # one return: no escalation


# --- §15, §18 who handles a disputed order -------------------------------------------------------

@article("xixian §18(1); xixian §15")
def test_18_1_an_order_returned_twice_goes_to_the_organisation_department() -> None:
    w = Walk("xixian").accept().dispatch("2026-03-02 11:00")
    w.do(A.REQUEST_RETURN, UNIT_LEADER, "2026-03-02 15:00", reason="不属于本单位职责")
    w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-02 16:00")
    w.dispatch("2026-03-02 16:30", unit=OTHER_UNIT)
    w.do(A.REQUEST_RETURN, OTHER, "2026-03-02 20:00", **RETURN)   # within 12 h of 16:30
    event = w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-03 10:00")
    assert w.state is S.DISPUTED and w.order.returns == 2
    assert event.payload["escalated_to"] == "新区组织部"
    assert "xixian §18(1); xixian §15" in event.rules
    w.do(A.DESIGNATE_UNIT, DISPATCHER, "2026-03-05 10:00", unit=UNIT_NAME, note="组织部认定")
    assert w.state is S.DISPATCHED and w.order.designated and w.order.lead_unit == UNIT_NAME


@article("xixian §18(2)")
def test_18_2_the_unit_the_organisation_department_names_may_not_return_the_order() -> None:
    w = Walk("xixian").accept().dispatch("2026-03-02 11:00")
    w.do(A.REQUEST_RETURN, UNIT_LEADER, "2026-03-02 15:00", reason="不属于本单位职责")
    w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-02 16:00")
    w.dispatch("2026-03-02 16:30", unit=OTHER_UNIT)
    w.do(A.REQUEST_RETURN, OTHER, "2026-03-02 20:00", **RETURN)   # within 12 h of 16:30
    w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-03 10:00")
    w.do(A.DESIGNATE_UNIT, DISPATCHER, "2026-03-05 10:00", unit=UNIT_NAME)
    err = w.refused(A.REQUEST_RETURN, UNIT_LEADER, "2026-03-05 11:00", reason="仍认为不属于本单位职责")
    assert err.code == "designated_unit_may_not_return" and err.article == "xixian §18(2)"
    assert err.message_zh == "西咸 §18(2)：经指定的承办单位不得退回工单"
    w.sign("2026-03-05 11:30")
    assert w.state is S.SIGNED


# --- §5 the new cities' hotline offices ----------------------------------------------------------

@article("xixian §5")
def test_5_a_new_citys_hotline_office_passes_the_order_to_one_of_its_units() -> None:
    w = signed()
    event = w.do(A.DELEGATE, UNIT, "2026-03-02 14:00", unit="沣东新城住建局")
    assert w.order.executing_unit == "沣东新城住建局" and w.order.lead_unit == UNIT_NAME
    assert "xixian §5" in event.rules


# --- §19, §20 supervision ------------------------------------------------------------------------

@article("xixian §19")
@pytest.mark.parametrize(("code", "cite", "auto"), [
    ("city_assigned", "xixian §19(1)", False),
    ("overdue", "xixian §19(2); xixian §20(2)", True),
    ("reply_missing_or_untrue", "xixian §19(3); xixian §20(2)", False),
    ("cross_boundary", "xixian §19(4)", False),
    ("high_impact", "xixian §19(5)", False),
    ("dissatisfied_confirmed", "xixian §19(6); xixian §20(4)", True),
    ("shirking", "xixian §19(7)", False),
    ("superior_assigned", "xixian §20(2)", False),
    ("procedure_flawed", "xixian §20(2)", False),
    ("other", "xixian §19(8)", False),
])
def test_19_the_hotline_office_supervises_the_listed_matters(code: str, cite: str, auto: bool) -> None:
    w = signed()
    event = w.do(A.SUPERVISE, SUPERVISOR, "2026-03-03 10:00", trigger=code)
    assert w.state is S.SIGNED and w.order.supervised
    assert event.rules == (cite,) and event.payload["trigger"] == code
    trigger = w.profile.trigger(code)
    assert trigger is not None and trigger.auto is auto


@article("xixian §19")
def test_19_a_trigger_the_rulebook_does_not_list_is_refused() -> None:
    w = signed()
    err = w.refused(A.SUPERVISE, SUPERVISOR, "2026-03-03 10:00", trigger="redo_still_dissatisfied")
    assert isinstance(err, InvalidInput) and "overdue" in err.message_zh


@article("xixian §19(2)")
def test_19_2_an_order_not_resolved_in_time_is_marked_overdue_and_supervised() -> None:
    w = signed("complaint")                                                      # due Monday 03-09 17:30
    w.refused(A.MARK_OVERDUE, SYSTEM, "2026-03-09 17:30", steps=(K.HANDLE,))
    w.do(A.MARK_OVERDUE, SYSTEM, "2026-03-09 17:31", steps=(K.HANDLE,))
    assert w.order.overdue_steps == (K.HANDLE,)
    event = w.do(A.SUPERVISE, SYSTEM, "2026-03-09 17:31", trigger="overdue")
    assert w.order.supervised and event.rules == ("xixian §19(2); xixian §20(2)",)


@article("xixian §19(6)")
def test_19_6_a_dissatisfied_evaluation_is_reviewed_and_if_the_unit_is_responsible_supervised() -> None:
    w = Walk("xixian").signed(signed="2026-03-02 12:30").reply("2026-03-04 10:00")
    w.evaluate(Evaluation.DISSATISFIED, "2026-03-05 10:00")
    assert w.state is S.SCREENING
    w.do(A.UPHOLD_DISSATISFIED, SUPERVISOR, "2026-03-05 11:00", note="属承办单位责任")
    assert w.state is S.EVALUATED and not w.order.screened_out
    event = w.do(A.SUPERVISE, SYSTEM, "2026-03-05 11:01", trigger="dissatisfied_confirmed")
    assert event.rules == ("xixian §19(6); xixian §20(4)",)


@article("xixian §19(6)")
def test_19_6_a_dissatisfaction_that_is_not_the_units_responsibility_is_screened_out() -> None:
    w = Walk("xixian").signed(signed="2026-03-02 12:30").reply("2026-03-04 10:00")
    w.evaluate(Evaluation.DISSATISFIED, "2026-03-05 10:00")
    event = w.do(A.SCREEN_OUT, SUPERVISOR, "2026-03-05 11:00", note="诉求超出政策范围")
    assert w.state is S.EVALUATED and w.order.screened_out
    assert event.rules == ("xixian §19(6); xixian §20(4)",)


@article("xixian §20(2)")
def test_20_2_a_reminder_is_sent_for_an_order_still_within_its_limit() -> None:
    w = signed("complaint")
    w.do(A.REMIND, SUPERVISOR, "2026-03-04 10:00", note="催办通知")
    assert w.state is S.SIGNED and w.order.reminders == 1
    assert w.due(K.HANDLE) == when("2026-03-09 17:30")                         # a reminder changes no limit


# --- §13 knowledge base --------------------------------------------------------------------------

@article("xixian §13")
def test_13_a_knowledge_entry_is_reviewed_by_the_units_deputy_leader_and_published_by_the_hotline() -> None:
    knowledge = profiles.get("xixian").knowledge
    assert knowledge.model_dump().get("entry_approval") == ["unit_deputy_leader", "hotline"]
    assert knowledge.cite is not None and "xixian §13" in knowledge.cite
    assert knowledge.next_approval([]) == "unit_deputy_leader"
    assert knowledge.next_approval(["unit_deputy_leader"]) == "hotline"
    assert knowledge.next_approval(["unit_deputy_leader", "hotline"]) is None
    # §11 asks for timely updates without an interval: the review interval is marked as a default
    assert knowledge.value_source("review_interval").startswith("default: xixian §11")
    assert knowledge.value_source("entry_approval") == "xixian §13; xixian §11"


@article("xixian §7(6)")
def test_7_6_there_is_no_termination_a_settled_repeat_is_declined_instead() -> None:
    w = Walk("xixian").replied().evaluate(Evaluation.DISSATISFIED)
    w.do(A.UPHOLD_DISSATISFIED, SUPERVISOR, "2026-03-05 11:00")
    err = w.refused(A.REQUEST_TERMINATION, UNIT, "2026-03-05 12:00", written_opinion="已依法办理")
    assert err.code == "termination_not_provided"
    assert (err.article or "").startswith("default: xixian has no termination")


def test_a_praise_order_has_a_handling_limit() -> None:
    period, source = deadlines.period_for(profiles.get("xixian"), K.HANDLE, AppealType.PRAISE)
    assert period == P("5wd") and source == "xixian §9(3)"
