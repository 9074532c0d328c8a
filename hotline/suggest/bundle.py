"""What serves suggestions: a trained bundle (one classifier per field) or the cold start built from the
duty table (派单目录) and category keywords. Both answer ``predict(text, region)``.

Pure Python (no Django). Model files are pickles with a small header; only load files you made
(``hotline suggest train`` writes them under var/models/ or where ``--out`` says).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hotline.suggest.compact import CompactClassifier, Tokens
from hotline.suggest.text import normalise

if TYPE_CHECKING:                       # serving needs no scikit-learn: trained models are compact
    from hotline.suggest.classifier import TextClassifier

FORMAT = "hotline-suggest"
FORMAT_VERSION = 1
FIELDS = ("category", "appeal_type", "unit")

Ranked = list[tuple[str, float]]


class ModelFileError(Exception):
    """A model file that is missing, unreadable or not one of ours."""


class Predictor(Protocol):
    version: str
    cold_start: bool

    def predict(self, text: str, region: str | None = None, k: int = 3) -> dict[str, Ranked]: ...


def region_context(region: str | None, ancestors: Sequence[str] = ()) -> str:
    """Context tokens a classifier sees for a region (the region and the areas above it)."""
    codes = [c for c in (region, *ancestors) if c]
    return " ".join(f"region={c}" for c in codes)


@dataclass
class SuggestBundle:
    """Classifiers trained from the archive, one per field (a field with too little history is absent)."""

    version: str
    approach: str
    trained_at: datetime
    classifiers: dict[str, CompactClassifier | TextClassifier]
    region_parents: dict[str, str] = field(default_factory=dict)   # region code → parent code
    cold_start: bool = False

    def _ancestors(self, region: str | None) -> list[str]:
        found: list[str] = []
        while region and region in self.region_parents and len(found) < 5:
            region = self.region_parents[region]
            found.append(region)
        return found

    def predict(self, text: str, region: str | None = None, k: int = 3) -> dict[str, Ranked]:
        context = region_context(region, self._ancestors(region))
        tokens = Tokens(text, context)                  # n-grams keyed once for the three fields
        return {name: clf.rank(text, context, k, tokens=tokens) if isinstance(clf, CompactClassifier)
                else clf.rank(text, context, k) for name, clf in self.classifiers.items()}


#: cue words of each appeal type for the cold start (no history yet)
TYPE_CUES: dict[str, tuple[str, ...]] = {
    "consult": ("请问", "咨询", "如何", "怎么", "怎样", "什么", "是否", "能否", "哪里", "多少", "吗", "?"),
    "help": ("求助", "帮忙", "帮助", "救助", "困难", "紧急", "急需"),
    "complaint": ("投诉", "不作为", "态度", "扰民", "拖欠", "无人管", "没人管", "不管", "乱收费"),
    "report": ("举报", "违法", "违规", "非法", "偷排", "私自", "造假"),
    "suggestion": ("建议", "希望", "建言", "增设", "增加", "应当", "应该"),
    "praise": ("表扬", "感谢", "点赞", "锦旗", "赞扬", "谢谢"),
}


def _cue_scores(text: str, cues: Mapping[str, Iterable[str]], k: int) -> Ranked:
    """Confidence from keyword hits: share of the hits, discounted when there is little evidence."""
    clean = normalise(text)
    hits = {code: sum(1 for w in set(words) if w and w in clean) for code, words in cues.items()}
    total = sum(hits.values())
    if not total:
        return []
    evidence = 1 - 0.5 ** total
    ranked = sorted(((code, n / total * evidence) for code, n in hits.items() if n), key=lambda x: -x[1])
    return ranked[:k]


@dataclass
class ColdStart:
    """A new deployment: categories from their keywords, units from the duty table (派单目录)."""

    category_keywords: dict[str, tuple[str, ...]]
    duties: dict[str, tuple[str, ...]]                 # category code → units whose duty it is
    unit_regions: dict[str, str] = field(default_factory=dict)
    version: str = "cold-start"
    cold_start: bool = True

    def predict(self, text: str, region: str | None = None, k: int = 3) -> dict[str, Ranked]:
        categories = _cue_scores(text, self.category_keywords, k=len(self.category_keywords) or 1)
        units: dict[str, float] = {}
        for code, confidence in categories:
            owners = self.duties.get(code, ())
            for unit in owners:
                units[unit] = max(units.get(unit, 0.0), confidence / len(owners))
        ranked_units = sorted(units.items(), key=lambda u: (-u[1], self.unit_regions.get(u[0]) != region, u[0]))
        return {"category": categories[:k], "appeal_type": _cue_scores(text, TYPE_CUES, k), "unit": ranked_units[:k]}


# --- files ------------------------------------------------------------------------------------
def save(obj: Any, path: Path, *, kind: str) -> int:
    """Write a model file atomically (temporary file, then rename); returns its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind, "payload": obj}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pkl")
    try:
        with os.fdopen(fd, "wb") as out:
            pickle.dump(header, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path.stat().st_size


def load(path: Path, *, kind: str | None = None) -> Any:
    """Read a model file written by :func:`save`; ModelFileError names what is wrong."""
    if not path.is_file():
        raise ModelFileError(f"模型文件不存在：{path} / model file not found: {path}")
    try:
        with path.open("rb") as src:
            header = pickle.load(src)  # noqa: S301 - our own model files only
    except Exception as exc:
        raise ModelFileError(f"无法读取模型文件 {path}：{exc} / cannot read model file {path}: {exc}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelFileError(f"{path} 不是本平台的模型文件 / {path} is not a hotline suggestion model")
    if header.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(f"{path} 的格式版本 {header.get('format_version')} 不受支持 / "
                             f"{path}: unsupported format version {header.get('format_version')}")
    if kind is not None and header.get("kind") != kind:
        raise ModelFileError(f"{path} 是 {header.get('kind')} 模型，不是 {kind} / {path} holds a "
                             f"{header.get('kind')} model, not a {kind}")
    return header["payload"]
