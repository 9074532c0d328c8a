"""The bulletin's unit tables: top and bottom units, departments and areas (districts, streets) apart.

The figures come from the assessment's selector ``hotline.assessment.selectors.unit_figures`` (the unit
assessment owns scores, grades, ranks and frozen periods). While that selector is not installed, a
minimal table is computed here from the orders each unit led (``Order.lead_unit``), ranked by the
satisfaction rate: ``source`` says which one a table came from, and the bulletin prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from hotline.assessment.bulletin.figures import Month, grouped
from hotline.directory.models import Unit

GROUPS = {"department": "部门及公共服务企业", "area": "区县街道"}
_AREA_KINDS = {Unit.Kind.STREET.value, Unit.Kind.COMMUNITY.value}   # as the assessment groups them
_SKIP_KINDS = {Unit.Kind.HOTLINE_OFFICE.value}
#: rows in the top and bottom tables
SHOWN = 5


@dataclass(frozen=True)
class UnitRow:
    """One unit's line in a table: the contract fields of UnitFigures the bulletin prints."""

    unit_code: str
    unit_name: str
    group: str
    counts: dict[str, int]
    rates: dict[str, Decimal | None]
    score: Decimal | None
    grade: str
    rank: int | None
    rank_change: int | None
    frozen: bool = False    # the assessment froze the period (figures as stored then)


@dataclass(frozen=True)
class UnitTable:
    group: str
    title: str
    rows: list[UnitRow] = field(default_factory=list)   # every ranked unit, best first (unranked ones left out)
    source: str = "unit_figures"

    @property
    def frozen(self) -> bool:
        return bool(self.rows) and all(r.frozen for r in self.rows)

    @property
    def top(self) -> list[UnitRow]:
        return self.rows[:SHOWN]

    @property
    def bottom(self) -> list[UnitRow]:
        """The last SHOWN units, worst last, none of them also in ``top``."""
        return self.rows[max(SHOWN, len(self.rows) - SHOWN):]


def _selector() -> Any:
    try:
        from hotline.assessment.selectors import unit_figures  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return unit_figures


def _from_selector(selector: Any, month: Month, group: str, profile_name: str | None) -> UnitTable:
    figures = list(selector(str(month), group=group, profile_name=profile_name))
    rows = [UnitRow(f.unit_code, f.unit_name, f.group, dict(f.counts), dict(f.rates),
                    getattr(f, "score", None), str(getattr(f, "grade", "") or ""), getattr(f, "rank", None),
                    getattr(f, "rank_change", None), bool(getattr(f, "frozen", False))) for f in figures]
    rows = sorted((r for r in rows if r.rank is not None), key=lambda r: (r.rank or 0, r.unit_code))
    return UnitTable(group, GROUPS[group], rows, "unit_figures")


def _computed(month: Month, group: str, *, as_of: datetime, weight: Decimal) -> UnitTable:
    """Stand-in while the assessment selector is missing: per lead unit, one group-by, ranked by satisfaction."""
    per_unit = grouped(month, "lead_unit_id", as_of=as_of, weight=weight)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[k for k in per_unit if k is not None])}
    rows = []
    for pk, fig in per_unit.items():
        unit = units.get(pk)
        if unit is None or unit.kind in _SKIP_KINDS:
            continue
        if (unit.kind in _AREA_KINDS) != (group == "area"):
            continue
        c = fig.counts
        counts = {"orders": c["dispatched"], "valid_callbacks": c["valid_callbacks"], "contacted": c["contacted"],
                  "resolved": c["resolved"], "unresolved": c["unresolved"], "satisfied": c["satisfied"],
                  "basically_satisfied": c["basically_satisfied"], "dissatisfied": c["dissatisfied"],
                  "due": c["due"], "on_time": c["on_time"], "overdue": c["overdue"], "extensions": c["extended"],
                  "redos": c["redone"], "returns": c["returned"], "supervised": c["supervised"]}
        rows.append(UnitRow(unit.code, unit.name, group, counts, dict(fig.rates), None, "", None, None))
    key = lambda r: (r.rates["satisfaction_rate"] is None, -(r.rates["satisfaction_rate"] or 0),  # noqa: E731
                     -(r.rates["on_time_rate"] or 0), r.unit_code)
    ranked = sorted(rows, key=key)
    rows = [UnitRow(r.unit_code, r.unit_name, r.group, r.counts, r.rates, None, "", i + 1, None)
            for i, r in enumerate(ranked) if r.rates["satisfaction_rate"] is not None]
    return UnitTable(group, GROUPS[group], rows, "bulletin")


def unit_tables(month: Month, *, as_of: datetime, weight: Decimal, profile_name: str | None = None) -> list[UnitTable]:
    """Departments, then areas: from the assessment's ``unit_figures`` when installed, else computed here."""
    selector = _selector()
    if selector is not None:
        return [_from_selector(selector, month, group, profile_name) for group in GROUPS]
    return [_computed(month, group, as_of=as_of, weight=weight) for group in GROUPS]
