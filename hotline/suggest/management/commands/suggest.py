"""``hotline suggest train|eval|cv|models``: train and measure the suggestion models.

  hotline suggest train                        train from the archive; activate only if at least as good
  hotline suggest train --csv F --text-col C --label-col L --out MODEL   an outside file (live model untouched)
  hotline suggest eval --model MODEL --csv F --text-col C --label-col L [--json]
  hotline suggest cv --csv F --text-col C --label-col L [--folds 5] [--approach NAME] [--json]
  hotline suggest models                       the stored models, newest first

Bad input (missing column, empty file, unknown model file) exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hotline.rules.errors import RuleError
from hotline.suggest import bundle as bundles
from hotline.suggest.classifier import APPROACHES, KEPT, TextClassifier
from hotline.suggest.compact import CompactClassifier
from hotline.suggest.crossval import cross_validate
from hotline.suggest.csvdata import DataError, read_labelled
from hotline.suggest.metrics import evaluate, format_report

BAD_INPUT = 2


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "训练和评估智能辅助模型 / train and measure the suggestion models (train, eval, cv, models)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="train|eval|cv|models")

        def csv_args(p: argparse.ArgumentParser, required: bool) -> None:
            p.add_argument("--csv", type=Path, required=required, help="UTF-8 CSV file with a header row")
            p.add_argument("--text-col", required=required, help="column holding the appeal text")
            p.add_argument("--label-col", required=required, help="column holding the label")

        train = sub.add_parser("train", help="train from the archive, or from --csv into --out")
        csv_args(train, required=False)
        train.add_argument("--out", type=Path, help="where to write the model trained on --csv")
        train.add_argument("--approach", default=KEPT, help=f"one of {', '.join(APPROACHES)} (default {KEPT})")
        train.add_argument("--json", action="store_true", help="print one JSON object")

        ev = sub.add_parser("eval", help="measure a model file on a labelled CSV")
        ev.add_argument("--model", type=Path, required=True)
        csv_args(ev, required=True)
        ev.add_argument("--field", choices=bundles.FIELDS, help="which field of a database-trained model")
        ev.add_argument("--json", action="store_true", help="print one JSON object")

        cv = sub.add_parser("cv", help="grouped, stratified k-fold cross-validation on a labelled CSV")
        csv_args(cv, required=True)
        cv.add_argument("--folds", type=int, default=5)
        cv.add_argument("--approach", default=KEPT, help=f"one of {', '.join(APPROACHES)} (default {KEPT})")
        cv.add_argument("--json", action="store_true", help="print one JSON object")

        sub.add_parser("models", help="list the stored models")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "train":
                self._train(options)
            elif action == "eval":
                self._eval(options)
            elif action == "cv":
                self._cv(options)
            else:
                self._models()
        except (DataError, bundles.ModelFileError) as exc:
            raise _bad(str(exc)) from None
        except RuleError as exc:
            raise _bad(f"{exc.message_zh} / {exc.message_en}") from None

    # --- train --------------------------------------------------------------------------------
    def _approach(self, name: str) -> str:
        if name not in APPROACHES:
            raise _bad(f"方法 {name!r} 不存在 / unknown approach {name!r} (one of: {', '.join(APPROACHES)})")
        return name

    def _train(self, o: dict[str, Any]) -> None:
        approach = self._approach(o["approach"])
        if o["csv"] is None:
            if o["out"] or o["text_col"] or o["label_col"]:
                raise _bad("--out/--text-col/--label-col 需与 --csv 一起使用 / --out, --text-col and --label-col "
                           "go with --csv")
            return self._train_database(approach, o["json"])
        if not (o["text_col"] and o["label_col"] and o["out"]):
            raise _bad("--csv 需要 --text-col、--label-col 和 --out / --csv needs --text-col, --label-col and --out")
        texts, labels, skipped = read_labelled(o["csv"], o["text_col"], o["label_col"])
        if len(set(labels)) < 2:
            raise _bad(f"{o['csv']} 只有一种标签，无法训练 / {o['csv']}: only one label, nothing to learn")
        started = time.perf_counter()
        model = TextClassifier(APPROACHES[approach]).fit(texts, labels)
        seconds = time.perf_counter() - started
        size = bundles.save(model.compact(), o["out"], kind="classifier")
        result = {"n": len(texts), "skipped": skipped, "classes": len(model.labels), "approach": approach,
                  "train_seconds": round(seconds, 2), "size_bytes": size, "out": str(o["out"])}
        if o["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(f"trained {approach} on {len(texts)} texts ({skipped} skipped), {len(model.labels)} "
                              f"classes, {seconds:.1f} s → {o['out']} ({size / 1e6:.1f} MB)")

    def _train_database(self, approach: str, as_json: bool) -> None:
        from hotline.suggest.services import suggest_train

        result = suggest_train(approach=approach)
        row = result.model
        summary = {"version": f"v{row.version}", "activated": result.activated, "n_train": row.n_train,
                   "n_held": row.n_held, "candidate_score": round(result.candidate_score, 4),
                   "previous": result.previous_version, "previous_score": round(result.previous_score, 4),
                   "figures": row.figures, "seconds": round(result.seconds, 2)}
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(f"v{row.version}: {row.note}")
        for field, figures in row.figures.get("candidate", {}).items():
            before = row.figures.get("previous", {}).get(field, {})
            self.stdout.write(f"  {field:<12} accuracy {figures['accuracy']:.4f} (previous "
                              f"{before.get('accuracy', 0):.4f}), top-3 {figures['top3_accuracy']:.4f}, n={figures['n']}")

    # --- eval ---------------------------------------------------------------------------------
    def _eval(self, o: dict[str, Any]) -> None:
        texts, labels, _ = read_labelled(o["csv"], o["text_col"], o["label_col"])
        payload = bundles.load(o["model"])
        if isinstance(payload, bundles.SuggestBundle):
            if not o["field"]:
                raise _bad(f"{o['model']} 是数据库训练的模型，请用 --field 指定字段 / {o['model']} is a database-trained "
                           f"model: name the field with --field ({', '.join(payload.classifiers)})")
            if o["field"] not in payload.classifiers:
                raise _bad(f"{o['model']} 没有 {o['field']} 字段 / {o['model']} has no {o['field']} classifier")
            model: TextClassifier | CompactClassifier = payload.classifiers[o["field"]]
        elif isinstance(payload, TextClassifier | CompactClassifier):
            model = payload
        else:
            raise _bad(f"{o['model']} 不是分类模型 / {o['model']} holds no classifier")
        model.rank(texts[0])                                     # warm-up: first call builds caches
        ranked, latencies = [], []
        for text in texts:
            started = time.perf_counter()
            top = model.rank(text, k=3)
            latencies.append((time.perf_counter() - started) * 1000)
            ranked.append([label for label, _ in top])
        report = evaluate(labels, ranked, latencies)
        if o["json"]:
            self.stdout.write(json.dumps(report.summary(), ensure_ascii=False))
        else:
            self.stdout.write(format_report(report))

    # --- cv -----------------------------------------------------------------------------------
    def _cv(self, o: dict[str, Any]) -> None:
        approach = self._approach(o["approach"])
        if o["folds"] < 2:
            raise _bad("--folds 至少为 2 / --folds must be at least 2")
        texts, labels, _ = read_labelled(o["csv"], o["text_col"], o["label_col"])
        if len(set(labels)) < 2:
            raise _bad(f"{o['csv']} 只有一种标签 / {o['csv']}: only one label")
        if len(texts) < o["folds"]:
            raise _bad(f"{o['csv']} 只有 {len(texts)} 行，少于折数 / {o['csv']}: fewer rows than folds")
        result = cross_validate(APPROACHES[approach], texts, labels, folds=o["folds"])
        report = result.report
        summary = {**report.summary(), "approach": approach, "folds": o["folds"],
                   "accuracy_sd": round(result.fold_accuracy_sd, 4), "train_seconds": round(result.train_seconds, 2)}
        for key in ("p50_ms", "p95_ms"):
            summary.pop(key)
        if o["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(f"{approach}: {o['folds']}-fold grouped cross-validation "
                              f"(fold accuracy sd {result.fold_accuracy_sd:.4f}, {result.train_seconds:.1f} s per fold)")
            self.stdout.write(format_report(report).replace("latency per appeal 单条耗时 p50 0.00 ms, p95 0.00 ms\n", ""))

    # --- models -------------------------------------------------------------------------------
    def _models(self) -> None:
        from hotline.suggest.models import SuggestModel

        rows = SuggestModel.objects.order_by("-version")[:20]
        if not rows:
            self.stdout.write("no trained model: the duty table and category keywords serve (cold start)")
        for row in rows:
            score = row.figures.get("score", {})
            self.stdout.write(f"v{row.version} {'*' if row.active else ' '} {timezone.localtime(row.created_at):%Y-%m-%d %H:%M} "
                              f"{row.approach} n={row.n_train} held={row.n_held} score={score.get('candidate')} "
                              f"(previous {score.get('previous')}) {row.path or '-'}")
