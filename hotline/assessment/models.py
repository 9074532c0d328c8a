"""The assessment rollup and what a supervisor decides about it.

* ``OrderFact`` — what one order contributes to one unit on one day (``hotline.rules.assessment.order_facts``):
  the drill-down behind every figure.
* ``UnitDayFact`` — the sums of those per unit and day: a period's figures are sums of these rows.
* ``RefreshCursor`` — how far the incremental refresh has read the timeline (``Event.id``).
* ``FrozenPeriod`` / ``FrozenFigure`` — a closed period, frozen by a supervisor: its figures are stored and
  no longer move. ``Revision`` records a later change to an order's facts inside a frozen period (a
  screening or an exemption decided afterwards): who, when, which count, old → new.
* ``Veto`` — one-vote veto (一票否决, xixian §23) of a unit's assessment for a period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hotline.directory.models import Unit
from hotline.orders.models import Order
from hotline.rules.assessment import COUNTS


def _count_fields() -> dict[str, models.Field]:  # type: ignore[type-arg]
    return {name: models.PositiveIntegerField(default=0) for name in COUNTS}


class _Counts(models.Model):
    locals().update(_count_fields())

    class Meta:
        abstract = True

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS}


class OrderFact(_Counts):
    """What one order contributes to one unit on one day. Rebuilt whenever the order's timeline grows."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    evaluation = models.CharField(max_length=24, blank=True)
    excluded_reason = models.CharField("剔除原因", max_length=64, blank=True)
    excluded_rule = models.TextField("剔除依据", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核明细（工单）"
        constraints = [models.UniqueConstraint(fields=["order", "unit", "day"], name="order_fact_unique")]
        indexes = [models.Index(fields=["unit", "day"], name="order_fact_unit_day"),
                   models.Index(fields=["day", "unit"], name="order_fact_day_unit")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.unit_id} {self.day}"


class UnitDayFact(_Counts):
    """The sums of ``OrderFact`` for one unit and one day."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = verbose_name_plural = "考核日汇总"
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="unit_day_fact_unique")]
        indexes = [models.Index(fields=["day", "unit"], name="unit_day_fact_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class RefreshCursor(models.Model):
    name = models.CharField(max_length=32, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核汇总进度"

    def __str__(self) -> str:
        return f"{self.name}@{self.last_event_id}"


class FrozenPeriod(models.Model):
    """A closed assessment period: its figures were stored when a supervisor froze it."""

    profile = models.CharField("适用规则", max_length=40)
    period = models.CharField("考核期", max_length=16)
    start = models.DateField()
    end = models.DateField()
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="封存人", on_delete=models.PROTECT,
                                  related_name="+")
    frozen_at = models.DateTimeField("封存时间")

    class Meta:
        verbose_name = verbose_name_plural = "已封存考核期"
        constraints = [models.UniqueConstraint(fields=["profile", "period"], name="frozen_period_unique")]
        indexes = [models.Index(fields=["start", "end"], name="frozen_period_span")]

    def __str__(self) -> str:
        return f"{self.profile} {self.period}"


class FrozenFigure(models.Model):
    frozen = models.ForeignKey(FrozenPeriod, on_delete=models.PROTECT, related_name="figures")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=16)
    counts = models.JSONField()
    rates = models.JSONField()          # name → decimal as text, or null
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    grade = models.CharField(max_length=16)
    rank = models.PositiveIntegerField(null=True)
    vetoed = models.BooleanField(default=False)

    class Meta:
        verbose_name = verbose_name_plural = "封存考核结果"
        constraints = [models.UniqueConstraint(fields=["frozen", "unit"], name="frozen_figure_unique")]

    def __str__(self) -> str:
        return f"{self.frozen_id} {self.unit_id}"


class Revision(models.Model):
    """A change to an order's facts inside a frozen period, after it was frozen. Never edited."""

    frozen = models.ForeignKey(FrozenPeriod, on_delete=models.PROTECT, related_name="revisions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    count = models.CharField("指标", max_length=32)
    old = models.IntegerField("原值")
    new = models.IntegerField("新值")
    action = models.CharField("引起变化的操作", max_length=40)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                           related_name="+")
    by_role = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField("操作时间")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "封存后修订"
        ordering = ["frozen_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.count} {self.old}→{self.new}"


class Veto(models.Model):
    """One-vote veto (一票否决, xixian §23) of a unit's assessment for a period."""

    profile = models.CharField(max_length=40)
    period = models.CharField("考核期", max_length=16)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("事由")
    rule = models.CharField("依据", max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "一票否决"
        constraints = [models.UniqueConstraint(fields=["profile", "period", "unit"], name="veto_unique")]

    def __str__(self) -> str:
        return f"{self.period} {self.unit_id}"
