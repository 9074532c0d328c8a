"""The callback (回访): its three answers, and the ways it ends without them.

A callback records did the unit contact you (响应), is it resolved (解决) and the evaluation; or that the
requester could not be reached (无法接通), or would not answer (拒绝评价); or, past the window, that they
stayed silent (逾期未评价), which counts as the profile says. Each ends in ``callback_outcome`` on the
order and ``outcome`` in the event's payload (docs/design.md, "Callback answers").
"""

from __future__ import annotations

import pytest

from hotline.rules.errors import InvalidInput, RoleNotAllowed
from hotline.rules.order import CallbackOutcome
from hotline.rules.vocabulary import Evaluation
from tests.rules.walk import (
    OPERATOR,
    REQUESTER,
    SUPERVISOR,
    SYSTEM,
    UNIT,
    A,
    P,
    S,
    Walk,
    article,
)

ANSWERED, UNREACHABLE = CallbackOutcome.ANSWERED, CallbackOutcome.UNREACHABLE
DECLINED, SILENT = CallbackOutcome.DECLINED, CallbackOutcome.SILENT


@article("ziyang §14")
def test_14_a_callback_records_whether_the_unit_contacted_the_requester_and_whether_it_is_resolved() -> None:
    w = Walk("ziyang").replied()
    event = w.do(A.EVALUATE, OPERATOR, "2026-03-05 10:00", evaluation=Evaluation.BASICALLY_SATISFIED,
                 contacted=True, resolved=False, note="联系了，但只修了一半")
    o = w.order
    assert (o.state, o.evaluation, o.contacted, o.resolved, o.callback_outcome) == (
        S.EVALUATED, Evaluation.BASICALLY_SATISFIED, True, False, ANSWERED)
    assert dict(event.payload) == {"outcome": "answered", "evaluation": "basically_satisfied", "contacted": True,
                                   "resolved": False, "callback_attempts": 0, "note": "联系了，但只修了一半"}
    assert "ziyang §14(1)" in event.rules


@article("ziyang §14")
@pytest.mark.parametrize("answers", [{}, {"contacted": True}, {"resolved": True}])
def test_14_a_callback_without_both_answers_is_refused_and_changes_nothing(answers: dict[str, bool]) -> None:
    w = Walk("ziyang").replied()
    err = w.refused(A.EVALUATE, OPERATOR, "2026-03-05 10:00", evaluation=Evaluation.SATISFIED, **answers)
    assert isinstance(err, InvalidInput) and err.code == "callback_answers_missing"
    assert err.article == "ziyang §14(1)" and err.message_zh.startswith("回访须记录")
    if "contacted" in answers:
        assert "联系" not in err.message_zh and "解决" in err.message_zh


@article("ziyang §14(2)")
def test_14_2_a_dissatisfied_answer_goes_to_screening_with_its_answers_kept() -> None:
    w = Walk("ziyang").replied().evaluate(Evaluation.DISSATISFIED, contacted=False, resolved=False)
    assert w.state is S.SCREENING
    assert (w.order.contacted, w.order.resolved, w.order.callback_outcome) == (False, False, ANSWERED)


@article("ziyang §14(2)")
def test_14_2_a_redo_clears_the_answers_and_the_new_reply_waits_for_a_new_callback() -> None:
    w = Walk("ziyang").replied().evaluate(Evaluation.DISSATISFIED, contacted=True, resolved=False)
    w.do(A.REDO, SUPERVISOR, "2026-03-05 11:00")
    assert (w.order.evaluation, w.order.contacted, w.order.resolved, w.order.callback_outcome) == (None,) * 4
    w.reply("2026-03-06 10:00")
    assert w.state is S.REPLIED and w.order.callback_outcome is None
    w.evaluate(Evaluation.SATISFIED, "2026-03-09 10:00", contacted=True, resolved=True)
    assert (w.order.evaluation, w.order.resolved, w.order.callback_outcome) == (Evaluation.SATISFIED, True, ANSWERED)


@article("heyuan §15")
def test_15_a_requester_answering_the_sms_survey_may_give_only_the_evaluation() -> None:
    w = Walk("heyuan").replied()
    event = w.do(A.EVALUATE, REQUESTER, "2026-03-04 12:00", evaluation=Evaluation.SATISFIED)
    assert (w.order.contacted, w.order.resolved, w.order.callback_outcome) == (None, None, ANSWERED)
    assert "contacted" not in event.payload and "resolved" not in event.payload   # not asked, not "no"


@article("ankang §27")
def test_27_an_unreachable_requester_is_counted_and_the_order_keeps_waiting() -> None:
    w = Walk("ankang").replied()
    first = w.do(A.RECORD_CALLBACK_FAILURE, OPERATOR, "2026-03-04 15:00", note="无人接听")
    second = w.do(A.RECORD_CALLBACK_FAILURE, OPERATOR, "2026-03-05 10:00", note="关机")
    assert w.state is S.REPLIED and w.order.callback_attempts == 2 and w.order.evaluation is None
    assert w.order.callback_outcome is UNREACHABLE
    assert (first.payload["outcome"], first.payload["attempt"], second.payload["attempt"]) == ("unreachable", 1, 2)
    w.evaluate(Evaluation.SATISFIED, "2026-03-05 16:00")            # reached at last
    assert w.order.callback_outcome is ANSWERED and w.events[-1].payload["callback_attempts"] == 2


@article("ziyang §14(1)")
def test_14_1_silence_after_failed_callbacks_counts_as_basically_satisfied_and_is_recorded_as_silent() -> None:
    w = Walk("ziyang").replied()                                       # replied Wednesday 03-04 10:00
    w.do(A.RECORD_CALLBACK_FAILURE, OPERATOR, "2026-03-05 10:00")
    event = w.do(A.EVALUATION_TIMEOUT, SYSTEM, "2026-03-09 17:31")
    o = w.order
    assert (o.state, o.evaluation, o.callback_outcome, o.contacted, o.resolved) == (
        S.EVALUATED, Evaluation.BASICALLY_SATISFIED, SILENT, None, None)
    assert event.payload["outcome"] == "silent" and event.payload["evaluation"] == "basically_satisfied"
    assert event.payload["callback_attempts"] == 1 and "ziyang §14(1)" in event.rules


@article("tianjin §22(1)")
def test_22_1_silence_does_not_count_where_the_rulebook_gives_no_rule_for_it() -> None:
    w = Walk("tianjin").replied(handling_limit=P("5wd"))
    event = w.do(A.EVALUATION_TIMEOUT, SYSTEM, "2026-03-09 17:31")
    assert (w.order.evaluation, w.order.callback_outcome) == (Evaluation.NONE, SILENT)
    assert event.payload["outcome"] == "silent" and event.payload["evaluation"] == "none"


@article("ziyang §14(1)")
def test_14_1_a_requester_who_declines_to_answer_closes_the_order_without_an_evaluation() -> None:
    w = Walk("ziyang").replied()
    event = w.do(A.RECORD_CALLBACK_DECLINED, OPERATOR, "2026-03-05 10:00", note="诉求人表示不愿评价")
    o = w.order
    assert (o.state, o.evaluation, o.callback_outcome, o.contacted, o.resolved) == (
        S.EVALUATED, Evaluation.NONE, DECLINED, None, None)
    assert dict(event.payload) == {"outcome": "declined", "evaluation": "none", "callback_attempts": 0,
                                   "note": "诉求人表示不愿评价"}
    assert event.rules == ("ziyang §14(1)",)
    w.do(A.ARCHIVE, SYSTEM, "2026-03-05 10:01")                     # nothing follows: it may be archived
    assert w.state is S.ARCHIVED


def test_only_the_hotline_records_a_declined_callback() -> None:
    w = Walk("ziyang").replied()
    for who in (REQUESTER, UNIT):
        with pytest.raises(RoleNotAllowed):
            w.do(A.RECORD_CALLBACK_DECLINED, who, "2026-03-05 10:00")
    assert w.state is S.REPLIED and w.order.callback_outcome is None


def test_a_declined_or_answered_callback_cannot_be_recorded_again() -> None:
    w = Walk("ziyang").replied()
    w.do(A.RECORD_CALLBACK_DECLINED, OPERATOR, "2026-03-05 10:00")
    for action in (A.RECORD_CALLBACK_DECLINED, A.RECORD_CALLBACK_FAILURE, A.EVALUATE):
        w.refused(action, OPERATOR, "2026-03-05 11:00", evaluation=Evaluation.SATISFIED, contacted=True, resolved=True)
