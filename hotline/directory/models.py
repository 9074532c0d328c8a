"""Regions, units (a tree with duties and history), categories, users and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from hotline.rules.vocabulary import Role as RuleRole


class RegionLevel(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区县"
    STREET = "street", "街道乡镇"
    COMMUNITY = "community", "社区村"


class Region(models.Model):
    """An administrative area: city → district/county → street/town → community."""

    Level = RegionLevel

    code = models.CharField("区划代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name = verbose_name_plural = "行政区域"
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(level__in=RegionLevel.values), name="region_level_valid")]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """What an appeal is about (the hotline's category tree), mapped to an Open311 service code."""

    code = models.CharField("分类代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey("self", verbose_name="上级分类", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    open311_code = models.CharField("Open311 服务代码", max_length=32, blank=True)
    description = models.TextField("说明", blank=True)
    keywords = models.CharField("关键词", max_length=500, blank=True, help_text="以空格分隔，供智能分类冷启动使用")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "诉求分类"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    HOTLINE_OFFICE = "hotline_office", "热线管理机构"
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "职能部门"
    STREET = "street", "街道乡镇"
    COMMUNITY = "community", "社区村"
    COMPANY = "company", "公共服务企业"
    OTHER = "other", "其他"


class Unit(models.Model):
    """A handling unit (or the hotline office itself), in a tree; renames and merges keep history (xixian §17)."""

    Kind = UnitKind

    code = models.CharField("单位代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    region = models.ForeignKey(Region, verbose_name="所属区域", null=True, blank=True, on_delete=models.PROTECT)
    duties = models.ManyToManyField(Category, verbose_name="职责分类（派单目录）", blank=True, related_name="units")
    phone = models.CharField("值班电话", max_length=32, blank=True)
    active = models.BooleanField("有效", default=True)
    merged_into = models.ForeignKey("self", verbose_name="并入单位", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_units")

    class Meta:
        verbose_name = verbose_name_plural = "承办单位"
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=UnitKind.values), name="unit_kind_valid")]

    def __str__(self) -> str:
        return self.name


class UnitChange(models.Model):
    """A unit's rename, merge or change of duties, reported to the hotline (xixian §17)."""

    class Kind(models.TextChoices):
        RENAME = "rename", "更名"
        MERGE = "merge", "合并"
        DUTIES = "duties", "职责调整"
        DEACTIVATE = "deactivate", "撤销"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    old_name = models.CharField(max_length=100, blank=True)
    new_name = models.CharField(max_length=100, blank=True)
    merged_into = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey("directory.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "单位变更记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.at:%Y-%m-%d}"


class UserRole(models.TextChoices):
    OPERATOR = RuleRole.OPERATOR.value, "话务员"
    DISPATCHER = RuleRole.DISPATCHER.value, "派单员"
    UNIT_HANDLER = RuleRole.UNIT_HANDLER.value, "承办单位经办人"
    UNIT_LEADER = RuleRole.UNIT_LEADER.value, "承办单位负责人"
    SUPERVISOR = RuleRole.SUPERVISOR.value, "热线督办"
    ANALYST = RuleRole.ANALYST.value, "分析员"
    ADMINISTRATOR = RuleRole.ADMINISTRATOR.value, "管理员"
    SYSTEM = RuleRole.SYSTEM.value, "系统"


class User(AbstractUser):
    """A person who works on the platform, with one role and, for unit staff, their unit."""

    Role = UserRole

    role = models.CharField("角色", max_length=20, choices=UserRole.choices, default=UserRole.OPERATOR)
    unit = models.ForeignKey(Unit, verbose_name="所在单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="staff")
    display_name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(condition=Q(role__in=UserRole.values), name="user_role_valid"),
            models.CheckConstraint(condition=~Q(role__in=["unit_handler", "unit_leader"]) | Q(unit__isnull=False),
                                   name="unit_staff_have_a_unit"),
        ]

    @property
    def rule_role(self) -> RuleRole:
        return RuleRole(self.role)

    @property
    def is_unit_staff(self) -> bool:
        return self.role in {self.Role.UNIT_HANDLER, self.Role.UNIT_LEADER}

    @property
    def is_hotline_staff(self) -> bool:
        return self.role in {self.Role.OPERATOR, self.Role.DISPATCHER, self.Role.SUPERVISOR}

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A token a system uses to call the API as a user (Authorization: Bearer <token>)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
