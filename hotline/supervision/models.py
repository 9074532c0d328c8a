"""Interviews (约谈): the hotline office summons a unit's leadership (ziyang §25).

An interview is about a unit, not an order: it is recorded once it was held, with the supervision
trigger of the profile that called for it (``supervision.triggers``) and the article that trigger cites.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hotline.directory.models import Unit


class Interview(models.Model):
    """One interview held with a unit's leadership. Recorded by a supervisor; never edited."""

    unit = models.ForeignKey(Unit, verbose_name="被约谈单位", on_delete=models.PROTECT, related_name="interviews")
    reason = models.TextField("约谈事由")
    trigger = models.CharField("约谈情形", max_length=64, help_text="本规则督办情形的代码（supervision.triggers）")
    profile = models.CharField("适用规则", max_length=40)
    rule = models.CharField("依据", max_length=300, help_text="该情形引用的条款")
    held_at = models.DateTimeField("约谈时间", db_index=True)
    attendees = models.TextField("参加人员")
    outcome = models.TextField("约谈结果", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "约谈记录"
        ordering = ["-held_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(trigger=""), name="interview_has_a_trigger")]
        indexes = [models.Index(fields=["unit", "-held_at"], name="interview_unit_held")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.held_at:%Y-%m-%d}"
