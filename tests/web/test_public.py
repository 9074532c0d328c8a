"""The public disclosure pages (社会监督, ankang §29; heyuan §19): no login, no personal data, never a
confidential appeal ("除不宜公开、诉求人要求保密的外")."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hotline.assessment.bulletin import public
from hotline.assessment.bulletin.scrub import public_address, scrub_text
from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from hotline.rules.calendar import SHANGHAI
from tests.rules.walk import article

REPLY = {"time": "10月6日", "process": "现场核查", "result": "已修复。如有问题请联系经办人，电话 139-1234-5678",
         "contact": "已电话告知"}
START = datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI)

#: name, phone, ID number, content (with the requester's own data in it), confidential, appeal type
APPEALS = [
    ("赵大山", "13700000011", "110101199001011234", "我是赵大山，电话13700000011，幸福路18号3栋路灯不亮", False, "complaint"),
    ("钱小红", "13700000022", "", "钱女士反映：小区垃圾无人清运，身份证110101199202022345，可打 137 0000 0022", False, "complaint"),
    ("孙秘密", "13700000033", "", "保密件：邻居孙某在楼道堆放杂物，机密内容甲乙丙", True, "complaint"),
    ("李举报", "13700000044", "", "举报某餐馆使用过期食材，机密内容丁戊己", False, "report"),
    ("周未办", "13700000055", "", "尚在办理中的诉求，机密内容庚辛壬", False, "complaint"),
    ("吴建议", "13700000066", "", "建议增设公交站点，联系我 wu.biaoyang@example.com", False, "suggestion"),
]


def _order(city: City, index: int, name: str, phone: str, id_number: str, content: str, confidential: bool,
           appeal_type: str, *, archive: bool = True) -> Order:
    at = START + timedelta(hours=index)
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type=appeal_type,
                                    content=content, requester_phone=phone, requester_name=name, category="urban",
                                    address="东城区朝阳街道幸福路18号3栋2单元501室", region="990100",
                                    confidential=confidential, at=at)
    order = result.orders[0]
    if id_number:
        requester = order.appeal.requester
        assert requester is not None
        requester.id_number = id_number
        requester.save(update_fields=["id_number"])
    if not archive:
        services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", at=at + timedelta(minutes=10))
        return order
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", at=at + timedelta(minutes=10))
    staff = city.staff("D01")
    services.order_sign(order=order.pk, user=staff, at=at + timedelta(minutes=30))
    services.order_reply(order=order.pk, user=staff, reply=REPLY, at=at + timedelta(days=1))
    services.order_evaluate(order=order.pk, user=city.users["operator"], evaluation="satisfied", contacted=True,
                            resolved=True, at=at + timedelta(days=2))
    services.order_archive(order=order.pk, user=city.users["operator"], at=at + timedelta(days=2, hours=1))
    order.refresh_from_db()
    return order


@pytest.fixture
def published(city: City) -> dict[str, Order]:
    orders = {}
    for i, (name, phone, id_number, content, confidential, appeal_type) in enumerate(APPEALS):
        orders[name] = _order(city, i, name, phone, id_number, content, confidential, appeal_type,
                              archive=name != "周未办")
    return orders


def _all_pages(client: Client) -> str:
    """Every page of the appeals list, concatenated."""
    pages, url = [], reverse("web:public_appeals")
    for _ in range(50):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        pages.append(text)
        following = re.search(r'href="(\?page=\d+)" rel="next"', text)
        if following is None:
            break
        url = reverse("web:public_appeals") + following.group(1)
    return "\n".join(pages)


@article("heyuan §19")
def test_the_public_page_shows_no_requester_name_phone_or_id_and_no_confidential_appeal(
        published: dict[str, Order], monkeypatch: Any) -> None:
    monkeypatch.setattr(public, "PAGE_SIZE", 2)   # three pages for three published orders… and the paging
    text = _all_pages(Client()) + Client().get(reverse("web:public")).content.decode()
    for name, phone, id_number, *_ in APPEALS:
        assert name not in text, name
        assert phone not in text and phone[:3] + " " + phone[3:7] not in text, phone
        if id_number:
            assert id_number not in text
    assert "13912345678" not in text and "139-1234-5678" not in text    # a phone inside the unit's reply
    assert "wu.biaoyang@example.com" not in text
    assert "110101199202022345" not in text                            # an ID number inside the content
    assert "18号" not in text and "501室" not in text                   # house numbers
    for secret in ("机密内容甲乙丙", "机密内容丁戊己", "机密内容庚辛壬"):
        assert secret not in text, secret
    shown = set(re.findall(r'data-testid="public-appeal" data-number="(\w+)"', text))
    assert shown == {published[n].number for n in ("赵大山", "钱小红", "吴建议")}
    assert "幸福路" in text and "路灯不亮" in text and "小区垃圾无人清运" in text


@article("ankang §29")
def test_the_public_pages_need_no_login_and_page_through_the_appeals(published: dict[str, Order],
                                                                      monkeypatch: Any) -> None:
    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    client = Client()
    first = client.get(reverse("web:public_appeals"))
    assert first.status_code == 200 and "第 1 / 2 页，共 3 件" in first.content.decode()
    second = client.get(reverse("web:public_appeals") + "?page=2").content.decode()
    assert len(re.findall(r'data-testid="public-appeal"', second)) == 1
    results = client.get(reverse("web:public"))
    assert results.status_code == 200 and "承办单位办理情况公开" in results.content.decode()


def test_the_results_of_a_month_not_yet_ended_or_a_bad_month_are_refused(city: City) -> None:
    client = Client()
    assert client.get(reverse("web:public") + "?month=2099-01").status_code == 400
    response = client.get(reverse("web:public") + "?month=2026-13")
    assert response.status_code == 400 and "2026-10" in response.content.decode()


def test_a_confidential_appeal_cannot_even_be_presented(published: dict[str, Order]) -> None:
    with pytest.raises(ValueError):
        public.present(published["孙秘密"])


@pytest.mark.parametrize(("text", "gone"), [
    ("电话13800138000请回电", "13800138000"),
    ("手机 138 0013 8000", "138 0013 8000"),
    ("手机+86-13800138000", "13800138000"),
    ("身份证号11010119900307123X", "11010119900307123X"),
    ("老身份证110101900307123", "110101900307123"),
    ("座机0755-12345678", "0755-12345678"),
    ("住在幸福路18号3栋2单元501室", "501"),
])
def test_numbers_that_identify_a_person_are_scrubbed_from_any_text(text: str, gone: str) -> None:
    assert gone not in scrub_text(text)


def test_the_requesters_name_and_forms_of_address_are_scrubbed_but_other_text_stays() -> None:
    out = scrub_text("张三反映：张先生家门口的路灯坏了，请老张的邻居作证", names=["张三"])
    assert "张三" not in out and "张先生" not in out and "老张" not in out
    assert "家门口的路灯坏了" in out


def test_an_address_is_cut_back_to_its_road() -> None:
    assert public_address("东城区朝阳街道幸福路18号3栋2单元501室") == "东城区朝阳街道幸福路"
    assert public_address("巴山东路十二号") == "巴山东路"
    assert public_address("") == ""


@article("ankang §29")
def test_the_units_results_of_the_last_ended_month_are_published_from_the_assessment(city: City) -> None:
    from hotline.assessment.selectors import unit_figures
    from hotline.assessment.services import assessment_refresh
    from tests.assessment.test_bulletin import handled

    month = public.last_closed_month()
    start = month.start + timedelta(days=2, hours=10)
    order = handled(city, start, "D02")
    services.order_evaluate(order=order.pk, user=city.users["operator"], evaluation="satisfied", contacted=True,
                            resolved=True, at=start + timedelta(days=2))
    assessment_refresh(orders=[order.pk])
    ranked = [f for f in unit_figures(str(month), group="department") if f.rank is not None]
    assert ranked
    text = Client().get(reverse("web:public")).content.decode()
    assert month.zh in text
    rows = re.findall(r'<tr data-unit="(\w+)"><td>(\d+)</td>', text)
    assert ("D02", "1") in rows
    assert {code for code, _ in rows} == {f.unit_code for f in ranked}
