"""Chinese search over the published knowledge base: segmentation, synonyms, BM25, filters.

One function serves intake suggestions, the unit pages, the API and the citizen portal::

    kb_search("社保卡丢了怎么办", region="990100", audience="operator", limit=10) -> list[Hit]

How it works
------------
* Text is normalised (NFKC, lower case) and segmented with rjieba (the Rust port of jieba, same
  dictionary) in search mode, which also yields the words inside long words (公积金贷款 → 公积金, 贷款…).
  The platform's own words (``DOMAIN_WORDS``) and every synonym are added to the dictionary; function
  words (``STOPWORDS``) and a trailing 了 are dropped.
* An entry is one document with four fields: its question and the other ways people ask it (weight 3),
  its tags (2), its answer (1) and its policy basis (0.5). BM25F: a word's count in each field is
  normalised by that field's length against the field's average, weighted, summed, then saturated once,
  so a long answer does not drown its question. The question and tags are also indexed by character
  pairs (weight ``BIGRAM_WEIGHT`` in a query), for words the segmenter cuts differently.
* BM25 (k1 = 1.2, b = 0.75) with an inverted index in memory: for each word, the documents holding it
  and the word's length-normalised weight in each (4-byte arrays), computed once when the document is
  added; a query only adds ``idf × weight`` over the postings of its words. Words in more than
  ``COMMON_SHARE`` of the documents only re-rank what rarer words found.
* Synonyms (the hotline edits them, ``Synonym``): each word of the query stands for its group; a
  document scores the best of the group's words (synonyms at ``SYNONYM_WEIGHT``), never their sum.
* Filters at query time: the audience (operators and units see every published entry; citizens only
  the public ones), validity (valid-from / valid-until; emergency information until its expiry; a
  policy interpretation is shown to the hotline before the policy takes effect, tianjin §15), and
  the region (an entry for a district answers questions asked for that district and its streets; an
  entry without region answers everywhere).
* Emergency information (tianjin §15) goes first for operators when it matches the question.

The index lives in each process. It is built from the database on first use, then kept current from
the ``IndexChange`` log (every publish, withdrawal and synonym change writes a row): before a search a
process applies the rows after the last it saw, at most every ``HOTLINE_KB_INDEX_SYNC_SECONDS``
(default 1 s), or rebuilds when the log does not follow on (a synonym change, a restore, a rolled-back
test). ``hotline kb bench`` measures it; the figures are in docs/kb.md.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
import time
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.utils import timezone

from hotline.rules.errors import InvalidInput

Audience = Literal["operator", "unit", "public"]
AUDIENCES: tuple[str, ...] = ("operator", "unit", "public")

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"question": 3.0, "tags": 2.0, "answer": 1.0, "basis": 0.5}
SYNONYM_WEIGHT = 0.9
#: character pairs count this much against a word
BIGRAM_WEIGHT = 0.3
#: the fields whose character pairs are indexed (the ways people ask; answers are long and would only add noise)
BIGRAM_FIELDS = frozenset({"question", "tags"})
#: a word held by more than this share of the documents is only used to re-rank the documents other
#: words found (it cannot bring in new ones): keeps common words (办理, 市民) from scanning everything
COMMON_SHARE = 0.02
#: emergency information is lifted to the top when its score is at least this share of the best score
EMERGENCY_LIFT = 0.3
MAX_QUERY_CHARS = 200
#: documents analysed to learn each field's average length
LENGTH_SAMPLE = 5000


def _words(name: str) -> frozenset[str]:
    text = (Path(__file__).parent / name).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


STOPWORDS = _words("stopwords.txt")

#: character pairs inside function words (怎么, 什么 → 么样…): never indexed as pairs
STOP_PAIRS = frozenset(w[i:i + 2] for w in STOPWORDS if len(w) > 1 for i in range(len(w) - 1))
#: words of government services the general dictionary splits badly (added with a high frequency so they win)
DOMAIN_WORDS = _words("dictionary.txt")

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_WORD = re.compile(r"\w")
#: the particle the segmenter sometimes leaves on a verb (交了 → 交)
PARTICLES = frozenset("了")
#: marks a character pair in the index, so that it never collides with a word
BIGRAM = "\x01"


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


class Tokenizer:
    """rjieba in search mode, with the platform's words and the synonyms in its dictionary."""

    def __init__(self) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()
        self._added: set[str] = set()
        self.add_words(DOMAIN_WORDS)

    def add_words(self, words: Iterable[str]) -> None:
        for word in words:
            word = normalise(word).strip()
            if word and word not in self._added:
                self._jieba.add_word(word, 100000, None)
                self._added.add(word)

    def tokens(self, text: str) -> list[str]:
        found = []
        for token in self._jieba.cut_for_search(normalise(text)):
            if len(token) > 1 and token[-1] in PARTICLES:
                token = token[:-1]
            if token not in STOPWORDS and _WORD.match(token):
                found.append(token)
        return found

    def bigrams(self, text: str) -> list[str]:
        """Character pairs of the Chinese runs (``BIGRAM`` + pair), for words the segmenter cuts differently."""
        found: list[str] = []
        for run in _CJK_RUN.findall(normalise(text)):
            found += [BIGRAM + run[i:i + 2] for i in range(len(run) - 1) if run[i:i + 2] not in STOP_PAIRS]
        return found


_TOKENIZER: Tokenizer | None = None


def tokenizer() -> Tokenizer:
    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = Tokenizer()
    return _TOKENIZER


@dataclass(frozen=True, slots=True)
class Doc:
    """A published entry as the index keeps it."""

    entry_id: int
    code: str
    version: int
    kind: str
    unit_code: str
    unit_name: str
    region_id: int | None
    region_name: str
    question: str
    variants: tuple[str, ...]
    answer: str
    basis_document: str = ""
    basis_article: str = ""
    basis_url: str = ""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    public: bool = False
    priority: int = 0
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """One result: the entry, why it ranks where it does (score), what to tell the caller (answer)."""

    doc: Doc
    score: float

    @property
    def entry_id(self) -> int:
        return self.doc.entry_id


@dataclass
class Index:
    """An inverted index over documents, BM25-weighted. Not thread-safe on its own: see ``current_index``."""

    tokenize: Tokenizer
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    region_parents: dict[int, int | None] = field(default_factory=dict)
    region_codes: dict[str, int] = field(default_factory=dict)
    avglen: dict[str, float] = field(default_factory=dict)
    docs: list[Doc | None] = field(default_factory=list)
    slots: dict[int, int] = field(default_factory=dict)
    postings: dict[str, tuple[array[int], array[float]]] = field(default_factory=dict)
    alive: int = 0

    # -- building --------------------------------------------------------------------------------

    def set_synonyms(self, groups: Iterable[Sequence[str]]) -> None:
        self.synonyms = {}
        for group in groups:
            words = tuple(dict.fromkeys(normalise(w).strip() for w in group if w.strip()))
            self.tokenize.add_words(words)
            for word in words:
                merged = dict.fromkeys([*self.synonyms.get(word, ()), *words])
                self.synonyms[word] = tuple(merged)

    def set_regions(self, rows: Iterable[tuple[int, str, int | None]]) -> None:
        """``(id, code, parent id)`` of every region."""
        for pk, code, parent in rows:
            self.region_parents[pk] = parent
            self.region_codes[code] = pk

    def _fields(self, doc: Doc) -> dict[str, list[str]]:
        """Each field's words (and, for ``BIGRAM_FIELDS``, character pairs)."""
        parts = {"question": " ".join((doc.question, *doc.variants)), "tags": " ".join(doc.tags),
                 "answer": doc.answer, "basis": f"{doc.basis_document} {doc.basis_article}"}
        found = {}
        for name, text in parts.items():
            tokens = self.tokenize.tokens(text)
            if name in BIGRAM_FIELDS:
                tokens += self.tokenize.bigrams(text)
            found[name] = tokens
        return found

    def build(self, docs: Iterable[Doc]) -> Index:
        """(Re)build from scratch. Each field's average length is taken over an even sample of the documents
        (all of them up to ``LENGTH_SAMPLE``), so that the documents are analysed one at a time."""
        everything = list(docs)
        self.docs, self.slots, self.postings, self.alive = [], {}, {}, 0
        step = max(1, len(everything) // LENGTH_SAMPLE)
        sample = [self._fields(doc) for doc in everything[::step]]
        count = max(len(sample), 1)
        self.avglen = {name: max(sum(len(fields[name]) for fields in sample) / count, 1.0) for name in FIELD_WEIGHTS}
        for doc in everything:
            self._insert(doc, self._fields(doc))
        return self

    def _insert(self, doc: Doc, fields: dict[str, list[str]]) -> None:
        """BM25F: each field's counts, length-normalised within the field and weighted, summed per word,
        then saturated once: ``tf~ (k1 + 1) / (k1 + tf~)``."""
        slot = len(self.docs)
        self.docs.append(doc)
        self.slots[doc.entry_id] = slot
        self.alive += 1
        pseudo: dict[str, float] = {}
        for name, tokens in fields.items():
            if not tokens:
                continue
            share = FIELD_WEIGHTS[name] / (1 - B + B * len(tokens) / self.avglen.get(name, 1.0))
            for token in tokens:
                pseudo[token] = pseudo.get(token, 0.0) + share
        for token, tf in pseudo.items():
            posting = self.postings.get(token)
            if posting is None:
                posting = self.postings[token] = (array("i"), array("f"))
            posting[0].append(slot)
            posting[1].append(tf * (K1 + 1) / (K1 + tf))

    def put(self, doc: Doc) -> None:
        """Add a document or replace the one of the same entry (the average lengths stay the build's)."""
        self.remove(doc.entry_id)
        self._insert(doc, self._fields(doc))

    def remove(self, entry_id: int) -> None:
        slot = self.slots.pop(entry_id, None)
        if slot is not None:
            self.docs[slot] = None
            self.alive -= 1

    def __len__(self) -> int:
        return self.alive

    # -- searching -------------------------------------------------------------------------------

    def region_scope(self, code: str | None) -> frozenset[int] | None:
        """The region and the regions above it (an entry for any of them applies), or None for no filter."""
        if not code:
            return None
        pk = self.region_codes.get(code)
        if pk is None:
            raise InvalidInput(f"区域代码 {code} 不存在", f"region code {code!r} does not exist")
        chain: list[int] = []
        current: int | None = pk
        while current is not None and current not in chain:
            chain.append(current)
            current = self.region_parents.get(current)
        return frozenset(chain)

    def concepts(self, query: str) -> list[dict[str, float]]:
        """The query's words, each with its synonyms: ``[{word: weight, synonym: weight…}, …]``."""
        seen: set[str] = set()
        found: list[dict[str, float]] = []
        for token in self.tokenize.tokens(query[:MAX_QUERY_CHARS]):
            if token in seen:
                continue
            group = self.synonyms.get(token, (token,))
            seen.update(group)
            found.append({word: (1.0 if word == token else SYNONYM_WEIGHT) for word in group})
        if BIGRAM_WEIGHT:
            for pair in dict.fromkeys(self.tokenize.bigrams(query[:MAX_QUERY_CHARS])):
                if pair[1:] not in seen:  # a pair that is a word of the query already counts as that word
                    found.append({pair: BIGRAM_WEIGHT})
        return found

    def scores(self, query: str) -> dict[int, float]:
        """BM25 score by slot, over the documents that hold at least one word of the query.

        Words held by more than ``COMMON_SHARE`` of the documents only re-rank the documents rarer words
        found (looked up by bisection when those are few): they cannot bring in new ones, so a query's
        cost stays near the length of its rarer words' postings."""
        total = max(len(self.docs), 1)
        common = max(50, int(total * COMMON_SHARE))
        rare: list[list[_Term]] = []
        frequent: list[tuple[int, list[_Term]]] = []
        for concept in self.concepts(query):
            terms = []
            widest = 0
            for word, weight in concept.items():
                posting = self.postings.get(word)
                if posting is None:
                    continue
                df = len(posting[0])
                idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
                terms.append((idf * weight, posting[0], posting[1]))
                widest = max(widest, df)
            if terms:
                if widest > common:
                    frequent.append((widest, terms))
                else:
                    rare.append(terms)
        acc: dict[int, float] = {}
        for terms in rare:
            _add_concept(acc, terms)
        for _, terms in sorted(frequent, key=lambda item: item[0]):
            if acc:
                _rescore(acc, terms)
            else:
                _add_concept(acc, terms)
        return acc

    def search(self, query: str, *, region: str | None = None, audience: str = "operator", limit: int = 10,
               now: datetime | None = None) -> list[Hit]:
        if audience not in AUDIENCES:
            raise InvalidInput(f"检索对象 {audience!r} 不正确（operator、unit、public）",
                               f"audience {audience!r} is not one of operator, unit, public")
        if not 1 <= limit <= 100:
            raise InvalidInput("返回条数应在 1 到 100 之间", "limit must be between 1 and 100")
        now = now or timezone.now()
        today = timezone.localtime(now).date()
        scope = self.region_scope(region)
        acc = self.scores(query)
        if not acc:
            return []
        ranked = heapq.nlargest(limit * 4 + 20, acc.items(), key=lambda item: item[1])
        hits = self._visible(ranked, audience, scope, today, now, limit * 2)
        if len(hits) < limit and len(ranked) < len(acc):  # the best candidates were filtered out: go on
            ranked = sorted(acc.items(), key=lambda item: item[1], reverse=True)
            hits = self._visible(ranked, audience, scope, today, now, limit * 2)
        return _emergency_first(hits, audience)[:limit]

    def _visible(self, ranked: Iterable[tuple[int, float]], audience: str, scope: frozenset[int] | None,
                 today: date, now: datetime, enough: int) -> list[Hit]:
        hits: list[Hit] = []
        for slot, score in ranked:
            doc = self.docs[slot]
            if doc is not None and visible(doc, audience, scope, today, now):
                hits.append(Hit(doc, score))
                if len(hits) >= enough:
                    break
        return hits


_Term = tuple[float, "array[int]", "array[float]"]


def _add_concept(acc: dict[int, float], terms: list[_Term]) -> None:
    """Add one concept's score: the best of its words per document (synonyms never add up)."""
    if len(terms) == 1:
        idf, slots, weights = terms[0]
        get = acc.get
        for slot, weight in zip(slots, weights, strict=True):
            acc[slot] = get(slot, 0.0) + idf * weight
        return
    best: dict[int, float] = {}
    best_get = best.get
    for idf, slots, weights in terms:
        for slot, weight in zip(slots, weights, strict=True):
            value = idf * weight
            if value > best_get(slot, 0.0):
                best[slot] = value
    for slot, value in best.items():
        acc[slot] = acc.get(slot, 0.0) + value


def _rescore(acc: dict[int, float], terms: list[_Term]) -> None:
    """Add one common concept's score to the documents already found, and to no other."""
    best: dict[int, float] = {}
    for idf, slots, weights in terms:
        if len(acc) * 12 < len(slots):  # few candidates: look each up (postings are in slot order)
            size = len(slots)
            for slot in acc:
                at = bisect_left(slots, slot)
                if at < size and slots[at] == slot:
                    value = idf * weights[at]
                    if value > best.get(slot, 0.0):
                        best[slot] = value
        else:
            for slot, weight in zip(slots, weights, strict=True):
                if slot in acc:
                    value = idf * weight
                    if value > best.get(slot, 0.0):
                        best[slot] = value
    for slot, value in best.items():
        acc[slot] += value


def visible(doc: Doc, audience: str, scope: frozenset[int] | None, today: date, now: datetime) -> bool:
    """May ``audience`` see ``doc`` now, for a question asked in ``scope`` (a region and those above it)?"""
    if audience == "public" and not doc.public:
        return False
    early = doc.kind == "interpretation" and audience != "public"
    if doc.valid_from is not None and doc.valid_from > today and not early:
        return False
    if doc.valid_until is not None and doc.valid_until < today:
        return False
    if doc.kind == "emergency" and (doc.expires_at is None or doc.expires_at <= now):
        return False
    return scope is None or doc.region_id is None or doc.region_id in scope


def _emergency_first(hits: list[Hit], audience: str) -> list[Hit]:
    if audience == "public" or not hits:
        return hits
    best = hits[0].score
    lifted = [h for h in hits if h.doc.kind == "emergency" and h.score >= best * EMERGENCY_LIFT]
    if not lifted:
        return hits
    lifted.sort(key=lambda h: (-h.doc.priority, -h.score))
    ids = {h.entry_id for h in lifted}
    return lifted + [h for h in hits if h.entry_id not in ids]


# --- the process's index, kept in step with the database ------------------------------------------

@dataclass
class _Synced:
    index: Index
    last_id: int
    last_token: str | None
    checked_at: float


_STATE: _Synced | None = None
_STALE = False
_LOCK = threading.Lock()
#: more pending changes than this: rebuild instead of applying them one by one
MAX_CHANGES = 500


def mark_stale() -> None:
    """After a commit that changed the index: the next search in this process syncs at once."""
    global _STALE
    _STALE = True


def reset() -> None:
    """Forget the index (tests; after loading data behind the services' back)."""
    global _STATE
    with _LOCK:
        _STATE = None


def _sync_seconds() -> float:
    return float(getattr(settings, "HOTLINE_KB_INDEX_SYNC_SECONDS", 1.0))


def current_index() -> Index:
    """This process's index, built or brought up to date as needed."""
    global _STATE, _STALE
    with _LOCK:
        now = time.monotonic()
        if _STATE is None:
            _STATE = _build()
        elif _STALE or now - _STATE.checked_at >= _sync_seconds():
            _STALE = False
            _STATE = _sync(_STATE)
        _STATE.checked_at = now
        return _STATE.index


def _build() -> _Synced:
    from hotline.kb import selectors
    from hotline.kb.models import IndexChange

    last = IndexChange.objects.order_by("-pk").values_list("pk", "token").first()
    index = Index(tokenizer())
    index.set_regions(selectors.region_rows())
    index.set_synonyms(selectors.synonym_groups())
    index.build(selectors.published_docs())
    return _Synced(index, last[0] if last else 0, str(last[1]) if last else None, time.monotonic())


def _sync(state: _Synced) -> _Synced:
    from hotline.kb import selectors
    from hotline.kb.models import IndexChange

    rows = list(IndexChange.objects.filter(pk__gte=state.last_id).order_by("pk")
                .values_list("pk", "token", "entry_id")[:MAX_CHANGES + 1])
    if state.last_id:
        if not rows or (rows[0][0], str(rows[0][1])) != (state.last_id, state.last_token):
            return _build()
        rows = rows[1:]
    if not rows:
        return state
    if len(rows) > MAX_CHANGES or any(entry is None for _, _, entry in rows):
        return _build()
    changed = {entry for _, _, entry in rows if entry is not None}
    fresh = {doc.entry_id: doc for doc in selectors.published_docs(entry_ids=changed)}
    for entry_id in changed:
        doc = fresh.get(entry_id)
        if doc is None:
            state.index.remove(entry_id)
        else:
            state.index.put(doc)
    state.last_id, state.last_token = rows[-1][0], str(rows[-1][1])
    return state


def kb_search(query: str, *, region: str | None = None, audience: str = "operator", limit: int = 10,
              now: datetime | None = None) -> list[Hit]:
    """The published entries that answer ``query``, best first (see the module's docstring).

    ``region``: a region code (the caller's district or street); ``audience``: ``operator`` (the hotline),
    ``unit`` (unit staff) or ``public`` (citizens: public entries only)."""
    if not query.strip():
        return []
    return current_index().search(query, region=region, audience=audience, limit=limit, now=now)


def kb_emergency_active(*, region: str | None = None, now: datetime | None = None) -> list[Doc]:
    """Every emergency information in force, by priority: what operators see first on their screen."""
    index = current_index()
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    scope = index.region_scope(region)
    found = [d for d in index.docs if d is not None and d.kind == "emergency" and visible(d, "operator", scope, today, now)]
    return sorted(found, key=lambda d: (-d.priority, d.code))
