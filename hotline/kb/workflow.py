"""The knowledge base's workflow as one table, pure Python (no Django): who may do what to an entry, when.

An entry's ``status`` is the state of its latest version; the version the public sees (``published``) is
kept apart, so a published answer stays in service while the unit's update goes through review::

    draft ──submit──▶ submitted ──approve (each step of the approval, in order)──▶ published
      ▲                  │                                                          │
      └──── returned ◀───┘ reject (any step)                      update ──▶ draft (published one stays)
                                                                  withdraw ─▶ withdrawn (out of search)

Approval steps come from the profile's ``knowledge.entry_approval``, taken in order; when none is left
the entry is published:

* xixian ``["unit_deputy_leader", "hotline"]`` (§13: 经承办单位分管领导审核后……提交新区热线办发布): the
  unit's deputy leader reviews, then the hotline publishes (the step ``hotline`` is the publication);
* ziyang, ankang ``["unit"]`` (ziyang §17 谁提供、谁负责、谁更新; ankang §10(2)): the unit's own submission
  is its step, so the unit publishes its entries itself;
* a rulebook that names none (tianjin, heyuan): the platform's default, the unit's leader then the hotline.

The directory has one leader per unit: it fills both ``unit_leader`` and ``unit_deputy_leader``.
Emergency information (tianjin §15: 事件信息及答复口径) is published by the hotline at once, whatever the
profile says, without the unit's review.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class Status(enum.StrEnum):
    DRAFT = "draft"              # 草稿
    SUBMITTED = "submitted"      # 审核中
    PUBLISHED = "published"      # 已发布
    RETURNED = "returned"        # 已退回
    WITHDRAWN = "withdrawn"      # 已撤下

    @property
    def zh(self) -> str:
        return STATUS_ZH[self]


STATUS_ZH = {Status.DRAFT: "草稿", Status.SUBMITTED: "审核中", Status.PUBLISHED: "已发布", Status.RETURNED: "已退回",
             Status.WITHDRAWN: "已撤下"}


class Action(enum.StrEnum):
    CREATE = "create"                      # 新建
    UPDATE = "update"                      # 修改（新版本）
    SUBMIT = "submit"                      # 提交审核
    APPROVE = "approve"                    # 审核通过（一个步骤）
    REJECT = "reject"                      # 退回修改
    PUBLISH = "publish"                    # 发布（热线的审核步骤）
    WITHDRAW = "withdraw"                  # 撤下
    REVIEW_REQUESTED = "review_requested"  # 到期复核提醒（系统）
    CONFIRM = "confirm"                    # 复核确认仍然有效
    FLAG = "flag"                          # 报告答案有误
    RESOLVE_FLAG = "resolve_flag"          # 处理纠错

    @property
    def zh(self) -> str:
        return ACTION_ZH[self]


ACTION_ZH = {Action.CREATE: "新建", Action.UPDATE: "修改", Action.SUBMIT: "提交审核", Action.APPROVE: "审核通过",
             Action.REJECT: "退回修改", Action.PUBLISH: "发布", Action.WITHDRAW: "撤下",
             Action.REVIEW_REQUESTED: "到期复核提醒", Action.CONFIRM: "复核确认", Action.FLAG: "纠错报告",
             Action.RESOLVE_FLAG: "纠错处理"}


class Kind(enum.StrEnum):
    ENTRY = "entry"                    # 知识条目
    INTERPRETATION = "interpretation"  # 政策解读 / 答复指南 (tianjin §15, before the policy is published)
    EMERGENCY = "emergency"            # 突发事件信息及答复口径 (tianjin §15), shown to operators first

    @property
    def zh(self) -> str:
        return {"entry": "知识条目", "interpretation": "政策解读", "emergency": "应急信息"}[self.value]


class Step(enum.StrEnum):
    """Who approves, as the profile's ``knowledge.entry_approval`` names them."""

    UNIT = "unit"                              # any staff of the owning unit
    UNIT_DEPUTY_LEADER = "unit_deputy_leader"  # 分管领导 (xixian §13); the directory's unit leader fills it
    UNIT_LEADER = "unit_leader"                # 单位负责人
    HOTLINE = "hotline"                        # 热线管理机构发布

    @property
    def zh(self) -> str:
        return {"unit": "承办单位", "unit_deputy_leader": "单位分管领导", "unit_leader": "单位负责人",
                "hotline": "热线管理机构"}[self.value]


#: the platform's steps when the rulebook names none (the brief's default, after xixian §13)
DEFAULT_STEPS: tuple[Step, ...] = (Step.UNIT_LEADER, Step.HOTLINE)
#: tianjin §15: event information is published by the hotline at once
EMERGENCY_STEPS: tuple[Step, ...] = (Step.HOTLINE,)

#: roles of the directory (hotline.rules.vocabulary.Role values)
UNIT_ROLES = frozenset({"unit_handler", "unit_leader"})
LEADER_ROLES = frozenset({"unit_leader"})
PUBLISHER_ROLES = frozenset({"supervisor", "dispatcher"})
HOTLINE_ROLES = frozenset({"operator", "dispatcher", "supervisor"})
SYNONYM_EDITORS = frozenset({"supervisor", "dispatcher", "administrator"})

#: (status, action) → the status after it; anything else is refused
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.UPDATE): Status.DRAFT,
    (Status.RETURNED, Action.UPDATE): Status.DRAFT,
    (Status.PUBLISHED, Action.UPDATE): Status.DRAFT,
    (Status.WITHDRAWN, Action.UPDATE): Status.DRAFT,
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.RETURNED, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.APPROVE): Status.SUBMITTED,   # → PUBLISHED when it was the last step
    (Status.SUBMITTED, Action.PUBLISH): Status.PUBLISHED,
    (Status.SUBMITTED, Action.REJECT): Status.RETURNED,
    (Status.PUBLISHED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PUBLISHED, Action.CONFIRM): Status.PUBLISHED,
}


def allowed(status: Status, action: Action) -> Status | None:
    return TRANSITIONS.get((status, action))


def steps_for(kind: Kind, profile_steps: Sequence[str]) -> tuple[Step, ...]:
    """The approval steps an entry of ``kind`` needs under a profile naming ``profile_steps``."""
    if kind is Kind.EMERGENCY:
        return EMERGENCY_STEPS
    return tuple(Step(s) for s in profile_steps) if profile_steps else DEFAULT_STEPS


def next_step(steps: Sequence[Step], done: Sequence[str]) -> Step | None:
    """The first step not yet done, in order; None when every step is done (the entry may be published)."""
    for index, step in enumerate(steps):
        if index >= len(done) or done[index] != step.value:
            return step
    return None


@dataclass(frozen=True)
class Who:
    """The actor as the workflow needs to know them."""

    role: str
    unit: str | None       # the actor's unit code

    def fills(self, step: Step, owner: str) -> bool:
        """May this person take ``step`` on an entry owned by unit ``owner``?"""
        match step:
            case Step.UNIT:
                return self.role in UNIT_ROLES and self.unit == owner
            case Step.UNIT_DEPUTY_LEADER | Step.UNIT_LEADER:
                return self.role in LEADER_ROLES and self.unit == owner
            case Step.HOTLINE:
                return self.role in PUBLISHER_ROLES
        return False  # pragma: no cover - exhaustive

    def may_edit(self, owner: str, kind: Kind) -> bool:
        """Unit staff edit their own unit's entries; the hotline drafts emergency information itself."""
        if self.role in UNIT_ROLES and self.unit == owner:
            return True
        return kind is Kind.EMERGENCY and self.role in PUBLISHER_ROLES
