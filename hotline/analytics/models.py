"""The analytics rollup, the city's region map, governance topics and the export log.

The dashboards read :class:`DailyVolume` only, never the orders: one row per local day and combination of
channel, appeal type, category, region and lead unit, with the number of orders received that day in that
cell. :class:`OrderFact` remembers the cell each order was last counted in, so that an order whose lead unit
changes (a return and a re-dispatch) moves from one cell to another and the refresh stays exact
(``hotline.analytics.rollup``). Dimension ids are plain integers, 0 for "none" (an order not yet dispatched
has no lead unit), so that the cell key is a plain unique constraint on every database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RollupCursor(models.Model):
    """How far the rollup has read: the last order id and event id it has seen."""

    name = models.CharField(max_length=40, unique=True)
    last_order_id = models.BigIntegerField(default=0)
    last_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "汇总游标"

    def __str__(self) -> str:
        return f"{self.name}: order {self.last_order_id}, event {self.last_event_id}"


class OrderFact(models.Model):
    """The rollup cell an order is counted in (its dimensions when last read)."""

    order_id = models.BigIntegerField(primary_key=True)
    day = models.DateField()
    channel = models.CharField(max_length=16)
    appeal_type = models.CharField(max_length=16)
    category_id = models.BigIntegerField(default=0)
    region_id = models.BigIntegerField(default=0)
    lead_unit_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "工单汇总归属"
        indexes = [models.Index(fields=["day"], name="analytics_fact_day")]

    def __str__(self) -> str:
        return f"order {self.order_id} @ {self.day}"


class DailyVolume(models.Model):
    """Orders received on ``day`` in one cell of channel × appeal type × category × region × lead unit."""

    day = models.DateField("受理日期")
    channel = models.CharField("受理渠道", max_length=16)
    appeal_type = models.CharField("诉求类型", max_length=16)
    category_id = models.BigIntegerField("诉求分类", default=0)
    region_id = models.BigIntegerField("所在区域", default=0)
    lead_unit_id = models.BigIntegerField("主办单位", default=0)
    count = models.IntegerField("工单数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "每日工单量汇总"
        constraints = [models.UniqueConstraint(
            fields=["day", "channel", "appeal_type", "category_id", "region_id", "lead_unit_id"],
            name="analytics_volume_cell")]
        indexes = [models.Index(fields=["day", "category_id"], name="analytics_volume_day_cat")]

    def __str__(self) -> str:
        return f"{self.day} {self.channel}/{self.appeal_type}: {self.count}"


class RegionMap(models.Model):
    """The city's map: a GeoJSON FeatureCollection whose features name Region codes in ``code_property``.

    Loaded by an administrator (admin, or ``hotline analytics load-map``); validated by
    ``services.region_map_load``. The newest active map is the one the dashboard draws.
    """

    name = models.CharField("名称", max_length=100)
    code_property = models.CharField("区划代码属性名", max_length=40, default="code",
                                     help_text="每个要素 properties 中写区划代码的属性名")
    geojson = models.JSONField("GeoJSON")
    codes = models.JSONField("包含的区划代码", default=list)
    active = models.BooleanField("启用", default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "区域地图"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A "topic of the month" (主动治理, ankang §35, ziyang §31): a common problem the office takes on.

    Its rule says which orders are about it: a category, a region (and the regions under it) and keywords
    (any of them in the appeal's title or content); an empty part of the rule does not restrict.
    """

    title = models.CharField("专题名称", max_length=100)
    category = models.ForeignKey("directory.Category", verbose_name="诉求分类", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("directory.Region", verbose_name="区域", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    keywords = models.JSONField("关键词", default=list, blank=True)
    month = models.DateField("专题月份", help_text="采纳为月度专题的月份（该月1日）")
    note = models.TextField("采纳意见")
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="采纳人", on_delete=models.PROTECT,
                                   related_name="+")
    adopted_at = models.DateTimeField("采纳时间")

    class Meta:
        verbose_name = verbose_name_plural = "治理专题"
        ordering = ["-month", "-pk"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.title}"


class ExportRun(models.Model):
    """One export to the provincial platform: who, when, from which cursor to which (ziyang §20, §22)."""

    since = models.BigIntegerField()
    until = models.BigIntegerField()
    orders = models.IntegerField()
    events = models.IntegerField()
    target = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "数据推送记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.since}→{self.until}"
