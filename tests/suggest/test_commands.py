"""`hotline suggest train|eval|cv` on outside CSV files: figures, JSON keys, and exit status 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotline.cli.main import main
from tests.suggest.appeals import APPEALS
from tests.suggest.conftest import write_csv


def hotline(*argv: str) -> int:
    """Run the `hotline` console script; its exit status."""
    try:
        return main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)


def test_train_then_eval_prints_the_figures_and_touches_no_live_model(appeals_csv: Path, tmp_path: Path,
                                                                      suggest_settings: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "category.pkl"
    assert hotline("suggest", "train", "--csv", str(appeals_csv), "--text-col", "text", "--label-col", "category",
                   "--out", str(model)) == 0
    assert model.is_file() and not suggest_settings.exists()       # nothing under the live model directory
    capsys.readouterr()
    assert hotline("suggest", "eval", "--model", str(model), "--csv", str(appeals_csv), "--text-col", "text",
                   "--label-col", "category", "--json") == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) >= {"accuracy", "macro_f1", "top3_accuracy", "p50_ms", "p95_ms", "n"}
    assert figures["n"] == len(APPEALS)
    assert figures["accuracy"] >= 0.9 and figures["top3_accuracy"] >= figures["accuracy"]   # seen texts
    assert hotline("suggest", "eval", "--model", str(model), "--csv", str(appeals_csv), "--text-col", "text",
                   "--label-col", "category") == 0
    report = capsys.readouterr().out
    assert "macro-F1" in report and "p95" in report and "precision" in report and "confusion" in report


def test_cross_validation_prints_one_json_object(appeals_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert hotline("suggest", "cv", "--csv", str(appeals_csv), "--text-col", "text", "--label-col", "appeal_type",
                   "--folds", "3", "--approach", "baseline", "--json") == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["n"] == len(APPEALS) and figures["folds"] == 3 and figures["approach"] == "baseline"
    assert 0 <= figures["accuracy"] <= figures["top3_accuracy"] <= 1


@pytest.mark.parametrize("problem", ["missing column", "empty file", "unknown model", "not a model",
                                     "missing file", "unknown approach"])
def test_bad_input_exits_2_with_a_clear_message(problem: str, appeals_csv: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    junk = tmp_path / "junk.pkl"
    junk.write_bytes(b"not a pickle")
    args = {
        "missing column": ("train", "--csv", str(appeals_csv), "--text-col", "text", "--label-col", "label",
                           "--out", str(tmp_path / "m.pkl")),
        "empty file": ("cv", "--csv", str(empty), "--text-col", "text", "--label-col", "category"),
        "unknown model": ("eval", "--model", str(tmp_path / "nope.pkl"), "--csv", str(appeals_csv),
                          "--text-col", "text", "--label-col", "category"),
        "not a model": ("eval", "--model", str(junk), "--csv", str(appeals_csv), "--text-col", "text",
                        "--label-col", "category"),
        "missing file": ("cv", "--csv", str(tmp_path / "nope.csv"), "--text-col", "text", "--label-col", "x"),
        "unknown approach": ("cv", "--csv", str(appeals_csv), "--text-col", "text", "--label-col", "category",
                             "--approach", "magic"),
    }[problem]
    assert hotline("suggest", *args) == 2
    err = capsys.readouterr().err
    expected = {"missing column": "no column 'label'", "empty file": "empty file", "unknown model": "not found",
                "not a model": "cannot read model file", "missing file": "file not found",
                "unknown approach": "unknown approach"}[problem]
    assert expected in err
    assert not (tmp_path / "m.pkl").exists()


def test_a_file_with_one_label_only_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = write_csv(tmp_path / "one.csv", [("路灯坏了", "urban"), ("井盖丢了", "urban")])
    assert hotline("suggest", "train", "--csv", str(one), "--text-col", "text", "--label-col", "label",
                   "--out", str(tmp_path / "m.pkl")) == 2
    assert "only one label" in capsys.readouterr().err
