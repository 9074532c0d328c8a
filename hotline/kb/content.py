"""What an entry says (``EntryContent``) and the checks every write of it passes, from a form, the API
or a row of an Excel file alike: each problem names its field, in Chinese and English."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime

from hotline.kb.workflow import Kind
from hotline.rules.errors import InvalidInput

MAX_VARIANTS = 20
MAX_TAGS = 20

#: field → its Chinese label (the Excel headers use the same words)
LABELS = {
    "question": "标准问题", "variants": "其他问法", "answer": "答案", "basis_document": "政策依据文件",
    "basis_article": "条款", "basis_url": "依据链接", "region": "适用区域", "categories": "分类",
    "valid_from": "生效日期", "valid_until": "失效日期", "tags": "标签", "public": "是否公开",
    "priority": "优先级", "expires_at": "应急信息截止时间",
}


@dataclass(frozen=True)
class EntryContent:
    """One version's content, as a caller gives it (codes for the region and the categories)."""

    question: str
    answer: str
    variants: tuple[str, ...] = ()
    basis_document: str = ""
    basis_article: str = ""
    basis_url: str = ""
    region: str | None = None                 # a Region code; None: the whole city
    categories: tuple[str, ...] = ()          # Category codes
    valid_from: date | None = None
    valid_until: date | None = None
    tags: tuple[str, ...] = ()
    public: bool = False
    priority: int = 0
    expires_at: datetime | None = None

    def normalised(self) -> EntryContent:
        """Whitespace trimmed, empty and repeated list items dropped (order kept)."""
        return replace(
            self, question=self.question.strip(), answer=self.answer.strip(), variants=_unique(self.variants),
            basis_document=self.basis_document.strip(), basis_article=self.basis_article.strip(),
            basis_url=self.basis_url.strip(), region=(self.region or "").strip() or None,
            categories=_unique(self.categories), tags=_unique(self.tags))

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        text = item.strip()
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


@dataclass(frozen=True)
class Problem:
    field: str
    zh: str
    en: str

    @property
    def label(self) -> str:
        return LABELS.get(self.field, self.field)


@dataclass
class Checker:
    """Collects problems; ``raise_first`` turns them into one InvalidInput."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, name: str, zh: str, en: str) -> None:
        self.problems.append(Problem(name, f"{LABELS.get(name, name)}：{zh}", f"{name}: {en}"))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput("；".join(p.zh for p in self.problems), "; ".join(p.en for p in self.problems))


def _length(check: Checker, name: str, text: str, limit: int, required: bool = False) -> None:
    if required and not text:
        check.add(name, "不能为空", "is required")
    if len(text) > limit:
        check.add(name, f"不能超过{limit}字（现有{len(text)}字）", f"is longer than {limit} characters ({len(text)})")
    if "\x00" in text:
        check.add(name, "含有非法字符", "contains a NUL character")


def content_problems(content: EntryContent, kind: Kind, *, regions: Iterable[str], categories: Iterable[str],
                     now: datetime | None = None) -> list[Problem]:
    """Every problem of ``content`` (already normalised) for an entry of ``kind``; empty when it is fine.

    ``regions`` and ``categories``: the codes that exist.
    """
    check = Checker()
    _length(check, "question", content.question, 300, required=True)
    _length(check, "answer", content.answer, 10000, required=True)
    _length(check, "basis_document", content.basis_document, 300)
    _length(check, "basis_article", content.basis_article, 100)
    _length(check, "basis_url", content.basis_url, 500)
    if content.basis_url and not content.basis_url.startswith(("http://", "https://")):
        check.add("basis_url", "应以 http:// 或 https:// 开头", "must start with http:// or https://")
    if len(content.variants) > MAX_VARIANTS:
        check.add("variants", f"最多{MAX_VARIANTS}个", f"at most {MAX_VARIANTS}")
    for variant in content.variants:
        _length(check, "variants", variant, 300)
    if len(content.tags) > MAX_TAGS:
        check.add("tags", f"最多{MAX_TAGS}个", f"at most {MAX_TAGS}")
    for tag in content.tags:
        _length(check, "tags", tag, 30)
    if content.region is not None and content.region not in set(regions):
        check.add("region", f"区域代码 {content.region} 不存在", f"region code {content.region!r} does not exist")
    unknown = [c for c in content.categories if c not in set(categories)]
    if unknown:
        check.add("categories", f"分类代码 {'、'.join(unknown)} 不存在", f"category code(s) {', '.join(unknown)} unknown")
    if content.valid_from and content.valid_until and content.valid_until < content.valid_from:
        check.add("valid_until", "失效日期早于生效日期", "is before valid_from")
    if not -100 <= content.priority <= 100:
        check.add("priority", "应在 -100 到 100 之间", "must be between -100 and 100")
    if kind is Kind.EMERGENCY:
        if content.expires_at is None:
            check.add("expires_at", "应急信息须写明截止时间（tianjin §15：及时更新事件进展）",
                      "emergency information needs an expiry (tianjin §15: kept up to date)")
        elif now is not None and content.expires_at <= now:
            check.add("expires_at", "截止时间已过", "is already past")
    elif content.expires_at is not None:
        check.add("expires_at", "只有应急信息有截止时间", "only emergency information has an expiry")
    if kind is Kind.INTERPRETATION and content.valid_from is None:
        check.add("valid_from", "政策解读须写明政策施行日期（tianjin §15：公布前提供解读）",
                  "an interpretation needs the policy's date (tianjin §15: given before the policy is published)")
    return check.problems
