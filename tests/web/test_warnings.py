"""The early-warning pages (预警): supervisors see each warning with its evidence, acknowledge it and close
it with a note; analysts read; units see only the overdue warnings about themselves, never who appealed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from hotline.directory.seed import City
from hotline.early_warning.models import EarlyWarning, Kind, Status
from hotline.early_warning.scan import warnings_scan
from hotline.orders import services as order_services
from hotline.requesters.models import Requester
from tests.early_warning.history import appeals, weekday_history
from tests.early_warning.test_scan import NOW, TODAY, YESTERDAY
from tests.rules.walk import article

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="x")
    return client


def test_supervisors_administrators_and_analysts_find_warnings_in_their_navigation(city: City) -> None:
    for username in ("supervisor", "admin", "analyst"):
        page = login(username).get(reverse("web:warnings"))
        assert page.status_code == 200 and 'href="/warnings/"' in page.content.decode()
    for username in ("operator", "dispatcher"):
        assert login(username).get(reverse("web:warnings")).status_code == 403


@article("ziyang §21")
def test_a_volume_warning_shows_its_count_its_baseline_its_threshold_and_its_orders(city: City) -> None:
    weekday_history(TODAY, level=20)
    appeals(YESTERDAY, 60, start=8, step=0.2)
    result = order_services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                          content="小区门口路灯坏了", requester_phone="13800000001", category="urban",
                                          region="990100", at=NOW - timedelta(hours=20))
    warnings_scan(now=NOW, kinds=[Kind.VOLUME])
    warning = EarlyWarning.objects.get(kind=Kind.VOLUME, category__code="urban")
    listing = login("supervisor").get(reverse("web:warnings")).content.decode()
    assert f'data-id="{warning.pk}"' in listing and "来件量异常" in listing
    page = login("supervisor").get(reverse("web:warning", args=[warning.pk])).content.decode()
    e = warning.evidence
    assert f"{e['count']} 件" in page and f"中位数 {e['expected']} 件" in page and "阈值 ±4.0" in page
    assert page.count('data-testid="judged-day"') == 1 and e["reference"][0]["day"] in page
    assert "与前 8 周的同一星期几比较" in page                      # the method, in Chinese
    assert result.orders[0].number in page and reverse("web:order", args=[result.orders[0].pk]) in page


@article("xixian §9(6)")
def test_a_supervisor_acknowledges_and_closes_a_danger_warning_from_its_page(city: City) -> None:
    appeals(TODAY, 1, content="工地老板拖欠工资半年，工人准备明天去政府门口拉横幅讨薪", start=14)
    warnings_scan(now=NOW, kinds=[Kind.DANGER])
    warning = EarlyWarning.objects.get(kind=Kind.DANGER)
    supervisor = login("supervisor")
    url = reverse("web:warning", args=[warning.pk])
    page = supervisor.get(url).content.decode()
    assert 'data-word="讨薪"' in page and 'data-word="拉横幅"' in page and "群体性事件" in page
    assert 'data-testid="acknowledge"' in page
    supervisor.post(reverse("web:warning_act", args=[warning.pk, "acknowledge"]), {"note": "已通知人社局"})
    refused = supervisor.post(reverse("web:warning_act", args=[warning.pk, "close"]), {"note": ""})
    assert refused.status_code == 422 and "处理说明" in refused.content.decode()
    assert EarlyWarning.objects.get(pk=warning.pk).status == Status.ACKNOWLEDGED
    done = supervisor.post(reverse("web:warning_act", args=[warning.pk, "close"]), {"note": "人社局已约谈企业，工资本周发放"})
    assert done.status_code == 302
    page = supervisor.get(url).content.decode()
    assert "人社局已约谈企业，工资本周发放" in page and 'data-testid="close"' not in page
    assert [row for row in ("发出预警", "确认", "关闭") if row in page] == ["发出预警", "确认", "关闭"]
    assert EarlyWarning.objects.get(pk=warning.pk).status == Status.CLOSED


def test_an_analyst_reads_a_warning_but_has_no_buttons_and_cannot_post(city: City) -> None:
    appeals(TODAY, 1, content="邻居说不想活了要跳楼", start=14)
    warnings_scan(now=NOW, kinds=[Kind.DANGER])
    warning = EarlyWarning.objects.get(kind=Kind.DANGER)
    analyst = login("analyst")
    page = analyst.get(reverse("web:warning", args=[warning.pk])).content.decode()
    assert "跳楼" in page and 'data-testid="warning-actions"' not in page
    refused = analyst.post(reverse("web:warning_act", args=[warning.pk, "close"]), {"note": "x"})
    assert refused.status_code == 403
    assert EarlyWarning.objects.get(pk=warning.pk).status == Status.OPEN


def test_a_unit_never_sees_a_warning_about_who_appealed(city: City) -> None:
    requester = Requester.objects.create(name="李四", phone="13911112222")
    for k, text in enumerate(["楼下烧烤店噪音太大影响休息", "又是楼下烧烤店噪音太大，还是没人管", "第三次反映楼下烧烤店噪音扰民"]):
        appeals(TODAY - timedelta(days=10 - 4 * k), 1, content=text, address="东城区和平街5号", requester=requester)
    warnings_scan(now=NOW, kinds=[Kind.REPEAT])
    repeat = EarlyWarning.objects.get(kind=Kind.REPEAT)
    supervisor_page = login("supervisor").get(reverse("web:warning", args=[repeat.pk])).content.decode()
    assert "李四" not in supervisor_page and "13911112222" not in supervisor_page   # never personal data
    handler = login("d01-handler")
    listing = handler.get(reverse("web:warnings"))
    assert listing.status_code == 200 and f'data-id="{repeat.pk}"' not in listing.content.decode()
    assert handler.get(reverse("web:warning", args=[repeat.pk])).status_code == 404
    assert handler.post(reverse("web:warning_act", args=[repeat.pk, "close"]), {"note": "x"}).status_code == 403
