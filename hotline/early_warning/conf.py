"""The thresholds of early warning: each a Django setting ``HOTLINE_WARNING_<NAME>``, with the default here.

Set them in the deployment's settings (or the environment variable of the same name); see
docs/early_warning.md for what each one does and why its default is what it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from django.conf import settings


@dataclass(frozen=True)
class Thresholds:
    # 1. daily volume of a category or region against its own weekday baseline
    volume_weeks: int = 8               # same weekday over the last N weeks
    volume_z: float = 4.0               # robust z-score at or beyond which the day departs
    volume_min_count: int = 10          # a spike needs at least this many appeals (a drop: this many expected)
    # 2. bursts: many appeals about one place or event within hours
    burst_hours: int = 6
    burst_min_appeals: int = 5          # distinct requesters (an unknown requester counts once per appeal)
    burst_similarity: float = 0.6       # character-bigram Dice similarity linking two texts of one region
    # 3. one requester, the same matter, again and again
    repeat_days: int = 30
    repeat_min_appeals: int = 3
    repeat_similarity: float = 0.5
    # 4. a unit's daily count of newly overdue orders against its own recent days
    overdue_days: int = 28
    overdue_z: float = 4.0
    overdue_min_count: int = 5
    # 5. danger words: appeals received in the last N hours are read on every scan
    danger_hours: int = 24
    danger_words_file: str = ""         # an extra word list (same format as danger_words.txt)
    # the heavy detectors (volume, repeat, overdue) run from the tick at most this often
    scan_every_minutes: int = 10


def thresholds() -> Thresholds:
    """The thresholds in force: settings first, then the environment, then the defaults above."""
    values: dict[str, object] = {}
    for f in fields(Thresholds):
        name = f"HOTLINE_WARNING_{f.name.upper()}"
        raw = getattr(settings, name, None)
        if raw is None:
            raw = os.environ.get(name)
        if raw is None:
            continue
        kind: type = type(f.default)
        values[f.name] = kind(raw)
    return Thresholds(**values)  # type: ignore[arg-type]
