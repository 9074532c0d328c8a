"""Suggestions for an appeal's text, feedback on what was picked, and training from the archive.

``suggest_for_text`` is what the intake and dispatch pages and the API call; it never writes.
``suggestion_feedback_record`` stores what was suggested next to what was chosen.
``suggest_train`` trains from the archive and activates the new model only when it is at least as
good as the active one on the most recent 20% of the archived orders.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from hotline.directory.models import Region, User
from hotline.orders.models import Order
from hotline.rules.errors import Conflict, InvalidInput
from hotline.rules.vocabulary import AppealType
from hotline.suggest import bundle as bundles
from hotline.suggest import conf, selectors, serving
from hotline.suggest.metrics import evaluate
from hotline.suggest.models import SuggestionFeedback, SuggestModel
from hotline.suggest.selectors import Example, SimilarAppeal

FIELDS = bundles.FIELDS
#: fewest archived orders before a model is trained (below it the cold start serves)
MIN_EXAMPLES = 20
HOLD_BACK = 0.2


class Choice(NamedTuple):
    code: str
    name: str
    confidence: float


@dataclass(frozen=True)
class LowConfidence:
    """Per field: True when the best guess was below the threshold, so nothing is suggested."""

    category: bool = False
    appeal_type: bool = False
    unit: bool = False


@dataclass(frozen=True)
class Suggestions:
    category: list[Choice]
    appeal_type: list[Choice]
    unit: list[Choice]
    similar: list[SimilarAppeal]
    model_version: str
    cold_start: bool
    low_confidence: LowConfidence
    threshold: float


def _named(field: str, ranked: bundles.Ranked) -> list[Choice]:
    if field == "category":
        names = selectors.category_names(code for code, _ in ranked)
        return [Choice(code, names[code], round(conf_, 4)) for code, conf_ in ranked if code in names]
    if field == "unit":
        units = selectors.unit_names(code for code, _ in ranked)
        merged: dict[str, Choice] = {}
        for code, conf_ in ranked:
            if code in units:
                target, name = units[code]
                previous = merged.get(target)
                merged[target] = Choice(target, name, round(conf_ + (previous.confidence if previous else 0.0), 4))
        return sorted(merged.values(), key=lambda c: -c.confidence)
    zh = {t.value: t.zh for t in AppealType}
    return [Choice(code, zh.get(code, code), round(conf_, 4)) for code, conf_ in ranked]


def suggest_for_text(text: str, region: str | None = None, *, similar: bool = True,
                     at: datetime | None = None) -> Suggestions:
    """Category, appeal type and handling unit (top 3 each, with confidences) and similar earlier
    appeals. A field whose best guess is below HOTLINE_SUGGEST_MIN_CONFIDENCE suggests nothing and is
    flagged in ``low_confidence``. Meant for hotline staff: ``similar`` holds order numbers and states
    only, no personal data."""
    if not text or not text.strip():
        raise InvalidInput("诉求内容为空，无法给出建议", "the appeal's text is empty: nothing to suggest from")
    region = (region or "").strip() or None
    if region is not None and not Region.objects.filter(code=region).exists():
        raise InvalidInput(f"区域代码 {region} 不存在", f"region code {region!r} does not exist")
    predictor = serving.current()               # this request keeps this object, whatever swaps meanwhile
    raw = predictor.predict(text, region)
    missing = [f for f in FIELDS if f not in raw]
    if missing:                                  # too little history for a field: the duty table answers
        fallback = selectors.cold_start_predictor().predict(text, region)
        raw = {**raw, **{f: fallback[f] for f in missing}}
    threshold = conf.min_confidence()
    chosen: dict[str, list[Choice]] = {}
    low: dict[str, bool] = {}
    for field in FIELDS:
        named = _named(field, raw[field])
        low[field] = not named or named[0].confidence < threshold
        chosen[field] = [] if low[field] else named[:3]
    return Suggestions(chosen["category"], chosen["appeal_type"], chosen["unit"],
                       selectors.similar_orders(text, region=region, at=at) if similar else [],
                       predictor.version, predictor.cold_start, LowConfidence(**low), threshold)


def suggestion_feedback_record(*, user: User | None, order: Order | int, field: str,
                               suggested: Sequence[Choice | str | Sequence[Any]], chosen: str,
                               model_version: str = "", at: datetime | None = None) -> SuggestionFeedback:
    """Record what was suggested for one field of an order (best first; empty when unsure) and what
    the operator or dispatcher chose."""
    if field not in SuggestionFeedback.Field.values:
        raise InvalidInput(f"字段 {field!r} 不正确（可选：{'、'.join(SuggestionFeedback.Field.values)}）",
                           f"field {field!r} is not one of {', '.join(SuggestionFeedback.Field.values)}")
    chosen = (chosen or "").strip()
    if not chosen:
        raise InvalidInput("请写明实际选择的代码", "give the code that was chosen")
    codes: list[str] = []
    top: float | None = None
    for item in suggested:
        if isinstance(item, str):
            codes.append(item)
        else:
            codes.append(str(item[0]))
            if len(codes) == 1 and len(item) >= 3:
                top = float(item[2])
    order_pk = order.pk if isinstance(order, Order) else int(order)
    with transaction.atomic():
        target = Order.objects.filter(pk=order_pk).first()
        if target is None:
            raise InvalidInput(f"工单 {order_pk} 不存在", f"order {order_pk} does not exist")
        return SuggestionFeedback.objects.create(
            order=target, user=user, field=field, suggested=codes, shown=bool(codes), top_confidence=top,
            chosen=chosen, accepted=bool(codes) and codes[0] == chosen, in_top3=chosen in codes[:3],
            model_version=model_version[:20], at=at or timezone.now())


# --- training from the archive ----------------------------------------------------------------
@dataclass(frozen=True)
class TrainResult:
    model: SuggestModel
    activated: bool
    candidate_score: float
    previous_score: float
    previous_version: str
    seconds: float


def _fit(examples: Sequence[Example], approach: str, regions: dict[str, str], version: str,
         at: datetime, temperatures: dict[str, float] | None = None) -> bundles.SuggestBundle:
    """One classifier per field; with ``temperatures`` (from the candidate) the confidence scale is not
    fitted again."""
    # training only: a serving process never imports scikit-learn
    from hotline.suggest.classifier import APPROACHES, TextClassifier

    model = bundles.SuggestBundle(version, approach, at, {}, regions)
    for field in FIELDS:
        rows = [e for e in examples if getattr(e, field)]
        if len({getattr(e, field) for e in rows}) < 2:
            continue                                 # the duty table / keywords answer for this field
        contexts = [bundles.region_context(e.region, model._ancestors(e.region)) for e in rows]
        classifier = TextClassifier(APPROACHES[approach]).fit(
            [e.text for e in rows], [getattr(e, field) for e in rows], contexts,
            calibrate=temperatures is None or field not in temperatures)
        if temperatures and field in temperatures:
            classifier.temperature = temperatures[field]
        model.classifiers[field] = classifier.compact()
    return model


def _figures(predictor: bundles.Predictor, held: Sequence[Example]) -> dict[str, dict[str, float]]:
    ranked: dict[str, list[list[str]]] = {f: [] for f in FIELDS}
    truth: dict[str, list[str]] = {f: [] for f in FIELDS}
    for e in held:
        predicted = predictor.predict(e.text, e.region or None)
        for field in FIELDS:
            if getattr(e, field):
                truth[field].append(getattr(e, field))
                ranked[field].append([code for code, _ in predicted.get(field, [])])
    result = {}
    for field in FIELDS:
        if truth[field]:
            report = evaluate(truth[field], ranked[field])
            result[field] = {"accuracy": round(report.accuracy, 4), "macro_f1": round(report.macro_f1, 4),
                             "top3_accuracy": round(report.top3_accuracy, 4), "n": report.n}
    return result


def _score(figures: dict[str, dict[str, float]]) -> float:
    """One number to compare models: the mean top-1 accuracy over the fields."""
    return sum(f["accuracy"] for f in figures.values()) / len(figures) if figures else 0.0


def _with_fallback(model: bundles.SuggestBundle, cold: bundles.ColdStart) -> bundles.Predictor:
    class _Filled:
        version, cold_start = model.version, False

        def predict(self, text: str, region: str | None = None, k: int = 3) -> dict[str, bundles.Ranked]:
            found = model.predict(text, region, k)
            if len(found) < len(FIELDS):
                found = {**cold.predict(text, region, k), **found}
            return found

    return _Filled()


def suggest_train(*, at: datetime | None = None, approach: str | None = None) -> TrainResult:
    """Train from the archived orders; activate the new model only if, on the most recent 20% held
    back, it is at least as good as the active one (or the cold start when none is active)."""
    from hotline.suggest.classifier import APPROACHES, KEPT

    started = time.perf_counter()
    at = at or timezone.now()
    approach = approach or KEPT
    if approach not in APPROACHES:
        raise InvalidInput(f"方法 {approach!r} 不存在", f"unknown approach {approach!r}: {', '.join(APPROACHES)}")
    examples = selectors.training_examples(until=at)
    if len(examples) < MIN_EXAMPLES:
        raise InvalidInput(f"已归档工单只有 {len(examples)} 件，至少需要 {MIN_EXAMPLES} 件才能训练；仍按派单目录和关键词建议",
                           f"only {len(examples)} archived orders, {MIN_EXAMPLES} are needed to train; "
                           "the duty table and keywords keep serving", code="not_enough_history")
    cut = len(examples) - max(1, math.ceil(len(examples) * HOLD_BACK))
    train, held = examples[:cut], examples[cut:]
    regions = selectors.region_parents()
    cold = selectors.cold_start_predictor()
    version = (SuggestModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    candidate = _fit(train, approach, regions, f"v{version}", at)
    candidate_figures = _figures(_with_fallback(candidate, cold), held)
    active = SuggestModel.objects.filter(active=True).first()
    previous: bundles.Predictor = cold
    if active is not None:
        try:
            loaded: bundles.SuggestBundle = bundles.load(conf.model_dir() / active.path, kind="bundle")
            previous = _with_fallback(loaded, cold)
        except bundles.ModelFileError:
            previous = cold                           # an unreadable active model: compare with the cold start
    previous_figures = _figures(previous, held)
    candidate_score, previous_score = _score(candidate_figures), _score(previous_figures)
    keep = candidate_score >= previous_score
    figures = {"held_back": len(held), "candidate": candidate_figures,
               "previous": {"version": previous.version, **previous_figures},
               "score": {"candidate": round(candidate_score, 4), "previous": round(previous_score, 4)}}
    path, size = "", 0
    if keep:                                          # refit on the whole window, then store
        final = _fit(examples, approach, regions, f"v{version}", at,
                     {f: c.temperature for f, c in candidate.classifiers.items()})
        path = f"suggest-v{version}-{secrets.token_hex(4)}.pkl"   # never overwrites another run's file
        size = bundles.save(final, conf.model_dir() / path, kind="bundle")
    figures["train_seconds"] = round(time.perf_counter() - started, 2)
    note = (f"新模型不低于原模型（{candidate_score:.4f} ≥ {previous_score:.4f}），已启用 / at least as good as "
            f"{previous.version}, activated" if keep else
            f"新模型不如原模型（{candidate_score:.4f} < {previous_score:.4f}），保留 {previous.version} / worse than "
            f"{previous.version}, not activated")
    try:
        with transaction.atomic():
            if keep:
                SuggestModel.objects.select_for_update().filter(active=True).update(active=False)
            row = SuggestModel.objects.create(
                version=version, created_at=at, approach=approach, window_start=examples[0].received_at,
                window_end=examples[-1].received_at, n_train=len(examples) if keep else len(train), n_held=len(held),
                figures=figures, path=path, size_bytes=size, active=keep, note=note)
    except IntegrityError:
        raise Conflict("另一次训练同时进行，请稍后再试", "another training ran at the same time; try again") from None
    if keep:
        serving.swap(bundles.load(conf.model_dir() / path, kind="bundle"))   # this process serves it at once
    return TrainResult(row, keep, candidate_score, previous_score, previous.version, time.perf_counter() - started)


def suggest_retrain_if_due(*, at: datetime | None = None) -> TrainResult | None:
    """For the tick: train when the newest model is HOTLINE_SUGGEST_RETRAIN_DAYS old (or there is none)
    and there is enough history; otherwise nothing."""
    at = at or timezone.now()
    days = conf.retrain_days()
    if days <= 0:
        return None
    newest = SuggestModel.objects.order_by("-created_at").first()
    if newest is not None and at - newest.created_at < timedelta(days=days):
        return None
    if selectors.training_examples_count(until=at) < MIN_EXAMPLES:
        return None
    return suggest_train(at=at)
