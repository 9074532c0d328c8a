"""Ankang (安康市12345政务服务便民热线条例（草案）), article by article.

The draft sets no office hours and no handling, sign or dispatch limits: the profile inherits the
national office hours (09:00-12:00, 13:30-17:30 every day of the year) and marks every limit it does not
state as a default. 2026-03-02 is a Monday. Calendar days relied on (chinese_calendar): Spring Festival
02-15..02-23 with 02-14 (Saturday) worked; Mid-autumn 09-25..09-27; National Day 10-01..10-07 with 09-20
(Sunday) and 10-10 (Saturday) worked.
"""

from __future__ import annotations

import pytest

from hotline.cli.main import main
from hotline.rules import profiles
from hotline.rules.errors import ActionNotAllowed, GuardRefused, InvalidInput
from hotline.rules.vocabulary import Evaluation, ReplyElement

from .walk import (
    DISPATCHER,
    OPERATOR,
    OTHER,
    OTHER_UNIT,
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

RETURN = {"reason": "不属于本单位职责", "evidence": "本单位三定方案及职责说明"}
TERMINATION = {"written_opinion": "诉求不符合法律规定，已多次解释说明", "evidence": "政策文件及历次答复记录"}
NATIONAL_DEFAULT = "default: "


# --- the profile ----------------------------------------------------------------------------------

def test_the_profile_loads_as_the_ankang_draft_regulation() -> None:
    profile = profiles.load("ankang")
    meta = profile.profile
    assert (meta.name, meta.extends, meta.city_zh, meta.order_prefix) == ("ankang", "national", "安康", "AK")
    assert "草案" in meta.title and "§43" in meta.status
    assert all(rule.source.startswith(("ankang §", NATIONAL_DEFAULT)) for _, rule in profile.rules())


@pytest.mark.parametrize("key", [
    "office_hours", "dispatch", "sign", "handle.consult", "handle.help", "handle.suggestion", "handle.complaint",
    "handle.report", "extension", "provisional_close", "urgent_limits", "evaluation", "callback", "redo",
    "exemption", "delegate",
])
def test_values_the_regulation_does_not_state_are_marked_as_defaults(key: str) -> None:
    rules = dict(profiles.get("ankang").rules())
    assert rules[key].is_default, f"{key} is not stated by the draft and must say so"


@pytest.mark.parametrize(("key", "cite"), [
    ("service_hours", "ankang §21"), ("channels", "ankang §2; ankang §5(3)"), ("return", "ankang §24"),
    ("return_review", "ankang §24"), ("designated_units", "ankang §25"), ("urgent_alert", "ankang §28"),
    ("screening", "ankang §31(7)"), ("termination", "ankang §33"), ("supervision", "ankang §30; ankang §31"),
    ("joint", "ankang §25"), ("reply", "ankang §11(3); ankang §27"), ("abuse", "ankang §20; ankang §40"),
    ("privacy", "ankang §9; ankang §15"), ("knowledge", "ankang §10(2)"),
])
def test_values_the_regulation_states_cite_their_article(key: str, cite: str) -> None:
    assert dict(profiles.get("ankang").rules())[key].cite == cite


def test_the_handling_deadline_command_works_for_ankang(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["deadline", "--profile", "ankang", "--type", "complaint", "--kind", "handle",
                 "--start", "2026-09-30T10:00:00+08:00"])
    out = capsys.readouterr().out
    assert code == 0
    assert '"due": "2026-10-20T17:30:00+08:00"' in out      # National Day skipped, 10-10 worked
    assert "ankang §11(2)/§26" in out


# --- §2, §5, §22: channels and appeal types ----------------------------------------------------------

@article("ankang §2; ankang §5(3)")
def test_2_appeals_come_by_phone_wechat_mailbox_and_the_portal_or_from_the_provincial_platform() -> None:
    assert profiles.get("ankang").channels.channels == ["phone", "wechat", "mailbox", "web", "transfer"]


@article("ankang §2; ankang §22")
@pytest.mark.parametrize(("appeal_type", "label"), [
    ("consult", "咨询"), ("help", "求助"), ("complaint", "投诉"), ("report", "举报"), ("suggestion", "意见建议"),
])
def test_2_consultations_help_complaints_reports_and_suggestions_are_accepted(appeal_type: str, label: str) -> None:
    w = Walk("ankang", appeal_type)
    event = w.do(A.ACCEPT, OPERATOR, "2026-03-02 10:00")
    assert w.state is S.ACCEPTED and event.rules[0] == "ankang §2; ankang §22"
    assert w.profile.appeal_types[w.order.appeal_type].label == label


@article("ankang §2; ankang §22")
def test_2_praise_is_not_an_appeal_type_in_ankang() -> None:
    w = Walk("ankang", "praise")
    err = w.refused(A.ACCEPT, OPERATOR, "2026-03-02 10:00")
    assert isinstance(err, GuardRefused) and err.code == "appeal_type_not_accepted"
    assert err.article == "ankang §2; ankang §22"
    assert err.message_zh == "安康 §2；安康 §22：本规则没有“表扬”类诉求"


# --- §13, §21: intake around the clock, online answers ------------------------------------------------

@article("ankang §21")
def test_21_the_hotline_accepts_appeals_around_the_clock_holidays_included() -> None:
    assert profiles.get("ankang").service_hours.always_open
    w = Walk("ankang", "complaint").accept("2026-10-01 03:00")          # National Day, at night
    assert w.state is S.ACCEPTED
    assert w.due(K.DISPATCH) == when("2026-10-01 05:00")                 # 2 clock hours (default)
    w.dispatch("2026-10-01 04:30")
    assert w.events[-1].payload["late"] is False
    assert w.due(K.SIGN) == when("2026-10-08 14:30")                    # 4 working hours (default) from 10-08 09:00
    assert w.due(K.HANDLE) == when("2026-10-20 17:30")                  # 10-08, 10-09, 10-10 (worked), … 10-20


@article("ankang §13")
def test_13_an_appeal_the_operator_can_answer_online_is_answered_without_an_order() -> None:
    w = Walk("ankang", "consult")
    w.do(A.ANSWER_DIRECTLY, OPERATOR, "2026-03-02 10:00", note="按知识库答复办理流程")
    assert w.state is S.ANSWERED and w.order.lead_unit is None and not w.order.deadlines


@article("ankang §13")
def test_13_an_appeal_that_cannot_be_answered_online_becomes_an_order_for_a_unit() -> None:
    w = Walk("ankang", "help").accept("2026-03-02 10:00").dispatch("2026-03-02 11:00")
    assert w.state is S.DISPATCHED and w.order.lead_unit == UNIT_NAME


# --- §23: not accepted ------------------------------------------------------------------------------

@article("ankang §23")
@pytest.mark.parametrize(("code", "cite"), [
    ("outside_city", "ankang §23(1)"), ("emergency", "ankang §23(2)"), ("secret_or_privacy", "ankang §23(3)"),
    ("legal_procedure", "ankang §23(4)"), ("petition", "ankang §23(4)"), ("repeat_settled", "ankang §23(5)"),
    ("other_unsuitable", "ankang §23(6)"),
])
def test_23_each_item_not_accepted_is_declined_with_the_reason_and_where_to_go(code: str, cite: str) -> None:
    w = Walk("ankang", "complaint")
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code=code)
    assert w.state is S.DECLINED
    assert event.rules == (cite,)
    assert event.payload["label"] and event.payload["refer_to"]           # §23 last paragraph


@article("ankang §23")
def test_23_the_list_of_reasons_is_ankangs_own() -> None:
    assert [r.code for r in profiles.get("ankang").decline_reasons] == [
        "outside_city", "emergency", "secret_or_privacy", "legal_procedure", "petition", "repeat_settled",
        "other_unsuitable"]
    for code in ("military", "no_substance", "unlawful"):              # national reasons §23 does not list
        err = Walk("ankang").refused(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code=code)
        assert isinstance(err, InvalidInput) and "不在本规则的理由清单中" in err.message_zh


@article("ankang §23(2)")
def test_23_2_emergencies_are_passed_on_to_110_119_120_at_once() -> None:
    w = Walk("ankang", "help")
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code="emergency")
    assert event.payload["transfer_call"] is True
    assert "110" in str(event.payload["refer_to"]) and "120" in str(event.payload["refer_to"])


@article("ankang §23(5)")
def test_23_5_a_repeat_of_a_settled_matter_is_declined_not_answered_from_a_termination() -> None:
    w = Walk("ankang", "complaint")
    err = w.refused(A.ANSWER_FROM_TERMINATION, OPERATOR, "2026-03-02 10:00", terminated_order="AK2026030200001")
    assert err.code == "termination_answer_not_provided" and err.article == "ankang §33"
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code="repeat_settled")
    assert event.payload["refer_to"] == "告知原办理结果"


# --- §24: first-receiver rule and returns --------------------------------------------------------------

@article("ankang §24")
def test_24_a_return_needs_evidence_and_a_written_reason() -> None:
    w = Walk("ankang").signed()
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00")
    assert isinstance(err, GuardRefused) and err.code == "return_incomplete" and err.article == "ankang §24"
    assert err.message_zh == "安康 §24：退单须说明退回理由、证明材料"
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", reason="不属于本单位职责")
    assert err.message_zh == "安康 §24：退单须说明证明材料"
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **RETURN)          # no basis or suggested unit needed
    assert w.state is S.RETURN_REQUESTED


@article("ankang §24")
def test_24_a_return_after_the_period_is_refused_and_the_unit_handles_the_order() -> None:
    # dispatched Friday 02-13: the period ends at the close of Saturday 02-14, a make-up working day
    w = Walk("ankang").accept("2026-02-13 09:30").dispatch("2026-02-13 10:00").sign("2026-02-13 14:00")
    assert w.due(K.RETURN) == when("2026-02-14 17:30")
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-02-24 09:30", **RETURN)   # after the Spring Festival
    assert isinstance(err, GuardRefused) and err.code == "return_window_passed" and err.article == "ankang §24"
    assert err.message_zh == "安康 §24：退单时限（1个工作日）已过，应当按时限办理"
    w.do(A.REQUEST_RETURN, UNIT, "2026-02-14 17:30", **RETURN)
    assert w.state is S.RETURN_REQUESTED and not w.order.late_return


@article("ankang §24")
def test_24_an_approved_return_is_dispatched_again_by_the_hotline() -> None:
    w = Walk("ankang").signed()
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **RETURN)
    event = w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-02 16:00")
    assert w.state is S.ACCEPTED and "ankang §24" in event.rules
    assert w.order.lead_unit is None and w.order.returned_by == (UNIT_NAME,)
    assert w.due(K.DISPATCH) == when("2026-03-02 18:00") and w.due(K.HANDLE) is None
    w.dispatch("2026-03-02 16:30", unit=OTHER_UNIT)
    assert w.state is S.DISPATCHED and w.order.lead_unit == OTHER_UNIT


@article("ankang §24")
def test_24_a_rejected_return_leaves_the_first_unit_to_handle_the_order() -> None:
    w = Walk("ankang").signed()
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **RETURN)
    event = w.do(A.REJECT_RETURN, DISPATCHER, "2026-03-02 16:00", note="属于本单位职责")
    assert w.state is S.SIGNED and w.order.lead_unit == UNIT_NAME
    assert event.payload["first_receiver_must_handle"] is True and event.rules == ("ankang §24",)
    w.reply("2026-03-04 10:00")
    assert w.state is S.REPLIED


@article("ankang §24")
def test_24_a_return_from_an_order_not_yet_signed_that_is_rejected_counts_as_signed() -> None:
    w = Walk("ankang").accept().dispatch()
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 12:00", **RETURN)
    event = w.do(A.REJECT_RETURN, DISPATCHER, "2026-03-02 14:00")
    assert w.state is S.SIGNED and event.payload["implied_sign"] is True


@article("ankang §24")
def test_24_a_unit_whose_return_was_rejected_may_not_return_the_order_again() -> None:
    w = Walk("ankang").signed()
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **RETURN)
    w.do(A.REJECT_RETURN, DISPATCHER, "2026-03-02 16:00")
    assert w.order.return_rejected
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-03 10:00", **RETURN)   # still inside the period
    assert err.article == "ankang §24" and err.code == "return_rejected_first_receiver"
    assert err.message_zh == "安康 §24：退单申请已被驳回，首接承办单位应当接收办理，不得再次申请退单"


@article("ankang §24")
def test_24_an_approved_return_leaves_the_next_unit_free_to_return_in_its_turn() -> None:
    w = Walk("ankang").signed()
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **RETURN)
    w.do(A.APPROVE_RETURN, DISPATCHER, "2026-03-02 16:00")
    w.dispatch("2026-03-02 16:30", unit=OTHER_UNIT)
    assert not w.order.return_rejected
    w.do(A.REQUEST_RETURN, OTHER, "2026-03-03 10:00", **RETURN)
    assert w.state is S.RETURN_REQUESTED


@article("ankang §24")
def test_24_the_length_of_the_return_period_is_marked_as_not_stated() -> None:
    rule = profiles.get("ankang").return_
    assert rule.cite == "ankang §24"
    assert "window" in rule.defaults
    assert rule.value_source("window").startswith("default: ankang §24 sets a return period")
    assert rule.value_source("requires") == "ankang §24"
    w = Walk("ankang").signed()
    deadline = w.order.deadlines[K.RETURN]
    assert deadline.rule == "ankang §24"
    assert any("default" in line and "window 1wd" in line for line in deadline.trace)


def test_24_profile_show_prints_which_values_are_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "show", "ankang"]) == 0
    out = capsys.readouterr().out
    assert "    [ankang §24]\n    [window: default: ankang §24 sets a return period" in out
    assert "defaults=" not in out


# --- §25: classified handling, designated units, lead and co-units --------------------------------------

@article("ankang §25")
def test_25_a_designated_unit_may_not_return_the_order() -> None:
    w = Walk("ankang").accept().dispatch(designated=True).sign()
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **RETURN)
    assert isinstance(err, GuardRefused) and err.code == "designated_unit_may_not_return"
    assert err.article == "ankang §25"
    assert err.message_zh == "安康 §25：经指定的承办单位不得退回工单"


@article("ankang §25")
def test_25_an_order_of_several_units_has_a_lead_unit_that_replies_and_co_units() -> None:
    w = Walk("ankang").signed(co_units=(OTHER_UNIT,))
    w.do(A.CO_HANDLE, OTHER, "2026-03-03 10:00", note="已配合现场核查")
    err = w.refused(A.REPLY, OTHER, "2026-03-03 11:00",
                    reply={ReplyElement.RESULT: "已处理", ReplyElement.CONTACT: "已告知"})
    assert err.code == "lead_unit_replies" and err.article == "ankang §25"
    w.reply("2026-03-03 12:00")
    assert w.state is S.REPLIED and "ankang §25" in w.events[-1].rules


# --- §11(2), §26: handling limits ----------------------------------------------------------------------

@article("ankang §26")
@pytest.mark.parametrize(("appeal_type", "dispatched", "due"), [
    ("consult", "2026-09-24 16:00", "2026-09-30 17:30"),      # 3 wd: Mid-autumn 09-25..27 skipped
    ("help", "2026-09-24 16:00", "2026-10-09 17:30"),         # 5 wd: 09-28, 29, 30, 10-08, 10-09
    ("suggestion", "2026-09-24 16:00", "2026-10-09 17:30"),
    ("complaint", "2026-09-24 16:00", "2026-10-15 17:30"),    # 10 wd: Saturday 10-10 is worked
    ("report", "2026-09-24 16:00", "2026-10-15 17:30"),
    ("help", "2026-09-18 15:00", "2026-09-24 17:30"),         # 5 wd: Sunday 09-20 is worked
])
def test_26_units_resolve_within_the_hotlines_limits_which_the_draft_leaves_to_the_hotline(
        appeal_type: str, dispatched: str, due: str) -> None:
    w = Walk("ankang", appeal_type).accept(dispatched).dispatch(dispatched)
    assert w.due(K.HANDLE) == when(due)
    rule = w.order.deadlines[K.HANDLE].rule
    assert rule.startswith(NATIONAL_DEFAULT) and "ankang §11(2)/§26" in rule


@article("ankang §11(2)")
def test_11_2_the_limit_is_the_hotlines_and_is_not_set_order_by_order() -> None:
    w = Walk("ankang", "complaint").accept()
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 11:00", unit=UNIT_NAME, handling_limit=P("20wd"))
    assert err.code == "handling_limit_fixed"


# --- §11(3), §27: reply and callback --------------------------------------------------------------------

@article("ankang §11(3); ankang §27")
def test_27_the_unit_tells_the_requester_the_result_and_reports_it_to_the_hotline() -> None:
    w = Walk("ankang").signed()
    err = w.refused(A.REPLY, UNIT, "2026-03-04 10:00", reply={ReplyElement.RESULT: "已处理"})
    assert isinstance(err, GuardRefused) and err.code == "reply_incomplete"
    assert err.article == "ankang §11(3); ankang §27"
    assert err.message_zh == "安康 §11(3)；安康 §27：答复须写明回复诉求人情况"
    w.reply("2026-03-04 10:00")
    assert w.state is S.REPLIED


@article("ankang §27")
def test_27_the_hotline_calls_back_for_a_satisfaction_evaluation() -> None:
    w = Walk("ankang").replied()                                        # replied Wednesday 03-04 10:00
    assert w.due(K.CALLBACK) == when("2026-03-06 17:30")                # 2 wd, a default: §27 gives no limit
    assert w.order.deadlines[K.CALLBACK].rule.startswith(NATIONAL_DEFAULT)
    w.evaluate(Evaluation.SATISFIED)
    assert w.state is S.EVALUATED
    w.do(A.ARCHIVE, SYSTEM, "2026-03-05 11:00")
    with pytest.raises(ActionNotAllowed):
        w.do(A.REDO, SUPERVISOR, "2026-03-05 12:00")


@article("ankang §11(3)")
def test_11_3_a_reply_after_the_limit_is_recorded_as_late() -> None:
    w = Walk("ankang", "complaint").signed()                            # dispatched Monday 03-02 11:00
    assert w.due(K.HANDLE) == when("2026-03-16 17:30")                  # 10 working days
    w.reply("2026-03-17 09:00")
    assert w.events[-1].payload["late"] is True


# --- §28: urgent items -------------------------------------------------------------------------------

@article("ankang §28")
@pytest.mark.parametrize(("urgency", "first_response"), [
    ("special-urgent", "2026-03-02 11:10"), ("special", "2026-03-02 12:10"),
])
def test_28_an_urgent_item_is_alerted_by_phone_before_its_order_is_dispatched(urgency: str, first_response: str) -> None:
    w = Walk("ankang", "help", urgency).accept("2026-03-02 10:00")
    err = w.refused(A.DISPATCH, DISPATCHER, "2026-03-02 10:05", unit=UNIT_NAME)
    assert isinstance(err, GuardRefused) and err.code == "phone_alert_first" and err.article == "ankang §28"
    assert err.message_zh == "安康 §28：紧急事项应先行电话预警，再派发工单"
    w.do(A.RECORD_PHONE_ALERT, OPERATOR, "2026-03-02 10:08", note="已电话通知承办单位值班人员")
    event = w.do(A.DISPATCH, DISPATCHER, "2026-03-02 10:10", unit=UNIT_NAME)
    assert w.state is S.DISPATCHED and "ankang §28" in event.rules
    assert w.due(K.FIRST_RESPONSE) == when(first_response)              # national default: §28 gives no figure
    assert w.order.deadlines[K.FIRST_RESPONSE].rule.startswith(NATIONAL_DEFAULT)


@article("ankang §28")
def test_28_an_ordinary_item_is_dispatched_without_a_phone_alert() -> None:
    w = Walk("ankang", "help").accept()
    event = w.do(A.DISPATCH, DISPATCHER, "2026-03-02 11:00", unit=UNIT_NAME)
    assert w.state is S.DISPATCHED and "ankang §28" not in event.rules


@article("ankang §28")
def test_28_urgent_items_are_kept_in_a_risk_ledger() -> None:
    profile = profiles.get("ankang")
    assert profile.urgent_alert is not None and profile.urgent_alert.risk_ledger
    assert profile.urgent_limits is not None and profile.urgent_limits.is_default


# --- §30, §31: supervision -------------------------------------------------------------------------

@article("ankang §31")
def test_31_the_nine_kinds_of_items_under_key_supervision() -> None:
    triggers = profiles.get("ankang").supervision.triggers
    assert [(t.code, t.cite) for t in triggers] == [
        ("refuses_order", "ankang §31(1)"), ("high_impact", "ankang §31(2)"), ("low_satisfaction", "ankang §31(3)"),
        ("mass_incident_risk", "ankang §31(4)"), ("decided_unresolved", "ankang §31(5)"),
        ("overdue", "ankang §31(6)"), ("redo_still_dissatisfied", "ankang §31(7)"), ("key_sector", "ankang §31(8)"),
        ("other", "ankang §31(9)")]
    assert {t.code for t in triggers if t.auto} == {"overdue", "redo_still_dissatisfied", "key_sector"}


@article("ankang §31")
@pytest.mark.parametrize("code", ["refuses_order", "high_impact", "low_satisfaction", "mass_incident_risk",
                                  "decided_unresolved", "key_sector", "other"])
def test_31_the_hotline_supervises_an_order_for_each_kind(code: str) -> None:
    w = Walk("ankang").signed()
    event = w.do(A.SUPERVISE, SUPERVISOR, "2026-03-03 10:00", trigger=code)
    assert w.order.supervised and event.payload["trigger"] == code
    assert event.rules[0].startswith("ankang §31(")


@article("ankang §31")
def test_31_kinds_the_draft_does_not_list_are_refused() -> None:
    w = Walk("ankang").signed()
    for code in ("leader_assigned", "dissatisfied_confirmed"):
        err = w.refused(A.SUPERVISE, SUPERVISOR, "2026-03-03 10:00", trigger=code)
        assert isinstance(err, InvalidInput) and "不在本规则的督办情形中" in err.message_zh


@article("ankang §31(6)")
def test_31_6_an_order_not_resolved_in_time_is_marked_overdue_and_supervised() -> None:
    w = Walk("ankang", "complaint").signed()                            # due Monday 03-16 17:30
    err = w.refused(A.MARK_OVERDUE, SYSTEM, "2026-03-16 17:30", steps=(K.HANDLE,))
    assert isinstance(err, InvalidInput)
    w.do(A.MARK_OVERDUE, SYSTEM, "2026-03-16 17:31", steps=(K.HANDLE,))
    assert w.order.overdue_steps == (K.HANDLE,)
    event = w.do(A.SUPERVISE, SYSTEM, "2026-03-16 17:32", trigger="overdue")
    assert event.rules == ("ankang §31(6)",) and w.order.supervised


@article("ankang §31(7)")
def test_31_7_still_dissatisfied_after_a_redo_for_the_units_fault_is_supervised() -> None:
    w = Walk("ankang", "complaint").replied().evaluate(Evaluation.DISSATISFIED)
    assert w.state is S.SCREENING
    w.do(A.REDO, SUPERVISOR, "2026-03-05 11:00")
    assert w.state is S.REDO
    assert w.due(K.HANDLE) == when("2026-03-19 17:30")                  # 10 wd again from the redo
    w.reply("2026-03-10 10:00")
    w.evaluate(Evaluation.DISSATISFIED, "2026-03-11 10:00")
    err = w.refused(A.REDO, SUPERVISOR, "2026-03-11 11:00")              # one redo: a default, §31(7) gives no count
    assert err.code == "redo_count_exhausted" and (err.article or "").startswith(NATIONAL_DEFAULT)
    w.do(A.UPHOLD_DISSATISFIED, SUPERVISOR, "2026-03-11 11:00", note="确属承办单位原因")
    event = w.do(A.SUPERVISE, SYSTEM, "2026-03-11 11:05", trigger="redo_still_dissatisfied")
    assert event.rules == ("ankang §31(7)",)


@article("ankang §31(7)")
def test_31_7_dissatisfaction_not_due_to_the_unit_is_screened_out() -> None:
    w = Walk("ankang").replied().evaluate(Evaluation.DISSATISFIED)
    event = w.do(A.SCREEN_OUT, SUPERVISOR, "2026-03-05 11:00", note="诉求超出政策规定")
    assert w.state is S.EVALUATED and w.order.screened_out
    assert event.rules == ("ankang §31(7)",)


@article("ankang §31(8)")
def test_31_8_ecology_business_environment_and_tourism_items_are_supervised_by_themselves() -> None:
    trigger = profiles.get("ankang").trigger("key_sector")
    assert trigger is not None and trigger.auto
    assert set(trigger.domains) == {"ecology", "business_environment", "tourism"}
    w = Walk("ankang", "complaint")
    w.do(A.ACCEPT, OPERATOR, "2026-03-02 10:00", domain="ecology")
    assert w.order.supervised and w.order.domain == "ecology" and w.state is S.ACCEPTED
    accept, supervise = w.events
    assert (accept.action, accept.actor, accept.payload["domain"]) == (A.ACCEPT, OPERATOR, "ecology")
    assert (supervise.action, supervise.actor, supervise.from_state, supervise.to_state) == (
        A.SUPERVISE, SYSTEM, S.ACCEPTED, S.ACCEPTED)
    assert supervise.rules == ("ankang §31(8)",) and supervise.payload["trigger"] == "key_sector"


@article("ankang §31(8)")
def test_31_8_an_order_of_another_domain_is_not_supervised_by_itself() -> None:
    w = Walk("ankang", "complaint")
    w.do(A.ACCEPT, OPERATOR, "2026-03-02 10:00", domain="transport")
    assert not w.order.supervised and w.order.domain == "transport" and len(w.events) == 1
    other = Walk("ziyang", "complaint")                          # ziyang lists no domains
    other.do(A.ACCEPT, OPERATOR, "2026-03-02 10:00", domain="ecology")
    assert not other.order.supervised and len(other.events) == 1


# --- §33: termination ------------------------------------------------------------------------------

@article("ankang §33")
def test_33_termination_needs_the_units_written_opinion_and_evidence_and_the_hotlines_review() -> None:
    w = Walk("ankang").replied().evaluate(Evaluation.DISSATISFIED)
    err = w.refused(A.REQUEST_TERMINATION, UNIT, "2026-03-05 11:00", written_opinion=TERMINATION["written_opinion"])
    assert isinstance(err, GuardRefused) and err.code == "termination_incomplete" and err.article == "ankang §33"
    assert err.message_zh == "安康 §33：申请终结须提交证明材料"
    w.do(A.REQUEST_TERMINATION, UNIT, "2026-03-05 11:00", **TERMINATION)
    assert w.state is S.TERMINATION_REQUESTED
    w.do(A.REJECT_TERMINATION, DISPATCHER, "2026-03-05 14:00", note="解释说明不充分")
    assert w.state is S.SCREENING
    w.do(A.REQUEST_TERMINATION, UNIT, "2026-03-06 10:00", **TERMINATION)
    w.do(A.APPROVE_TERMINATION, DISPATCHER, "2026-03-06 11:00")
    assert w.state is S.TERMINATED
    w.do(A.ARCHIVE, SYSTEM, "2026-03-06 11:01")
    assert w.state is S.ARCHIVED


@article("ankang §33")
def test_33_termination_comes_only_after_the_unit_explained_and_the_requester_is_still_dissatisfied() -> None:
    w = Walk("ankang").signed()
    err = w.refused(A.REQUEST_TERMINATION, UNIT, "2026-03-03 10:00", **TERMINATION)
    assert err.article == "ankang §33" and err.code == "termination_not_yet"
    satisfied = Walk("ankang").replied().evaluate(Evaluation.SATISFIED)
    err = satisfied.refused(A.REQUEST_TERMINATION, UNIT, "2026-03-05 11:00", **TERMINATION)
    assert err.code == "termination_not_yet"


@article("ankang §33")
def test_33_a_redone_order_may_be_terminated() -> None:
    w = Walk("ankang").replied().evaluate(Evaluation.DISSATISFIED)
    w.do(A.REDO, SUPERVISOR, "2026-03-05 11:00")
    assert w.state is S.REDO and w.order.evaluation is None
    w.do(A.REQUEST_TERMINATION, UNIT, "2026-03-06 10:00", **TERMINATION)
    assert w.state is S.TERMINATION_REQUESTED


# --- where the draft is silent: national defaults ----------------------------------------------------

def test_an_extension_follows_the_national_default_as_the_draft_has_none() -> None:
    w = Walk("ankang", "complaint").signed()                            # due 03-16 17:30
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-10 10:00", length=P("11wd"), reason="需现场勘查")
    assert err.code == "extension_too_long" and (err.article or "").startswith(NATIONAL_DEFAULT)
    assert err.message_zh.startswith("平台默认规则：")
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-10 10:00", length=P("10wd"), reason="需现场勘查")
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-10 11:00")
    assert w.due(K.HANDLE) == when("2026-03-30 17:30")                  # 03-16 + 10 working days
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-20 10:00", length=P("1wd"), reason="仍需时间")
    assert err.code == "extension_count_exhausted"


def test_there_is_no_provisional_close_in_ankang() -> None:
    w = Walk("ankang", "complaint").signed()
    err = w.refused(A.REQUEST_PROVISIONAL_CLOSE, UNIT, "2026-03-05 10:00", progress="已立案", next_steps="鉴定",
                    promised_date="2026-06-30")
    assert err.code == "provisional_close_not_provided" and (err.article or "").startswith(NATIONAL_DEFAULT)


def test_there_is_no_exemption_in_ankang() -> None:
    w = Walk("ankang").replied().evaluate(Evaluation.DISSATISFIED)
    w.do(A.UPHOLD_DISSATISFIED, SUPERVISOR, "2026-03-05 11:00")
    err = w.refused(A.REQUEST_EXEMPTION, UNIT, "2026-03-05 12:00", evidence="已依法履职")
    assert err.code == "exemption_not_provided"


# --- §9, §15, §20, §40: privacy and abuse ----------------------------------------------------------

@article("ankang §9; ankang §15")
def test_9_the_requester_is_never_disclosed_to_the_reported_party() -> None:
    assert profiles.get("ankang").privacy.never_tell_reported_party


@article("ankang §20; ankang §40")
def test_40_abusive_callers_are_dissuaded_and_warned_but_never_cut_off() -> None:
    abuse = profiles.get("ankang").abuse
    assert abuse.warnings_before_suspension == 1
    assert not abuse.suspension_allowed and abuse.suspension_days == 0
