"""The action panel of an order: which actions a user sees, which are open, and why the others are not.

For each action the lifecycle table has from the order's state (``lifecycle.actions_from``) and the page
has a form for (``actions.FORMS``), the table is asked (``lifecycle.allowed``) with inputs filled in as a
person would fill them, so that only what does not depend on the form can refuse: the role, the unit,
the state, the counts, the timing. Then:

- the role may not take it at all, or it belongs to another unit (a co-unit never signs) → hidden;
- a rule refuses it (the extension of a consultation, ziyang §13(3)) → shown disabled with the message
  and the article;
- only an input is missing or wrong → open: the form asks for it, and the engine checks it on submit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from hotline.directory.models import User
from hotline.orders.services.transition import actor_of
from hotline.rules import lifecycle
from hotline.rules import order as rules_order
from hotline.rules.calendar import WorkCalendar
from hotline.rules.deadlines import describe_rule
from hotline.rules.errors import InvalidInput, RoleNotAllowed, RuleError
from hotline.rules.order import Action, Command, Inputs
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import Evaluation, ReplyElement, Urgency
from hotline.web.orders.actions import FORMS, ActionForm

#: refusals that say the user's unit has nothing to do with the action: hidden, like a role refusal
HIDDEN_CODES = frozenset({"not_your_order", "not_a_co_unit"})

#: rule refusals that depend only on what the form will carry: the form stays open, the engine decides
INPUT_CODES = frozenset({
    "handling_limit_required", "handling_limit_fixed", "legal_limit_not_stricter", "legal_limit_basis_missing",
    "one_order_per_unit", "extension_too_long", "extension_reason_missing", "return_incomplete",
    "provisional_close_incomplete", "provisional_close_unconfirmed", "reply_incomplete",
    "exemption_evidence_missing", "termination_incomplete",
})

Relevant = Callable[[rules_order.Order, Profile, User], bool]

#: actions shown only where they make sense for this order (their guards would refuse for reasons that are
#: about the order, not a rule worth showing: a first response on a normal item, a co-unit's opinion…)
RELEVANT: Mapping[Action, Relevant] = {
    Action.FIRST_RESPONSE: lambda o, p, u: o.urgency is not Urgency.NORMAL and not o.first_responded,
    Action.RECORD_PHONE_ALERT: lambda o, p, u: (o.urgency is not Urgency.NORMAL and p.urgent_alert is not None
                                                and p.urgent_alert.phone_alert_first and not o.phone_alerted),
    Action.RECORD_LEADER_APPROVAL: lambda o, p, u: (p.major_items is not None and p.major_items.leader_approval
                                                    and o.major_item and not o.leader_approved),
    Action.CO_HANDLE: lambda o, p, u: bool(u.unit_id) and actor_of(u).unit in o.co_units,
    Action.REQUEST_EXEMPTION: lambda o, p, u: o.evaluation is Evaluation.DISSATISFIED and not o.screened_out,
}


@dataclass(frozen=True)
class PanelItem:
    form: ActionForm
    enabled: bool
    reason_zh: str = ""
    reason_en: str = ""
    rule: str = ""              # the article, for people (资阳 §13(3)), of a disabled action

    @property
    def action(self) -> str:
        return self.form.action.value


def probe(profile: Profile) -> Inputs:
    """Inputs as a person would fill the form: every text given, the first option of each list."""
    return Inputs(
        reason="…", basis="…", suggested_unit="…", evidence="…", leader_confirmed=True, progress="…",
        next_steps="…", promised_date="…", written_opinion="…", answer_script="…", note="…", unit="…",
        leader_approved=True, merged_into="…", terminated_order="…", earlier_order="…",
        decline_code=profile.decline_reasons[0].code if profile.decline_reasons else "",
        trigger=profile.supervision.triggers[0].code if profile.supervision.triggers else "",
        evaluation=next((o for o in profile.evaluation.options if o is not Evaluation.NONE), None),
        reply={element: "…" for element in ReplyElement})


def panel(user: User, snapshot: rules_order.Order, profile: Profile, calendar: WorkCalendar,
          now: datetime) -> list[PanelItem]:
    """The actions ``user`` sees on ``order``, open or disabled with their reason, in the table's order."""
    actor, inputs = actor_of(user), probe(profile)
    items: list[PanelItem] = []
    for action in lifecycle.actions_from(snapshot.state):
        form = FORMS.get(action)
        if form is None:
            continue
        relevant = RELEVANT.get(action)
        if relevant is not None and not relevant(snapshot, profile, user):
            continue
        refusal = lifecycle.allowed(profile, calendar, snapshot, Command(action, actor, now, inputs))
        if isinstance(refusal, RoleNotAllowed) or (refusal is not None and refusal.code in HIDDEN_CODES):
            continue
        if refusal is None or isinstance(refusal, InvalidInput) or refusal.code in INPUT_CODES:
            items.append(PanelItem(form, True))
        else:
            items.append(refused(form, refusal))
    return items


def refused(form: ActionForm, refusal: RuleError) -> PanelItem:
    return PanelItem(form, False, refusal.message_zh, refusal.message_en,
                     describe_rule(refusal.article) if refusal.article else "")
