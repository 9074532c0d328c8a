"""The demo knowledge base of 示例市 (``fixtures/demo_kb.json``, invented) and its question set
(``fixtures/questions.json``): loaded through the services, as units and the hotline would enter them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from hotline.directory.models import User
from hotline.kb import services
from hotline.kb.content import EntryContent
from hotline.kb.models import Entry, Synonym
from hotline.kb.search import Doc

FIXTURES = Path(__file__).parent / "fixtures"


@cache
def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "demo_kb.json").read_text(encoding="utf-8"))
    return data


class Question(NamedTuple):
    text: str
    entry: str      # the code of the entry that answers it
    split: str      # tune / check / fresh: see questions.json


@cache
def demo_questions() -> list[Question]:
    data = json.loads((FIXTURES / "questions.json").read_text(encoding="utf-8"))
    return [Question(row["question"], row["entry"], row["split"]) for row in data["questions"]]


def demo_content(row: dict[str, Any], at: datetime) -> EntryContent:
    valid_from = row.get("valid_from_in_days")
    expires = row.get("expires_in_hours")
    return EntryContent(
        question=row["question"], answer=row["answer"], variants=tuple(row["variants"]),
        basis_document=row["basis_document"], basis_article=row["basis_article"], region=row["region"],
        categories=tuple(row["categories"]), tags=tuple(row["tags"]), public=row["public"],
        priority=int(row.get("priority", 0)),
        valid_from=(timezone.localtime(at).date() + timedelta(days=valid_from)) if valid_from else None,
        expires_at=(at + timedelta(hours=expires)) if expires else None)


def demo_docs(region_ids: dict[str, int] | None = None, at: datetime | None = None) -> list[Doc]:
    """The demo entries as search documents, without a database (the benchmark's corpus)."""
    at = at or timezone.now()
    docs = []
    for number, row in enumerate(demo_data()["entries"], start=1):
        content = demo_content(row, at)
        docs.append(Doc(
            entry_id=number, code=row["code"], version=1, kind=row["kind"], unit_code=row["unit"], unit_name=row["unit"],
            region_id=(region_ids or {}).get(row["region"]) if row["region"] else None, region_name="",
            question=content.question, variants=content.variants, answer=content.answer,
            basis_document=content.basis_document, basis_article=content.basis_article, categories=content.categories,
            tags=content.tags, public=content.public, priority=content.priority, valid_from=content.valid_from,
            expires_at=content.expires_at))
    return docs


@dataclass
class DemoLoad:
    created: int
    skipped: int
    synonyms: int


def kb_demo_load(*, at: datetime | None = None) -> DemoLoad:
    """Enter and publish the demo entries (each drafted and submitted by its unit's handler, then taken
    through the profile's steps: the unit's by its leader, the hotline's by the supervisor) and the demo
    synonyms. Needs the demo city (``hotline demo`` / seed_city).
    Idempotent: entries whose code exists are skipped."""
    at = at or timezone.now()
    data = demo_data()
    supervisor = User.objects.get(username="supervisor")
    created = skipped = 0
    with transaction.atomic():
        synonyms = 0
        if not Synonym.objects.exists():
            for terms in data["synonyms"]:
                services.kb_synonym_save(user=supervisor, terms=terms, note="演示同义词", at=at)
                synonyms += 1
        for row in data["entries"]:
            if Entry.objects.filter(code=row["code"]).exists():
                skipped += 1
                continue
            unit = row["unit"].lower()
            handler = User.objects.get(username=f"{unit}-handler")
            leader = User.objects.get(username=f"{unit}-leader")
            entry = services.kb_entry_create(user=handler, content=demo_content(row, at), kind=row["kind"],
                                             code=row["code"], note="演示数据", at=at)
            services.kb_entry_submit(entry=entry.pk, user=handler, at=at)
            entry.refresh_from_db(fields=["status", "pending_step"])
            while entry.status == "submitted":  # the steps of the deployment's profile, in order
                if entry.pending_step == "hotline":
                    services.kb_entry_publish(entry=entry.pk, user=supervisor, at=at)
                else:
                    services.kb_entry_approve(entry=entry.pk, user=leader, at=at)
                entry.refresh_from_db(fields=["status", "pending_step"])
            created += 1
    return DemoLoad(created, skipped, synonyms)
