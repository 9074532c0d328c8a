"""The serving form of a fitted linear TF-IDF classifier: numpy arrays only, no scikit-learn.

A serving process then needs neither scikit-learn nor scipy (about 100 MB less), and the vocabularies
are sorted 64-bit keys instead of Python dictionaries (about four times less memory):

- a character n-gram (n ≤ 3) is keyed exactly: its code points + 1 in 21-bit slots;
- a word is keyed by two CRC-32s; a word pair combines its words' keys (collisions: about one in 10^19
  per pair of n-grams);
- one text's n-grams are keyed once and shared by the category, appeal type and unit classifiers.

``TextClassifier.compact()`` builds it; it gives the same rankings and confidences as the fitted
scikit-learn objects (tests/suggest/test_classifier.py checks).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hotline.suggest.text import normalise, words

_SLOT = np.uint64(21)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BLOCK_TAG = {"char": 0, "word": 1, "context": 2}


def char_keys(text: str, ngrams: tuple[int, int]) -> np.ndarray:
    """Keys of all character n-grams of ``text`` (lo ≤ n ≤ hi ≤ 3), with repeats."""
    lo, hi = ngrams
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)
    parts = []
    for n in range(lo, min(hi, 3) + 1):
        if len(codes) < n:
            break
        key = codes[: len(codes) - n + 1].copy()
        for i in range(1, n):
            key |= codes[i: len(codes) - n + 1 + i] << (_SLOT * np.uint64(i))
        parts.append(key)
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)


def word_key(word: str) -> int:
    data = word.encode("utf-8")
    return (zlib.crc32(data) << 32) | zlib.crc32(data, 0x5BD1E995)


def word_keys(tokens: Sequence[str], ngrams: tuple[int, int]) -> np.ndarray:
    """Keys of the word n-grams (n ≤ 2) of a token list, with repeats."""
    lo, hi = ngrams
    single = np.fromiter((word_key(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    parts = []
    if lo <= 1 <= hi:
        parts.append(single)
    if lo <= 2 <= hi and len(single) > 1:
        with np.errstate(over="ignore"):
            parts.append(single[:-1] * _MIX + single[1:])
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)


def term_key(kind: str, term: str) -> int:
    """The key of one vocabulary term, as :func:`char_keys` / :func:`word_keys` compute it."""
    if kind == "char":
        return int(char_keys(term, (len(term), len(term)))[0])
    parts = term.split(" ")
    if len(parts) == 1:
        return word_key(parts[0])
    a, b = (np.uint64(word_key(p)) for p in parts)
    with np.errstate(over="ignore"):
        return int(a * _MIX + b)


@dataclass
class Block:
    """One vectorizer's vocabulary and the classifier's weights on it, sorted by key."""

    kind: str                    # char | word | context
    ngrams: tuple[int, int]
    keys: np.ndarray             # uint64, sorted
    idf: np.ndarray | None       # float32, per key (None: binary counts, no weighting)
    weights: np.ndarray          # float32, (classes or 1, keys)
    binary: bool                 # presence only (the region tokens)
    sublinear: bool
    l2: bool


class Tokens:
    """One text's n-gram keys, computed once and shared by the classifiers of a bundle."""

    def __init__(self, text: str, context: str = "") -> None:
        self.clean = normalise(text)
        self.context = context
        self._words: list[str] | None = None
        self._cache: dict[tuple[str, tuple[int, int]], tuple[np.ndarray, np.ndarray]] = {}

    def counts(self, kind: str, ngrams: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """(unique keys, their counts) of this text for a block."""
        found = self._cache.get((kind, ngrams))
        if found is None:
            if kind == "char":
                keys = char_keys(self.clean, ngrams)
            elif kind == "word":
                if self._words is None:
                    self._words = words(self.clean)
                keys = word_keys(self._words, ngrams)
            else:
                keys = word_keys((self.context or "_").split(), (1, 1))
            unique, counts = np.unique(keys, return_counts=True)
            found = self._cache[(kind, ngrams)] = (unique, counts.astype(np.float64))
        return found


class CompactClassifier:
    """Ranks labels of one text with confidences, like :class:`TextClassifier`, from numpy arrays."""

    def __init__(self, *, approach: str, labels: tuple[str, ...], temperature: float, n_trained: int,
                 blocks: list[Block], intercept: np.ndarray, label_counts: dict[str, int]) -> None:
        self.approach_name = approach
        self.labels = labels
        self.temperature = temperature
        self.n_trained = n_trained
        self.blocks = blocks
        self.intercept = intercept
        self.label_counts = label_counts

    def scores(self, tokens: Tokens) -> np.ndarray:
        return self._scores(tokens)[0]

    def _scores(self, tokens: Tokens) -> tuple[np.ndarray, int]:
        """(scores per label, how many of the text's n-grams the model knows; region tokens not counted)."""
        raw = self.intercept.astype(np.float64).copy()
        known = 0
        for block in self.blocks:
            unique, counts = tokens.counts(block.kind, block.ngrams)
            if not len(unique) or not len(block.keys):
                continue
            pos = np.searchsorted(block.keys, unique)
            pos[pos == len(block.keys)] = 0
            hit = block.keys[pos] == unique
            if not hit.any():
                continue
            pos, val = pos[hit], counts[hit]
            if block.kind != "context":
                known += int(hit.sum())
            if block.binary:
                val = np.ones_like(val)
            if block.sublinear:
                val = 1.0 + np.log(val)
            if block.idf is not None:
                val = val * block.idf[pos]
            if block.l2:
                val = val / np.sqrt(np.dot(val, val))
            raw += block.weights[:, pos].astype(np.float64) @ val
        if raw.shape[0] == 1 and len(self.labels) == 2:
            raw = np.array([-raw[0], raw[0]])
        return raw, known

    def rank(self, text: str, context: str = "", k: int = 3, *, tokens: Tokens | None = None) -> list[tuple[str, float]]:
        """The k most likely labels with confidences; none when the text has no n-gram the model knows
        (the label priors alone are no suggestion)."""
        scores, known = self._scores(tokens if tokens is not None else Tokens(text, context))
        if not known:
            return []
        scores = scores * self.temperature
        e = np.exp(scores - scores.max())
        probs = e / e.sum()
        top = np.argsort(-probs)[:k]
        return [(self.labels[j], float(probs[j])) for j in top]

    def rank_many(self, texts: Sequence[str], contexts: Sequence[str] | None = None,
                  k: int = 3) -> list[list[tuple[str, float]]]:
        contexts = list(contexts) if contexts is not None else [""] * len(texts)
        return [self.rank(t, c, k) for t, c in zip(texts, contexts, strict=True)]


def compact_from(vectorizers: Sequence[tuple[str, Any]], estimator: Any, **meta: Any) -> CompactClassifier:
    """Build the serving form from fitted scikit-learn vectorizers (char, word, context) and a linear model."""
    coef = np.atleast_2d(np.asarray(estimator.coef_, dtype=np.float32))
    blocks = []
    offset = 0
    for source, vec in vectorizers:
        vocabulary: dict[str, int] = vec.vocabulary_
        if source == "context":
            kind, ngrams = "context", (1, 1)
        elif vec.analyzer == "char":
            kind, ngrams = "char", tuple(vec.ngram_range)
        else:
            kind, ngrams = "word", tuple(vec.ngram_range)
        terms = list(vocabulary)
        index = np.fromiter((vocabulary[t] for t in terms), dtype=np.int64, count=len(terms))
        keys = np.fromiter((term_key(kind, t) for t in terms), dtype=np.uint64, count=len(terms))
        order = np.argsort(keys)
        keys, index = keys[order], index[order]
        tfidf = hasattr(vec, "idf_") or hasattr(vec, "use_idf")
        blocks.append(Block(kind, ngrams, keys,
                            np.asarray(vec.idf_, dtype=np.float32)[index] if tfidf and vec.use_idf else None,
                            np.ascontiguousarray(coef[:, offset + index]), bool(getattr(vec, "binary", False)),
                            bool(tfidf and vec.sublinear_tf), bool(tfidf and vec.norm == "l2")))
        offset += len(vocabulary)
    return CompactClassifier(blocks=blocks, intercept=np.atleast_1d(np.asarray(estimator.intercept_, dtype=np.float64)),
                             **meta)
