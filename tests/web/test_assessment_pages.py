"""The assessment pages (单位考核): figures by group with their method and articles, drill-down to orders,
freezing and revisions, vetoes; who may see what; no personal data."""

from __future__ import annotations

from datetime import datetime

from django.test import Client
from django.urls import reverse

from hotline.assessment.models import FrozenPeriod, Veto
from hotline.assessment.services import assessment_freeze, assessment_refresh
from hotline.directory.models import User
from hotline.directory.seed import City
from hotline.orders import services
from hotline.rules.calendar import SHANGHAI
from tests.assessment.test_services import NOW, handled
from tests.rules.walk import article


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, **params: str) -> str:
    response = client.get(reverse("web:assessment"), params)
    assert response.status_code == 200, response.content.decode()[:500]
    return str(response.content.decode())


@article("ziyang §14(2)")
def test_14_2_the_page_ranks_departments_and_shows_why_orders_were_left_out(city: City) -> None:
    handled(city, "D01", "satisfied")
    screened = handled(city, "D02", "dissatisfied", contacted=False, resolved=False)
    services.order_screen_out(order=screened.pk, user=city.users["supervisor"], note="超出政策规定",
                              at=datetime(2026, 10, 15, 10, tzinfo=SHANGHAI))
    assessment_refresh(now=NOW)
    html = page(login(city.users["analyst"]), period="2026-10")
    assert 'data-testid="group-department"' in html and "市住房和城乡建设局" in html
    assert "资阳 §14(2)" in html                         # the exclusion's article, on the page
    assert "13800000001" not in html                    # never the requester's phone
    drill = login(city.users["analyst"]).get(reverse("web:assessment_orders", args=["D02"]),
                                             {"period": "2026-10", "figure": "excluded"})
    text = drill.content.decode()
    assert drill.status_code == 200 and screened.number in text and 'data-part="excluded"' in text
    assert "资阳 §14(2)" in text and "13800000001" not in text


def test_the_resolution_rate_drills_down_to_numerator_and_denominator(city: City) -> None:
    sat = handled(city, "D01", "satisfied")
    unresolved = handled(city, "D01", "basically_satisfied", contacted=True, resolved=False)
    assessment_refresh(now=NOW)
    response = login(city.users["supervisor"]).get(reverse("web:assessment_orders", args=["D01"]),
                                                   {"period": "2026-10", "figure": "resolution_rate"})
    html = response.content.decode()
    assert f'data-number="{sat.number}" data-part="numerator"' in html
    assert f'data-number="{unresolved.number}" data-part="denominator"' in html
    assert "50.00%" in html                              # 1 resolved ÷ 2 answered


def test_a_unit_leader_sees_their_own_row_and_not_another_units_orders(city: City) -> None:
    handled(city, "D01", "satisfied")
    handled(city, "D02", "satisfied")
    assessment_refresh(now=NOW)
    leader = login(city.staff("D02", leader=True))
    html = page(leader, period="2026-10")
    assert 'data-unit="D02"' in html and 'data-unit="D01"' not in html
    assert 'data-testid="freeze-form"' not in html
    other = leader.get(reverse("web:assessment_orders", args=["D01"]), {"period": "2026-10", "figure": "orders"})
    assert other.status_code == 403
    assert login(city.users["operator"]).get(reverse("web:assessment")).status_code == 403


def test_a_supervisor_freezes_a_period_and_later_changes_show_as_revisions(city: City) -> None:
    pending = handled(city, "D02", "dissatisfied", contacted=True, resolved=False)
    assessment_refresh(now=NOW)
    supervisor = login(city.users["supervisor"])
    assert 'data-testid="freeze-form"' in page(supervisor, period="2026-10")
    response = supervisor.post(reverse("web:assessment_freeze"), {"period": "2026-10"})
    assert response.status_code == 302 and FrozenPeriod.objects.filter(period="2026-10").exists()
    services.order_screen_out(order=pending.pk, user=city.users["supervisor"], note="超出政策规定")
    assessment_refresh()
    html = page(supervisor, period="2026-10")
    assert 'data-testid="frozen"' in html and 'data-testid="revision"' in html and "有修订" in html
    # D02's only callback left the denominators: frozen at 10 (response 1/1 → 10 + 0 + 0), now nothing to score
    assert "按现有数据：— 分" in html
    assert 'data-testid="freeze-form"' not in html


def test_a_period_not_yet_ended_cannot_be_frozen_and_a_bad_period_is_explained(city: City) -> None:
    supervisor = login(city.users["supervisor"])
    response = supervisor.get(reverse("web:assessment"), {"period": "2026-13"})
    assert response.status_code == 400 and "2026-Q4" in response.content.decode()
    supervisor.post(reverse("web:assessment_freeze"), {"period": "2099-01"})
    assert not FrozenPeriod.objects.exists()


@article("xixian §23")
def test_23_a_veto_recorded_on_the_page_puts_the_unit_on_the_black_list(city: City, settings: object) -> None:
    settings.HOTLINE_PROFILE = "xixian"  # type: ignore[attr-defined]
    handled(city, "D01", "satisfied", channel="transfer")
    handled(city, "D02", "basically_satisfied", channel="transfer")
    assessment_refresh(now=NOW)
    supervisor = login(city.users["supervisor"])
    assert 'data-testid="veto-form"' in page(supervisor, period="2026-10")
    supervisor.post(reverse("web:assessment_veto"), {"period": "2026-10", "unit": "D01", "reason": "弄虚作假"})
    assert Veto.objects.filter(unit__code="D01").exists()
    html = page(supervisor, period="2026-10")
    black = html.split('data-testid="black-list"')[1].split("</div>")[0]
    assert "市住房和城乡建设局" in black and "一票否决" in black


@article("ziyang §25(5)")
def test_25_5_interview_candidates_link_to_the_interview_form(city: City) -> None:
    for month, day in ((8, 10), (9, 14), (10, 12)):
        handled(city, "D01", "satisfied", month=month, day=day)
        handled(city, "D02", "dissatisfied", contacted=True, resolved=False, month=month, day=day)
    assessment_refresh(now=NOW)
    html = page(login(city.users["supervisor"]), period="2026-10")
    assert 'data-testid="candidate" data-unit="D02"' in html and "interview_unit=D02" in html


def test_the_navigation_offers_the_page_to_readers_only(city: City) -> None:
    assert "单位考核" in page(login(city.users["analyst"]), period="2026-10")
    home = login(city.users["operator"]).get(reverse("web:intake"))
    assert "单位考核" not in home.content.decode()


def test_figures_frozen_stay_as_stored(city: City) -> None:
    handled(city, "D01", "satisfied")
    assessment_refresh(now=NOW)
    assessment_freeze(user=city.users["supervisor"], period="2026-10", at=NOW)
    html = page(login(city.users["analyst"]), period="2026-10")
    assert "100.00" in html and 'data-testid="frozen"' in html


def test_the_page_says_when_the_figures_were_last_brought_up_to_date(city: City) -> None:
    handled(city, "D01", "satisfied")
    analyst = login(city.users["analyst"])
    assert "尚未汇总" in page(analyst, period="2026-10")
    assessment_refresh(now=NOW)
    html = page(analyst, period="2026-10")
    assert "汇总至 2026-11-23 09:00" in html and "尚未汇总" not in html
