"""The tick: what the system does by itself when time passes, read like the rulebooks.

Orders are built through the services at explicit times, then ``automation.tick(now=…)`` runs.
March 2026 has no holidays; ziyang's winter office hours are 09:00–12:00 and 14:00–17:30.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any
from typing import Any as SettingsWrapper  # pytest-django's `settings` fixture

import pytest
from django.db import connection

from hotline.directory.models import Unit
from hotline.directory.seed import City
from hotline.notify.models import Notification
from hotline.orders import automation, rulebook, services
from hotline.orders.models import Event, Order
from hotline.rules.calendar import SHANGHAI

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
REPLY = {"time": "3月3日", "process": "现场核查", "result": "已修复路灯", "contact": "已电话告知"}
MINUTE = timedelta(minutes=1)
NOTHING = dict.fromkeys((*automation.STEPS, "skipped", "failed"), 0)


@pytest.fixture(autouse=True)
def fast_passwords(settings: SettingsWrapper) -> None:
    """The demo city hashes its users' password: PBKDF2 takes a second a test, MD5 none."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


DISPATCHED_AT, SIGNED_AT, REPLIED_AT = at(2, 11), at(2, 15), at(3, 10)


def did(**counts: int) -> dict[str, int]:
    return {**NOTHING, **counts}


# --- building orders through the services ---------------------------------------------------------------

def accepted(city: City, *, when: datetime = MONDAY, **kwargs: Any) -> Order:
    defaults: dict[str, object] = {"channel": "phone", "appeal_type": "complaint", "content": "小区门口路灯坏了一个月无人修",
                                   "requester_phone": "13800000001", "category": "urban", "at": when}
    defaults.update(kwargs)
    return services.appeal_intake(user=city.users["operator"], **defaults).orders[0]  # type: ignore[arg-type]


def dispatched(city: City, *, unit: str = "D01", when: datetime = DISPATCHED_AT, limit: str | None = None,
               **kwargs: Any) -> Order:
    order = accepted(city, **kwargs)
    return services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=unit, handling_limit=limit,
                                   at=when)


def signed(city: City, *, unit: str = "D01", when: datetime = SIGNED_AT, **kwargs: Any) -> Order:
    order = dispatched(city, unit=unit, **kwargs)
    return services.order_sign(order=order.pk, user=city.staff(unit), at=when)


def replied(city: City, *, unit: str = "D01", when: datetime = REPLIED_AT, **kwargs: Any) -> Order:
    order = signed(city, unit=unit, **kwargs)
    return services.order_reply(order=order.pk, user=city.staff(unit), reply=REPLY, at=when)


def due(order: Order, kind: str) -> datetime:
    return order.deadlines.get(kind=kind).due


def events(order: Order, action: str) -> list[Event]:
    return list(Event.objects.filter(order=order, action=action).order_by("seq"))


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


# --- 1. overdue marks --------------------------------------------------------------------------------------

def test_ziyang_13_1_an_order_not_dispatched_within_two_hours_is_marked_dispatch_overdue(city: City) -> None:
    order = accepted(city)
    assert due(order, "dispatch") == at(2, 12)

    assert automation.tick(now=at(2, 12))["overdue"] == 0
    assert automation.tick(now=at(2, 12, 1))["overdue"] == 1

    (mark,) = events(order, "mark_overdue")
    assert mark.payload == {"steps": ["dispatch"]} and mark.actor_role == "system" and mark.at == at(2, 12, 1)
    assert fresh(order).overdue_steps == ["dispatch"] and fresh(order).state == "accepted"


def test_ziyang_13_2_an_order_not_signed_within_five_working_hours_is_marked_sign_overdue(city: City) -> None:
    order = dispatched(city)
    assert due(order, "sign") == at(3, 9, 30)  # 11:00–12:00, 14:00–17:30, then 09:00–09:30 next day

    automation.tick(now=at(3, 9, 31))

    assert fresh(order).overdue_steps == ["sign"]
    assert [e.payload["steps"] for e in events(order, "mark_overdue")] == [["sign"]]


def test_the_return_window_is_not_a_duty_and_is_never_overdue(city: City) -> None:
    order = signed(city)
    assert due(order, "return") < at(4, 10)

    assert automation.tick(now=at(4, 10)) == NOTHING
    assert fresh(order).overdue_steps == []


def test_ziyang_13_4_a_late_first_response_and_a_late_sign_are_one_overdue_mark(city: City) -> None:
    order = dispatched(city, urgency="special-urgent")
    assert due(order, "first-response") == at(2, 12)

    automation.tick(now=at(3, 10))

    (mark,) = events(order, "mark_overdue")
    assert sorted(mark.payload["steps"]) == ["first-response", "sign"]


def test_a_first_response_given_in_time_is_not_overdue(city: City) -> None:
    order = dispatched(city, urgency="special-urgent")
    services.order_first_response(order=order.pk, user=city.staff("D01"), note="已派人赶赴现场", at=at(2, 11, 30))

    automation.tick(now=at(3, 10))

    assert fresh(order).overdue_steps == ["sign"]


def test_ziyang_25_3_handle_overdue_is_marked_and_supervised_once(city: City) -> None:
    order = signed(city)
    assert due(order, "handle") == at(11, 17, 30)

    assert automation.tick(now=at(11, 17, 31)) == did(overdue=1, supervised=1)
    assert automation.tick(now=at(12, 10)) == NOTHING

    order = fresh(order)
    assert order.overdue_steps == ["handle"] and order.supervised
    (supervision,) = events(order, "supervise")
    assert supervision.payload["trigger"] == "overdue" and supervision.rules == ["ziyang §25(3)"]
    assert Notification.objects.filter(kind="supervision", recipient="D01", order_number=order.number).count() == 1


def test_a_provisionally_closed_order_is_not_handle_overdue(city: City) -> None:
    order = signed(city)
    services.order_request_provisional_close(order=order.pk, user=city.staff("D01"), progress="已立案",
                                             next_steps="等待鉴定", promised_date="2026-06-30", at=at(3, 10))
    services.order_approve_provisional_close(order=order.pk, user=city.users["dispatcher"], at=at(3, 11))

    automation.tick(now=at(12, 10))  # past the handle due time (03-11 17:30)

    assert fresh(order).overdue_steps == []


def test_a_reply_not_called_back_within_two_working_days_is_marked_callback_overdue(city: City) -> None:
    order = replied(city)

    automation.tick(now=due(order, "callback") + MINUTE)

    assert fresh(order).overdue_steps == ["callback"]


# --- 2. reminders ----------------------------------------------------------------------------------------

def test_a_unit_is_reminded_once_of_its_handling_deadline_within_the_lead_time(city: City) -> None:
    order = signed(city)  # handle due 03-11 17:30

    assert automation.tick(now=at(10, 17))["reminded"] == 0            # 24.5 h before
    assert automation.tick(now=at(10, 18))["reminded"] == 1            # 23.5 h before
    assert automation.tick(now=at(11, 9))["reminded"] == 0             # the same deadline: once only

    (reminder,) = events(order, "remind")
    assert reminder.payload["note"] == "系统提醒：办结时限 2026-03-11 17:30 到期，请抓紧办理"
    assert fresh(order).reminders == 1
    assert Notification.objects.filter(kind="reminder", recipient="D01", order_number=order.number).count() == 1


def test_a_new_due_time_after_an_extension_is_reminded_again(city: City, settings: SettingsWrapper) -> None:
    settings.HOTLINE_REMIND_BEFORE_HOURS = 48
    order = signed(city)
    assert automation.tick(now=at(10, 10))["reminded"] == 1
    services.order_request_extension(order=order.pk, user=city.staff("D01"), reason="需第三方检测", length="3wd",
                                     at=at(10, 11))
    services.order_approve_extension(order=order.pk, user=city.users["dispatcher"], at=at(10, 14))
    assert due(order, "handle") == at(16, 17, 30)

    assert automation.tick(now=at(15, 18))["reminded"] == 1
    assert fresh(order).reminders == 2


def test_a_dispatched_order_is_reminded_to_sign(city: City) -> None:
    order = dispatched(city)

    assert automation.tick(now=at(2, 11, 5))["reminded"] == 1

    assert events(order, "remind")[0].payload["note"] == "系统提醒：签收时限 2026-03-03 09:30 到期，请抓紧办理"


def test_the_reminder_lead_time_is_a_setting(city: City, settings: SettingsWrapper) -> None:
    settings.HOTLINE_REMIND_BEFORE_HOURS = 2
    order = signed(city)

    assert automation.tick(now=at(11, 15))["reminded"] == 0            # 2.5 h before
    assert automation.tick(now=at(11, 16))["reminded"] == 1            # 1.5 h before
    assert fresh(order).reminders == 1


# --- 3. silence after the reply ------------------------------------------------------------------------------

def test_ziyang_14_1_silence_past_the_window_counts_as_basically_satisfied_and_archives(city: City) -> None:
    order = replied(city)
    window = due(order, "evaluation")
    assert window == at(6, 17, 30)  # replied 03-03 10:00: the end of the third working day after

    assert automation.tick(now=window - MINUTE)["evaluated"] == 0
    summary = automation.tick(now=window + MINUTE)

    assert (summary["evaluated"], summary["archived"]) == (1, 1)
    order = fresh(order)
    assert (order.state, order.evaluation) == ("archived", "basically_satisfied")
    (timeout,) = events(order, "evaluation_timeout")
    assert timeout.payload["evaluation"] == "basically_satisfied" and "ziyang §14(1)" in timeout.rules
    assert events(order, "archive")[0].seq == timeout.seq + 1


def test_national_silence_counts_as_no_evaluation(city: City, settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "tianjin"  # tianjin is silent on silence: the national default applies
    order = replied(city, limit="10wd")  # tianjin §16(2): the dispatch states the handling limit
    assert order.profile == "tianjin"

    automation.tick(now=due(order, "evaluation") + MINUTE)

    order = fresh(order)
    assert (order.state, order.evaluation) == ("archived", "none")


def test_each_order_keeps_the_rulebook_it_was_accepted_under(city: City, settings: SettingsWrapper) -> None:
    order = replied(city)  # ziyang
    settings.HOTLINE_PROFILE = "tianjin"

    automation.tick(now=due(order, "evaluation") + MINUTE)

    assert fresh(order).evaluation == "basically_satisfied"


def test_an_evaluation_given_in_time_is_archived_at_once(city: City) -> None:
    order = replied(city)
    services.order_evaluate(order=order.pk, user=city.users["operator"], evaluation="satisfied", contacted=True,
                            resolved=True, at=at(4, 10))

    assert automation.tick(now=at(4, 10, 5)) == did(archived=1)
    assert fresh(order).state == "archived"


# --- 4. progress reports on provisional close -------------------------------------------------------------

def test_ziyang_13_3_a_provisionally_closed_order_is_asked_for_its_progress_report_once_per_due_time(
        city: City) -> None:
    order = signed(city)
    services.order_request_provisional_close(order=order.pk, user=city.staff("D01"), progress="已立案调查",
                                             next_steps="等待检测报告", promised_date="2026-06-30", at=at(3, 10))
    services.order_approve_provisional_close(order=order.pk, user=city.users["dispatcher"], at=at(3, 11))
    report = due(order, "progress-report")  # every 15 working days

    assert automation.tick(now=report - timedelta(hours=25))["progress_requested"] == 0
    assert automation.tick(now=report - timedelta(hours=12))["progress_requested"] == 1
    assert automation.tick(now=report - timedelta(hours=11))["progress_requested"] == 0
    late = automation.tick(now=report + MINUTE)
    assert (late["progress_requested"], late["overdue"]) == (0, 1)
    assert fresh(order).overdue_steps == ["progress-report"]

    services.order_report_progress(order=order.pk, user=city.staff("D01"), progress="检测报告已出", at=report + MINUTE)
    following = due(order, "progress-report")
    assert following > report
    assert automation.tick(now=following - timedelta(hours=1))["progress_requested"] == 1

    sent = Notification.objects.filter(kind="progress_report_due", recipient="D01").order_by("pk")
    assert [n.dedupe_key for n in sent] == [automation.progress_key(order.number, report),
                                            automation.progress_key(order.number, following)]
    assert "ziyang §13(3)" in sent[0].text


# --- 5. supervision and 6. archive after a dissatisfied evaluation -------------------------------------------

def dissatisfied(city: City, order: Order, when: datetime) -> Order:
    return services.order_evaluate(order=order.pk, user=city.users["operator"], evaluation="dissatisfied", contacted=True,
                                   resolved=False, at=when)


def test_ziyang_25_2_an_upheld_dissatisfied_evaluation_is_supervised_then_archived(city: City) -> None:
    order = replied(city)
    dissatisfied(city, order, at(4, 10))
    services.order_uphold_dissatisfied(order=order.pk, user=city.users["supervisor"], note="推诿", at=at(4, 11))

    assert automation.tick(now=at(4, 12)) == did(supervised=1, archived=1)

    (supervision,) = events(order, "supervise")
    assert supervision.payload["trigger"] == "dissatisfied_confirmed"
    assert events(order, "archive")[0].seq == supervision.seq + 1


def test_a_dissatisfied_evaluation_screened_out_is_archived_without_supervision(city: City) -> None:
    order = replied(city)
    dissatisfied(city, order, at(4, 10))
    services.order_screen_out(order=order.pk, user=city.users["supervisor"], note="诉求人期望过高", at=at(4, 11))

    assert automation.tick(now=at(4, 12)) == did(archived=1)


def test_a_dissatisfied_evaluation_still_being_screened_is_left_alone(city: City) -> None:
    order = replied(city)
    dissatisfied(city, order, at(4, 10))

    assert automation.tick(now=at(20, 10)) == NOTHING
    assert fresh(order).state == "screening"


def test_tianjin_25_an_upheld_dissatisfied_order_waits_for_its_exemption_before_it_is_archived(
        city: City, settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "tianjin"
    order = replied(city, limit="10wd")
    dissatisfied(city, order, at(4, 10))
    services.order_uphold_dissatisfied(order=order.pk, user=city.users["supervisor"], at=at(4, 11))

    assert automation.tick(now=at(4, 12)) == did(supervised=1)
    services.order_request_exemption(order=order.pk, user=city.staff("D01"), reason="已依法履职",
                                     evidence="现场照片、执法记录", at=at(5, 10))
    services.order_reject_exemption(order=order.pk, user=city.users["dispatcher"], at=at(5, 11))

    assert automation.tick(now=at(5, 12)) == did(archived=1)


def test_ziyang_25_3_an_order_sent_back_for_redo_twice_is_supervised(city: City) -> None:
    order = replied(city)
    dissatisfied(city, order, at(4, 10))
    services.order_redo(order=order.pk, user=city.users["supervisor"], note="回复不实", at=at(4, 11))
    assert automation.tick(now=at(4, 12)) == NOTHING                   # once is not "repeatedly"
    services.order_reply(order=order.pk, user=city.staff("D01"), reply=REPLY, at=at(5, 10))
    dissatisfied(city, order, at(6, 10))
    services.order_redo(order=order.pk, user=city.users["supervisor"], note="仍未解决", at=at(6, 11))

    assert automation.tick(now=at(6, 12)) == did(supervised=1)

    (supervision,) = events(order, "supervise")
    assert supervision.payload["trigger"] == "repeated_redo" and fresh(order).state == "redo"


def test_ankang_31_7_redone_and_still_dissatisfied_is_supervised(city: City, settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "ankang"
    order = replied(city)
    dissatisfied(city, order, at(4, 10))
    services.order_redo(order=order.pk, user=city.users["supervisor"], at=at(4, 11))
    services.order_reply(order=order.pk, user=city.staff("D01"), reply=REPLY, at=at(5, 10))
    dissatisfied(city, order, at(5, 15))
    services.order_uphold_dissatisfied(order=order.pk, user=city.users["supervisor"], at=at(5, 16))

    assert automation.tick(now=at(5, 17)) == did(supervised=1, archived=1)
    assert events(order, "supervise")[0].payload["trigger"] == "redo_still_dissatisfied"


def test_heyuan_13_1_a_disputed_result_upheld_by_screening_is_supervised(city: City, settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "heyuan"
    order = replied(city)
    dissatisfied(city, order, at(4, 10))
    services.order_uphold_dissatisfied(order=order.pk, user=city.users["supervisor"], at=at(4, 11))

    assert automation.tick(now=at(4, 12)) == did(supervised=1, archived=1)
    assert events(order, "supervise")[0].payload["trigger"] == "result_disputed"


def test_only_the_triggers_a_profile_marks_auto_are_raised_by_the_tick() -> None:
    assert [t.code for t in automation.auto_triggers(rulebook.profile("ziyang"))] == [
        "dissatisfied_confirmed", "overdue", "repeated_redo"]
    assert [t.code for t in automation.auto_triggers(rulebook.profile("ankang"))] == [
        "overdue", "redo_still_dissatisfied"]


# --- the tick as a whole ----------------------------------------------------------------------------------------

def a_busy_day(city: City) -> list[Order]:
    """Orders with something due on 03-12 10:00, one of each kind."""
    return [accepted(city, when=at(11, 9)), dispatched(city, unit="D02"), signed(city, unit="D03"),
            signed(city, unit="D04", when=at(3, 9)), replied(city, unit="D05", when=at(6, 10))]


def test_the_tick_is_idempotent(city: City) -> None:
    a_busy_day(city)
    now = at(12, 10)

    first = automation.tick(now=now)
    counted = (Event.objects.count(), Notification.objects.count())
    second = automation.tick(now=now)

    assert first["overdue"] > 0 and first["supervised"] > 0 and first["evaluated"] == 1 and first["failed"] == 0
    assert second == NOTHING
    assert (Event.objects.count(), Notification.objects.count()) == counted


def test_a_failure_on_one_order_is_logged_and_counted_and_the_others_go_on(
        city: City, caplog: pytest.LogCaptureFixture) -> None:
    broken, fine = dispatched(city, unit="D01"), dispatched(city, unit="D02")
    Unit.objects.filter(code="D01").update(active=False)  # a unit merged away under an open order

    with caplog.at_level(logging.WARNING, logger="hotline.automation"):
        summary = automation.tick(now=at(3, 10))

    assert (summary["failed"], summary["overdue"]) == (1, 1)
    assert fresh(fine).overdue_steps == ["sign"] and fresh(broken).overdue_steps == []
    assert f"order {broken.pk} refused" in caplog.text and "D01" in caplog.text


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(Exception, match="time zone"):
        automation.tick(now=datetime(2026, 3, 2, 10, 0))


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises writers (BEGIN IMMEDIATE) and its in-memory "
                           "test database is not shared between threads")
def test_two_workers_at_once_do_each_thing_exactly_once(transactional_db: None, city: City) -> None:
    late = [signed(city, unit=f"D{n:02d}") for n in range(1, 7)]            # handle overdue → supervised
    silent = [replied(city, unit=f"D{n:02d}") for n in range(7, 13)]        # silence → evaluated → archived
    now = at(12, 10)
    start = threading.Barrier(2)
    results: list[dict[str, int]] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(automation.tick(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(results) == 2 and sum(r["failed"] for r in results) == 0
    total = {step: sum(r[step] for r in results) for step in automation.STEPS}
    assert total == {"overdue": 12, "reminded": 0, "evaluated": 6, "progress_requested": 0, "supervised": 6,
                     "archived": 6, "kb_review_due": 0}  # every order past its callback too: 6 handle + 6 callback marks
    for order in late:
        assert len(events(order, "mark_overdue")) == 1 and len(events(order, "supervise")) == 1
    for order in silent:
        assert [len(events(order, a)) for a in ("mark_overdue", "evaluation_timeout", "archive")] == [1, 1, 1]
    assert automation.tick(now=now) == NOTHING


def test_a_second_tick_with_nothing_due_reads_a_few_batches_and_locks_no_order(
        city: City, django_assert_max_num_queries: Any) -> None:
    for unit in ("D01", "D02", "D03", "D04"):
        signed(city, unit=unit)
    replied(city, unit="D05", when=at(6, 10))
    assert automation.tick(now=at(10, 18)) == did(overdue=1, reminded=4)

    # one candidate query per step and trigger, whatever the orders; + the knowledge-base review and the
    # suggestion models' retrain check; + early warning's 4 (savepoint, scan marks, recent appeals, release)
    with django_assert_max_num_queries(20):
        assert automation.tick(now=at(10, 18, 5)) == NOTHING
