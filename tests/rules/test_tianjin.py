"""Tianjin (天津市政务服务便民热线管理办法, 征求意见稿 2024), article by article.

The rulebook sets no office hours: the national 09:00-12:00, 13:30-17:30 apply (close of business 17:30).
2026-03-02 is a Monday; 2026-09-30 is the Wednesday before National Day (10-01..10-07 off, Saturday 10-10
a make-up working day). Articles that are not machine-enforceable are listed in docs/trace/tianjin.md.
"""

from __future__ import annotations

import pytest

from hotline.rules import deadlines, profiles
from hotline.rules.errors import GuardRefused, InvalidInput
from hotline.rules.vocabulary import AppealType, Evaluation, ReplyElement

from .walk import (
    DISPATCHER,
    FULL_REPLY,
    OPERATOR,
    OTHER,
    OTHER_UNIT,
    SUPERVISOR,
    SYSTEM,
    UNIT,
    A,
    K,
    P,
    S,
    Walk,
    article,
    when,
)

RETURN_WITH_BASIS = {"reason": "不属于本单位职责", "basis": "本单位三定方案未规定该项职责"}


def limited(limit: str = "5wd", appeal_type: str = "complaint") -> Walk:
    """An order dispatched Monday 03-02 11:00 with its handling limit set on the order (§16(2)), signed 14:00."""
    return Walk("tianjin", appeal_type).signed(handling_limit=P(limit))


# --- the profile ------------------------------------------------------------------------------------

def test_the_tianjin_profile_loads_and_extends_national() -> None:
    profile = profiles.get("tianjin")
    assert profile.name == "tianjin" and profile.profile.extends == "national"
    assert profile.profile.city_zh == "天津" and profile.profile.order_prefix == "TJ"
    assert "征求意见稿" in profile.profile.title


def test_every_citation_of_the_profile_is_a_tianjin_article() -> None:
    profile = profiles.get("tianjin")
    cites = [rule.cite for _, rule in profile.rules() if rule.cite]
    cites += [t.cite for t in profile.supervision.triggers if t.cite]
    assert cites
    for cite in cites:
        assert all(part.startswith("tianjin §") for part in cite.split("; ")), cite


@pytest.mark.parametrize("key", [
    "office_hours", "service_hours", "sign", "callback", "evaluation", "knowledge", "urgent_limits", "urgent_alert",
    "termination", "return_review", "designated_units", "provisional_close",
    "handle.consult", "handle.help", "handle.suggestion", "handle.complaint", "handle.report",
])
def test_values_the_rulebook_does_not_state_are_marked_as_defaults(key: str) -> None:
    rules = dict(profiles.get("tianjin").rules())
    assert rules[key].is_default
    assert rules[key].source.startswith("default: ")


def test_without_a_limit_on_the_order_the_fallback_limit_says_it_is_a_default() -> None:
    profile = profiles.get("tianjin")
    due = deadlines.compute(profile, Walk("tianjin").calendar, K.HANDLE, AppealType.COMPLAINT, when("2026-09-30 10:00"))
    assert due.due == when("2026-10-20 17:30")        # 10 wd: National Day skipped, Saturday 10-10 worked
    assert due.rule.startswith("default: tianjin §16(2) and §19")
    assert deadlines.describe_rule(due.rule) == "平台默认值"


# --- §2 channels, §6 executing units, §10 appeal types ----------------------------------------------

@article("tianjin §2")
def test_2_appeals_come_by_phone_web_wechat_and_weibo() -> None:
    channels = profiles.get("tianjin").channels
    assert channels.channels == ["phone", "web", "wechat", "weibo"]
    assert channels.cite == "tianjin §2"


@article("tianjin §6(3)")
def test_6_3_a_unit_may_pass_the_order_to_an_executing_unit_which_then_handles_it() -> None:
    w = Walk("tianjin").signed(handling_limit=P("5wd"))
    event = w.do(A.DELEGATE, UNIT, "2026-03-02 15:00", unit=OTHER_UNIT)
    assert w.order.executing_unit == OTHER_UNIT and "tianjin §6(3)" in event.rules
    w.reply("2026-03-04 10:00", actor=OTHER)
    assert w.state is S.REPLIED


@article("tianjin §10")
@pytest.mark.parametrize(("appeal_type", "label"), [
    ("consult", "咨询"), ("help", "求助"), ("complaint", "投诉"), ("report", "举报"), ("suggestion", "意见建议"),
])
def test_10_the_rulebooks_kinds_of_appeal_are_accepted(appeal_type: str, label: str) -> None:
    w = Walk("tianjin", appeal_type).accept("2026-03-02 10:00")
    assert w.state is S.ACCEPTED
    assert w.profile.appeal_types[AppealType(appeal_type)].label == label


@article("tianjin §10")
def test_10_praise_is_not_an_appeal_type_in_tianjin() -> None:
    w = Walk("tianjin", "praise")
    err = w.refused(A.ACCEPT, OPERATOR, "2026-03-02 10:00")
    assert isinstance(err, GuardRefused)
    assert err.code == "appeal_type_not_accepted" and err.article == "tianjin §10"
    assert err.message_zh == "天津 §10：本规则没有“表扬”类诉求"


# --- §13 one order per unit ------------------------------------------------------------------------

@article("tianjin §13(1)")
def test_13_1_the_profile_sends_one_order_to_each_unit() -> None:
    assert profiles.get("tianjin").joint.one_order_per_unit


@article("tianjin §13(1)")
def test_13_1_appeals_for_different_units_are_dispatched_as_separate_orders_not_one_joint_order() -> None:
    w = Walk("tianjin").accept("2026-03-02 10:00")
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 10:00", unit=UNIT.unit, co_units=(OTHER_UNIT,),
                    handling_limit=P("5wd"))
    assert err.article == "tianjin §13(1)" and err.code == "one_order_per_unit"
    assert "分别派发" in err.message_zh
    w.dispatch("2026-03-02 10:00", handling_limit=P("5wd"))          # one unit, one order
    assert w.state is S.DISPATCHED and w.order.co_units == ()
    # other rulebooks keep joint orders with co-units
    joint = Walk("heyuan").accept().dispatch(co_units=(OTHER_UNIT,))
    assert joint.order.co_units == (OTHER_UNIT,)


# --- §16 answering and dispatching -----------------------------------------------------------------

@article("tianjin §16(1)")
def test_16_1_a_consultation_answerable_on_the_spot_is_answered_directly() -> None:
    w = Walk("tianjin", "consult")
    event = w.do(A.ANSWER_DIRECTLY, OPERATOR, "2026-03-02 10:00", note="按知识库答复")
    assert w.state is S.ANSWERED
    assert event.rules == ("tianjin §10(1); tianjin §16(1)",)


@article("tianjin §16(2)")
def test_16_2_the_hotline_dispatches_at_once() -> None:
    w = Walk("tianjin", "help").accept("2026-03-02 10:00")
    dispatch = w.order.deadlines[K.DISPATCH]
    assert dispatch.due == when("2026-03-02 10:00") and dispatch.period == P("0h")
    assert dispatch.rule == "tianjin §16(2)"
    w.dispatch("2026-03-02 10:00", handling_limit=P("5wd"))
    assert w.events[-1].payload["late"] is False
    late = Walk("tianjin", "help").accept("2026-03-02 10:00").dispatch("2026-03-02 10:20", handling_limit=P("5wd"))
    assert late.events[-1].payload["late"] is True


@article("tianjin §16(2)")
def test_16_2_the_handling_limit_is_set_on_the_order() -> None:
    w = Walk("tianjin", "complaint").accept("2026-03-02 10:00").dispatch("2026-03-02 11:00", handling_limit=P("7wd"))
    assert w.state is S.DISPATCHED
    assert w.order.handling_limit == P("7wd")
    assert w.due(K.HANDLE) == when("2026-03-11 17:30")        # 03-03..03-06, 03-09..03-11
    assert w.events[-1].payload["handling_limit"] == "7wd"


@article("tianjin §16(2)")
def test_16_2_a_dispatch_that_does_not_state_the_handling_limit_is_refused() -> None:
    w = Walk("tianjin", "complaint").accept("2026-03-02 10:00")
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 10:00", unit=UNIT.unit)
    assert err.article == "tianjin §16(2)" and err.code == "handling_limit_required"
    assert "办理期限" in err.message_zh
    w.dispatch("2026-03-02 10:00", handling_limit=P("5wd"))
    assert "tianjin §16(2)" in w.events[-1].rules


@article("tianjin §16(2)")
def test_16_2_a_returned_order_is_dispatched_again_with_its_limit() -> None:
    w = limited("5wd")
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **RETURN_WITH_BASIS)
    w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-02 16:00")
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 16:00", unit=OTHER_UNIT)
    assert err.code == "handling_limit_required"
    w.dispatch("2026-03-02 16:00", unit=OTHER_UNIT, handling_limit=P("3wd"))
    assert w.order.handling_limit == P("3wd")


# --- §17 excluded matters, each with its own handling -----------------------------------------------

def _decline(code: str, appeal_type: str = "help") -> tuple[Walk, dict[str, object], tuple[str, ...]]:
    w = Walk("tianjin", appeal_type)
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code=code)
    assert w.state is S.DECLINED
    return w, dict(event.payload), event.rules


@article("tianjin §17(1)")
def test_17_1_emergencies_are_transferred_or_pointed_to_110_119_120_122() -> None:
    _, payload, rules = _decline("emergency")
    assert payload["transfer_call"] is True
    assert "110" in str(payload["refer_to"]) and "122" in str(payload["refer_to"])
    assert rules == ("tianjin §17(1); tianjin §10",)


@article("tianjin §17(2)")
@pytest.mark.parametrize("code", ["legal_procedure", "petition"])
def test_17_2_matters_for_legal_procedures_or_already_petitioned_are_sent_to_the_legal_route(code: str) -> None:
    _, payload, rules = _decline(code, "complaint")
    assert "法定途径" in str(payload["refer_to"])
    assert payload.get("transfer_call") is False
    assert rules == ("tianjin §17(2)",)


@article("tianjin §17(3)")
def test_17_3_secrets_and_privacy_are_not_handled_and_the_requester_is_told_why() -> None:
    _, payload, rules = _decline("secret_or_privacy", "report")
    assert payload["refer_to"] == "告知诉求人不予办理，并做好解释工作"
    assert rules == ("tianjin §17(3)",)


@article("tianjin §17(4)")
def test_17_4_unlawful_appeals_get_persuasion_and_the_legal_consequences() -> None:
    _, payload, rules = _decline("unlawful")
    assert "法律后果" in str(payload["refer_to"]) and "劝导" in str(payload["refer_to"])
    assert rules == ("tianjin §17(4)",)


@article("tianjin §17(5)")
def test_17_5_a_repeat_without_new_facts_is_told_the_progress_or_result() -> None:
    _, payload, rules = _decline("repeat_no_new_facts", "complaint")
    assert "办理进展或者办理结果" in str(payload["refer_to"])
    assert rules == ("tianjin §17(5)",)


@article("tianjin §17(6)")
def test_17_6_matters_outside_government_services_are_sent_to_the_proper_channel() -> None:
    _, payload, rules = _decline("out_of_scope", "consult")
    assert payload["refer_to"] == "告知诉求人通过相应渠道提出诉求"
    assert rules == ("tianjin §17(6)",)


@article("tianjin §17")
@pytest.mark.parametrize("code", ["military", "no_substance", "repeat_settled"])
def test_17_only_the_rulebooks_exclusions_are_decline_reasons(code: str) -> None:
    w = Walk("tianjin", "help")
    err = w.refused(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code=code)
    assert isinstance(err, InvalidInput)
    assert "out_of_scope" in err.message_zh


# --- §18 return (退单) ------------------------------------------------------------------------------

@article("tianjin §18(1)")
def test_18_1_a_return_is_made_within_one_working_day_of_receipt() -> None:
    w = Walk("tianjin").signed(handling_limit=P("5wd"))       # dispatched Monday 11:00
    assert w.due(K.RETURN) == when("2026-03-03 17:30")
    assert w.order.deadlines[K.RETURN].rule == "tianjin §18(1); tianjin §18(2)"
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-04 09:00", **RETURN_WITH_BASIS)
    assert err.code == "return_window_passed" and err.article == "tianjin §18(1); tianjin §18(2)"
    assert err.message_zh == "天津 §18(1)；天津 §18(2)：退单时限（1个工作日）已过，应当按时限办理"
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-03 17:30", **RETURN_WITH_BASIS)
    assert w.state is S.RETURN_REQUESTED and not w.order.late_return


@article("tianjin §18(1)")
def test_18_1_a_return_states_its_reason_and_basis() -> None:
    w = Walk("tianjin").signed(handling_limit=P("5wd"))
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", reason="不属于本单位职责")
    assert err.code == "return_incomplete" and err.article == "tianjin §18(1); tianjin §18(2)"
    assert err.message_zh == "天津 §18(1)；天津 §18(2)：退单须说明依据"
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **RETURN_WITH_BASIS)   # no suggested unit, no evidence needed
    assert w.state is S.RETURN_REQUESTED


@article("tianjin §18(1)")
def test_18_1_a_complex_item_may_be_returned_within_two_working_days() -> None:
    w = Walk("tianjin").signed(handling_limit=P("5wd"))
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-04 17:30", complex_item=True, **RETURN_WITH_BASIS)
    assert w.state is S.RETURN_REQUESTED
    w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-05 09:00")
    assert w.state is S.ACCEPTED and w.order.returns == 1
    assert w.due(K.DISPATCH) == when("2026-03-05 09:00")          # re-dispatched at once (§16(2))


@article("tianjin §18(2)")
def test_18_2_after_two_working_days_the_unit_must_handle_the_order() -> None:
    w = Walk("tianjin").signed(handling_limit=P("5wd"))
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-05 09:00", complex_item=True, **RETURN_WITH_BASIS)
    assert err.code == "return_window_passed" and err.article == "tianjin §18(1); tianjin §18(2)"
    assert "2个工作日" in err.message_zh and "应当按时限办理" in err.message_zh


@article("tianjin §18(1)")
def test_18_1_the_return_window_skips_the_national_day_holiday() -> None:
    w = Walk("tianjin").accept("2026-09-30 10:00").dispatch("2026-09-30 10:00", handling_limit=P("5wd"))
    assert w.due(K.RETURN) == when("2026-10-08 17:30")            # 10-01..10-07 off
    w.do(A.REQUEST_RETURN, UNIT, "2026-10-09 17:00", complex_item=True, **RETURN_WITH_BASIS)  # 2nd working day
    assert w.state is S.RETURN_REQUESTED


# --- §19 the limit on the order; a legal limit wins ----------------------------------------------

@article("tianjin §19(2)")
def test_19_2_a_legal_limit_set_on_the_order_is_the_handling_limit() -> None:
    # a law gives 15 working days: the dispatcher sets it on the order
    w = Walk("tianjin", "report").accept("2026-09-30 10:00").dispatch("2026-09-30 10:00", handling_limit=P("15wd"))
    assert w.due(K.HANDLE) == when("2026-10-27 17:30")            # National Day skipped, 10-10 worked
    rule = w.profile.handle[AppealType.REPORT]
    assert rule.set_on_order and rule.legal_limit_overrides


# --- §20 extension (延期) ---------------------------------------------------------------------------

@article("tianjin §20(1)")
def test_20_1_each_extension_is_as_long_as_the_handling_limit_and_there_are_at_most_two() -> None:
    w = limited("5wd")
    assert w.due(K.HANDLE) == when("2026-03-09 17:30")
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-05 10:00", reason="需现场勘查")
    assert w.order.pending_length == P("5wd")                     # no length asked: it is the limit
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-05 11:00")
    assert w.state is S.SIGNED and w.due(K.HANDLE) == when("2026-03-16 17:30")
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-12 10:00", length=P("2wd"), reason="客观条件限制")
    assert w.order.pending_length == P("5wd")                     # a shorter request is still the limit
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-12 11:00")
    assert w.due(K.HANDLE) == when("2026-03-23 17:30")
    assert w.order.extensions == 2
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-17 10:00", reason="仍需时间")
    assert err.code == "extension_count_exhausted" and err.article == "tianjin §20(1); tianjin §20(2)"
    assert err.message_zh == "天津 §20(1)；天津 §20(2)：延期只能申请2次"


@article("tianjin §20(1)")
def test_20_1_an_extension_gives_its_reason() -> None:
    w = limited("5wd")
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-05 10:00")
    assert err.code == "extension_reason_missing" and "理由" in err.message_zh


@article("tianjin §20(1)")
def test_20_1_an_extension_is_applied_for_before_the_limit_runs_out() -> None:
    w = limited("5wd")                                               # due Monday 03-09 17:30
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-10 09:00", reason="复杂")
    assert err.code == "extension_too_late" and err.article == "tianjin §20(1); tianjin §20(2)"
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-09 17:30", reason="复杂")
    assert w.state is S.EXTENSION_REQUESTED


@article("tianjin §20(2)")
def test_20_2_the_requester_is_told_when_the_limit_is_extended() -> None:
    w = limited("5wd")
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-05 10:00", reason="复杂")
    event = w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-05 11:00")
    assert event.payload["explain_to_requester"] is True
    assert "tianjin §20(1); tianjin §20(2)" in event.rules


@article("tianjin §20(1)")
def test_20_1_the_hotline_cannot_approve_an_extension_shorter_than_the_handling_limit() -> None:
    w = limited("5wd")
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-05 10:00", reason="复杂")
    err = w.refused(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-05 11:00", length=P("2wd"))
    assert err.article == "tianjin §20(1); tianjin §20(2)" and err.code == "extension_length_fixed"
    assert "每次延期期限与办理期限相同" in err.message_zh
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-05 11:00", length=P("5wd"))   # the limit itself: approved
    assert w.due(K.HANDLE) == when("2026-03-16 17:30")


@article("tianjin §17(5)")
def test_17_5_there_is_no_termination_a_repeat_is_told_the_earlier_result() -> None:
    w = limited("5wd").reply("2026-03-04 10:00").evaluate(Evaluation.DISSATISFIED, "2026-03-05 10:00")
    err = w.refused(A.REQUEST_TERMINATION, UNIT, "2026-03-05 11:00", written_opinion="已依法办理")
    assert err.code == "termination_not_provided"
    assert (err.article or "").startswith("default: tianjin has no termination")


# --- §21 reply (反馈) --------------------------------------------------------------------------------

@article("tianjin §21")
def test_21_a_reply_states_time_process_result_and_the_contact_with_the_requester() -> None:
    w = limited("5wd")
    partial = {ReplyElement.TIME: "2026-03-04", ReplyElement.RESULT: "已解决", ReplyElement.CONTACT: "已电话告知"}
    err = w.refused(A.REPLY, UNIT, "2026-03-04 10:00", reply=partial)
    assert err.code == "reply_incomplete" and err.article == "tianjin §21; tianjin §24(3)"
    assert err.message_zh == "天津 §21；天津 §24(3)：答复须写明办理经过"
    w.reply("2026-03-04 10:00")
    assert w.state is S.REPLIED


@article("tianjin §21")
def test_21_no_contact_is_needed_when_the_requester_gave_no_valid_contact() -> None:
    w = limited("5wd")
    no_contact = {k: v for k, v in FULL_REPLY.items() if k is not ReplyElement.CONTACT}
    err = w.refused(A.REPLY, UNIT, "2026-03-04 10:00", reply=no_contact)
    assert "回复诉求人情况" in err.message_zh
    w.do(A.REPLY, UNIT, "2026-03-04 10:00", reply=no_contact, requester_has_contact=False)
    assert w.state is S.REPLIED


@article("tianjin §21")
def test_21_a_reply_after_the_handling_limit_is_late() -> None:
    w = limited("5wd")                                               # due 03-09 17:30
    w.reply("2026-03-10 09:00")
    assert w.events[-1].payload["late"] is True


# --- §22 evaluation and redo (再次办理) ---------------------------------------------------------------

@article("tianjin §22(2)")
def test_22_2_a_first_dissatisfied_evaluation_may_be_sent_back_with_the_same_limit() -> None:
    w = limited("5wd").reply("2026-03-04 10:00").evaluate(Evaluation.DISSATISFIED, "2026-03-05 10:00")
    assert w.state is S.SCREENING
    event = w.do(A.REDO, SUPERVISOR, "2026-03-05 11:00")
    assert w.state is S.REDO and "tianjin §22(2)" in event.rules
    assert w.due(K.HANDLE) == when("2026-03-12 17:30")              # the order's 5 wd again, from the redo
    assert w.due(K.CALLBACK) is None


@article("tianjin §22(2)")
def test_22_2_a_redone_order_may_not_be_extended() -> None:
    w = limited("5wd").reply("2026-03-04 10:00").evaluate(Evaluation.DISSATISFIED, "2026-03-05 10:00")
    w.do(A.REDO, SUPERVISOR, "2026-03-05 11:00")
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-06 10:00", reason="复杂")
    assert err.code == "redo_no_extension" and err.article == "tianjin §22(2)"
    assert err.message_zh == "天津 §22(2)：重办工单不得延期办理"


@article("tianjin §22(2)")
def test_22_2_an_order_is_sent_back_once_only() -> None:
    w = limited("5wd").reply("2026-03-04 10:00").evaluate(Evaluation.DISSATISFIED, "2026-03-05 10:00")
    w.do(A.REDO, SUPERVISOR, "2026-03-05 11:00")
    w.reply("2026-03-10 10:00").evaluate(Evaluation.DISSATISFIED, "2026-03-11 10:00")
    assert w.state is S.SCREENING
    err = w.refused(A.REDO, SUPERVISOR, "2026-03-11 11:00")
    assert err.code == "redo_count_exhausted" and err.article == "tianjin §22(2)"
    assert err.message_zh == "天津 §22(2)：发回重办以1次为限"
    w.do(A.UPHOLD_DISSATISFIED, SUPERVISOR, "2026-03-11 11:00")
    assert w.state is S.EVALUATED


@article("tianjin §22(2)")
def test_22_2_the_hotline_may_decide_not_to_send_a_dissatisfied_order_back() -> None:
    w = limited("5wd").reply("2026-03-04 10:00").evaluate(Evaluation.DISSATISFIED, "2026-03-05 10:00")
    event = w.do(A.SCREEN_OUT, SUPERVISOR, "2026-03-05 11:00", note="已按政策答复，诉求超出政策范围")
    assert w.state is S.EVALUATED and w.order.screened_out
    assert event.rules == ("tianjin §22(2); tianjin §24(1)",)


# --- §24 supervision (督办) --------------------------------------------------------------------------

@article("tianjin §24")
def test_24_the_supervision_triggers_are_the_rulebooks_list() -> None:
    triggers = profiles.get("tianjin").supervision.triggers
    assert [(t.code, t.auto) for t in triggers] == [
        ("dissatisfied_confirmed", True), ("overdue", True), ("reply_incomplete", False), ("other", False),
        ("high_impact", False),
    ]


@article("tianjin §24(1)")
def test_24_1_a_dissatisfied_evaluation_confirmed_by_the_hotline_is_supervised() -> None:
    w = limited("5wd").reply("2026-03-04 10:00").evaluate(Evaluation.DISSATISFIED, "2026-03-05 10:00")
    w.do(A.UPHOLD_DISSATISFIED, SUPERVISOR, "2026-03-05 11:00", note="确认存在办理问题")
    event = w.do(A.SUPERVISE, SYSTEM, "2026-03-05 11:01", trigger="dissatisfied_confirmed")
    assert w.order.supervised and event.rules == ("tianjin §24(1)",)


@article("tianjin §24(2)")
def test_24_2_an_order_not_handled_within_its_limit_is_supervised() -> None:
    w = limited("5wd")                                               # due 03-09 17:30
    err = w.refused(A.MARK_OVERDUE, SYSTEM, "2026-03-09 17:30", steps=(K.HANDLE,))
    assert isinstance(err, InvalidInput)
    w.do(A.MARK_OVERDUE, SYSTEM, "2026-03-09 17:31", steps=(K.HANDLE,))
    event = w.do(A.SUPERVISE, SYSTEM, "2026-03-09 17:32", trigger="overdue")
    assert w.order.supervised and event.rules == ("tianjin §24(2)",)
    assert event.payload["label"] == "未按照规定期限办理"


@article("tianjin §24(3)")
def test_24_3_a_reply_lacking_its_elements_can_be_supervised() -> None:
    w = limited("5wd").reply("2026-03-04 10:00")
    event = w.do(A.SUPERVISE, SUPERVISOR, "2026-03-04 11:00", trigger="reply_incomplete")
    assert event.rules == ("tianjin §24(3)",)


@article("tianjin §24")
def test_24_key_and_high_impact_items_are_supervised_by_the_hotline() -> None:
    w = limited("5wd")
    event = w.do(A.SUPERVISE, SUPERVISOR, "2026-03-03 10:00", trigger="high_impact")
    assert event.rules == ("tianjin §24",)


@article("tianjin §24")
def test_24_a_trigger_the_rulebook_does_not_list_is_refused() -> None:
    w = limited("5wd")
    err = w.refused(A.SUPERVISE, SUPERVISOR, "2026-03-03 10:00", trigger="redo_still_dissatisfied")
    assert isinstance(err, InvalidInput) and "redo_still_dissatisfied" in err.message_zh


# --- §25 exemption (豁免) ----------------------------------------------------------------------------

@article("tianjin §25(2)")
def test_25_2_a_unit_that_did_its_duty_may_be_exempted_with_a_written_statement_and_evidence() -> None:
    w = limited("5wd").reply("2026-03-04 10:00").evaluate(Evaluation.DISSATISFIED, "2026-03-05 10:00")
    w.do(A.UPHOLD_DISSATISFIED, SUPERVISOR, "2026-03-05 11:00")
    err = w.refused(A.REQUEST_EXEMPTION, UNIT, "2026-03-06 10:00", reason="已依法履职")
    assert err.code == "exemption_evidence_missing" and err.article == "tianjin §25(2)"
    assert err.message_zh == "天津 §25(2)：申请豁免须提交书面情况说明和佐证材料"
    w.do(A.REQUEST_EXEMPTION, UNIT, "2026-03-06 10:00", reason="已依法履职", evidence="书面情况说明及现场照片")
    assert w.state is S.EXEMPTION_REQUESTED
    w.do(A.APPROVE_EXEMPTION, DISPATCHER, "2026-03-06 11:00", note="确已尽责")
    assert w.state is S.EVALUATED and w.order.exempted
    assert w.order.evaluation is Evaluation.DISSATISFIED               # the evaluation stays; only the assessment spares it


# --- §11, §29 privacy; §32 abuse ----------------------------------------------------------------

@article("tianjin §11(1)")
def test_11_1_the_requester_is_never_disclosed_to_the_reported_party() -> None:
    privacy = profiles.get("tianjin").privacy
    assert privacy.never_tell_reported_party and privacy.cite == "tianjin §11(1); tianjin §29"


@article("tianjin §32(1)")
def test_32_a_requester_may_be_suspended_after_one_reminder() -> None:
    abuse = profiles.get("tianjin").abuse
    assert abuse.warnings_before_suspension == 1 and abuse.suspension_allowed
    assert abuse.suspension_days == 0                                 # no length in days: see docs/trace/tianjin.md
    assert abuse.cite == "tianjin §32(1); tianjin §32(2)"
