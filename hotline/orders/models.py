"""Appeals, work orders, their deadlines and their immutable timeline.

An order's state is only ever set by a service in ``orders/services/`` that asked the lifecycle
table (hotline.rules.lifecycle); nothing else writes it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from hotline.directory.models import Category, Region, Unit
from hotline.requesters.models import Requester
from hotline.rules.order import Action, CallbackOutcome, State
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation, Urgency


def _choices(enum: Any) -> list[tuple[str, str]]:
    return [(m.value, m.zh) for m in enum]


def _valid(field: str, enum: Any, name: str, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__in": [m.value for m in enum]})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    WECHAT = "wechat", "微信"
    WEB = "web", "网站"
    SMS = "sms", "短信"
    MAILBOX = "mailbox", "信箱"
    APP = "app", "移动端"
    WEIBO = "weibo", "微博"
    TRANSFER = "transfer", "上级平台转办"


class Appeal(models.Model):
    """What a citizen asked for, as received on a channel; it may yield several orders (tianjin §13)."""

    requester = models.ForeignKey(Requester, verbose_name="诉求人", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="appeals")
    channel = models.CharField("受理渠道", max_length=16, choices=Channel.choices)
    appeal_type = models.CharField("诉求类型", max_length=16, choices=_choices(AppealType))
    category = models.ForeignKey(Category, verbose_name="诉求分类", null=True, blank=True, on_delete=models.PROTECT)
    region = models.ForeignKey(Region, verbose_name="所在区域", null=True, blank=True, on_delete=models.PROTECT)
    address = models.CharField("地址", max_length=300, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    title = models.CharField("标题", max_length=200, blank=True)
    content = models.TextField("诉求内容")
    confidential = models.BooleanField("保密", default=False,
                                       help_text="诉求人要求保密：承办单位看不到诉求人信息，不公开")
    reported_party = models.CharField("被反映对象", max_length=200, blank=True)
    received_at = models.DateTimeField("受理时间", db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="受理人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)  # noqa: DJ001 - unique when given
    external_id = models.CharField("外部编号", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "诉求"
        constraints = [_valid("appeal_type", AppealType, "appeal_type_valid"),
                       models.CheckConstraint(condition=Q(channel__in=Channel.values), name="appeal_channel_valid")]
        indexes = [models.Index(fields=["address"], name="appeal_address")]   # repeats of the same place (repeats.py)

    def __str__(self) -> str:
        return self.title or self.content[:30]


class Attachment(models.Model):
    class Kind(models.TextChoices):
        VOICE = "voice", "语音"
        IMAGE = "image", "图片"
        VIDEO = "video", "视频"
        DOCUMENT = "document", "文档"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    """A work order: the unit of work dispatched to a handling unit."""

    number = models.CharField("工单编号", max_length=32, unique=True)
    query_code_hash = models.CharField(max_length=64)
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="orders")
    profile = models.CharField("适用规则", max_length=40)
    appeal_type = models.CharField("诉求类型", max_length=16, choices=_choices(AppealType))
    category = models.ForeignKey(Category, verbose_name="诉求分类", null=True, blank=True, on_delete=models.PROTECT)
    matter = models.TextField("本工单事项", blank=True, help_text="一个诉求拆分为多个工单时，本工单所涉事项（tianjin §13）")
    urgency = models.CharField("紧急程度", max_length=16, choices=_choices(Urgency), default=Urgency.NORMAL.value)
    state = models.CharField("状态", max_length=32, choices=_choices(State), default=State.RECEIVED.value)
    lead_unit = models.ForeignKey(Unit, verbose_name="主办单位", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="lead_orders")
    co_units = models.ManyToManyField(Unit, verbose_name="协办单位", blank=True, related_name="co_orders")
    executing_unit = models.ForeignKey(Unit, verbose_name="经办单位", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="executing_orders")
    designated = models.BooleanField("指定承办", default=False)
    handling_limit = models.CharField("工单办理时限", max_length=16, blank=True)
    resume_state = models.CharField(max_length=32, blank=True)
    pending_length = models.CharField(max_length=16, blank=True)
    returns = models.PositiveSmallIntegerField("退单次数", default=0)
    returned_by = models.JSONField(default=list, blank=True)
    extensions = models.PositiveSmallIntegerField("延期次数", default=0)
    redos = models.PositiveSmallIntegerField("重办次数", default=0)
    reminders = models.PositiveSmallIntegerField("催办次数", default=0)
    callback_attempts = models.PositiveSmallIntegerField("回访未接通次数", default=0)
    phone_alerted = models.BooleanField("已电话预警", default=False)
    supervised = models.BooleanField("督办件", default=False)
    first_responded = models.BooleanField(default=False)
    late_return = models.BooleanField("超期退单", default=False)
    return_rejected = models.BooleanField("退单被驳回", default=False)
    major_item = models.BooleanField("重大事项", default=False)
    leader_approved = models.BooleanField("领导已审定", default=False)
    domain = models.CharField("领域", max_length=40, blank=True)
    signed_late = models.BooleanField("超期签收", default=False)
    evaluation = models.CharField("满意度", max_length=24, choices=_choices(Evaluation), null=True, blank=True)  # noqa: DJ001 - none yet ≠ "none"
    contacted = models.BooleanField("已联系诉求人", null=True, blank=True)
    resolved = models.BooleanField("已解决", null=True, blank=True)
    callback_outcome = models.CharField("回访结果", max_length=16, choices=_choices(CallbackOutcome), null=True,  # noqa: DJ001
                                        blank=True)   # none yet ≠ any outcome; docs/design.md "Callback answers"
    screened_out = models.BooleanField("甄别剔除", default=False)
    exempted = models.BooleanField("豁免", default=False)
    overdue_steps = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField("受理时间")
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    handle_due = models.DateTimeField("办结时限", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "工单"
        constraints = [
            _valid("state", State, "order_state_valid"),
            _valid("appeal_type", AppealType, "order_appeal_type_valid"),
            _valid("urgency", Urgency, "order_urgency_valid"),
            _valid("evaluation", Evaluation, "order_evaluation_valid", nullable=True),
            _valid("callback_outcome", CallbackOutcome, "order_callback_outcome_valid", nullable=True),
        ]
        indexes = [
            models.Index(fields=["lead_unit", "state", "-received_at"], name="order_unit_inbox"),
            models.Index(fields=["state", "handle_due"], name="order_state_due"),
            models.Index(fields=["-received_at"], name="order_newest"),
            models.Index(fields=["profile", "state"], name="order_profile_state"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def state_enum(self) -> State:
        return State(self.state)


class OrderDeadline(models.Model):
    """The due time of one step of an order, with how it was counted."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=20, choices=_choices(DeadlineKind))
    start = models.DateTimeField()
    due = models.DateTimeField()
    period = models.CharField(max_length=16)
    rule = models.CharField(max_length=300)
    provisional = models.BooleanField(default=False)
    trace = models.JSONField(default=list)
    warnings = models.JSONField(default=list)

    class Meta:
        verbose_name = verbose_name_plural = "工单时限"
        constraints = [models.UniqueConstraint(fields=["order", "kind"], name="one_deadline_per_step"),
                       _valid("kind", DeadlineKind, "deadline_kind_valid")]
        indexes = [models.Index(fields=["kind", "due"], name="deadline_kind_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.due:%Y-%m-%d %H:%M}"


class Event(models.Model):
    """One accepted action on an order. Immutable: rows are only ever added."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=40, choices=_choices(Action))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=20)
    actor_unit = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField(db_index=True)
    from_state = models.CharField(max_length=32)
    to_state = models.CharField(max_length=32)
    rules = models.JSONField(default=list)
    payload = models.JSONField(default=dict)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工单流转记录"
        ordering = ["order_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["order", "seq"], name="event_seq_unique")]
        indexes = [models.Index(fields=["action", "at"], name="event_action_at")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("工单流转记录不可修改 / timeline events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("工单流转记录不可删除 / timeline events are immutable")


class OrderNumberCounter(models.Model):
    """Daily counters behind order numbers a person can read aloud (ZY2026112200042)."""

    prefix = models.CharField(max_length=8)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="one_counter_per_day")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.day:%Y%m%d}:{self.last}"


class IdempotencyRecord(models.Model):
    """A creating call already carried out, so a retried request returns the same result."""

    key = models.CharField(max_length=100)
    scope = models.CharField(max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    result = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
