"""The monthly bulletin page: supervisors, analysts and administrators read it and download Excel and PDF."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hotline.directory.seed import City
from hotline.orders.models import Order
from tests.assessment.test_bulletin import october  # noqa: F401 - the hand-worked month, as a fixture


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="x")
    return client


@pytest.mark.parametrize("role", ["supervisor", "analyst", "admin"])
def test_the_bulletin_is_in_the_menu_of_supervisors_analysts_and_administrators(city: City, role: str) -> None:
    text = login(role).get(reverse("web:bulletin") + "?month=2026-10").content.decode()
    assert f'href="{reverse("web:bulletin")}"' in text and "月度通报" in text


@pytest.mark.parametrize("role", ["operator", "dispatcher", "d01-handler"])
def test_other_roles_may_not_open_the_bulletin(city: City, role: str) -> None:
    client = login(role)
    assert client.get(reverse("web:bulletin")).status_code == 403
    assert client.get(reverse("web:bulletin_download", args=["2026-10", "xlsx"])).status_code == 403
    assert f'href="{reverse("web:bulletin")}"' not in client.get(reverse("web:home"), follow=True).content.decode()


def test_a_visitor_is_sent_to_the_login_page(city: City) -> None:
    response = Client().get(reverse("web:bulletin"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_the_page_shows_the_month_and_downloads_it_as_excel_and_pdf(october: dict[str, Order]) -> None:  # noqa: F811
    client = login("analyst")
    text = client.get(reverse("web:bulletin") + "?month=2026-10").content.decode()
    assert "12345政务服务便民热线2026年10月工作通报" in text
    assert "本月共受理诉求 6 件" in text and "<svg" in text
    xlsx = client.get(reverse("web:bulletin_download", args=["2026-10", "xlsx"]))
    assert xlsx.status_code == 200 and 'filename="bulletin-2026-10.xlsx"' in xlsx["Content-Disposition"]
    sheet = load_workbook(BytesIO(xlsx.content))["运行概况"]
    orders = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "受理量")
    assert orders[1] == 6
    pdf = client.get(reverse("web:bulletin_download", args=["2026-10", "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"


def test_chosen_cases_are_shown_with_personal_data_removed(october: dict[str, Order]) -> None:  # noqa: F811
    number = october["A"].number
    text = login("supervisor").get(reverse("web:bulletin") + f"?month=2026-10&cases={number}").content.decode()
    assert number in text and "选定案例" in text
    assert "赵大山" not in text and "13700000011" not in text


def test_a_bad_month_is_refused_with_the_expected_form(city: City) -> None:
    client = login("analyst")
    response = client.get(reverse("web:bulletin") + "?month=2026-13")
    assert response.status_code == 400 and "应写成 2026-10" in response.content.decode()
    assert client.get(reverse("web:bulletin_download", args=["2026-13", "xlsx"])).status_code == 404
    assert client.get(reverse("web:bulletin_download", args=["2026-10", "docx"])).status_code == 404
