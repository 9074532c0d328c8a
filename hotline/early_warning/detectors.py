"""The detection maths of early warning, with no database: plain functions over counts and small records.

The scan (``hotline.early_warning.scan``) feeds them from aggregate queries; the benchmark
(``hotline.early_warning.bench``) feeds them synthetic history. Five detectors:

- :func:`departure`        a day's count against a robust baseline of comparable days (volume, overdue);
- :func:`bursts`           many appeals about one place or event within hours;
- :func:`repeats`          one requester appealing the same matter again and again;
- :func:`danger_matches`   words that signal danger to life or a mass incident.

Robust baseline: the median of the reference days and their MAD (median absolute deviation), scaled by
1.4826 so that it estimates a standard deviation for normal data; the spread is never taken below the
Poisson spread sqrt(median) (daily counts are counts: with a MAD of 0 on a quiet series every extra
appeal would otherwise be "infinitely" unusual). The robust z-score is (count − median) / spread.
Why median and MAD and not mean and standard deviation: one earlier spike in the reference weeks drags a
mean up and inflates a standard deviation, hiding the next spike; a median does not move.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

import numpy as np

#: MAD → standard deviation for normally distributed data
MAD_SCALE = 1.4826
#: fewer comparable days than this and no judgement is made
MIN_REFERENCE = 3

#: two addresses at least this similar (bigram Dice) name one place
PLACE_SIMILARITY = 0.75

IsWorking = Callable[[date], bool]


# --- robust baseline ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Baseline:
    median: float
    mad: float
    spread: float            # max(1.4826 × MAD, sqrt(max(median, 1)))
    days: tuple[date, ...]
    values: tuple[int, ...]


def baseline(days: Sequence[date], values: Sequence[int]) -> Baseline:
    """The robust baseline of ``values`` (one per day of ``days``)."""
    array = np.asarray(values, dtype=float)
    median = float(np.median(array))
    mad = float(np.median(np.abs(array - median)))
    spread = max(MAD_SCALE * mad, math.sqrt(max(median, 1.0)))
    return Baseline(median, mad, spread, tuple(days), tuple(int(v) for v in values))


def weekday_reference(day: date, *, weeks: int, since: date, is_working: IsWorking) -> list[date]:
    """The days ``day`` is compared with: the same weekday in each of the last ``weeks`` weeks, when that
    day is of the same kind (working day or not, 调休 and holidays included). When fewer than
    MIN_REFERENCE such days exist (a holiday on a weekday, a working Saturday), every day of the same
    kind in those weeks instead. Days before ``since`` (no history yet) never count."""
    working = is_working(day)
    same = [day - timedelta(weeks=k) for k in range(1, weeks + 1)]
    chosen = [d for d in same if d >= since and is_working(d) == working]
    if len(chosen) >= MIN_REFERENCE:
        return chosen
    window = [day - timedelta(days=k) for k in range(1, weeks * 7 + 1)]
    return [d for d in window if d >= since and is_working(d) == working]


def recent_reference(day: date, *, days: int, since: date, is_working: IsWorking) -> list[date]:
    """The last ``days`` days before ``day`` of the same kind (working day or not)."""
    working = is_working(day)
    return [d for k in range(1, days + 1) if (d := day - timedelta(days=k)) >= since and is_working(d) == working]


@dataclass(frozen=True)
class Departure:
    day: date
    count: int
    direction: str           # "up" | "down"
    z: float
    baseline: Baseline
    threshold_z: float
    min_count: int

    @property
    def expected(self) -> float:
        return self.baseline.median


def departure(series: Mapping[date, int], day: date, reference: Sequence[date], *, z: float, min_count: int,
              upward_only: bool = False) -> Departure | None:
    """Does ``series[day]`` depart from the baseline of ``reference`` days (missing days count 0)?

    Up: robust z ≥ ``z`` and at least ``min_count``. Down (unless ``upward_only``, e.g. a day not over
    yet): robust z ≤ −``z`` and at least ``min_count`` expected.
    """
    if len(reference) < MIN_REFERENCE:
        return None
    base = baseline(reference, [series.get(d, 0) for d in reference])
    count = int(series.get(day, 0))
    score = (count - base.median) / base.spread
    if score >= z and count >= min_count:
        return Departure(day, count, "up", round(score, 2), base, z, min_count)
    if not upward_only and score <= -z and base.median >= min_count:
        return Departure(day, count, "down", round(score, 2), base, z, min_count)
    return None


# --- text ----------------------------------------------------------------------------------------------

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def normalise_address(address: str) -> str:
    """An address as a key: no spaces or punctuation, lower case; too short to name a place → ""."""
    key = _PUNCT.sub("", address).lower()
    return key if len(key) >= 4 else ""


def grams(text: str) -> frozenset[str]:
    """Character bigrams, as hotline.orders.repeats.similarity reads text."""
    cleaned = "".join(ch for ch in text if ch.isalnum())
    return frozenset({cleaned[i:i + 2] for i in range(len(cleaned) - 1)} or {cleaned})


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


@dataclass(frozen=True)
class Item:
    """One appeal as the burst and repeat detectors see it."""

    id: int
    at: datetime
    text: str
    region: int | None = None
    address: str = ""
    requester: int | None = None
    category: int | None = None
    grams: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    place: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def with_grams(self) -> Item:
        """The same item with its text's and its address's bigrams worked out once."""
        if self.grams:
            return self
        key = normalise_address(self.address)
        return Item(self.id, self.at, self.text, self.region, self.address, self.requester, self.category,
                    grams(self.text), grams(key) if key else frozenset())


def same_place(a: Item, b: Item, similarity: float) -> bool:
    """Two addresses name one place: equal once normalised, or similar enough ("阳光小区3栋" and
    "阳光小区5栋2单元" are one estate)."""
    return bool(a.place and b.place) and (a.place == b.place or dice(a.place, b.place) >= similarity)


@dataclass(frozen=True)
class Group:
    """Appeals found to belong together: a burst or a requester's repeats."""

    kind: str                # "burst" | "repeat"
    basis: str               # what linked them: "address", "text", "address+text"
    items: tuple[Item, ...]
    requesters: int          # distinct requesters (unknown: one each)
    address: str = ""        # the most frequent address among them
    region: int | None = None
    requester: int | None = None
    similarity: float = 0.0  # mean similarity of each text to the group's first

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(i.id for i in self.items)

    @property
    def first(self) -> datetime:
        return self.items[0].at

    @property
    def last(self) -> datetime:
        return self.items[-1].at


def _distinct_requesters(items: Iterable[Item]) -> int:
    known = {i.requester for i in items if i.requester is not None}
    return len(known) + sum(1 for i in items if i.requester is None)


def _group(kind: str, members: list[Item], linked: Callable[[Item, Item], str], requester: int | None = None) -> Group:
    members = sorted(members, key=lambda i: (i.at, i.id))
    addresses = Counter(i.address.strip() for i in members if normalise_address(i.address))
    regions = {i.region for i in members} - {None}
    head = members[0]
    sims = [dice(head.grams, i.grams) for i in members[1:]]
    bases = {linked(head, i) for i in members[1:]} - {""}
    basis = "+".join(b for b in ("address", "text") if b in bases) or "text"
    return Group(kind, basis, tuple(members), _distinct_requesters(members),
                 addresses.most_common(1)[0][0] if addresses else "",
                 regions.pop() if len(regions) == 1 else None, requester,
                 round(sum(sims) / len(sims), 3) if sims else 1.0)


#: how many of a group's first members a newcomer is compared with (a group grows around its start,
#: not along a chain: A like B, B like C, … Z has nothing to do with A)
LEADERS = 5
#: a newcomer at the same place needs at least this much text in common (the same estate, another matter,
#: is not the same event)
RELATED_TEXT = 0.2


def _cluster(pool: Sequence[Item], linked: Callable[[Item, Item], str], span: timedelta | None) -> list[list[Item]]:
    """Leader clustering in time order: each item joins the open group one of whose first LEADERS
    members it is linked to (the most recent group first), else starts a group. With ``span``, a group
    whose last member is older than ``span`` is closed."""
    groups: list[list[Item]] = []
    for item in pool:
        chosen = None
        for group in reversed(groups):
            if span is not None and item.at - group[-1].at > span:
                continue
            if any(linked(leader, item) for leader in group[:LEADERS]):
                chosen = group
                break
        if chosen is None:
            groups.append([item])
        else:
            chosen.append(item)
    return groups


def bursts(items: Iterable[Item], *, hours: float, min_appeals: int, similarity: float,
           place_similarity: float = PLACE_SIMILARITY) -> list[Group]:
    """Bursts: appeals of one region received within ``hours`` of each other, at the same place
    (address similarity ≥ ``place_similarity``) with related text (≥ RELATED_TEXT), or with similar
    text (≥ ``similarity``) wherever they are; at least ``min_appeals`` distinct requesters."""
    span = timedelta(hours=hours)
    by_region: dict[int | None, list[Item]] = defaultdict(list)
    for item in sorted((i.with_grams() for i in items), key=lambda i: (i.at, i.id)):
        by_region[item.region].append(item)

    def linked(a: Item, b: Item) -> str:
        text = dice(a.grams, b.grams)
        if same_place(a, b, place_similarity) and text >= RELATED_TEXT:
            return "address"
        return "text" if text >= similarity else ""

    found = []
    for pool in by_region.values():
        for members in _cluster(pool, linked, span):
            if len(members) > 1 and _distinct_requesters(members) >= min_appeals:
                found.append(_group("burst", members, linked))
    return sorted(found, key=lambda g: (g.first, g.ids))


def repeats(items: Iterable[Item], *, min_appeals: int, similarity: float,
            place_similarity: float = PLACE_SIMILARITY) -> list[Group]:
    """One requester's appeals about the same matter, at least ``min_appeals`` of them (the caller
    chooses the window). The same matter: both name a place → the same place, and the same category or
    similar text (≥ ``similarity``); otherwise similar text in the same category (when both have one)."""
    by_requester: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        if item.requester is not None:
            by_requester[item.requester].append(item.with_grams())

    def linked(a: Item, b: Item) -> str:
        text = dice(a.grams, b.grams)
        if a.place and b.place:
            same = same_place(a, b, place_similarity) and (a.category == b.category or text >= similarity)
            return "address" if same else ""
        same_category = a.category is None or b.category is None or a.category == b.category
        return "text" if same_category and text >= similarity else ""

    found = []
    for requester, mine in by_requester.items():
        if len(mine) < min_appeals:
            continue
        mine.sort(key=lambda i: (i.at, i.id))
        for members in _cluster(mine, linked, None):
            if len(members) >= min_appeals:
                found.append(_group("repeat", members, linked, requester))
    return sorted(found, key=lambda g: (g.first, g.ids))


# --- danger words --------------------------------------------------------------------------------------

DANGER_KINDS = {"life": "危及生命", "safety": "公共安全", "mass": "群体性事件"}


@dataclass(frozen=True)
class WordList:
    words: tuple[tuple[str, str], ...]          # (word, kind), longest first
    exceptions: tuple[str, ...]


def parse_words(text: str) -> WordList:
    words: dict[str, str] = {}
    exceptions: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("!"):
            exceptions.append(line[1:].strip())
            continue
        parts = line.split()
        if len(parts) != 2 or parts[1] not in DANGER_KINDS:
            raise ValueError(f"danger word list line {number}: {raw!r} is not '<word> <{'|'.join(DANGER_KINDS)}>'")
        words[parts[0]] = parts[1]
    ordered = tuple(sorted(words.items(), key=lambda wk: (-len(wk[0]), wk[0])))
    return WordList(ordered, tuple(sorted(set(exceptions), key=len, reverse=True)))


def load_words(extra: str | Path = "") -> WordList:
    """The shipped list (danger_words.txt), plus an extra file when given."""
    text = resources.files("hotline.early_warning").joinpath("danger_words.txt").read_text(encoding="utf-8")
    if extra:
        text += "\n" + Path(extra).read_text(encoding="utf-8")
    return parse_words(text)


@dataclass(frozen=True)
class DangerMatch:
    word: str
    kind: str
    snippet: str             # the words around it, digits masked (a phone number is not evidence)


_DIGITS = re.compile(r"\d")


def danger_matches(text: str, words: WordList, *, context: int = 12) -> list[DangerMatch]:
    """The danger words in ``text`` (each once, longest first, a word inside a longer one found not again)."""
    blanked = text
    for phrase in words.exceptions:
        blanked = blanked.replace(phrase, "\0" * len(phrase))
    found: list[DangerMatch] = []
    taken = [False] * len(blanked)
    for word, kind in words.words:
        start = blanked.find(word)
        while start >= 0 and any(taken[start:start + len(word)]):
            start = blanked.find(word, start + 1)
        if start < 0:
            continue
        for k in range(start, start + len(word)):
            taken[k] = True
        snippet = text[max(0, start - context):start + len(word) + context]
        found.append(DangerMatch(word, kind, _DIGITS.sub("*", snippet)))
    return found
