"""A small harness for rulebook tests: walk an order through the lifecycle, one action at a time.

    w = Walk("ziyang", "complaint")
    w.accept("2026-03-02 10:00")
    w.dispatch("2026-03-02 11:00", unit="城管局")
    w.sign("2026-03-02 14:00")
    err = w.refused(A.REQUEST_EXTENSION, UNIT, "2026-03-03 10:00", length=P("9wd"), reason="复杂")
    assert err.article == "ziyang §13(3)"

Every refused action is checked to have changed nothing. Times are Asia/Shanghai.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import pytest

from hotline.rules import lifecycle, profiles
from hotline.rules.calendar import SHANGHAI, WorkCalendar
from hotline.rules.errors import RuleError
from hotline.rules.order import Action, Actor, Command, Event, Inputs, Order, State
from hotline.rules.periods import Period
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation, ReplyElement, Role, Urgency

A = Action
S = State
K = DeadlineKind
CALENDAR = WorkCalendar()

OPERATOR = Actor(Role.OPERATOR, "op-1")
DISPATCHER = Actor(Role.DISPATCHER, "dispatcher-1")
SUPERVISOR = Actor(Role.SUPERVISOR, "supervisor-1")
SYSTEM = Actor(Role.SYSTEM, "system")
REQUESTER = Actor(Role.REQUESTER, "requester")
UNIT_NAME = "unit-a"
OTHER_UNIT = "unit-b"
UNIT = Actor(Role.UNIT_HANDLER, "handler-a", UNIT_NAME)
UNIT_LEADER = Actor(Role.UNIT_LEADER, "leader-a", UNIT_NAME)
OTHER = Actor(Role.UNIT_HANDLER, "handler-b", OTHER_UNIT)

FULL_REPLY = {ReplyElement.TIME: "2026-03-03 办理", ReplyElement.PROCESS: "现场核查并协调",
              ReplyElement.RESULT: "问题已解决", ReplyElement.CONTACT: "已电话告知诉求人"}
COMPLETE_RETURN = {"reason": "不属于本单位职责", "basis": "三定方案第三条", "suggested_unit": OTHER_UNIT,
                   "evidence": "职责说明", "leader_confirmed": True}


F = TypeVar("F", bound=Callable[..., Any])


def article(cite: str) -> Callable[[F], F]:
    """Name the article a test proves (``@article("ziyang §13(3)")``); docs/rulebooks.md is built from these."""
    def mark(test: F) -> F:
        test.article = cite  # type: ignore[attr-defined]
        return test
    return mark


def P(text: str) -> Period:  # noqa: N802 - reads like the rulebook: P("5wd")
    return Period.parse(text)


def when(text: str) -> datetime:
    """``"2026-03-02 10:00"`` in Asia/Shanghai."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


class Walk:
    """One order of one profile, moved by named actions; keeps the events."""

    def __init__(self, profile: str, appeal_type: str = "complaint", urgency: str = "normal",
                 calendar: WorkCalendar = CALENDAR) -> None:
        self.profile = profiles.get(profile)
        self.calendar = calendar
        self.order: Order = lifecycle.new_order(self.profile, AppealType(appeal_type), Urgency(urgency))
        self.events: list[Event] = []

    # generic -------------------------------------------------------------------------------------
    def command(self, action: Action, actor: Actor, at: str | datetime, **inputs: Any) -> Command:
        moment = when(at) if isinstance(at, str) else at
        return Command(action, actor, moment, Inputs(**inputs))

    def do(self, action: Action, actor: Actor, at: str | datetime, **inputs: Any) -> Event:
        outcome = lifecycle.apply(self.profile, self.calendar, self.order, self.command(action, actor, at, **inputs))
        self.order = outcome.order
        self.events.extend(outcome.events)
        return outcome.events[-1]

    def refused(self, action: Action, actor: Actor, at: str | datetime, **inputs: Any) -> RuleError:
        before = self.order
        with pytest.raises(RuleError) as info:
            self.do(action, actor, at, **inputs)
        assert self.order == before, "a refused action must change nothing"
        return info.value

    @property
    def state(self) -> State:
        return self.order.state

    def due(self, kind: DeadlineKind) -> datetime | None:
        return self.order.due(kind)

    # the common path -----------------------------------------------------------------------------
    def accept(self, at: str = "2026-03-02 10:00") -> Walk:
        self.do(A.ACCEPT, OPERATOR, at)
        return self

    def dispatch(self, at: str = "2026-03-02 11:00", unit: str = UNIT_NAME, **inputs: Any) -> Walk:
        self.do(A.DISPATCH, DISPATCHER, at, unit=unit, **inputs)
        return self

    def sign(self, at: str = "2026-03-02 14:00", actor: Actor = UNIT) -> Walk:
        self.do(A.SIGN, actor, at)
        return self

    def signed(self, accepted: str = "2026-03-02 10:00", dispatched: str = "2026-03-02 11:00",
               signed: str = "2026-03-02 14:00", **dispatch_inputs: Any) -> Walk:
        return self.accept(accepted).dispatch(dispatched, **dispatch_inputs).sign(signed)

    def reply(self, at: str = "2026-03-04 10:00", actor: Actor = UNIT, **inputs: Any) -> Walk:
        inputs.setdefault("reply", FULL_REPLY)
        self.do(A.REPLY, actor, at, **inputs)
        return self

    def evaluate(self, evaluation: Evaluation, at: str = "2026-03-05 10:00", **answers: Any) -> Walk:
        """The operator's callback: the evaluation with its two answers (contacted, resolved)."""
        answers.setdefault("contacted", True)
        answers.setdefault("resolved", evaluation is not Evaluation.DISSATISFIED)
        self.do(A.EVALUATE, OPERATOR, at, evaluation=evaluation, **answers)
        return self

    def replied(self, **kwargs: Any) -> Walk:
        return self.signed(**kwargs).reply()
