"""The words of the rulebooks (see GLOSSARY.md): appeal types, urgency, deadline kinds, roles.

Each enum member's value is the name used in code, the API and the database; ``zh`` is the label the
user interface shows.
"""

from __future__ import annotations

import enum


class AppealType(enum.StrEnum):
    CONSULT = "consult"
    HELP = "help"
    COMPLAINT = "complaint"
    REPORT = "report"
    SUGGESTION = "suggestion"
    PRAISE = "praise"

    @property
    def zh(self) -> str:
        return _APPEAL_TYPE_ZH[self]


_APPEAL_TYPE_ZH = {
    AppealType.CONSULT: "咨询", AppealType.HELP: "求助", AppealType.COMPLAINT: "投诉",
    AppealType.REPORT: "举报", AppealType.SUGGESTION: "建议", AppealType.PRAISE: "表扬",
}


class Urgency(enum.StrEnum):
    NORMAL = "normal"
    SPECIAL = "special"                   # 特殊事项 (ziyang §13(4))
    SPECIAL_URGENT = "special-urgent"     # 特殊紧急事项 (ziyang §13(4))

    @property
    def zh(self) -> str:
        return {"normal": "一般", "special": "特殊", "special-urgent": "特殊紧急"}[self.value]


class DeadlineKind(enum.StrEnum):
    DISPATCH = "dispatch"                 # the hotline dispatches the order
    SIGN = "sign"                         # the unit signs (签收)
    RETURN = "return"                     # last moment a unit may return (退单) the order
    HANDLE = "handle"                     # the unit resolves and replies (办结)
    FIRST_RESPONSE = "first-response"     # urgent items: first response (初步响应)
    PROGRESS_REPORT = "progress-report"   # provisional close: next progress report
    CALLBACK = "callback"                 # the hotline calls the requester back (回访)
    EVALUATION = "evaluation"             # the requester's silence counts from here on

    @property
    def zh(self) -> str:
        return _DEADLINE_ZH[self]


_DEADLINE_ZH = {
    DeadlineKind.DISPATCH: "派单", DeadlineKind.SIGN: "签收", DeadlineKind.RETURN: "退单",
    DeadlineKind.HANDLE: "办结", DeadlineKind.FIRST_RESPONSE: "初步响应",
    DeadlineKind.PROGRESS_REPORT: "进展报送", DeadlineKind.CALLBACK: "回访",
    DeadlineKind.EVALUATION: "评价等待",
}


class Role(enum.StrEnum):
    OPERATOR = "operator"               # 话务员
    DISPATCHER = "dispatcher"           # 派单员
    UNIT_HANDLER = "unit_handler"       # 承办单位经办人
    UNIT_LEADER = "unit_leader"         # 承办单位负责人
    SUPERVISOR = "supervisor"           # 热线督办
    ANALYST = "analyst"                 # 分析员
    ADMINISTRATOR = "administrator"     # 管理员
    REQUESTER = "requester"             # 诉求人 (citizen portal)
    SYSTEM = "system"                   # the tick

    @property
    def zh(self) -> str:
        return _ROLE_ZH[self]


_ROLE_ZH = {
    Role.OPERATOR: "话务员", Role.DISPATCHER: "派单员", Role.UNIT_HANDLER: "承办单位经办人",
    Role.UNIT_LEADER: "承办单位负责人", Role.SUPERVISOR: "热线督办", Role.ANALYST: "分析员",
    Role.ADMINISTRATOR: "管理员", Role.REQUESTER: "诉求人", Role.SYSTEM: "系统",
}


class Evaluation(enum.StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    NONE = "none"                         # no evaluation (silence where it does not count)

    @property
    def zh(self) -> str:
        return {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意",
                "none": "未评价"}[self.value]


class ReplyElement(enum.StrEnum):
    """What a unit's reply states (tianjin §24(3))."""

    TIME = "time"           # 办理时间
    PROCESS = "process"     # 办理经过
    RESULT = "result"       # 办理结果
    CONTACT = "contact"     # 回复诉求人情况

    @property
    def zh(self) -> str:
        return {"time": "办理时间", "process": "办理经过", "result": "办理结果",
                "contact": "回复诉求人情况"}[self.value]


class ReturnRequirement(enum.StrEnum):
    """What a return (退单) request must carry."""

    REASON = "reason"                     # 理由
    BASIS = "basis"                       # 依据
    SUGGESTED_UNIT = "suggested_unit"     # 建议承办单位
    EVIDENCE = "evidence"                 # 证明材料
    LEADER_CONFIRMATION = "leader_confirmation"   # 单位主要领导确认

    @property
    def zh(self) -> str:
        return {"reason": "退回理由", "basis": "依据", "suggested_unit": "建议承办单位",
                "evidence": "证明材料", "leader_confirmation": "单位主要领导确认"}[self.value]
