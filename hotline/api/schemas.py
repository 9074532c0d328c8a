"""The shapes the API reads and writes (request bodies, query filters, responses).

Field names are the glossary's (appeal, requester, dispatch, extension…) and, for action bodies, exactly
the keyword arguments of the matching ``order_<action>`` service, so a body goes to its service as is.
Every text field has a length limit (the database's) and refuses NUL characters (PostgreSQL stores none).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from hotline.api.errors import ErrorOut
from hotline.rules.vocabulary import AppealType, Urgency

NO_NUL = r"^[^\x00]*$"
MAX_ID = 2**63 - 1

Code = Annotated[str, Field(max_length=32, pattern=NO_NUL, description="a code (unit, category, region…)")]
Short = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
Text = Annotated[str, Field(max_length=4000, pattern=NO_NUL)]
PeriodText = Annotated[str, Field(max_length=16, pattern=r"^\s*[0-9]{1,3}\s*(wd|wh|h)\s*$",
                                  description="a period: 7wd (working days), 5wh (working hours), 2h (hours)",
                                  examples=["5wd"])]

# --- appeals (intake) -------------------------------------------------------------------------------

ChannelName = Literal["phone", "wechat", "web", "sms", "mailbox", "app", "weibo", "transfer"]
Outcome = Literal["accept", "decline", "answer_directly", "answer_from_termination"]


class RequesterIn(Schema):
    name: Annotated[str, Field(max_length=100, pattern=NO_NUL)] = ""
    phone: Annotated[str, Field(max_length=32, pattern=r"^[0-9+\- ()]*$")] = ""
    kind: Literal["person", "organisation"] = "person"


class AppealIn(Schema):
    """An appeal as the operator registers it, and the operator's decision on it (``outcome``)."""

    channel: ChannelName
    appeal_type: AppealType
    content: Annotated[str, Field(min_length=1, max_length=10000, pattern=NO_NUL)]
    requester: RequesterIn | None = None
    category: Code | None = None
    region: Code | None = None
    address: Annotated[str, Field(max_length=300, pattern=NO_NUL)] = ""
    latitude: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)] | None = None
    title: Short = ""
    confidential: bool = False
    reported_party: Short = ""
    urgency: Urgency = Urgency.NORMAL
    outcome: Outcome = "accept"
    decline_code: Code = ""
    note: Text = ""
    parts: Annotated[list[Text], Field(max_length=20)] = Field(
        default_factory=list, description="one order per part when the appeal holds matters of different units")
    terminated_order: Code = ""
    special_case: Text = ""


class OrderDeadlineOut(Schema):
    kind: str
    kind_zh: str
    start: datetime
    due: datetime
    period: str
    period_zh: str
    rule: str
    provisional: bool
    warnings: list[str]


class OrderDeadlineTraceOut(OrderDeadlineOut):
    trace: list[Any]


class IntakeOrderOut(Schema):
    id: int
    number: str
    query_code: str = Field(description="the code the requester uses to follow the order (told once)")
    state: str
    state_zh: str
    deadlines: list[OrderDeadlineOut]


class RepeatOut(Schema):
    order_id: int
    number: str
    state: str
    state_zh: str
    received_at: datetime
    similarity: float
    same_requester: bool
    same_place: bool
    terminated: bool


class IntakeOut(Schema):
    appeal_id: int
    orders: list[IntakeOrderOut]
    repeats: list[RepeatOut]


# --- orders ---------------------------------------------------------------------------------------

class UnitRef(Schema):
    code: str
    name: str


class CategoryRef(Schema):
    code: str
    name: str


class RegionRef(Schema):
    code: str
    name: str


class OrderFilters(Schema):
    state: Annotated[str, Field(max_length=500, pattern=r"^[a-z_,]*$",
                                description="states, comma-separated (signed,redo)")] | None = None
    unit: Code | None = Field(None, description="the lead unit's code")
    appeal_type: AppealType | None = None
    category: Code | None = None
    overdue: bool | None = None
    supervised: bool | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    q: Short | None = Field(None, description="number, content or address contains")
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 20


class OrderSummaryOut(Schema):
    id: int
    number: str
    state: str
    state_zh: str
    appeal_type: str
    appeal_type_zh: str
    urgency: str
    category: CategoryRef | None
    lead_unit: UnitRef | None
    summary: str
    received_at: datetime
    handle_due: datetime | None
    replied_at: datetime | None
    closed_at: datetime | None
    supervised: bool
    overdue: bool


class OrderListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[OrderSummaryOut]


class CountersOut(Schema):
    returns: int
    extensions: int
    redos: int
    reminders: int
    callback_attempts: int


class FlagsOut(Schema):
    designated: bool
    supervised: bool
    phone_alerted: bool
    first_responded: bool
    late_return: bool
    signed_late: bool
    screened_out: bool
    exempted: bool
    overdue_steps: list[str]


class AppealOut(Schema):
    id: int
    channel: str
    channel_zh: str
    appeal_type: str
    title: str
    content: str
    matter: str = Field(description="this order's part of the appeal, when the appeal was split")
    category: CategoryRef | None
    region: RegionRef | None
    address: str
    latitude: float | None
    longitude: float | None
    confidential: bool
    reported_party: str
    received_at: datetime


class RequesterOut(Schema):
    """The requester as this user may see them: ``visible`` false hides them entirely (a confidential
    appeal, for unit staff); ``masked`` true shows 张* and 138****0001."""

    visible: bool
    masked: bool
    name: str
    phone: str
    id: int | None


class AllowedActionOut(Schema):
    action: str
    action_zh: str
    endpoint: str
    allowed: bool = Field(description="false: the refusal says why; true: the action may still need inputs")
    refusal: ErrorOut | None


class OrderOut(Schema):
    id: int
    number: str
    profile: str
    state: str
    state_zh: str
    appeal_type: str
    appeal_type_zh: str
    urgency: str
    urgency_zh: str
    category: CategoryRef | None
    lead_unit: UnitRef | None
    co_units: list[UnitRef]
    executing_unit: UnitRef | None
    handling_limit: str
    received_at: datetime
    dispatched_at: datetime | None
    signed_at: datetime | None
    replied_at: datetime | None
    closed_at: datetime | None
    handle_due: datetime | None
    evaluation: str | None
    evaluation_zh: str | None
    contacted: bool | None
    resolved: bool | None
    callback_outcome: Literal["answered", "unreachable", "declined", "silent"] | None = Field(
        description="how the latest callback ended; null: none yet (docs/design.md, 'Callback answers')")
    callback_outcome_zh: str | None
    counters: CountersOut
    flags: FlagsOut
    deadlines: list[OrderDeadlineOut]
    appeal: AppealOut
    requester: RequesterOut
    allowed_actions: list[AllowedActionOut]
    version: int


class ActorOut(Schema):
    username: str | None
    display_name: str | None
    role: str
    role_zh: str
    unit: str


class EventOut(Schema):
    seq: int
    action: str
    action_zh: str
    actor: ActorOut
    at: datetime
    from_state: str
    from_state_zh: str
    to_state: str
    to_state_zh: str
    rules: list[str]
    payload: dict[str, Any]


# --- action bodies: the keyword arguments of the order_<action> services ------------------------------

class NoteIn(Schema):
    note: Text = ""


class RequiredNoteIn(Schema):
    note: Text


class DispatchIn(Schema):
    unit: Code
    co_units: Annotated[list[Code], Field(max_length=20)] = Field(default_factory=list)
    designated: bool = False
    handling_limit: PeriodText | None = None
    note: Text = ""


class DelegateIn(Schema):
    unit: Code
    note: Text = ""


class DesignateUnitIn(Schema):
    unit: Code
    co_units: Annotated[list[Code], Field(max_length=20)] = Field(default_factory=list)
    note: Text = ""


class RequestReturnIn(Schema):
    reason: Text
    basis: Text = ""
    suggested_unit: Code = ""
    evidence: Text = ""
    leader_confirmed: bool = False
    complex_item: bool = False
    national_platform_item: bool = False


class RequestExtensionIn(Schema):
    reason: Text
    length: PeriodText | None = None


class ApproveExtensionIn(Schema):
    length: PeriodText | None = None
    note: Text = ""


class RequestProvisionalCloseIn(Schema):
    progress: Text
    next_steps: Text = ""
    promised_date: Short = ""
    leader_confirmed: bool = False


class ReportProgressIn(Schema):
    progress: Text


class ReplyElementsIn(Schema):
    time: Short = ""
    process: Text = ""
    result: Text = ""
    contact: Text = ""


class ReplyIn(Schema):
    reply: ReplyElementsIn
    requester_has_contact: bool = True


class EvaluateIn(Schema):
    """The callback's three answers. An operator's callback must give all three (400 ``callback_answers_missing``
    otherwise); a requester's own evaluation may leave contacted and resolved out (not asked)."""

    evaluation: Literal["satisfied", "basically_satisfied", "dissatisfied"]
    contacted: bool | None = Field(None, description="did the unit contact you (响应)")
    resolved: bool | None = Field(None, description="is the matter resolved (解决)")
    note: Text = ""


class RequestExemptionIn(Schema):
    reason: Text
    evidence: Text


class RequestTerminationIn(Schema):
    written_opinion: Text
    evidence: Text = ""
    answer_script: Text = ""


class SuperviseIn(Schema):
    trigger: Code
    note: Text = ""


class MergeIn(Schema):
    merged_into: Code = Field(description="the number of the order this one repeats")
    note: Text = ""


class DeclineIn(Schema):
    decline_code: Code
    earlier_order: Code = ""
    note: Text = ""


class AcceptIn(Schema):
    domain: Code = ""
    major_item: bool = False
    note: Text = ""


# --- directory, profile, me -------------------------------------------------------------------------

class UnitOut(Schema):
    code: str
    name: str
    kind: str
    kind_zh: str
    parent: str | None
    region: str | None
    phone: str
    active: bool
    merged_into: str | None
    duties: list[str]


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None
    open311_code: str
    description: str
    active: bool


class ProfileOut(Schema):
    name: str
    title: str
    city_zh: str
    document: str
    rules: dict[str, Any] = Field(description="the profile's rule tables, each with its citation (cite) or default")


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    role_zh: str
    unit: UnitRef | None
    is_hotline_staff: bool
    is_unit_staff: bool
    profile: str
    auth: Literal["api", "web"]


# --- requesters ------------------------------------------------------------------------------------

class ConductIn(Schema):
    kind: Literal["warning", "suspension"]
    reason: Text
    days: Annotated[int, Field(ge=0, le=3650)] = 0


class ConductOut(Schema):
    id: int
    kind: str
    kind_zh: str
    reason: str
    rule: str
    starts_at: datetime
    ends_at: datetime | None
    by: str


class RequesterOrderOut(Schema):
    id: int
    number: str
    state: str
    state_zh: str
    appeal_type: str
    received_at: datetime
    lead_unit: UnitRef | None
    summary: str


class RequesterFoundOut(Schema):
    id: int
    name: str
    phone: str
    kind: str


class RequesterLookupOut(Schema):
    requester: RequesterFoundOut | None
    orders: list[RequesterOrderOut]
    suspension: ConductOut | None
    warnings: list[ConductOut]
