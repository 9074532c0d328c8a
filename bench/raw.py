"""The raw limit: the rows the workload writes, written by plain SQL on the same database.

For every call of the workload (same plans as the platform's run) we prepare, before the clock starts,
the rows the platform's service writes for it: the requester, appeal and order at intake with the
order-number counter, the changed order columns, the deadline rows inserted, updated or deleted, the
timeline event and the notification. Two ways of writing them are timed:

- ``batch`` (the figure lifecycle.md asks for): one transaction per step of the lifecycle — the k-th call
  of every order together — each statement sent once with ``executemany`` over all the orders;
- ``per_call``: the same statements, one transaction per call, as the platform commits them: what the
  database can do at the platform's number of commits, without the ORM, the rules or the locks.

The rows are deleted again after each measurement, so that the database stays as the workload left it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from bench.workload import OrderPlan
from hotline.directory.models import Category, Unit
from hotline.notify.models import Notification
from hotline.orders import rulebook
from hotline.orders.models import Appeal, Event, Order, OrderDeadline, OrderNumberCounter
from hotline.requesters.models import Requester
from hotline.rules import deadlines as dl
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType, DeadlineKind

PREFIX = "RW"   # order numbers of the raw rows: never the profile's own prefix
#: the order in which a step's statements run (foreign keys first)
STATEMENT_ORDER = ("counter", "requester", "appeal", "order", "order_update", "deadline_delete", "deadline_update",
                   "deadline", "event", "notification")

Params = list[Any]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _fields(model: type[models.Model], *, with_pk: bool) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


def _insert_sql(model: type[models.Model], fields: Sequence[models.Field[Any, Any]]) -> str:
    cols = ", ".join(_q(f.column) for f in fields)
    return f"INSERT INTO {_q(model._meta.db_table)} ({cols}) VALUES ({', '.join(['%s'] * len(fields))})"


def _row(obj: models.Model, fields: Sequence[models.Field[Any, Any]]) -> Params:
    return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]


def _prep(model: type[models.Model], name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_save(value, connection)  # type: ignore[union-attr]


class _Writer:
    """Collects, per call, the statements and parameters the platform's service would write."""

    def __init__(self, profile: Profile, now: datetime) -> None:
        self.profile, self.now, self.calendar = profile, now, rulebook.calendar()
        self.sql: dict[str, str] = {}
        self.fields = {m: _fields(m, with_pk=m in {Requester, Appeal, Order})
                       for m in (Requester, Appeal, Order, OrderDeadline, Event, Notification)}
        for key, model in (("requester", Requester), ("appeal", Appeal), ("order", Order), ("deadline", OrderDeadline),
                           ("event", Event), ("notification", Notification)):
            self.sql[key] = _insert_sql(model, self.fields[model])
        self.sql["counter"] = (f"UPDATE {_q(OrderNumberCounter._meta.db_table)} SET {_q('last')} = {_q('last')} + 1 "
                               f"WHERE {_q('prefix')} = %s AND {_q('day')} = %s")
        deadline = _q(OrderDeadline._meta.db_table)
        self.sql["deadline_delete"] = f"DELETE FROM {deadline} WHERE {_q('order_id')} = %s AND {_q('kind')} = %s"
        self.sql["deadline_update"] = (f"UPDATE {deadline} SET {_q('start')} = %s, {_q('due')} = %s, {_q('period')} = %s, "
                                       f"{_q('rule')} = %s, {_q('trace')} = %s WHERE {_q('order_id')} = %s AND {_q('kind')} = %s")
        self.units = {u.code: u.pk for u in Unit.objects.all()}
        self.categories = {c.code: c.pk for c in Category.objects.all()}
        self.deadlines: dict[DeadlineKind, dl.Deadline] = {
            kind: dl.compute(profile, self.calendar, kind, AppealType.COMPLAINT, now)
            for kind in (DeadlineKind.DISPATCH, DeadlineKind.SIGN, DeadlineKind.RETURN, DeadlineKind.HANDLE,
                         DeadlineKind.CALLBACK, DeadlineKind.EVALUATION) if kind is not DeadlineKind.SIGN or profile.sign}
        self.day = timezone.localdate(now)

    def update_sql(self, columns: Sequence[str]) -> str:
        key = "order_update:" + ",".join(columns)
        if key not in self.sql:
            sets = ", ".join(f"{_q(str(Order._meta.get_field(c).column))} = %s" for c in columns)  # type: ignore[union-attr]
            self.sql[key] = (f"UPDATE {_q(Order._meta.db_table)} SET {sets}, {_q('version')} = {_q('version')} + 1 "
                             f"WHERE {_q('id')} = %s")
        return key

    def deadline_row(self, order_id: int, kind: DeadlineKind) -> Params:
        d = self.deadlines[kind]
        row = OrderDeadline(order_id=order_id, kind=kind.value, start=d.start, due=d.due, period=str(d.period),
                            rule=d.rule, provisional=d.provisional, trace=list(d.trace), warnings=list(d.warnings))
        return _row(row, self.fields[OrderDeadline])

    def deadline_update(self, order_id: int, kind: DeadlineKind) -> Params:
        d = self.deadlines[kind]
        return [_prep(OrderDeadline, "start", d.start), _prep(OrderDeadline, "due", d.due), str(d.period), d.rule,
                _prep(OrderDeadline, "trace", list(d.trace)), order_id, kind.value]

    def order_update(self, order_id: int, values: dict[str, Any]) -> tuple[str, Params]:
        values = {**values, "updated_at": self.now}
        key = self.update_sql(list(values))
        return key, [*(_prep(Order, name, v) for name, v in values.items()), order_id]

    def event(self, order_id: int, seq: int, action: str, actor_role: str, before: str, after: str,
              payload: dict[str, Any]) -> Params:
        row = Event(order_id=order_id, seq=seq, action=action, actor_role=actor_role, at=self.now, from_state=before,
                    to_state=after, rules=[self.profile.dispatch.source], payload=payload)
        return _row(row, self.fields[Event])

    def notification(self, kind: str, channel: str, recipient: str, number: str, text: str) -> Params:
        row = Notification(kind=kind, channel=channel, recipient=recipient, order_number=number, text=text)
        return _row(row, self.fields[Notification])

    def order_calls(self, plan: OrderPlan, ids: tuple[int, int, int]) -> list[list[tuple[str, Params]]]:
        """The statements of each call of ``plan``, the order's rows having ``ids`` (requester, appeal, order)."""
        requester_id, appeal_id, order_id = ids
        number = f"{PREFIX}{self.day:%Y%m%d}{order_id:08d}"
        calls: list[list[tuple[str, Params]]] = []
        state, seq, unit, replied = "received", 0, "", False
        D = DeadlineKind  # noqa: N806

        def step(kind: str, after: str, values: dict[str, Any], *extra: tuple[str, Params],
                 payload: dict[str, Any] | None = None, role: str = "dispatcher") -> None:
            nonlocal state, seq
            seq += 1
            statements = [self.order_update(order_id, {"state": after, **values}), *extra]
            statements.append(("event", self.event(order_id, seq, kind, role, state, after, payload or {})))
            calls.append(statements)
            state = after

        for call in plan.calls:
            body = call.body
            if call.kind == "accept":
                seq = 1
                requester = Requester(id=requester_id, name=body["requester"]["name"], phone=body["requester"]["phone"])
                appeal = Appeal(id=appeal_id, requester_id=requester_id, channel=body["channel"],
                                appeal_type=body["appeal_type"], category_id=self.categories.get(body["category"]),
                                address=body["address"], content=body["content"], received_at=self.now)
                order = Order(id=order_id, number=number, query_code_hash="0" * 64, appeal_id=appeal_id,
                              profile=self.profile.name, appeal_type=body["appeal_type"],
                              category_id=self.categories.get(body["category"]), state="accepted", received_at=self.now)
                calls.append([("counter", [PREFIX, _prep(OrderNumberCounter, "day", self.day)]),
                              ("requester", _row(requester, self.fields[Requester])),
                              ("appeal", _row(appeal, self.fields[Appeal])),
                              ("order", _row(order, self.fields[Order])),
                              ("deadline", self.deadline_row(order_id, D.DISPATCH)),
                              ("event", self.event(order_id, 1, "accept", "operator", "received", "accepted", {})),
                              ("notification", self.notification("order_created", "sms", body["requester"]["phone"],
                                                                 number, f"【12345】您的诉求已受理，工单号 {number}。"))])
                state = "accepted"
            elif call.kind == "dispatch":
                unit = body["unit"]
                kinds = [k for k in (D.RETURN, D.SIGN, D.HANDLE) if k in self.deadlines]
                step("dispatch", "dispatched", {"lead_unit": self.units[unit], "dispatched_at": self.now,
                                                "signed_at": None, "handle_due": self.deadlines[D.HANDLE].due},
                     *(("deadline", self.deadline_row(order_id, k)) for k in kinds),
                     ("notification", self.notification("new_order", "unit_inbox", unit, number, f"新工单 {number}")),
                     payload={"unit": unit})
            elif call.kind == "sign":
                step("sign", "signed", {"signed_at": self.now}, payload={"late": False}, role="unit_handler")
            elif call.kind == "request_return":
                step("request_return", "return_requested", {"resume_state": state}, payload=dict(body), role="unit_leader")
            elif call.kind == "approve_return":
                step("approve_return", "accepted", {"lead_unit": None, "resume_state": "", "returns": 1,
                                                    "returned_by": [unit]},
                     *(("deadline_delete", [order_id, k.value]) for k in (D.SIGN, D.RETURN, D.HANDLE)),
                     ("deadline_update", self.deadline_update(order_id, D.DISPATCH)), payload={"returned_by": unit})
            elif call.kind == "request_extension":
                step("request_extension", "extension_requested", {"resume_state": state,
                                                                  "pending_length": body.get("length") or ""},
                     payload=dict(body), role="unit_handler")
            elif call.kind == "approve_extension":
                step("approve_extension", "signed", {"extensions": 1, "pending_length": "", "resume_state": "",
                                                     "handle_due": self.deadlines[D.HANDLE].due},
                     ("deadline_update", self.deadline_update(order_id, D.HANDLE)), payload={"length": "2wd"})
            elif call.kind == "reply":
                inserts = [] if replied else [("deadline", self.deadline_row(order_id, k))
                                              for k in (D.CALLBACK, D.EVALUATION)]
                updates = [("deadline_update", self.deadline_update(order_id, k))
                           for k in (D.CALLBACK, D.EVALUATION)] if replied else []
                step("reply", "replied", {"replied_at": self.now}, *inserts, *updates,
                     ("notification", self.notification("callback_survey", "sms", "13900000000", number,
                                                        f"【12345】您的工单 {number} 已办结答复，请评价。")),
                     payload={"reply": body["reply"]}, role="unit_handler")
                replied = True
            elif call.kind == "evaluate":
                value = body["evaluation"]
                closing = value != "dissatisfied"
                step("evaluate", "evaluated" if closing else "screening",
                     {"evaluation": value, "closed_at": self.now if closing else None}, payload={"evaluation": value},
                     role="operator")
            elif call.kind == "redo":
                step("redo", "redo", {"redos": 1, "evaluation": None, "handle_due": self.deadlines[D.HANDLE].due},
                     ("deadline_update", self.deadline_update(order_id, D.HANDLE)),
                     ("notification", self.notification("redo", "unit_inbox", unit, number, f"工单 {number} 发回重办")),
                     payload={"redo": 1}, role="supervisor")
            elif call.kind == "archive":
                step("archive", "archived", {}, role="operator")
        return calls


def _next_ids() -> tuple[int, int, int]:
    starts = []
    for model in (Requester, Appeal, Order):
        top = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        starts.append(top + 1)
    return starts[0], starts[1], starts[2]


def _prepare(plans: Sequence[OrderPlan], profile: Profile) -> tuple[_Writer, list[list[list[tuple[str, Params]]]], tuple[int, int, int]]:
    writer = _Writer(profile, timezone.now())
    OrderNumberCounter.objects.get_or_create(prefix=PREFIX, day=writer.day)
    first = _next_ids()
    orders = [writer.order_calls(plan, (first[0] + i, first[1] + i, first[2] + i)) for i, plan in enumerate(plans)]
    return writer, orders, first


def _cleanup(first: tuple[int, int, int], count: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        lo, hi = first[2], first[2] + count
        children: tuple[type[models.Model], ...] = (Event, OrderDeadline)
        for model in children:
            cursor.execute(f"DELETE FROM {_q(model._meta.db_table)} WHERE {_q('order_id')} >= %s AND {_q('order_id')} < %s",
                           [lo, hi])
        cursor.execute(f"DELETE FROM {_q(Notification._meta.db_table)} WHERE {_q('order_number')} LIKE %s", [f"{PREFIX}%"])
        rows: tuple[tuple[type[models.Model], int], ...] = ((Order, first[2]), (Appeal, first[1]), (Requester, first[0]))
        for model, start in rows:
            cursor.execute(f"DELETE FROM {_q(model._meta.db_table)} WHERE {_q('id')} >= %s AND {_q('id')} < %s",
                           [start, start + count])


def run_batch(plans: Sequence[OrderPlan], profile: Profile) -> dict[str, Any]:
    """One transaction per step (the k-th call of every order), ``executemany`` per statement."""
    writer, orders, first = _prepare(plans, profile)
    steps = max(len(calls) for calls in orders)
    grouped: list[dict[str, list[Params]]] = []
    for k in range(steps):
        by_sql: dict[str, list[Params]] = defaultdict(list)
        for calls in orders:
            if k < len(calls):
                for key, params in calls[k]:
                    by_sql[key].append(params)
        grouped.append(by_sql)
    rank = {key: i for i, key in enumerate(STATEMENT_ORDER)}
    started = time.perf_counter()
    for by_sql in grouped:
        with transaction.atomic(), connection.cursor() as cursor:
            for key in sorted(by_sql, key=lambda k: rank[k.split(":")[0]]):
                cursor.executemany(writer.sql[key], by_sql[key])
    seconds = time.perf_counter() - started
    total = sum(len(c) for c in orders)
    _cleanup(first, len(plans))
    return {"seconds": seconds, "orders": len(plans), "calls": total, "transactions": steps,
            "orders_per_s": len(plans) / seconds, "calls_per_s": total / seconds}


def run_per_call(plans: Sequence[OrderPlan], profile: Profile) -> dict[str, Any]:
    """The same statements, one transaction per call (the platform's number of commits)."""
    writer, orders, first = _prepare(plans, profile)
    calls = [call for order in orders for call in order]
    # the order of the platform's run: each order from accept to archive, then the next
    started = time.perf_counter()
    for statements in calls:
        with transaction.atomic(), connection.cursor() as cursor:
            for key, params in statements:
                cursor.execute(writer.sql[key], params)
    seconds = time.perf_counter() - started
    _cleanup(first, len(plans))
    return {"seconds": seconds, "orders": len(plans), "calls": len(calls), "transactions": len(calls),
            "orders_per_s": len(plans) / seconds, "calls_per_s": len(calls) / seconds}
