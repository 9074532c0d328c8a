"""The lifecycle table as a state machine, driven by hypothesis with any action, actor and input.

Whatever sequence of actions is tried, on any profile:
- an accepted action leads to a state the table lists for (state, action), and its event says so;
- a refused action raises a RuleError (never another exception) and changes nothing;
- due times never move backwards, except where a step starts over (a re-dispatch after an approved
  return gives the new unit fresh sign/return/handle limits; a redo runs the handling limit again);
- an archived order takes no action at all.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from hotline.rules import lifecycle, profiles
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import RuleError
from hotline.rules.lifecycle import RESUME
from hotline.rules.order import Action, Actor, CallbackOutcome, Command, Inputs, Order, State
from hotline.rules.periods import Period
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation, ReplyElement, Role, Urgency

from .walk import CALENDAR, OTHER_UNIT, UNIT_NAME

PROFILES = [s.name for s in profiles.available()]
ACTORS = [
    Actor(Role.OPERATOR, "op"), Actor(Role.DISPATCHER, "dsp"), Actor(Role.SUPERVISOR, "sup"),
    Actor(Role.SYSTEM, "system"), Actor(Role.REQUESTER, "citizen"), Actor(Role.ANALYST, "analyst"),
    Actor(Role.UNIT_HANDLER, "h-a", UNIT_NAME), Actor(Role.UNIT_LEADER, "l-a", UNIT_NAME),
    Actor(Role.UNIT_HANDLER, "h-b", OTHER_UNIT),
]
TEXT = st.sampled_from(["", "有内容"])
PERIODS = st.sampled_from([None, Period.parse("1wd"), Period.parse("2wd"), Period.parse("5wd"),
                           Period.parse("10wd"), Period.parse("3h")])
REPLIES = st.dictionaries(st.sampled_from(list(ReplyElement)), TEXT, max_size=4)
STEPS = st.lists(st.sampled_from(list(DeadlineKind)), max_size=2).map(tuple)
INPUTS = st.builds(
    Inputs, reason=TEXT, basis=TEXT, suggested_unit=TEXT, evidence=TEXT, leader_confirmed=st.booleans(),
    complex_item=st.booleans(), national_platform_item=st.booleans(),
    decline_code=st.sampled_from(["", "emergency", "legal_procedure", "repeat_report", "bogus"]),
    unit=st.sampled_from(["", UNIT_NAME, OTHER_UNIT]), co_units=st.sampled_from([(), (OTHER_UNIT,), (UNIT_NAME,)]),
    designated=st.booleans(), handling_limit=PERIODS, length=PERIODS, reply=REPLIES,
    requester_has_contact=st.booleans(), evaluation=st.sampled_from([None, *Evaluation]), progress=TEXT,
    contacted=st.sampled_from([None, True, False]), resolved=st.sampled_from([None, True, False]),
    next_steps=TEXT, promised_date=TEXT, written_opinion=TEXT, answer_script=TEXT, terminated_order=TEXT,
    merged_into=TEXT, trigger=st.sampled_from(["", "overdue", "other", "bogus"]), steps=STEPS,
    earlier_order=TEXT, domain=st.sampled_from(["", "ecology", "tourism", "transport"]), major_item=st.booleans(),
    leader_approved=st.booleans(),
)
FULL = "有内容"
GOOD_INPUTS = st.builds(
    Inputs, reason=st.just(FULL), basis=st.just(FULL), suggested_unit=st.just(OTHER_UNIT), evidence=st.just(FULL),
    leader_confirmed=st.just(True), decline_code=st.just("emergency"), unit=st.just(UNIT_NAME),
    handling_limit=st.sampled_from([None, Period.parse("5wd")]),   # tianjin §16(2) needs one, most others refuse one
    length=st.sampled_from([Period.parse("1wd"), Period.parse("2wd")]),
    reply=st.just({e: FULL for e in ReplyElement}), evaluation=st.sampled_from(list(Evaluation)[:3]),
    contacted=st.booleans(), resolved=st.booleans(),
    progress=st.just(FULL), next_steps=st.just(FULL), promised_date=st.just("2026-12-31"),
    written_opinion=st.just(FULL), answer_script=st.just(FULL), terminated_order=st.just("X1"),
    merged_into=st.just("X2"), trigger=st.just("overdue"), steps=STEPS, earlier_order=st.just("X3"),
    domain=st.sampled_from(["", "ecology"]), major_item=st.booleans(), leader_approved=st.just(True),
    note=st.just(FULL),
)
# a step that starts over: (action, kinds whose due time is computed afresh from now)
RESTARTS = {
    Action.APPROVE_RETURN: set(DeadlineKind),
    Action.DESIGNATE_UNIT: set(DeadlineKind),
    Action.DISPATCH: set(DeadlineKind),
    Action.REDO: {DeadlineKind.HANDLE},
}


REACHED: set[State] = set()


class OrderMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
        self.profile = profiles.get("national")
        self.order = Order(profile="national", appeal_type=AppealType.COMPLAINT)

    @initialize(name=st.sampled_from(PROFILES), appeal_type=st.sampled_from(list(AppealType)),
                urgency=st.sampled_from(list(Urgency)))
    def start(self, name: str, appeal_type: AppealType, urgency: Urgency) -> None:
        self.profile = profiles.get(name)
        self.order = lifecycle.new_order(self.profile, appeal_type, urgency)

    @rule(action=st.sampled_from(list(Action)), actor=st.sampled_from(ACTORS), inputs=INPUTS,
          minutes=st.integers(min_value=0, max_value=60 * 24 * 6))
    def act_at_random(self, action: Action, actor: Actor, inputs: Inputs, minutes: int) -> None:
        self.act(action, actor, inputs, minutes)

    @rule(data=st.data(), inputs=st.one_of(GOOD_INPUTS, GOOD_INPUTS, GOOD_INPUTS, INPUTS),
          minutes=st.integers(min_value=0, max_value=60 * 8))
    def act_as_the_table_allows(self, data: st.DataObject, inputs: Inputs, minutes: int) -> None:
        """Mostly actions the current state has, by a role its row names: this reaches deep states."""
        actions = lifecycle.actions_from(self.order.state)
        if not actions:
            return
        action = data.draw(st.sampled_from(actions))
        roles = {role for row in lifecycle.rows(self.order.state, action) for role in row.roles}
        actor = data.draw(st.sampled_from([a for a in ACTORS if a.role in roles]))
        if inputs.reason == FULL and action in {Action.DISPATCH, Action.DESIGNATE_UNIT}:
            # good inputs fit the profile: a limit on the order only where the rulebook asks for one
            needed = self.profile.dispatch.handling_limit_required and self.order.urgency is Urgency.NORMAL
            inputs = replace(inputs, handling_limit=Period.parse("5wd") if needed else None)
        self.act(action, actor, inputs, minutes)

    def act(self, action: Action, actor: Actor, inputs: Inputs, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)
        before = self.order
        try:
            outcome = lifecycle.apply(self.profile, CALENDAR, before, Command(action, actor, self.now, inputs))
        except RuleError:
            return  # apply is pure: the order we hold is unchanged by construction
        after = outcome.order
        self.order = after
        REACHED.add(after.state)
        # the action's own event, then any the system took at once (a row's `then`), each a step of the table
        event, *followed = outcome.events
        assert event.action is action and event.from_state == before.state
        allowed = lifecycle.targets(before.state, action)
        assert event.to_state in allowed or (RESUME in allowed and event.to_state == (before.resume_state or State.SIGNED)), \
            f"{before.state} --{action}--> {event.to_state} is not in the table"
        state = event.to_state
        for then in followed:
            assert then.actor.role is Role.SYSTEM and then.from_state == state
            assert then.to_state in lifecycle.targets(state, then.action), f"{state} --{then.action}--> {then.to_state}"
            state = then.to_state
        assert state == after.state
        restarted = RESTARTS.get(action, set())
        for kind, old in before.deadlines.items():
            new = after.deadlines.get(kind)
            if new is not None and kind not in restarted:
                assert new.due >= old.due, f"{action} moved {kind} back from {old.due} to {new.due}"

    @invariant()
    def the_callback_outcome_fits_the_state(self) -> None:
        o = self.order
        if o.state in {State.REPLIED, State.REDO} or o.state in {State.RECEIVED, State.ACCEPTED, State.DISPATCHED}:
            assert o.callback_outcome in {None, CallbackOutcome.UNREACHABLE}, (o.state, o.callback_outcome)
        if o.callback_outcome is CallbackOutcome.ANSWERED:
            assert o.evaluation not in {None, Evaluation.NONE}
        if o.callback_outcome is CallbackOutcome.DECLINED:
            assert o.evaluation is Evaluation.NONE and o.contacted is None and o.resolved is None

    @invariant()
    def archived_is_final(self) -> None:
        if self.order.state is State.ARCHIVED:
            assert lifecycle.actions_from(State.ARCHIVED) == []


OrderMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=60, deadline=None, derandomize=True,
                                          database=None,
                                          suppress_health_check=[HealthCheck.too_slow])
TestOrderMachine = OrderMachine.TestCase


def test_the_machine_reached_deep_states() -> None:
    """Guards against a machine whose actions are all refused (a test that cannot fail)."""
    if not REACHED:  # run alone: drive it once here
        TestOrderMachine("runTest").runTest()
    assert {State.DISPATCHED, State.SIGNED, State.ARCHIVED} <= REACHED, REACHED


def test_every_state_but_archived_has_a_way_forward() -> None:
    for state in State:
        if state is not State.ARCHIVED:
            assert lifecycle.actions_from(state), f"{state} is a dead end"


def test_every_state_is_reachable_from_received() -> None:
    seen, frontier = {State.RECEIVED}, [State.RECEIVED]
    while frontier:
        state = frontier.pop()
        for action in lifecycle.actions_from(state):
            for target in lifecycle.targets(state, action):
                if isinstance(target, State) and target not in seen:
                    seen.add(target)
                    frontier.append(target)
    resumable = {State.SIGNED, State.REDO, State.SCREENING, State.EVALUATED}
    assert set(State) - seen <= resumable - seen
    assert seen | resumable == set(State)
