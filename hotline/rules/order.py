"""The engine's view of a work order, the commands people give it, and the events it records.

These are plain frozen values: the platform loads an :class:`Order` from its database, asks the
lifecycle to :func:`~hotline.rules.lifecycle.apply` a :class:`Command`, and stores the new order and
the :class:`Event` list it gets back.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from hotline.rules.deadlines import Deadline
from hotline.rules.periods import Period
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation, ReplyElement, Role, Urgency


class State(enum.StrEnum):
    RECEIVED = "received"                                    # 待受理: registered at intake
    DECLINED = "declined"                                    # 不予受理
    ANSWERED = "answered"                                    # 直接答复
    ACCEPTED = "accepted"                                    # 待派单
    DISPATCHED = "dispatched"                                # 待签收
    SIGNED = "signed"                                        # 办理中
    RETURN_REQUESTED = "return_requested"                    # 退单待审
    DISPUTED = "disputed"                                    # 待认定承办单位 (xixian §18)
    EXTENSION_REQUESTED = "extension_requested"              # 延期待审
    PROVISIONAL_CLOSE_REQUESTED = "provisional_close_requested"  # 临时办结待审
    PROVISIONALLY_CLOSED = "provisionally_closed"            # 临时办结（定期报送进展）
    REPLIED = "replied"                                      # 已答复，待回访
    SCREENING = "screening"                                  # 不满意，甄别中
    REDO = "redo"                                            # 重办中
    EVALUATED = "evaluated"                                  # 已评价
    EXEMPTION_REQUESTED = "exemption_requested"              # 豁免待审
    TERMINATION_REQUESTED = "termination_requested"          # 终结待审
    TERMINATED = "terminated"                                # 已终结
    MERGED = "merged"                                        # 已合并（重复件）
    ARCHIVED = "archived"                                    # 已归档

    @property
    def zh(self) -> str:
        return _STATE_ZH[self]

    @property
    def is_open(self) -> bool:
        """Still in someone's hands (not closed, not archived)."""
        return self not in _CLOSED


_STATE_ZH = {
    State.RECEIVED: "待受理", State.DECLINED: "不予受理", State.ANSWERED: "直接答复", State.ACCEPTED: "待派单",
    State.DISPATCHED: "待签收", State.SIGNED: "办理中", State.RETURN_REQUESTED: "退单待审",
    State.DISPUTED: "待认定承办单位", State.EXTENSION_REQUESTED: "延期待审",
    State.PROVISIONAL_CLOSE_REQUESTED: "临时办结待审", State.PROVISIONALLY_CLOSED: "临时办结",
    State.REPLIED: "待回访", State.SCREENING: "甄别中", State.REDO: "重办中", State.EVALUATED: "已评价",
    State.EXEMPTION_REQUESTED: "豁免待审", State.TERMINATION_REQUESTED: "终结待审", State.TERMINATED: "已终结",
    State.MERGED: "已合并", State.ARCHIVED: "已归档",
}
_CLOSED = {State.DECLINED, State.ANSWERED, State.EVALUATED, State.TERMINATED, State.MERGED, State.ARCHIVED}


class Action(enum.StrEnum):
    ACCEPT = "accept"                                  # 受理
    DECLINE = "decline"                                # 不予受理
    ANSWER_DIRECTLY = "answer_directly"                # 直接答复
    ANSWER_FROM_TERMINATION = "answer_from_termination"  # 按终结意见答复 (ziyang §15)
    RECORD_PHONE_ALERT = "record_phone_alert"          # 先行电话预警 (ankang §28)
    RECORD_LEADER_APPROVAL = "record_leader_approval"  # 重大事项拟办意见经领导审定 (heyuan §12)
    DISPATCH = "dispatch"                              # 派单
    MERGE = "merge"                                    # 合并重复件
    SIGN = "sign"                                      # 签收
    FIRST_RESPONSE = "first_response"                  # 初步响应 (ziyang §13(4))
    DELEGATE = "delegate"                              # 下派
    CO_HANDLE = "co_handle"                            # 协办意见
    REQUEST_RETURN = "request_return"                  # 申请退单
    APPROVE_RETURN = "approve_return"
    REJECT_RETURN = "reject_return"
    DESIGNATE_UNIT = "designate_unit"                  # 认定承办单位 (xixian §18)
    REQUEST_EXTENSION = "request_extension"            # 申请延期
    APPROVE_EXTENSION = "approve_extension"
    REJECT_EXTENSION = "reject_extension"
    REQUEST_PROVISIONAL_CLOSE = "request_provisional_close"  # 申请临时办结
    APPROVE_PROVISIONAL_CLOSE = "approve_provisional_close"
    REJECT_PROVISIONAL_CLOSE = "reject_provisional_close"
    REPORT_PROGRESS = "report_progress"                # 报送进展
    REPLY = "reply"                                    # 办结答复
    RECORD_CALLBACK_FAILURE = "record_callback_failure"  # 回访未接通
    RECORD_CALLBACK_DECLINED = "record_callback_declined"  # 拒绝评价: reached, but would not answer
    EVALUATE = "evaluate"                              # 满意度评价
    EVALUATION_TIMEOUT = "evaluation_timeout"          # 逾期未评价
    REDO = "redo"                                      # 发回重办
    SCREEN_OUT = "screen_out"                          # 甄别：非承办单位原因
    UPHOLD_DISSATISFIED = "uphold_dissatisfied"        # 甄别：属承办单位原因
    REQUEST_EXEMPTION = "request_exemption"            # 申请豁免
    APPROVE_EXEMPTION = "approve_exemption"
    REJECT_EXEMPTION = "reject_exemption"
    REQUEST_TERMINATION = "request_termination"        # 申请终结
    APPROVE_TERMINATION = "approve_termination"
    REJECT_TERMINATION = "reject_termination"
    REMIND = "remind"                                  # 催办
    SUPERVISE = "supervise"                            # 督办
    MARK_OVERDUE = "mark_overdue"                      # 超期标记
    ARCHIVE = "archive"                                # 归档

    @property
    def zh(self) -> str:
        return _ACTION_ZH[self]


_ACTION_ZH = {
    Action.ACCEPT: "受理", Action.DECLINE: "不予受理", Action.ANSWER_DIRECTLY: "直接答复",
    Action.ANSWER_FROM_TERMINATION: "按终结意见答复", Action.RECORD_PHONE_ALERT: "电话预警",
    Action.RECORD_LEADER_APPROVAL: "记录领导审定",
    Action.DISPATCH: "派单", Action.MERGE: "合并", Action.SIGN: "签收", Action.FIRST_RESPONSE: "初步响应",
    Action.DELEGATE: "下派", Action.CO_HANDLE: "协办意见", Action.REQUEST_RETURN: "申请退单",
    Action.APPROVE_RETURN: "同意退单", Action.REJECT_RETURN: "驳回退单", Action.DESIGNATE_UNIT: "认定承办单位",
    Action.REQUEST_EXTENSION: "申请延期", Action.APPROVE_EXTENSION: "同意延期", Action.REJECT_EXTENSION: "驳回延期",
    Action.REQUEST_PROVISIONAL_CLOSE: "申请临时办结", Action.APPROVE_PROVISIONAL_CLOSE: "同意临时办结",
    Action.REJECT_PROVISIONAL_CLOSE: "驳回临时办结", Action.REPORT_PROGRESS: "报送进展", Action.REPLY: "办结答复",
    Action.RECORD_CALLBACK_FAILURE: "回访未接通", Action.RECORD_CALLBACK_DECLINED: "拒绝评价",
    Action.EVALUATE: "满意度评价",
    Action.EVALUATION_TIMEOUT: "逾期未评价", Action.REDO: "发回重办", Action.SCREEN_OUT: "甄别为非承办单位原因",
    Action.UPHOLD_DISSATISFIED: "甄别为承办单位原因", Action.REQUEST_EXEMPTION: "申请豁免",
    Action.APPROVE_EXEMPTION: "同意豁免", Action.REJECT_EXEMPTION: "驳回豁免", Action.REQUEST_TERMINATION: "申请终结",
    Action.APPROVE_TERMINATION: "同意终结", Action.REJECT_TERMINATION: "驳回终结", Action.REMIND: "催办",
    Action.SUPERVISE: "督办", Action.MARK_OVERDUE: "超期", Action.ARCHIVE: "归档",
}


class CallbackOutcome(enum.StrEnum):
    """How the callback (回访) ended, as the assessment reads it (docs/design.md, "Callback answers")."""

    ANSWERED = "answered"          # 已评价: the requester answered (contacted, resolved, evaluation)
    UNREACHABLE = "unreachable"    # 无法接通: the latest attempt did not reach the requester (the order still waits)
    DECLINED = "declined"          # 拒绝评价: reached, but would not answer; no evaluation, the order closes
    SILENT = "silent"              # 逾期未评价: no answer by the end of the window; counts as the profile says

    @property
    def zh(self) -> str:
        return {"answered": "已评价", "unreachable": "无法接通", "declined": "拒绝评价", "silent": "逾期未评价"}[self.value]


@dataclass(frozen=True)
class Actor:
    """Who acts: a role, the person, and for unit staff their unit."""

    role: Role
    id: str = ""
    unit: str | None = None


SYSTEM = Actor(Role.SYSTEM, "system")


@dataclass(frozen=True)
class Inputs:
    """What an action may carry. Each action reads the fields it needs; guards check them."""

    reason: str = ""                          # return / extension / decline / provisional-close application text
    basis: str = ""                           # return: legal or duty basis (ziyang §13(2)); dispatch: the law
                                              # whose limit is set on the order (xixian §9(3), heyuan §18)
    suggested_unit: str = ""                  # return: who should handle it instead (ziyang §13(2))
    evidence: str = ""                        # return (ankang §24), exemption (tianjin §25), termination (ankang §33)
    leader_confirmed: bool = False            # return / provisional close confirmed by the unit leader (xixian §9(3))
    complex_item: bool = False                # return window for complex items (tianjin §18)
    national_platform_item: bool = False      # return window for national-platform items (xixian §9(3))
    decline_code: str = ""                    # decline: a code of the profile's decline_reasons
    earlier_order: str = ""                   # decline: the earlier order a settled repeat relies on (heyuan §14)
    domain: str = ""                          # accept: the order's domain (领域), e.g. ecology (ankang §31(8))
    major_item: bool = False                  # accept / dispatch: a major item (重大事项, heyuan §12)
    leader_approved: bool = False             # dispatch: the leader approved the hotline's proposal (heyuan §12)
    unit: str = ""                            # dispatch / designate / delegate: the (lead) unit
    co_units: tuple[str, ...] = ()            # dispatch: co-units (协办)
    designated: bool = False                  # dispatch: the unit was designated after a dispute (ankang §25)
    handling_limit: Period | None = None      # dispatch: a limit set on the order (tianjin §19)
    length: Period | None = None              # extension: the length asked for
    reply: Mapping[ReplyElement, str] = field(default_factory=dict)   # reply: the elements it states
    requester_has_contact: bool = True        # reply: the requester gave a way to be contacted (tianjin §21)
    evaluation: Evaluation | None = None      # evaluate
    contacted: bool | None = None             # evaluate: did the unit contact you (响应); asked on every callback
    resolved: bool | None = None              # evaluate: is the matter resolved (解决); asked on every callback
    progress: str = ""                        # provisional close (its written application) / progress report
    next_steps: str = ""                      # provisional close (ziyang §13(3))
    promised_date: str = ""                   # provisional close (ziyang §13(3))
    written_opinion: str = ""                 # termination (ziyang §15, ankang §33)
    answer_script: str = ""                   # termination: how the hotline answers repeats (ziyang §15)
    terminated_order: str = ""                # answer_from_termination: the terminated order it answers from
    merged_into: str = ""                     # merge: the order it repeats
    trigger: str = ""                         # supervise: a code of the profile's supervision triggers
    note: str = ""                            # free text kept in the event
    steps: tuple[DeadlineKind, ...] = ()      # mark_overdue: the overdue steps


@dataclass(frozen=True)
class Command:
    action: Action
    actor: Actor
    at: datetime
    inputs: Inputs = Inputs()


@dataclass(frozen=True)
class Order:
    """A work order as the rules see it; the platform maps its rows to and from this."""

    profile: str
    appeal_type: AppealType
    urgency: Urgency = Urgency.NORMAL
    state: State = State.RECEIVED
    received_at: datetime | None = None
    deadlines: Mapping[DeadlineKind, Deadline] = field(default_factory=dict)
    lead_unit: str | None = None
    co_units: tuple[str, ...] = ()
    executing_unit: str | None = None
    designated: bool = False
    handling_limit: Period | None = None       # set on the order (tianjin §19); else the profile's
    resume_state: State | None = None          # where a rejected request sends the order back
    pending_length: Period | None = None       # the extension asked for, while it is reviewed
    returns: int = 0                            # approved returns so far
    returned_by: tuple[str, ...] = ()
    extensions: int = 0
    redos: int = 0
    reminders: int = 0
    callback_attempts: int = 0
    phone_alerted: bool = False
    major_item: bool = False                   # heyuan §12: dispatched only after a leader approved the proposal
    leader_approved: bool = False              # heyuan §12: that approval was given (for the current dispatch)
    domain: str | None = None                  # 领域, given at acceptance (ankang §31(8))
    return_rejected: bool = False              # the current unit's return was rejected: it handles the order (ankang §24)
    supervised: bool = False
    first_responded: bool = False
    late_return: bool = False
    signed_late: bool = False
    evaluation: Evaluation | None = None
    contacted: bool | None = None              # the callback's answers: did the unit contact the requester (响应)
    resolved: bool | None = None               # … is the matter resolved (解决); None: not asked or not answered
    callback_outcome: CallbackOutcome | None = None   # how the latest callback ended; None: none yet
    screened_out: bool = False
    exempted: bool = False
    overdue_steps: tuple[DeadlineKind, ...] = ()

    def due(self, kind: DeadlineKind) -> datetime | None:
        deadline = self.deadlines.get(kind)
        return deadline.due if deadline else None


@dataclass(frozen=True)
class Event:
    """One accepted action, as the timeline stores it."""

    action: Action
    actor: Actor
    at: datetime
    from_state: State
    to_state: State
    rules: tuple[str, ...]                     # the articles that governed it
    payload: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    order: Order
    events: tuple[Event, ...]
