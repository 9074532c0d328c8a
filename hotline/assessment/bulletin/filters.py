"""Template filters of the bulletin's HTML (loaded by its own template engine as ``bulletin``)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pct(value: Decimal | None) -> str:
    """0.1234 → 12.34%; none → —."""
    return "—" if value is None else f"{value * 100:.2f}%"


@register.filter
def chg(value: Decimal | None) -> str:
    """A relative change with its sign: 0.125 → +12.50%."""
    return "—" if value is None else f"{value * 100:+.2f}%"


@register.filter
def pp(value: Decimal | None) -> str:
    """A change of a rate in percentage points: 0.012 → +1.20 个百分点."""
    return "—" if value is None else f"{value * 100:+.2f} 个百分点"


@register.filter
def get(mapping: object, key: str) -> object:
    try:
        return mapping[key]  # type: ignore[index]
    except (KeyError, TypeError, IndexError):
        return None
