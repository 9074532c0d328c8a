"""Acknowledging and closing a warning (supervisors and administrators only, every change logged), and
who sees which warnings (units never see warnings about who appealed)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.directory.seed import City
from hotline.early_warning import selectors
from hotline.early_warning.models import EarlyWarning, Kind, Status
from hotline.early_warning.scan import Finding, upsert
from hotline.early_warning.services import warning_acknowledge, warning_close
from hotline.rules.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.early_warning.history import moment
from tests.early_warning.test_scan import TODAY
from tests.rules.walk import article

NOW = moment(TODAY, 10)
pytestmark = pytest.mark.django_db


def raise_warning(city: City, kind: str = Kind.DANGER, key: str = "appeal:1", **subject: object) -> EarlyWarning:
    from hotline.directory.services import system_user

    upsert(Finding(kind, key, "测试预警", 1.0, {"count": 1}, [], **subject), now=NOW,  # type: ignore[arg-type]
           actor=system_user())
    return EarlyWarning.objects.get(kind=kind, key=key)


def snapshot(warning: EarlyWarning) -> tuple[object, ...]:
    warning.refresh_from_db()
    return (warning.status, warning.acknowledged_by_id, warning.closed_by_id, warning.note, warning.version,
            warning.events.count())


@article("ziyang §21")
def test_a_supervisor_acknowledges_a_warning_and_closes_it_with_a_note_each_step_logged(city: City) -> None:
    warning = raise_warning(city)
    supervisor = city.users["supervisor"]
    warning_acknowledge(user=supervisor, warning_id=warning.pk, note="已电话联系属地街道", at=NOW + timedelta(minutes=5))
    warning_close(user=supervisor, warning_id=warning.pk, note="属地已上门处置，人员安全", at=NOW + timedelta(hours=1))
    warning.refresh_from_db()
    assert warning.status == Status.CLOSED and warning.note == "属地已上门处置，人员安全"
    assert warning.acknowledged_by == supervisor and warning.acknowledged_at == NOW + timedelta(minutes=5)
    assert warning.closed_by == supervisor and warning.closed_at == NOW + timedelta(hours=1)
    log = [(e.action, e.actor.username if e.actor else None, e.from_status, e.to_status, e.note)
           for e in selectors.warning_history(warning)]
    assert log == [("raised", "system", "", "open", ""),
                   ("acknowledged", "supervisor", "open", "acknowledged", "已电话联系属地街道"),
                   ("closed", "supervisor", "acknowledged", "closed", "属地已上门处置，人员安全")]


def test_an_administrator_may_close_an_open_warning_directly(city: City) -> None:
    warning = raise_warning(city)
    warning_close(user=city.users["admin"], warning_id=warning.pk, note="误报：诉求人在说电视剧情节", at=NOW)
    assert EarlyWarning.objects.get(pk=warning.pk).status == Status.CLOSED


@pytest.mark.parametrize("username", ["operator", "dispatcher", "analyst", "d01-handler", "d01-leader"])
def test_no_other_role_acts_on_a_warning_and_a_refusal_changes_nothing(city: City, username: str) -> None:
    warning = raise_warning(city)
    before = snapshot(warning)
    with pytest.raises(Forbidden):
        warning_acknowledge(user=city.users[username], warning_id=warning.pk, at=NOW)
    with pytest.raises(Forbidden):
        warning_close(user=city.users[username], warning_id=warning.pk, note="x", at=NOW)
    assert snapshot(warning) == before


def test_closing_needs_a_note_and_a_closed_warning_is_neither_acknowledged_nor_closed_again(city: City) -> None:
    warning = raise_warning(city)
    supervisor = city.users["supervisor"]
    before = snapshot(warning)
    with pytest.raises(InvalidInput):
        warning_close(user=supervisor, warning_id=warning.pk, note="   ", at=NOW)
    assert snapshot(warning) == before
    warning_close(user=supervisor, warning_id=warning.pk, note="已处置", at=NOW)
    closed = snapshot(warning)
    with pytest.raises(Conflict):
        warning_close(user=supervisor, warning_id=warning.pk, note="再关一次", at=NOW)
    with pytest.raises(Conflict):
        warning_acknowledge(user=supervisor, warning_id=warning.pk, at=NOW)
    assert snapshot(warning) == closed
    with pytest.raises(NotFound):
        warning_acknowledge(user=supervisor, warning_id=999999, at=NOW)


def test_acknowledging_twice_is_refused(city: City) -> None:
    warning = raise_warning(city)
    warning_acknowledge(user=city.users["supervisor"], warning_id=warning.pk, at=NOW)
    with pytest.raises(Conflict):
        warning_acknowledge(user=city.users["supervisor"], warning_id=warning.pk, at=NOW)


# --- who sees what ----------------------------------------------------------------------------------------------

def test_units_see_only_the_overdue_warnings_about_themselves_never_who_appealed(city: City) -> None:
    own = raise_warning(city, Kind.OVERDUE, "unit:d01", unit_id=city.units["D01"].pk)
    raise_warning(city, Kind.OVERDUE, "unit:d02", unit_id=city.units["D02"].pk)
    raise_warning(city, Kind.REPEAT, "requester:1:1", unit_id=city.units["D01"].pk)
    raise_warning(city, Kind.DANGER, "appeal:7")
    raise_warning(city, Kind.BURST, "burst:9")
    handler = city.staff("D01")
    assert [w.pk for w in selectors.warning_list(user=handler)] == [own.pk]
    assert [w.pk for w in selectors.warning_list(user=city.staff("D01", leader=True))] == [own.pk]
    other = EarlyWarning.objects.get(key="requester:1:1")
    with pytest.raises(NotFound):
        selectors.warning_get(user=handler, warning_id=other.pk)
    for username in ("supervisor", "admin", "analyst"):
        assert len(selectors.warning_list(user=city.users[username])) == 5
    for username in ("operator", "dispatcher"):
        with pytest.raises(Forbidden):
            selectors.warning_list(user=city.users[username])


def test_the_list_filters_by_status_and_kind_and_rejects_unknown_ones(city: City) -> None:
    open_one = raise_warning(city, Kind.DANGER, "appeal:1")
    closed = raise_warning(city, Kind.BURST, "burst:2")
    warning_close(user=city.users["supervisor"], warning_id=closed.pk, note="已处置", at=NOW)
    supervisor = city.users["supervisor"]
    assert [w.pk for w in selectors.warning_list(user=supervisor, status="active")] == [open_one.pk]
    assert [w.pk for w in selectors.warning_list(user=supervisor, status="closed")] == [closed.pk]
    assert [w.pk for w in selectors.warning_list(user=supervisor, kind="burst")] == [closed.pk]
    assert selectors.warning_counts(user=supervisor) == {"danger": 1}
    with pytest.raises(InvalidInput):
        selectors.warning_list(user=supervisor, status="bogus")
    with pytest.raises(InvalidInput):
        selectors.warning_list(user=supervisor, kind="bogus")
