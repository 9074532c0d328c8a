"""Ziyang (资府办函〔2022〕69号), article by article.

Office hours in the profile: summer (05-01..09-30) 09:00-12:00, 14:30-18:00; winter 09:00-12:00,
14:00-17:30. 2026-03-02 is a Monday.
"""

from __future__ import annotations

import pytest

from hotline.rules import deadlines
from hotline.rules.errors import ActionNotAllowed, GuardRefused
from hotline.rules.vocabulary import AppealType, Evaluation, ReplyElement

from .walk import (
    COMPLETE_RETURN,
    DISPATCHER,
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


@article("ziyang §13(1)")
def test_13_1_the_hotline_dispatches_within_two_hours_of_acceptance() -> None:
    w = Walk("ziyang").accept("2026-03-02 10:00")
    assert w.due(K.DISPATCH) == when("2026-03-02 12:00")
    w.dispatch("2026-03-02 12:30")
    assert w.events[-1].payload["late"] is True


@article("ziyang §13(2)")
def test_13_2_a_unit_signs_within_five_working_hours() -> None:
    # dispatched Monday 16:00 (winter hours 14:00-17:30): 1.5 h today, 3 h on Tuesday morning, 0.5 h after lunch
    w = Walk("ziyang").accept("2026-03-02 15:00").dispatch("2026-03-02 16:00")
    assert w.due(K.SIGN) == when("2026-03-03 14:30")
    w.sign("2026-03-03 15:00")
    assert w.order.signed_late


@article("ziyang §13(2)")
@pytest.mark.parametrize(("appeal_type", "due"), [
    ("consult", "2026-03-03 17:30"),      # 1 working day
    ("help", "2026-03-09 17:30"),         # 5 working days
    ("suggestion", "2026-03-09 17:30"),
    ("complaint", "2026-03-11 17:30"),    # 7 working days
    ("report", "2026-03-11 17:30"),
])
def test_13_2_handling_limits_by_appeal_type(appeal_type: str, due: str) -> None:
    w = Walk("ziyang", appeal_type).accept().dispatch("2026-03-02 11:00")
    assert w.due(K.HANDLE) == when(due)
    assert w.order.deadlines[K.HANDLE].rule == "ziyang §13(2)"


@article("ziyang §13(2)")
def test_13_2_a_return_must_give_reason_basis_and_suggested_unit() -> None:
    w = Walk("ziyang").signed()
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", reason="不属于本单位职责")
    assert isinstance(err, GuardRefused) and err.article == "ziyang §13(2)"
    assert "依据" in err.message_zh and "建议承办单位" in err.message_zh
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **COMPLETE_RETURN)
    assert w.state is S.RETURN_REQUESTED


@article("ziyang §13(2)")
def test_13_2_a_late_return_is_allowed_but_counts_as_overdue() -> None:
    w = Walk("ziyang").signed()                      # dispatched Monday 11:00: return window ends Tuesday 17:30
    assert w.due(K.RETURN) == when("2026-03-03 17:30")
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-04 09:30", **COMPLETE_RETURN)
    assert w.order.late_return
    assert w.events[-1].payload["late"] is True


@article("ziyang §13(3)")
def test_13_3_a_consultation_may_not_be_extended() -> None:
    w = Walk("ziyang", "consult").signed()
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-02 15:00", length=P("1wd"), reason="情况复杂")
    assert err.article == "ziyang §13(3)"
    assert err.message_zh == "资阳 §13(3)：咨询类工单不予延期"


@article("ziyang §13(3)")
def test_13_3_only_one_extension() -> None:
    w = Walk("ziyang", "complaint").signed()
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-03 10:00", length=P("5wd"), reason="需现场勘查")
    w.do(A.APPROVE_EXTENSION, DISPATCHER, "2026-03-03 11:00")
    assert w.due(K.HANDLE) == when("2026-03-18 17:30")    # 03-11 + 5 working days
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-04 10:00", length=P("1wd"), reason="仍需时间")
    assert err.code == "extension_count_exhausted"


@article("ziyang §13(3)")
@pytest.mark.parametrize(("appeal_type", "too_long", "longest"), [
    ("help", "3wd", "2wd"), ("suggestion", "3wd", "2wd"), ("complaint", "6wd", "5wd"), ("report", "6wd", "5wd"),
])
def test_13_3_extension_lengths_by_appeal_type(appeal_type: str, too_long: str, longest: str) -> None:
    w = Walk("ziyang", appeal_type).signed()
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-03 10:00", length=P(too_long), reason="复杂")
    assert err.code == "extension_too_long"
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-03 10:00", length=P(longest), reason="复杂")
    assert w.state is S.EXTENSION_REQUESTED


@article("ziyang §13(3)")
def test_13_3_an_extension_is_applied_for_at_least_one_working_day_before_the_due_time() -> None:
    w = Walk("ziyang", "complaint").signed()            # due Wednesday 03-11 17:30
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-10 17:31", length=P("2wd"), reason="复杂")
    assert err.code == "extension_too_late" and err.article == "ziyang §13(3)"
    w.do(A.REQUEST_EXTENSION, UNIT, "2026-03-10 17:30", length=P("2wd"), reason="复杂")


@article("ziyang §13(3)")
def test_13_3_provisional_close_reports_progress_every_fifteen_working_days() -> None:
    w = Walk("ziyang", "complaint").signed()
    err = w.refused(A.REQUEST_PROVISIONAL_CLOSE, UNIT, "2026-03-05 10:00", progress="已立案")
    assert "下步打算" in err.message_zh and "承诺办结时限" in err.message_zh
    w.do(A.REQUEST_PROVISIONAL_CLOSE, UNIT, "2026-03-05 10:00", progress="已立案调查", next_steps="等待鉴定",
         promised_date="2026-06-30")
    w.do(A.APPROVE_PROVISIONAL_CLOSE, DISPATCHER, "2026-03-05 11:00")
    assert w.state is S.PROVISIONALLY_CLOSED
    assert w.due(K.PROGRESS_REPORT) == when("2026-03-26 17:30")   # 15 working days after 03-05
    w.do(A.REPORT_PROGRESS, UNIT, "2026-03-20 10:00", progress="鉴定完成")
    assert w.due(K.PROGRESS_REPORT) == when("2026-04-13 17:30")   # Qingming 04-04..04-06 skipped
    w.reply("2026-04-01 10:00")
    assert w.state is S.REPLIED


@article("ziyang §13(3)")
def test_13_3_provisional_close_is_applied_for_within_the_handling_limit() -> None:
    w = Walk("ziyang", "consult").signed()              # due Tuesday 03-03 17:30
    err = w.refused(A.REQUEST_PROVISIONAL_CLOSE, UNIT, "2026-03-04 10:00", progress="p", next_steps="n",
                    promised_date="2026-04-01")
    assert err.code == "provisional_close_too_late"


@article("ziyang §13(4)")
@pytest.mark.parametrize(("urgency", "first", "result"), [
    ("special-urgent", "2026-03-02 12:00", "2026-03-03 17:30"),
    ("special", "2026-03-02 13:00", "2026-03-04 17:30"),
])
def test_13_4_urgent_items_first_response_and_result(urgency: str, first: str, result: str) -> None:
    w = Walk("ziyang", "help", urgency).accept("2026-03-02 10:00").dispatch("2026-03-02 11:00")
    assert w.due(K.FIRST_RESPONSE) == when(first)
    assert w.due(K.HANDLE) == when(result)
    assert w.order.deadlines[K.HANDLE].rule == "ziyang §13(4)"


@article("ziyang §13(5).5")
def test_13_5_a_designated_unit_may_not_return_the_order() -> None:
    w = Walk("ziyang").accept().dispatch(designated=True).sign()
    err = w.refused(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **COMPLETE_RETURN)
    assert err.article == "ziyang §13(5).5"


@article("ziyang §13(5).5")
def test_13_5_the_lead_unit_replies_not_a_co_unit() -> None:
    w = Walk("ziyang").signed(co_units=(OTHER_UNIT,))
    w.do(A.CO_HANDLE, OTHER, "2026-03-03 10:00", note="已配合现场核查")
    err = w.refused(A.REPLY, OTHER, "2026-03-03 11:00", reply={ReplyElement.RESULT: "r", ReplyElement.CONTACT: "c"})
    assert err.article == "ziyang §13(5).5"
    w.reply("2026-03-03 12:00")


@article("ziyang §14(1)")
def test_14_1_silence_counts_as_basically_satisfied_and_the_order_is_archived() -> None:
    w = Walk("ziyang").replied()                         # replied Wednesday 03-04 10:00
    err = w.refused(A.EVALUATION_TIMEOUT, SYSTEM, "2026-03-06 10:00")
    assert err.code == "evaluation_window_open"
    w.do(A.EVALUATION_TIMEOUT, SYSTEM, "2026-03-09 17:31")
    assert w.state is S.EVALUATED and w.order.evaluation is Evaluation.BASICALLY_SATISFIED
    assert w.events[-1].payload["auto_archive"] is True
    w.do(A.ARCHIVE, SYSTEM, "2026-03-09 17:32")
    assert w.state is S.ARCHIVED


@article("ziyang §14(2)")
def test_14_2_a_dissatisfied_evaluation_is_screened_before_it_counts() -> None:
    w = Walk("ziyang").replied().evaluate(Evaluation.DISSATISFIED)
    assert w.state is S.SCREENING
    w.do(A.SCREEN_OUT, SUPERVISOR, "2026-03-05 11:00", note="诉求人期望过高")
    assert w.state is S.EVALUATED and w.order.screened_out


@article("ziyang §14(2)")
def test_14_2_redo_runs_the_handling_limit_again_and_needs_a_new_callback() -> None:
    w = Walk("ziyang").replied().evaluate(Evaluation.DISSATISFIED)
    w.do(A.REDO, SUPERVISOR, "2026-03-05 11:00")
    assert w.state is S.REDO
    assert w.due(K.HANDLE) == when("2026-03-16 17:30")   # 7 working days from 03-05
    assert w.due(K.CALLBACK) is None
    w.reply("2026-03-10 10:00")
    w.evaluate(Evaluation.DISSATISFIED, "2026-03-11 10:00")
    w.do(A.REDO, SUPERVISOR, "2026-03-11 11:00")       # ziyang sets no limit on redos (§25(3) watches them)
    assert w.order.redos == 2


@article("ziyang §15")
def test_15_a_repeat_of_a_terminated_matter_is_answered_from_the_termination_opinion() -> None:
    w = Walk("ziyang").signed()
    err = w.refused(A.REQUEST_TERMINATION, UNIT, "2026-03-03 10:00", written_opinion="已依法办理")
    assert "答复口径" in err.message_zh
    w.do(A.REQUEST_TERMINATION, UNIT, "2026-03-03 10:00", written_opinion="已依法办理三次",
         answer_script="按原答复意见解释")
    w.do(A.APPROVE_TERMINATION, DISPATCHER, "2026-03-03 11:00")
    assert w.state is S.TERMINATED
    repeat = Walk("ziyang")
    repeat.do(A.ANSWER_FROM_TERMINATION, OPERATOR, "2026-04-01 10:00", terminated_order="ZY2026030200001")
    assert repeat.state is S.ANSWERED


@article("ziyang §15")
def test_15_a_repeated_report_within_the_period_is_not_dispatched() -> None:
    w = Walk("ziyang", "report")
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code="repeat_report")
    assert w.state is S.DECLINED and "ziyang §15" in event.rules


@article("ziyang §9(3)")
def test_9_3_emergencies_are_transferred_to_110_119_120_122() -> None:
    w = Walk("ziyang", "help")
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code="emergency")
    assert event.payload["transfer_call"] is True
    assert "110" in str(event.payload["refer_to"])


@article("ziyang §3")
def test_3_praise_is_not_an_appeal_type_in_ziyang() -> None:
    w = Walk("ziyang", "praise")
    err = w.refused(A.ACCEPT, OPERATOR, "2026-03-02 10:00")
    assert err.code == "appeal_type_not_accepted"
    with pytest.raises(Exception, match="praise"):
        deadlines.period_for(w.profile, K.HANDLE, AppealType.PRAISE)


def test_an_archived_order_takes_no_further_action() -> None:
    w = Walk("ziyang").replied().evaluate(Evaluation.SATISFIED)
    w.do(A.ARCHIVE, SYSTEM, "2026-03-05 11:00")
    with pytest.raises(ActionNotAllowed):
        w.do(A.REDO, SUPERVISOR, "2026-03-05 12:00")


def test_a_redo_and_a_new_unit_start_their_steps_without_the_old_overdue_marks() -> None:
    w = Walk("ziyang").signed()
    w.do(A.MARK_OVERDUE, SYSTEM, "2026-03-12 09:00", steps=(K.HANDLE,))
    assert w.order.overdue_steps == (K.HANDLE,)
    w.reply("2026-03-12 10:00").evaluate(Evaluation.DISSATISFIED, "2026-03-12 11:00")
    w.do(A.REDO, SUPERVISOR, "2026-03-12 12:00")
    assert w.order.overdue_steps == ()


@article("ziyang §14(2)")
def test_14_2_screening_out_gives_the_reason_it_is_not_the_units_fault() -> None:
    w = Walk("ziyang").replied().evaluate(Evaluation.DISSATISFIED)
    err = w.refused(A.SCREEN_OUT, SUPERVISOR, "2026-03-05 11:00")
    assert err.code == "screening_reason_missing" and err.article == "ziyang §14(2)"
