"""Each city receives appeals on the channels its rulebook names, and refuses the others with the article."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Channel
from hotline.rules import profiles
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import GuardRefused

CITIES = ["ziyang", "ankang", "xixian", "tianjin", "heyuan"]


@pytest.mark.parametrize("city_name", CITIES)
def test_each_city_receives_appeals_on_its_own_channels(city: City, settings: Any, city_name: str) -> None:
    settings.HOTLINE_PROFILE = city_name
    profile = profiles.get(city_name)
    appeal_type = next(t.value for t in profile.appeal_types if profile.accepts(t))
    for channel in Channel.values:
        def intake(channel: str = channel) -> object:
            return services.appeal_intake(user=city.users["operator"], channel=channel, appeal_type=appeal_type,
                                          content="测试渠道", at=datetime(2026, 3, 2, 10, tzinfo=SHANGHAI))
        if channel in profile.channels.channels:
            intake()
        else:
            with pytest.raises(GuardRefused) as info:
                intake()
            assert info.value.article == profile.channels.source
