"""The model that serves suggestions in this process, and its safe replacement.

One module-level reference, swapped under a lock once the new model is fully loaded. A request takes
the reference once (``current()``) and keeps using that object until it is done, so a swap never
changes a model half-way through a request. Each process notices a model activated elsewhere (by
``hotline suggest train`` or the tick) within HOTLINE_SUGGEST_RELOAD_SECONDS.
"""

from __future__ import annotations

import threading
import time

from hotline.suggest import bundle as bundles
from hotline.suggest import conf

_lock = threading.Lock()
_current: bundles.Predictor | None = None
_checked_at = 0.0


def _active_version() -> tuple[int, str] | None:
    from hotline.suggest.models import SuggestModel

    row = SuggestModel.objects.filter(active=True).values_list("version", "path").first()
    return (row[0], row[1]) if row else None


def _load_active(active: tuple[int, str] | None) -> bundles.Predictor:
    """The active trained model, or the cold start when there is none (or its file is unreadable)."""
    from hotline.suggest.selectors import cold_start_predictor

    if active is not None:
        try:
            model: bundles.SuggestBundle = bundles.load(conf.model_dir() / active[1], kind="bundle")
            return model
        except bundles.ModelFileError:
            pass
    return cold_start_predictor()


def current() -> bundles.Predictor:
    """The predictor for one request: loaded on first use, the database re-checked now and then.

    The cold start is rebuilt at each check (two queries), so duty-table edits show up.
    """
    model = _current
    if model is not None and time.monotonic() - _checked_at < conf.reload_seconds():
        return model
    active = _active_version()
    if model is not None and not model.cold_start and active is not None and model.version == f"v{active[0]}":
        _touch()
        return model
    fresh = _load_active(active)              # loaded fully before anyone sees it
    swap(fresh)
    return fresh


def _touch() -> None:
    global _checked_at
    with _lock:
        _checked_at = time.monotonic()


def swap(model: bundles.Predictor) -> bundles.Predictor | None:
    """Make ``model`` the one new requests get; returns the previous one (still usable by its holders)."""
    global _current, _checked_at
    with _lock:
        previous, _current = _current, model
        _checked_at = time.monotonic()
    return previous


def reset() -> None:
    """Forget the loaded model (the next request loads the active one again)."""
    global _current, _checked_at
    with _lock:
        _current, _checked_at = None, 0.0
