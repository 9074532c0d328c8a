"""知识库 pages: search, the workflow through the pages, flags, Excel, figures, and the answers at intake."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from hotline.directory.seed import City
from hotline.kb import search, services
from hotline.kb.content import EntryContent
from hotline.kb.excel import HEADERS
from hotline.kb.models import Entry, EntryFlag

pytestmark = pytest.mark.django_db

ENTRY_FORM = {"kind": "entry", "question": "失业保险金怎么申领？", "variants": "失业金怎么领\n被辞退了能领失业金吗",
              "answer": "通过人社小程序或到社保经办窗口申领失业保险金。", "basis_document": "《失业保险条例》",
              "basis_article": "第十四条", "region": "", "tags": "失业、失业金", "public": "on", "note": "新建"}


@pytest.fixture(autouse=True)
def fresh_index(settings: Any) -> Iterator[None]:
    settings.HOTLINE_KB_INDEX_SYNC_SECONDS = 0
    search.reset()
    yield
    search.reset()


def as_user(client: Client, city: City, username: str) -> Client:
    client.force_login(city.users[username])
    return client


def published(city: City, unit: str = "D04", kind: str = "entry", **overrides: Any) -> Entry:
    """An entry taken through every step of the deployment's profile by the services."""
    values: dict[str, Any] = {"question": "社会保障卡遗失后如何补办？", "variants": ("社保卡丢了怎么补",),
                              "answer": "请先挂失，再持身份证到社保卡服务网点补卡。",
                              "basis_document": "《示例市社会保障卡管理办法》", "basis_article": "第十五条",
                              "tags": ("社保卡",), "public": True, **overrides}
    entry = services.kb_entry_create(user=city.staff(unit), content=EntryContent(**values), kind=kind)
    services.kb_entry_submit(entry=entry.pk, user=city.staff(unit))
    entry.refresh_from_db()
    while entry.status == "submitted":
        if entry.pending_step == "hotline":
            services.kb_entry_publish(entry=entry.pk, user=city.users["supervisor"])
        else:
            services.kb_entry_approve(entry=entry.pk, user=city.staff(unit, leader=True))
        entry.refresh_from_db()
    return entry


def snapshot(entry: Entry) -> tuple[object, ...]:
    entry.refresh_from_db()
    return (entry.status, entry.pending_step, list(entry.approvals), entry.published_id, entry.events.count())


# --- search ----------------------------------------------------------------------------------------

def test_the_search_finds_a_published_answer_with_its_basis_unit_and_a_flag_form(city: City, client: Client) -> None:
    entry = published(city)
    page = as_user(client, city, "operator").get("/kb/", {"q": "社保卡丢了怎么补"}).content.decode()
    assert 'id="kb-q"' in page and f'data-testid="kb-hit-{entry.code}"' in page
    fragment = client.get("/kb/search/", {"q": "社保卡丢了怎么补", "region": ""}).content.decode()
    assert "社会保障卡遗失后如何补办" in fragment and "《示例市社会保障卡管理办法》" in fragment
    assert city.units["D04"].name in fragment and "标记答案有误" in fragment
    assert "没有找到" in client.get("/kb/search/", {"q": "火星签证"}).content.decode()


def test_unit_staff_search_too_but_do_not_flag(city: City, client: Client) -> None:
    entry = published(city)
    fragment = as_user(client, city, "d05-handler").get("/kb/search/", {"q": "社保卡补办"}).content.decode()
    assert f"kb-hit-{entry.code}" in fragment and "标记答案有误" not in fragment


def test_roles_other_than_hotline_and_unit_staff_get_a_chinese_403(city: City, client: Client) -> None:
    assert client.get("/kb/").status_code == 302                      # login first
    response = as_user(client, city, "analyst").get("/kb/")
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    assert client.get("/kb/figures/").status_code == 200              # analysts read the figures
    assert as_user(client, city, "operator").get("/kb/new/").status_code == 403
    assert client.get("/kb/import/").status_code == 403
    assert as_user(client, city, "d04-handler").post(f"/kb/{published(city).pk}/flag/",
                                                     {"reason": "x"}).status_code == 403


def test_another_units_draft_is_not_found(city: City, client: Client) -> None:
    draft = services.kb_entry_create(user=city.staff("D04"), content=EntryContent(question="问", answer="答"))
    assert as_user(client, city, "d05-handler").get(f"/kb/{draft.pk}/").status_code == 404


# --- the workflow through the pages ----------------------------------------------------------------

def test_a_unit_drafts_submits_its_leader_reviews_and_the_hotline_publishes(city: City, client: Client,
                                                                              settings: Any) -> None:
    settings.HOTLINE_PROFILE = "tianjin"   # names no approval: the platform's unit leader, then the hotline
    handler = as_user(client, city, "d04-handler")
    assert 'name="question"' in handler.get("/kb/new/").content.decode()
    response = handler.post("/kb/new/", ENTRY_FORM)
    assert response.status_code == 302
    entry = Entry.objects.get(latest__question="失业保险金怎么申领？")
    assert entry.latest is not None
    assert (entry.status, entry.unit.code, entry.latest.variants) == ("draft", "D04", ["失业金怎么领", "被辞退了能领失业金吗"])
    mine = handler.get("/kb/", {"tab": "mine"}).content.decode()
    assert f"kb-row-{entry.code}" in mine and "草稿" in mine and f"kb-submit-{entry.code}" in mine

    handler.post(f"/kb/{entry.pk}/act/submit/")
    entry.refresh_from_db()
    assert (entry.status, entry.pending_step) == ("submitted", "unit_leader")
    page = handler.get(f"/kb/{entry.pk}/").content.decode()
    assert 'data-testid="kb-why-approve"' in page and "单位负责人审核" in page   # disabled, with the reason
    before = snapshot(entry)
    refused = handler.post(f"/kb/{entry.pk}/act/approve/", follow=True).content.decode()
    assert "未执行" in refused and snapshot(entry) == before

    leader = as_user(client, city, "d04-leader")
    assert f"kb-approve-{entry.code}" in leader.get("/kb/", {"tab": "mine"}).content.decode()
    leader.post(f"/kb/{entry.pk}/act/approve/")
    entry.refresh_from_db()
    assert (entry.status, entry.pending_step) == ("submitted", "hotline")

    operator = as_user(client, city, "operator")
    assert f"kb-row-{entry.code}" in operator.get("/kb/", {"tab": "publish"}).content.decode()
    before = snapshot(entry)
    assert "热线管理机构" in operator.post(f"/kb/{entry.pk}/act/publish/", follow=True).content.decode()
    assert snapshot(entry) == before
    supervisor = as_user(client, city, "supervisor")
    response = supervisor.post(f"/kb/{entry.pk}/act/publish/", {"next": "/kb/?tab=publish"}, follow=True)
    assert "已发布" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "published" and entry.published_id == entry.latest_id
    assert f"kb-hit-{entry.code}" in supervisor.get("/kb/search/", {"q": "失业金怎么领"}).content.decode()


def test_a_reject_needs_a_reason_and_sends_the_entry_back(city: City, client: Client, settings: Any) -> None:
    settings.HOTLINE_PROFILE = "tianjin"
    entry = services.kb_entry_create(user=city.staff("D04"), content=EntryContent(question="问题", answer="答案"))
    services.kb_entry_submit(entry=entry.pk, user=city.staff("D04"))
    leader = as_user(client, city, "d04-leader")
    assert "退回须写明理由" in leader.post(f"/kb/{entry.pk}/act/reject/", {"note": ""}, follow=True).content.decode()
    leader.post(f"/kb/{entry.pk}/act/reject/", {"note": "依据文件已废止"})
    entry.refresh_from_db()
    assert entry.status == "returned"
    assert "已退回" in leader.get("/kb/", {"tab": "mine"}).content.decode()


def test_under_ziyang_the_units_submission_publishes_it(city: City, client: Client, settings: Any) -> None:
    settings.HOTLINE_PROFILE = "ziyang"    # ziyang §17 谁提供、谁负责、谁更新: entry_approval = ["unit"]
    handler = as_user(client, city, "d04-handler")
    handler.post("/kb/new/", ENTRY_FORM)
    entry = Entry.objects.get(latest__question="失业保险金怎么申领？")
    handler.post(f"/kb/{entry.pk}/act/submit/")
    entry.refresh_from_db()
    assert entry.status == "published"
    edit = handler.get(f"/kb/{entry.pk}/edit/").content.decode()
    assert "失业保险金怎么申领" in edit
    handler.post(f"/kb/{entry.pk}/edit/", {**ENTRY_FORM, "answer": "新的答案：网上申领。", "note": "更新"})
    entry.refresh_from_db()
    assert entry.latest is not None and entry.published is not None
    assert entry.status == "draft" and entry.latest.number == 2 and entry.published.number == 1


def test_the_form_shows_what_is_wrong(city: City, client: Client) -> None:
    response = as_user(client, city, "d04-handler").post("/kb/new/", {**ENTRY_FORM, "kind": "emergency"})
    assert response.status_code == 422 and "截止时间" in response.content.decode()
    assert not Entry.objects.exists()


# --- flags -----------------------------------------------------------------------------------------

def test_an_operators_flag_reaches_the_owning_units_tab(city: City, client: Client) -> None:
    entry = published(city)
    fragment = as_user(client, city, "operator").post(f"/kb/{entry.pk}/flag/", {"reason": "补卡网点已搬迁"},
                                                     HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="kb-flagged"' in fragment
    flag = EntryFlag.objects.get()
    tab = as_user(client, city, "d04-handler").get("/kb/", {"tab": "flags"}).content.decode()
    assert "补卡网点已搬迁" in tab and f"kb-resolve-{flag.pk}" in tab
    assert "补卡网点已搬迁" not in as_user(client, city, "d05-handler").get("/kb/", {"tab": "flags"}).content.decode()
    as_user(client, city, "d04-handler").post(f"/kb/flags/{flag.pk}/resolve/",
                                              {"resolution": "not_wrong", "note": "经核实网点未搬迁"})
    flag.refresh_from_db()
    assert flag.status == "resolved"


# --- Excel -----------------------------------------------------------------------------------------

def _workbook(*rows: dict[str, Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append([row.get(name) for name in HEADERS])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_file_with_bad_rows_is_refused_with_their_numbers(city: City, client: Client) -> None:
    good = {"标准问题": "失业登记在哪办？", "答案": "到街道社保所办理。"}
    data = _workbook(good, {"标准问题": "", "答案": "无问题"}, {**good, "生效日期": "明年"})
    handler = as_user(client, city, "d04-handler")
    response = handler.post("/kb/import/", {"file": _upload(data)})
    page = response.content.decode()
    assert response.status_code == 422 and "文件未导入" in page
    assert 'data-testid="kb-import-row-3"' in page and 'data-testid="kb-import-row-4"' in page
    assert not Entry.objects.exists()
    done = handler.post("/kb/import/", {"file": _upload(_workbook(good))}).content.decode()
    assert 'data-testid="kb-import-done"' in done and Entry.objects.get().status == "draft"


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("kb.xlsx", data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_the_export_downloads_the_units_entries(city: City, client: Client) -> None:
    entry = published(city)
    response = as_user(client, city, "d04-handler").get("/kb/export/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    assert entry.code in [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


# --- figures ---------------------------------------------------------------------------------------

def test_the_figures_page_renders(city: City, client: Client) -> None:
    published(city)
    page = as_user(client, city, "supervisor").get("/kb/figures/").content.decode()
    assert "一次性解答率" in page and 'data-testid="kb-upkeep-D04"' in page
    unit = as_user(client, city, "d05-handler").get("/kb/figures/").content.decode()
    assert "一次性解答率" not in unit and "kb-upkeep-D04" not in unit


# --- intake --------------------------------------------------------------------------------------------

def test_intake_suggests_the_matching_answers_emergency_first(city: City, client: Client) -> None:
    entry = published(city)
    alert = published(city, kind="emergency", question="社保卡服务网点临时停业通知",
                      answer="因系统升级，社保卡网点今日暂停补卡。", expires_at=timezone.now() + timedelta(days=1),
                      priority=5)
    fragment = as_user(client, city, "operator").get("/intake/suggest/", {"content": "社保卡丢了要补卡"}).content.decode()
    assert f'data-testid="kb-suggest-{entry.code}"' in fragment and "用此答复" in fragment
    assert fragment.index(f"kb-suggest-{alert.code}") < fragment.index(f"kb-suggest-{entry.code}")
    assert 'id="category-suggestions"' in fragment   # filled by the suggestion models (issue 8)
    assert 'data-testid="suggestions-slot"' in fragment
