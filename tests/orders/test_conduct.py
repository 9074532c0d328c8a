"""Abusive use: warnings, suspensions, and what intake does with a suspended requester."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any as SettingsWrapper

import pytest

from hotline.directory.seed import City
from hotline.orders import services
from hotline.requesters.models import Requester
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import GuardRefused
from tests.rules.walk import article

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def requester(city: City) -> Requester:
    services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="consult", content="咨询",
                           requester_phone="13700000000", outcome="answer_directly", at=MONDAY)
    return Requester.objects.get(phone="13700000000")


@article("tianjin §32(2)")
def test_32_a_requester_is_suspended_only_after_a_warning_and_intake_then_refuses(city: City,
                                                                                settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "tianjin"
    who = requester(city)
    supervisor = city.users["supervisor"]
    with pytest.raises(GuardRefused) as info:
        services.requester_conduct_record(user=supervisor, requester=who.pk, kind="suspension", reason="反复骚扰",
                                          days=7, at=MONDAY)
    assert info.value.code == "warning_first" and str(info.value.article).startswith("tianjin §32")
    services.requester_conduct_record(user=supervisor, requester=who.pk, kind="warning", reason="辱骂话务员", at=MONDAY)
    services.requester_conduct_record(user=supervisor, requester=who.pk, kind="suspension", reason="经提醒仍辱骂",
                                      days=7, at=MONDAY)
    with pytest.raises(GuardRefused) as info:
        services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="help", content="求助",
                               requester_phone="13700000000", at=MONDAY + timedelta(days=1))
    assert info.value.code == "requester_suspended"
    later = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="help", content="求助",
                                   requester_phone="13700000000", at=MONDAY + timedelta(days=8))
    assert later.orders


@article("ziyang §29")
def test_29_ziyang_records_warnings_but_does_not_suspend(city: City) -> None:
    who = requester(city)
    services.requester_conduct_record(user=city.users["operator"], requester=who.pk, kind="warning",
                                      reason="无正当理由反复拨打", at=MONDAY)
    with pytest.raises(GuardRefused) as info:
        services.requester_conduct_record(user=city.users["supervisor"], requester=who.pk, kind="suspension",
                                          reason="反复拨打", days=3, at=MONDAY)
    assert info.value.code == "suspension_not_allowed" and info.value.article == "ziyang §29"


@article("xixian §9(1)")
def test_9_1_xixian_receives_appeals_only_as_transfers_from_the_city_platform(city: City,
                                                                              settings: SettingsWrapper) -> None:
    settings.HOTLINE_PROFILE = "xixian"
    with pytest.raises(GuardRefused) as info:
        services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="help", content="求助",
                               at=MONDAY)
    assert info.value.code == "channel_not_provided"
    assert services.appeal_intake(user=city.users["operator"], channel="transfer", appeal_type="help",
                                  content="求助", at=MONDAY).orders
