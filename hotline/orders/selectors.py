"""Reads of orders, always through one permission gate, with personal data masked or logged.

Who sees which orders:
- hotline staff (operator, dispatcher, supervisor), analysts and administrators: every order;
- unit staff: the orders of their unit, as lead, co-unit or executing unit.

Who sees the requester:
- operators, dispatchers and supervisors: name and phone in full (they call back), each read logged;
- unit staff: name and phone masked ("张*", "138****0001"), and nothing at all when the appeal is
  confidential (ziyang §27(2): never tell a reported party who complained);
- analysts and administrators: masked.
Every unmasked read is written to the personal-data access log (谁使用、谁负责, ziyang §22).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from hotline.directory.models import User
from hotline.orders.models import Event, Order
from hotline.requesters.models import PersonalDataAccess, Requester
from hotline.rules.errors import NotFound
from hotline.rules.order import State

#: the unit still owes its result (the handle deadline runs)
HANDLING_STATES = (State.DISPATCHED, State.SIGNED, State.EXTENSION_REQUESTED, State.PROVISIONAL_CLOSE_REQUESTED,
                   State.REDO, State.RETURN_REQUESTED)

FULL_VIEW_ROLES = {User.Role.OPERATOR, User.Role.DISPATCHER, User.Role.SUPERVISOR}
ALL_ORDERS_ROLES = FULL_VIEW_ROLES | {User.Role.ANALYST, User.Role.ADMINISTRATOR, User.Role.SYSTEM}


def orders_visible_to(user: User) -> QuerySet[Order]:
    """The permission gate: every read of orders starts here."""
    base = Order.objects.all()
    if user.role in ALL_ORDERS_ROLES:
        return base
    if user.is_unit_staff and user.unit_id:
        co_handled = Order.co_units.through.objects.filter(unit_id=user.unit_id).values("order_id")
        # a subquery on the link table, not a join: no DISTINCT over every selected column
        return base.filter(Q(lead_unit_id=user.unit_id) | Q(pk__in=co_handled) | Q(executing_unit_id=user.unit_id))
    return base.none()


def order_get_for_user(*, user: User, order_id: int | None = None, number: str | None = None) -> Order:
    query = orders_visible_to(user).select_related("appeal", "appeal__requester", "appeal__category", "appeal__region",
                                                   "category", "lead_unit", "executing_unit")
    found = query.filter(pk=order_id).first() if order_id is not None else query.filter(number=number or "").first()
    if found is None:
        raise _not_visible(order_id if order_id is not None else number)
    return found


def order_check_visible(*, user: User, order_id: int) -> None:
    """The gate alone (one EXISTS query): NotFound unless ``user`` may see the order."""
    if not orders_visible_to(user).filter(pk=order_id).exists():
        raise _not_visible(order_id)


def _not_visible(key: object) -> NotFound:
    return NotFound(f"工单 {key} 不存在或无权查看", f"order {key} does not exist or is not visible to you")


def order_list_for_user(*, user: User, state: str | None = None, unit: str | None = None, appeal_type: str | None = None,
                        category: str | None = None, channel: str | None = None, region: str | None = None,
                        overdue: bool | None = None, supervised: bool | None = None,
                        received_from: datetime | None = None, received_to: datetime | None = None,
                        q: str | None = None, now: datetime | None = None) -> QuerySet[Order]:
    """Orders the user may see, filtered, newest first."""
    orders = orders_visible_to(user)
    if state:
        orders = orders.filter(state__in=state.split(","))
    if unit:
        orders = orders.filter(lead_unit__code=unit)
    if appeal_type:
        orders = orders.filter(appeal_type=appeal_type)
    if category:
        orders = orders.filter(category__code=category)
    if channel:
        orders = orders.filter(appeal__channel=channel)
    if region:   # the region and the regions under it (a district and its streets and communities)
        orders = orders.filter(Q(appeal__region__code=region) | Q(appeal__region__parent__code=region) |
                               Q(appeal__region__parent__parent__code=region))
    if supervised is not None:
        orders = orders.filter(supervised=supervised)
    if overdue is not None and now is not None:
        late = Q(handle_due__lt=now, state__in=[s.value for s in HANDLING_STATES])
        orders = orders.filter(late) if overdue else orders.exclude(late)
    if received_from:
        orders = orders.filter(received_at__gte=received_from)
    if received_to:
        orders = orders.filter(received_at__lt=received_to)
    if q:
        orders = orders.filter(Q(number__icontains=q) | Q(appeal__content__icontains=q) | Q(appeal__address__icontains=q))
    return orders.select_related("lead_unit", "category", "appeal").order_by("-received_at", "-pk")


def order_timeline(*, user: User, order: Order) -> QuerySet[Event]:
    order_get_for_user(user=user, order_id=order.pk)  # the gate
    return order.events.select_related("actor").order_by("seq")


# --- personal data ---------------------------------------------------------------------------------

def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****" if phone else ""


def mask_name(name: str) -> str:
    return name[0] + "*" * max(len(name) - 1, 1) if name else ""


@dataclass(frozen=True)
class RequesterView:
    visible: bool            # False: the requester is hidden entirely (confidential appeal, unit staff)
    masked: bool
    name: str
    phone: str
    requester_id: int | None


def requester_for(*, user: User, order: Order, purpose: str, channel: str = "web") -> RequesterView:
    """The requester as ``user`` may see them on ``order``; logs every unmasked read."""
    appeal = order.appeal
    requester: Requester | None = appeal.requester
    if requester is None:
        return RequesterView(True, False, "", "", None)
    if user.is_unit_staff and appeal.confidential:
        return RequesterView(False, True, "", "", None)
    if user.role in FULL_VIEW_ROLES:
        PersonalDataAccess.objects.create(user=user, requester=requester, order_number=order.number,
                                          fields="name,phone", purpose=purpose, channel=channel)
        return RequesterView(True, False, requester.name, requester.phone, requester.pk)
    return RequesterView(True, True, mask_name(requester.name), mask_phone(requester.phone), None)


def requester_history(*, user: User, phone: str, purpose: str = "intake lookup") -> list[Order]:
    """A requester's earlier orders by phone (intake screen); hotline staff only; the read is logged."""
    if user.role not in FULL_VIEW_ROLES or not phone.strip():
        return []
    requester = Requester.objects.filter(phone=phone.strip()).first()
    if requester is None:
        return []
    PersonalDataAccess.objects.create(user=user, requester=requester, fields="phone,history", purpose=purpose)
    return list(Order.objects.filter(appeal__requester=requester).select_related("lead_unit", "appeal")
                .order_by("-received_at")[:50])
