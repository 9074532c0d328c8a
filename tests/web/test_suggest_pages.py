"""Suggestions on the pages: the intake fragment (category, appeal type, unit with confidence), the
dispatch queue's pre-selected unit, and the feedback recorded when the operator chooses."""

from __future__ import annotations

from django.test import Client

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from hotline.suggest.models import SuggestionFeedback
from tests.web.test_intake import FORM, as_user

LAMP = "小区门口路灯坏了一个月无人修"


def test_intake_fragment_suggests_category_and_unit_with_confidence(client: Client, city: City) -> None:
    response = as_user(client, city, "operator").get("/intake/suggest/", {"content": LAMP})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="suggest-category-urban"' in html and "城乡建设" in html
    assert "建议分类" in html and "建议承办单位" in html and "置信度 0.75" in html
    assert 'data-testid="suggest-unit-D01"' in html
    assert 'data-field="id_category"' in html            # a click fills the intake form's category select
    assert 'data-testid="suggest-cold-start"' in html    # no trained model: keywords and the duty table answer


def test_an_unsure_field_says_so_instead_of_suggesting(client: Client, city: City) -> None:
    html = as_user(client, city, "operator").get("/intake/suggest/", {"content": "你好"}).content.decode()
    assert 'data-testid="suggest-category-unsure"' in html and "把握不足，不作推荐" in html
    assert 'data-testid="suggest-category-urban"' not in html


def test_nothing_typed_shows_no_category_suggestions(client: Client, city: City) -> None:
    html = as_user(client, city, "operator").get("/intake/suggest/").content.decode()
    assert 'id="category-suggestions" data-testid="category-suggestions" hidden' in html


def test_unit_staff_may_not_fetch_the_fragment(client: Client, city: City) -> None:
    assert as_user(client, city, "d01-handler").get("/intake/suggest/", {"content": LAMP}).status_code == 403


def test_intake_records_what_was_suggested_next_to_what_was_chosen(client: Client, city: City) -> None:
    response = as_user(client, city, "operator").post("/intake/", {**FORM, "content": LAMP, "category": "environment"})
    assert response.status_code == 200
    order = Order.objects.get()
    rows = {r.field: r for r in SuggestionFeedback.objects.filter(order=order)}
    assert rows["category"].suggested[0] == "urban" and rows["category"].chosen == "environment"
    assert rows["category"].accepted is False and rows["category"].user == city.users["operator"]
    assert rows["appeal_type"].chosen == "complaint" and rows["appeal_type"].shown is False  # nothing was suggested
    client.post("/intake/", {**FORM, "content": LAMP, "category": "environment"})   # the same token: a replay
    assert SuggestionFeedback.objects.filter(order=order).count() == 2


def _accepted(city: City, *, category: str, content: str) -> Order:
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                    content=content, requester_phone="13800000002", category=category,
                                    address="东城区朝阳街道幸福路2号")
    return result.orders[0]


def test_dispatch_queue_preselects_the_confidently_suggested_unit(client: Client, city: City) -> None:
    order = _accepted(city, category="environment", content=LAMP)      # duty table: D02; the text says D01
    html = as_user(client, city, "dispatcher").get("/dispatch/").content.decode()
    assert "建议：市住房和城乡建设局（置信度 0.75）" in html
    form = html[html.index(f'id="unit-{order.pk}"'):]
    form = form[:form.index("</select>")]
    assert '<option value="D01" selected>' in form and '<option value="D02" selected>' not in form
    assert f'data-suggest-order="{order.pk}"' in html and 'data-suggested="D01"' in html


def test_dispatch_queue_keeps_the_duty_unit_when_unsure(client: Client, city: City) -> None:
    order = _accepted(city, category="environment", content="有点事情想反映一下")
    html = as_user(client, city, "dispatcher").get("/dispatch/").content.decode()
    assert 'data-testid="dispatch-suggestion-unsure"' in html
    form = html[html.index(f'id="unit-{order.pk}"'):]
    assert '<option value="D02" selected>' in form[:form.index("</select>")]


def test_the_queue_can_record_unit_feedback_with_the_session(client: Client, city: City) -> None:
    order = _accepted(city, category="urban", content=LAMP)
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(city.users["dispatcher"])
    staff.get("/dispatch/")
    token = staff.cookies["csrftoken"].value
    response = staff.post("/api/v1/suggest/feedback", {"order": order.pk, "field": "unit", "suggested": ["D01"],
                                                       "top_confidence": 0.75, "chosen": "D01"},
                          content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content.decode()
    assert SuggestionFeedback.objects.get(field="unit").accepted is True
