"""Heyuan (河源市12345政府服务热线管理办法), article by article.

The rulebook sets no office hours: the profile inherits the platform's 09:00-12:00, 13:30-17:30.
2026-03-02 is a Monday. Around National Day 2026: 09-25..09-27 and 10-01..10-07 are holidays,
Saturday 10-10 is a make-up working day (调休). The articles that are not machine-enforceable are
listed in docs/trace/heyuan.md.
"""

from __future__ import annotations

import pytest

from hotline.rules import deadlines, profiles
from hotline.rules.errors import GuardRefused, InvalidInput
from hotline.rules.vocabulary import AppealType, Evaluation, ReplyElement

from .walk import (
    DISPATCHER,
    OPERATOR,
    OTHER,
    OTHER_UNIT,
    REQUESTER,
    SUPERVISOR,
    SYSTEM,
    UNIT,
    UNIT_NAME,
    A,
    K,
    P,
    S,
    Walk,
    article,
    when,
)

RETURN = {"reason": "不属于本单位职能范围"}


# --- the profile ------------------------------------------------------------------------------------

def test_the_heyuan_profile_loads_and_extends_the_national_defaults() -> None:
    p = profiles.load("heyuan")
    assert (p.name, p.profile.extends, p.profile.city_zh, p.profile.order_prefix) == ("heyuan", "national", "河源", "HY")
    # what the rulebook does not state is marked as a platform default
    assert p.sign is not None and p.sign.is_default
    for silent in (p.office_hours, p.service_hours, p.dispatch, p.callback, p.evaluation, p.screening,
                   p.redo, p.termination, p.provisional_close, p.knowledge):
        assert silent.is_default, silent
    # what it states is cited
    for cited in (p.channels, p.return_, p.extension, p.supervision, p.joint, p.reply, p.privacy,
                  *(p.handle[AppealType(t)] for t in ("consult", "help", "suggestion", "report", "complaint"))):
        assert cited.source.startswith("heyuan §"), cited
    assert all(r.source.startswith("heyuan §") for r in p.decline_reasons)


@article("heyuan §2")
def test_2_the_hotline_takes_phone_web_and_sms() -> None:
    p = profiles.get("heyuan")
    assert p.channels.channels == ["phone", "web", "sms"]
    assert p.channels.cite == "heyuan §2; heyuan §5(1)"


# --- §7 what is accepted, §8 what is not ---------------------------------------------------------------

@article("heyuan §7")
@pytest.mark.parametrize(("appeal_type", "cite"), [
    ("consult", "heyuan §7(1)"),
    ("help", "heyuan §7(2)"),
    ("complaint", "heyuan §7(3); heyuan §7(5)"),
    ("report", "heyuan §7(3)"),
    ("suggestion", "heyuan §7(4)"),
])
def test_7_the_hotline_accepts_the_types_the_article_lists(appeal_type: str, cite: str) -> None:
    w = Walk("heyuan", appeal_type)
    event = w.do(A.ACCEPT, OPERATOR, "2026-03-02 10:00")
    assert w.state is S.ACCEPTED and cite in event.rules


@article("heyuan §7")
def test_7_praise_is_not_an_appeal_type_in_heyuan() -> None:
    w = Walk("heyuan", "praise")
    err = w.refused(A.ACCEPT, OPERATOR, "2026-03-02 10:00")
    assert isinstance(err, GuardRefused) and err.code == "appeal_type_not_accepted"
    assert err.article == "heyuan §7"
    assert err.message_zh == "河源 §7：本规则没有“表扬”类诉求"
    with pytest.raises(Exception, match="praise"):
        deadlines.period_for(w.profile, K.HANDLE, AppealType.PRAISE)


@article("heyuan §8")
@pytest.mark.parametrize(("code", "cite", "refer_to"), [
    ("emergency", "heyuan §8(1)", "110、119、120"),
    ("military", "heyuan §8(2)", "军队、武警"),
    ("legal_procedure", "heyuan §8(3)", "法定程序"),
    ("unlawful", "heyuan §8(4)", "法律法规"),
])
def test_8_a_declined_appeal_is_explained_and_the_requester_told_where_to_go(code: str, cite: str,
                                                                            refer_to: str) -> None:
    w = Walk("heyuan", "help")
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code=code)
    assert w.state is S.DECLINED and cite in event.rules
    assert refer_to in str(event.payload["refer_to"])


@article("heyuan §8(1)")
def test_8_1_emergencies_are_referred_to_110_119_120_not_transferred() -> None:
    event = Walk("heyuan", "help").do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code="emergency")
    assert event.payload["transfer_call"] is False     # §8: 告知其他受理渠道, no three-way transfer is required


@article("heyuan §8")
@pytest.mark.parametrize("code", ["secret_or_privacy", "no_substance", "petition", "repeat_report"])
def test_8_the_list_of_declines_is_closed(code: str) -> None:
    # §9: what is in scope may not be refused; only §8's four cases and §14's settled repeats are declined
    w = Walk("heyuan", "complaint")
    err = w.refused(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code=code)
    assert isinstance(err, InvalidInput) and "不予受理理由" in err.message_zh


# --- §9 answer directly, §10 dispatch, §11 lead unit, §12 major items -------------------------------------

@article("heyuan §9")
def test_9_a_consultation_that_can_be_answered_directly_is_answered_directly() -> None:
    w = Walk("heyuan", "consult")
    w.do(A.ANSWER_DIRECTLY, OPERATOR, "2026-03-02 10:00", note="按知识库答复")
    assert w.state is S.ANSWERED and w.order.deadlines == {}


@article("heyuan §10")
def test_10_timely_dispatch_has_no_number_so_the_platforms_two_hours_apply() -> None:
    w = Walk("heyuan").accept("2026-03-02 10:00")
    assert w.due(K.DISPATCH) == when("2026-03-02 12:00")
    assert w.order.deadlines[K.DISPATCH].rule.startswith("default: heyuan §10")
    w.dispatch("2026-03-02 11:00")
    assert w.state is S.DISPATCHED and w.events[-1].payload["late"] is False


@article("heyuan §11")
def test_11_the_lead_unit_named_by_the_hotline_replies_not_a_co_unit() -> None:
    w = Walk("heyuan").signed(co_units=(OTHER_UNIT,))
    assert w.order.lead_unit == UNIT_NAME and w.order.co_units == (OTHER_UNIT,)
    w.do(A.CO_HANDLE, OTHER, "2026-03-03 10:00", note="已配合现场核查")
    err = w.refused(A.REPLY, OTHER, "2026-03-03 11:00", reply={ReplyElement.RESULT: "已处理"})
    assert err.article == "heyuan §11" and err.code == "lead_unit_replies"
    assert err.message_zh == "河源 §11：联合办理工单由主办单位牵头答复，协办单位不能答复"
    w.reply("2026-03-03 12:00")
    assert w.state is S.REPLIED


@article("heyuan §12")
def test_12_a_major_item_is_dispatched_only_after_a_city_leader_approved_the_proposal() -> None:
    w = Walk("heyuan", "complaint").accept("2026-03-02 10:00")
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 11:00", unit=UNIT_NAME, major_item=True)
    assert err.article == "heyuan §12" and err.code == "leader_approval_missing"
    assert err.message_zh == "河源 §12：重大事项应由热线办提出拟办意见，报市政府相关领导审定后再派发"
    w.dispatch("2026-03-02 11:00", major_item=True, leader_approved=True)
    assert w.state is S.DISPATCHED and w.order.major_item and w.order.leader_approved
    assert "heyuan §12" in w.events[-1].rules and w.events[-1].payload["leader_approved"] is True


@article("heyuan §12")
def test_12_the_leaders_approval_is_recorded_before_the_dispatch() -> None:
    w = Walk("heyuan", "complaint")
    w.do(A.ACCEPT, OPERATOR, "2026-03-02 10:00", major_item=True)       # marked major at intake
    assert w.order.major_item
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 11:00", unit=UNIT_NAME)
    assert err.code == "leader_approval_missing"
    err = w.refused(A.RECORD_LEADER_APPROVAL, OPERATOR, "2026-03-02 15:00", note="市政府副市长审定同意")
    assert err.code == "role_not_allowed"
    event = w.do(A.RECORD_LEADER_APPROVAL, DISPATCHER, "2026-03-02 15:00", note="市政府副市长审定同意拟办意见")
    assert w.state is S.ACCEPTED and event.rules == ("heyuan §12",)
    assert event.payload["approver"] == "市政府相关领导"
    w.dispatch("2026-03-02 15:30")
    assert w.state is S.DISPATCHED and "heyuan §12" in w.events[-1].rules


@article("heyuan §12")
def test_12_an_ordinary_item_needs_no_approval_and_a_returned_major_item_needs_a_new_one() -> None:
    ordinary = Walk("heyuan", "complaint").accept().dispatch()
    assert "heyuan §12" not in ordinary.events[-1].rules
    w = Walk("heyuan", "complaint").accept().dispatch(major_item=True, leader_approved=True)
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **RETURN)
    w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-02 16:00")
    assert w.state is S.ACCEPTED and w.order.major_item and not w.order.leader_approved
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 16:30", unit=OTHER_UNIT)
    assert err.code == "leader_approval_missing"


@article("heyuan §12")
def test_12_other_rulebooks_have_no_leader_approval_step() -> None:
    w = Walk("ziyang", "complaint").accept()
    err = w.refused(A.RECORD_LEADER_APPROVAL, DISPATCHER, "2026-03-02 10:30")
    assert err.code == "leader_approval_not_provided"
    w.dispatch(major_item=True)                                           # the flag binds nobody there
    assert w.state is S.DISPATCHED


# --- §13 supervision, §14 settled repeats ------------------------------------------------------------

@article("heyuan §13")
def test_13_the_supervision_triggers_are_the_articles_four() -> None:
    triggers = profiles.get("heyuan").supervision.triggers
    assert [(t.code, t.cite, t.auto) for t in triggers] == [
        ("result_disputed", "heyuan §13(1)", True),
        ("leader_assigned", "heyuan §13(2)", False),
        ("overdue", "heyuan §13(3)", True),
        ("other", "heyuan §13(4)", False),
    ]


@article("heyuan §13(2)")
def test_13_2_an_item_a_government_leader_assigned_is_supervised() -> None:
    w = Walk("heyuan").signed()
    event = w.do(A.SUPERVISE, SUPERVISOR, "2026-03-03 10:00", trigger="leader_assigned", note="市领导批示")
    assert w.order.supervised and w.state is S.SIGNED
    assert "heyuan §13(2)" in event.rules and event.payload["label"] == "政府负责人阅批、交办"
    err = Walk("heyuan").signed().refused(A.SUPERVISE, SUPERVISOR, "2026-03-03 10:00", trigger="kb_not_updated")
    assert isinstance(err, InvalidInput)


@article("heyuan §13(3)")
def test_13_3_an_overdue_item_is_supervised_by_the_system() -> None:
    w = Walk("heyuan", "consult").signed()               # due Wednesday 03-04 17:30
    w.do(A.MARK_OVERDUE, SYSTEM, "2026-03-04 17:31", steps=(K.HANDLE,))
    event = w.do(A.SUPERVISE, SYSTEM, "2026-03-04 17:32", trigger="overdue")
    assert w.order.overdue_steps == (K.HANDLE,) and w.order.supervised
    assert "heyuan §13(3)" in event.rules


@article("heyuan §13(1)")
def test_13_1_an_objection_to_the_result_is_supervised() -> None:
    w = Walk("heyuan").replied().evaluate(Evaluation.DISSATISFIED)
    event = w.do(A.SUPERVISE, SYSTEM, "2026-03-05 11:00", trigger="result_disputed")
    assert w.order.supervised and "heyuan §13(1)" in event.rules


@article("heyuan §14")
def test_14_a_settled_matter_raised_again_on_the_same_facts_is_not_accepted() -> None:
    w = Walk("heyuan", "complaint")
    event = w.do(A.DECLINE, OPERATOR, "2026-04-01 10:00", decline_code="repeat_settled", earlier_order="HY2026030200001")
    assert w.state is S.DECLINED and "heyuan §14" in event.rules
    assert "不再受理" in str(event.payload["refer_to"])
    assert event.payload["earlier_order"] == "HY2026030200001"


@article("heyuan §14")
def test_14_declining_a_settled_repeat_names_the_settled_order() -> None:
    w = Walk("heyuan", "complaint")
    err = w.refused(A.DECLINE, OPERATOR, "2026-04-01 10:00", decline_code="repeat_settled")
    assert isinstance(err, InvalidInput) and "工单号" in err.message_zh
    err = w.refused(A.DECLINE, OPERATOR, "2026-04-01 10:00", decline_code="repeat_settled", earlier_order="  ")
    assert isinstance(err, InvalidInput)
    # the other reasons do not rest on an earlier order
    event = Walk("heyuan", "help").do(A.DECLINE, OPERATOR, "2026-04-01 10:00", decline_code="emergency")
    assert "earlier_order" not in event.payload


@article("heyuan §14")
def test_14_there_is_no_termination_a_confirmed_settlement_is_declined_instead() -> None:
    w = Walk("heyuan").replied().evaluate(Evaluation.DISSATISFIED)
    err = w.refused(A.REQUEST_TERMINATION, UNIT, "2026-03-05 11:00", written_opinion="已依法办理")
    assert err.code == "termination_not_provided"
    assert (err.article or "").startswith("default: heyuan has no termination")
    err = Walk("heyuan").refused(A.ANSWER_FROM_TERMINATION, OPERATOR, "2026-04-01 10:00", terminated_order="HY1")
    assert err.code == "termination_answer_not_provided"


# --- §15 evaluation and callback, §16 reply --------------------------------------------------------

@article("heyuan §15")
def test_15_a_resolved_item_is_evaluated_by_the_requester() -> None:
    w = Walk("heyuan").replied()                         # replied Wednesday 03-04 10:00
    assert w.state is S.REPLIED
    callback = w.order.deadlines[K.CALLBACK]
    assert callback.due == when("2026-03-06 17:30") and callback.rule.startswith("default: heyuan §15")
    w.do(A.EVALUATE, REQUESTER, "2026-03-04 12:00", evaluation=Evaluation.SATISFIED)   # the SMS survey's answer
    assert w.state is S.EVALUATED and w.order.evaluation is Evaluation.SATISFIED


@article("heyuan §16")
def test_16_the_unit_reports_its_result_to_the_hotline() -> None:
    w = Walk("heyuan").signed()
    err = w.refused(A.REPLY, UNIT, "2026-03-04 10:00", reply={ReplyElement.PROCESS: "已现场核查"})
    assert err.article == "heyuan §16; heyuan §5(1)" and err.code == "reply_incomplete"
    assert err.message_zh == "河源 §16；河源 §5(1)：答复须写明办理结果"
    # the hotline tells the requester (§5(1)): the unit's reply need not state that it contacted them
    w.reply("2026-03-04 10:00", reply={ReplyElement.RESULT: "已责令商家退款"})
    assert w.state is S.REPLIED and w.events[-1].payload["late"] is False


@article("heyuan §16")
def test_16_a_result_reported_after_the_limit_is_recorded_late() -> None:
    w = Walk("heyuan", "consult").signed()               # due Wednesday 03-04 17:30
    w.reply("2026-03-05 09:00", reply={ReplyElement.RESULT: "已答复政策口径"})
    assert w.events[-1].payload["late"] is True


# --- §17 return ------------------------------------------------------------------------------------

@article("heyuan §17")
def test_17_a_unit_returns_an_item_outside_its_remit_within_one_working_day_with_its_reason() -> None:
    w = Walk("heyuan").signed()                          # dispatched Monday 11:00
    assert w.due(K.RETURN) == when("2026-03-03 17:30")
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-03 17:30", **RETURN)
    assert w.state is S.RETURN_REQUESTED
    w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-04 09:00")
    assert w.state is S.ACCEPTED and w.order.lead_unit is None


@article("heyuan §17")
def test_17_a_return_must_state_its_reason() -> None:
    w = Walk("heyuan").signed()
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00")
    assert err.article == "heyuan §17" and err.code == "return_incomplete"
    assert err.message_zh == "河源 §17：退单须说明退回理由"


@article("heyuan §17")
def test_17_after_one_working_day_the_unit_may_no_longer_return_the_item() -> None:
    w = Walk("heyuan").accept("2026-09-30 09:00").dispatch("2026-09-30 10:00")   # before National Day
    assert w.due(K.RETURN) == when("2026-10-08 17:30")                          # 10-01..10-07 skipped
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-10-09 09:00", **RETURN)
    assert err.article == "heyuan §17" and err.code == "return_window_passed"
    assert err.message_zh == "河源 §17：退单时限（1个工作日）已过，应当按时限办理"
    w.do(A.REQUEST_RETURN, UNIT, "2026-10-08 17:30", **RETURN)
    assert w.state is S.RETURN_REQUESTED


# --- §18 handling limits and extension ----------------------------------------------------------------

@article("heyuan §18")
@pytest.mark.parametrize(("appeal_type", "due"), [
    ("consult", "2026-03-04 17:30"),      # 2 working days
    ("help", "2026-03-05 17:30"),         # 3 working days
    ("suggestion", "2026-03-16 17:30"),   # 10 working days
    ("report", "2026-03-16 17:30"),
    ("complaint", "2026-03-16 17:30"),
])
def test_18_handling_limits_by_appeal_type(appeal_type: str, due: str) -> None:
    w = Walk("heyuan", appeal_type).accept().dispatch("2026-03-02 11:00")
    assert w.due(K.HANDLE) == when(due)
    assert w.order.deadlines[K.HANDLE].rule == "heyuan §18"


@article("heyuan §18")
@pytest.mark.parametrize(("appeal_type", "dispatched", "due"), [
    ("consult", "2026-09-24 10:00", "2026-09-29 17:30"),     # Mid-autumn 09-25..09-27 skipped
    ("consult", "2026-09-30 10:00", "2026-10-09 17:30"),     # National Day 10-01..10-07 skipped
    ("help", "2026-09-30 10:00", "2026-10-10 17:30"),        # Saturday 10-10 is a make-up working day
    ("complaint", "2026-09-30 10:00", "2026-10-20 17:30"),
    ("help", "2026-04-02 10:00", "2026-04-08 17:30"),        # Qingming 04-04..04-06 skipped
])
def test_18_handling_limits_count_working_days_across_holidays(appeal_type: str, dispatched: str, due: str) -> None:
    w = Walk("heyuan", appeal_type).accept(dispatched).dispatch(dispatched)
    assert w.due(K.HANDLE) == when(due)
    assert not w.order.deadlines[K.HANDLE].provisional


@article("heyuan §18")
def test_18_the_handling_limit_is_the_rulebooks_and_cannot_be_set_on_an_ordinary_order() -> None:
    w = Walk("heyuan", "help").accept()
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 11:00", unit=UNIT_NAME, handling_limit=P("8wd"))
    assert err.article == "heyuan §18" and err.code == "handling_limit_fixed"


@article("heyuan §18")
def test_18_help_beyond_three_working_days_needs_an_extension_and_ends_within_five() -> None:
    w = Walk("heyuan", "help").signed()                  # due Thursday 03-05 17:30
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-05 10:00", length=P("3wd"), reason="需协调供水公司")
    assert err.article == "heyuan §18" and err.code == "extension_too_long"
    assert "求助" in err.message_zh and "2个工作日" in err.message_zh
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-05 10:00", length=P("2wd"), reason="需协调供水公司")
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-05 11:00")
    assert w.state is S.SIGNED
    assert w.due(K.HANDLE) == when("2026-03-09 17:30")   # 5 working days from the dispatch in all


@article("heyuan §18")
def test_18_any_type_may_apply_for_an_extension_before_the_limit_expires() -> None:
    w = Walk("heyuan", "consult").signed()               # due Wednesday 03-04 17:30
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-04 17:31", length=P("1wd"), reason="需调取档案")
    assert err.article == "heyuan §18" and err.code == "extension_too_late"
    assert err.message_zh == "河源 §18：办理时限已过，不能再申请延期"
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-04 17:30", length=P("1wd"), reason="需调取档案")
    assert w.state is S.EXTENSION_REQUESTED
    event = w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-04 17:40")
    assert w.due(K.HANDLE) == when("2026-03-05 17:30")
    assert event.payload["explain_to_requester"] is False


@article("heyuan §18")
def test_18_an_extension_request_states_its_length_and_its_reason() -> None:
    w = Walk("heyuan", "complaint").signed()
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-10 10:00", length=P("5wd"))
    assert err.article == "heyuan §18" and err.code == "extension_reason_missing"
    assert err.message_zh == "河源 §18：延期申请须说明理由"
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-10 10:00", reason="需专业鉴定")
    assert isinstance(err, InvalidInput) and "延期时长" in err.message_zh
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-10 10:00", length=P("15wd"), reason="需专业鉴定")   # no cap but help's
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-10 11:00")
    assert w.due(K.HANDLE) == when("2026-04-07 17:30")   # 03-16 + 15 working days, Qingming skipped


@article("heyuan §18")
def test_18_the_rulebook_sets_no_number_of_extensions() -> None:
    w = Walk("heyuan", "complaint").signed()             # due Monday 03-16 17:30
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-10 10:00", length=P("5wd"), reason="需专业鉴定")
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-10 11:00")
    assert w.due(K.HANDLE) == when("2026-03-23 17:30")
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-20 10:00", length=P("3wd"), reason="鉴定结论未出")
    assert w.state is S.EXTENSION_REQUESTED
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-20 11:00")
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-25 10:00", length=P("2wd"), reason="等待上级批复")
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-25 11:00")
    assert w.order.extensions == 3 and w.due(K.HANDLE) == when("2026-03-30 17:30")
    assert "no limit on their number" in w.order.deadlines[K.HANDLE].trace[0]
    assert w.profile.extension.max_count == "unlimited"


@article("heyuan §18")
def test_18_help_is_never_extended_beyond_five_working_days_in_all() -> None:
    w = Walk("heyuan", "help").signed()                  # due Thursday 03-05 17:30
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-05 10:00", length=P("1wd"), reason="需协调")
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-05 11:00")
    assert w.due(K.HANDLE) == when("2026-03-06 17:30")
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-06 10:00", length=P("2wd"), reason="仍需协调")
    assert err.article == "heyuan §18" and err.code == "extension_beyond_total"
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-06 10:00", length=P("1wd"), reason="仍需协调")
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-06 11:00")
    assert w.due(K.HANDLE) == when("2026-03-09 17:30")


@article("heyuan §18")
def test_18_an_efficiency_complaint_follows_the_provincial_limit() -> None:
    w = Walk("heyuan", "complaint").accept()
    # 20 working days only illustrates a limit taken from the provincial rules
    w.dispatch("2026-03-02 11:00", handling_limit=P("20wd"), basis="《广东省行政效能投诉工作规则》")
    assert w.due(K.HANDLE) == when("2026-03-30 17:30")
    assert w.order.deadlines[K.HANDLE].rule == "heyuan §18"
    assert w.events[-1].payload["handling_limit_basis"] == "《广东省行政效能投诉工作规则》"
    shorter = Walk("heyuan", "complaint").accept().dispatch("2026-03-02 11:00", handling_limit=P("5wd"),
                                                            basis="《广东省行政效能投诉工作规则》")
    assert shorter.due(K.HANDLE) == when("2026-03-09 17:30")      # shorter or longer: the provincial limit applies


@article("heyuan §18")
def test_18_the_provincial_limit_names_its_basis_and_applies_to_complaints_only() -> None:
    w = Walk("heyuan", "complaint").accept()
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 11:00", unit=UNIT_NAME, handling_limit=P("20wd"))
    assert err.article == "heyuan §18" and err.code == "legal_limit_basis_missing"
    err = Walk("heyuan", "report").accept().refused(A.DISPATCH, DISPATCHER, "2026-03-02 11:00", unit=UNIT_NAME,
                                                     handling_limit=P("20wd"), basis="《广东省行政效能投诉工作规则》")
    assert err.code == "handling_limit_fixed"


# --- §22 electronic supervision, §23(10) privacy --------------------------------------------------------

@article("heyuan §22")
def test_22_every_step_of_intake_dispatch_and_handling_is_recorded_for_electronic_supervision() -> None:
    w = Walk("heyuan").replied()
    assert [(e.action, e.from_state, e.to_state) for e in w.events] == [
        (A.ACCEPT, S.RECEIVED, S.ACCEPTED), (A.DISPATCH, S.ACCEPTED, S.DISPATCHED),
        (A.SIGN, S.DISPATCHED, S.SIGNED), (A.REPLY, S.SIGNED, S.REPLIED),
    ]
    assert [e.actor for e in w.events] == [OPERATOR, DISPATCHER, UNIT, UNIT]
    assert "heyuan §18" in w.events[1].rules and "heyuan §17" in w.events[1].rules


@article("heyuan §23(10)")
def test_23_10_the_complainant_is_never_disclosed() -> None:
    privacy = profiles.get("heyuan").privacy
    assert privacy.never_tell_reported_party and privacy.cite == "heyuan §23(10); heyuan §19"
