"""Labelled texts from an outside CSV file, with clear errors for bad input."""

from __future__ import annotations

import csv
import sys
from pathlib import Path


class DataError(Exception):
    """Bad input file: missing, empty, or without the named columns."""


def read_labelled(path: Path, text_col: str, label_col: str) -> tuple[list[str], list[str], int]:
    """(texts, labels, rows skipped because the text or label was empty)."""
    if not path.is_file():
        raise DataError(f"文件不存在：{path} / file not found: {path}")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with path.open(encoding="utf-8-sig", newline="") as src:
            reader = csv.DictReader(src)
            columns = reader.fieldnames or []
            if not columns:
                raise DataError(f"文件为空：{path} / empty file: {path}")
            for col in (text_col, label_col):
                if col not in columns:
                    raise DataError(f"{path} 没有列 {col!r}（现有列：{', '.join(columns)}） / "
                                    f"{path} has no column {col!r} (columns: {', '.join(columns)})")
            texts, labels, skipped = [], [], 0
            for row in reader:
                text, label = (row.get(text_col) or "").strip(), (row.get(label_col) or "").strip()
                if text and label:
                    texts.append(text)
                    labels.append(label)
                else:
                    skipped += 1
    except UnicodeDecodeError:
        raise DataError(f"{path} 不是 UTF-8 编码的 CSV / {path} is not a UTF-8 CSV file") from None
    except csv.Error as exc:
        raise DataError(f"{path} 不是有效的 CSV：{exc} / {path} is not valid CSV: {exc}") from None
    if not texts:
        raise DataError(f"{path} 没有带标签的数据行 / {path} has no rows with both a text and a label")
    return texts, labels, skipped
