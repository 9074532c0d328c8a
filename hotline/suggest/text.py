"""Text preparation shared by training and serving: normalisation, segmentation, duplicate-group keys.

Pure Python (no Django). Segmentation uses rjieba (jieba-rs); the functions are module-level so a
fitted vectorizer that refers to them can be pickled.
"""

from __future__ import annotations

import unicodedata

import rjieba

#: texts whose first GROUP_PREFIX normalised characters are equal are one near-duplicate group
GROUP_PREFIX = 60
#: characters of a text the classifiers read (the opening says what the matter is; long texts cost time)
MAX_CHARS = 1500


def normalise(text: str) -> str:
    """NFKC, lower case, no whitespace: what the character n-grams see."""
    return "".join(unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower().split())


def words(text: str) -> list[str]:
    """Word tokens of a normalised text (punctuation and single symbols dropped)."""
    return [w for w in rjieba.cut(text) if w.strip() and (len(w) > 1 or w.isalnum())]


def group_key(text: str) -> str:
    """The near-duplicate group of a text: its first 60 normalised letters and digits."""
    cleaned = "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())
    return cleaned[:GROUP_PREFIX]
