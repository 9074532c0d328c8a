"""The suggest app's settings, with their defaults (settings.py may set any of them)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def min_confidence() -> float:
    """Below this top-1 confidence a field suggests nothing and says it is unsure."""
    return float(getattr(settings, "HOTLINE_SUGGEST_MIN_CONFIDENCE", 0.5))


def model_dir() -> Path:
    return Path(getattr(settings, "HOTLINE_SUGGEST_MODEL_DIR", settings.BASE_DIR / "var" / "models"))


def reload_seconds() -> float:
    """How often a serving process checks whether another process activated a new model."""
    return float(getattr(settings, "HOTLINE_SUGGEST_RELOAD_SECONDS", 30))


def similar_limit() -> int:
    return int(getattr(settings, "HOTLINE_SUGGEST_SIMILAR_LIMIT", 5))


def similar_threshold() -> float:
    return float(getattr(settings, "HOTLINE_SUGGEST_SIMILARITY", getattr(settings, "HOTLINE_REPEAT_SIMILARITY", 0.5)))


def similar_window_days() -> int:
    return int(getattr(settings, "HOTLINE_SUGGEST_SIMILAR_DAYS", getattr(settings, "HOTLINE_REPEAT_WINDOW_DAYS", 30)))


def retrain_days() -> int:
    """The tick retrains when the newest model is this many days old (0: never from the tick)."""
    return int(getattr(settings, "HOTLINE_SUGGEST_RETRAIN_DAYS", 7))
