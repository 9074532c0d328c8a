"""The Open311 GeoReport v2 endpoints: thin views over the intake service and the public order records.

Choices where the spec leaves room (see also docs in the package's ``__init__``):

- ``jurisdiction_id`` is optional (we serve one jurisdiction: ``settings.HOTLINE_JURISDICTION``, else the
  deployment's profile name); a different one is answered 404, as the spec says.
- POST answers **201 Created** for a new request, and **200** with the same body when an
  ``Idempotency-Key`` header repeats an earlier request of the same token (nothing new is created).
- POST files the appeal as the token's user, channel ``app``, outcome "accept"; ``attribute[appeal_type]``
  (consult, help, complaint, report, suggestion, praise) defaults to ``complaint``;
  ``attribute[confidential]=true`` marks it confidential. ``last_name`` + ``first_name`` make the
  requester's name (surname first, as in Chinese), ``phone`` their phone (the SMS with the query code goes
  there). ``email``, ``device_id`` and ``account_id`` are not stored (there is no field for them).
  ``media_url`` is kept as a link line at the end of the appeal's content. The ``service_notice`` of the
  answer carries the order number and the query code, for the app to show to its user.
- GET requests: default the last 90 days, at most 90 days between start_date and end_date, at most 1000
  requests, newest first; ``service_request_id`` (comma list) overrides the other filters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from hotline.api.open311.present import request_record, service_record
from hotline.api.open311.render import FORMATS, Open311Error, error_response, respond
from hotline.directory.models import Category
from hotline.directory.tokens import token_verify
from hotline.orders.models import Order
from hotline.orders.services import appeal_intake
from hotline.orders.services.citizen import with_reply_events
from hotline.rules.errors import Conflict, Forbidden, NotFound, RoleNotAllowed, RuleError
from hotline.rules.order import State
from hotline.rules.vocabulary import AppealType

MAX_REQUESTS = 1000
MAX_RANGE = timedelta(days=90)
MAX_TEXT = 4000
OPEN_STATES = [s.value for s in State if s.is_open]
CLOSED_STATES = [s.value for s in State if not s.is_open]

View = Callable[..., HttpResponse]


def jurisdiction() -> str:
    return str(getattr(settings, "HOTLINE_JURISDICTION", "") or settings.HOTLINE_PROFILE)


def open311(*methods: str) -> Callable[[View], View]:
    """Check the method and the format; answer every Open311Error in the spec's format."""
    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            fmt = fmt.lower()
            try:
                if fmt not in FORMATS:
                    raise Open311Error(400, f"不支持的格式 .{fmt}，请使用 .json 或 .xml",
                                       f"format .{fmt} is not supported: use .json or .xml")
                if request.method not in methods:
                    raise Open311Error(405, f"不支持 {request.method} 请求（可用：{'、'.join(methods)}）",
                                       f"method {request.method} not allowed (allowed: {', '.join(methods)})")
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                response = error_response(fmt, error)
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response
        return wrapper
    return decorate


def _check_jurisdiction(params: Mapping[str, str]) -> None:
    given = (params.get("jurisdiction_id") or "").strip()
    if given and given != jurisdiction():
        raise Open311Error(404, f"jurisdiction_id {given} 不存在（本平台为 {jurisdiction()}）",
                           f"jurisdiction_id {given} was not found (this endpoint serves {jurisdiction()})")


# --- services -----------------------------------------------------------------------------------------

def _services() -> QuerySet[Category]:
    return (Category.objects.filter(active=True).exclude(open311_code="").select_related("parent")
            .order_by("open311_code", "code"))


@open311("GET", "HEAD")
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    _check_jurisdiction(request.GET)
    return respond(fmt, [service_record(c) for c in _services()], root="services", item="service")


@open311("GET", "HEAD")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    _check_jurisdiction(request.GET)
    if not _services().filter(open311_code=service_code).exists():
        raise Open311Error(404, f"service_code {service_code} 不存在", f"service_code {service_code} was not found")
    return respond(fmt, [{"service_code": service_code, "attributes": []}], root="service_definition",
                   item="service_definition", single=True)


# --- requests -----------------------------------------------------------------------------------------

@open311("GET", "HEAD", "POST")
def requests_collection(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    _check_jurisdiction(request.GET)
    orders = _public_orders()
    ids = _list(request.GET, "service_request_id")  # the spec: "this overrides all other arguments"
    orders = orders.filter(number__in=ids[:MAX_REQUESTS]) if ids else _filtered(orders, request.GET)
    return respond(fmt, [request_record(o) for o in orders[:MAX_REQUESTS]], root="service_requests", item="request")


@open311("GET", "HEAD")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    _check_jurisdiction(request.GET)
    order = _public_orders().filter(number=request_id).first()
    if order is None:
        raise Open311Error(404, f"service_request_id {request_id} 不存在",
                           f"service_request_id {request_id} was not found")
    return respond(fmt, [request_record(order)], root="service_requests", item="request")


def _public_orders() -> QuerySet[Order]:
    orders = Order.objects.select_related("appeal", "appeal__requester", "category", "lead_unit")
    return with_reply_events(orders).order_by("-received_at", "-pk")


def _list(params: Mapping[str, str], name: str) -> list[str]:
    return [v.strip() for v in (params.get(name) or "").split(",") if v.strip()]


def _filtered(orders: QuerySet[Order], params: Mapping[str, str]) -> QuerySet[Order]:
    codes = _list(params, "service_code")
    if codes:
        orders = orders.filter(category__open311_code__in=codes)
    statuses = {s.lower() for s in _list(params, "status")}
    unknown = statuses - {"open", "closed"}
    if unknown:
        raise Open311Error(400, f"status 只能是 open 或 closed（收到 {'、'.join(sorted(unknown))}）",
                           f"status is open or closed, not {', '.join(sorted(unknown))}")
    if statuses == {"open"}:
        orders = orders.filter(state__in=OPEN_STATES)
    elif statuses == {"closed"}:
        orders = orders.filter(state__in=CLOSED_STATES)
    start, end = _when(params, "start_date"), _when(params, "end_date")
    if start is None and end is None:
        end = timezone.now()
        start = end - MAX_RANGE
    elif start is None:
        assert end is not None
        start = end - MAX_RANGE
    elif end is None:
        end = timezone.now()
    if end < start:
        raise Open311Error(400, "end_date 早于 start_date", "end_date is before start_date")
    if end - start > MAX_RANGE:
        raise Open311Error(400, "start_date 与 end_date 相隔不能超过90天",
                           "start_date and end_date may not span more than 90 days")
    return orders.filter(received_at__gte=start, received_at__lte=end)


_SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


def _when(params: Mapping[str, str], name: str) -> datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    raw = _SPACED_OFFSET.sub(r"+\1", raw)  # an unencoded "+08:00" arrives as " 08:00"
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = datetime.combine(day, time.min) if day is not None else None
    except ValueError:
        value = None
    if value is None:
        raise Open311Error(400, f"{name} 格式不正确，应为 W3C 日期时间，例如 2026-03-02T10:00:00+08:00",
                           f"{name} is not a W3C datetime such as 2026-03-02T10:00:00+08:00")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# --- POST a request -----------------------------------------------------------------------------------

def _post_params(request: HttpRequest) -> dict[str, str]:
    """Form fields (the spec) or a JSON object; ``attribute`` may be nested or ``attribute[code]`` keys."""
    if (request.content_type or "").endswith("json"):
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise Open311Error(400, "请求体不是有效的 JSON", "the request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise Open311Error(400, "请求体须为 JSON 对象", "the request body must be a JSON object")
    else:
        data = dict(request.POST.items())
    params: dict[str, str] = {}
    for key, value in data.items():
        if key == "attribute" and isinstance(value, dict):
            params.update({f"attribute[{k}]": _scalar(f"attribute[{k}]", v) for k, v in value.items()})
        else:
            params[str(key)] = _scalar(str(key), value)
    if "api_key" not in params and isinstance(request.GET, QueryDict) and "api_key" in request.GET:
        params["api_key"] = request.GET["api_key"]
    return params


def _scalar(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise Open311Error(400, f"{name} 须为单个值", f"{name} must be a single value")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _coordinate(params: Mapping[str, str], name: str, limit: int) -> Decimal | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        raise Open311Error(400, f"{name} 须为 -{limit} 到 {limit} 之间的数", f"{name} must be a number from -{limit} to {limit}")
    return value.quantize(Decimal("0.000001"))


def _flag(params: Mapping[str, str], name: str) -> bool:
    raw = (params.get(name) or "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise Open311Error(400, f"{name} 须为 true 或 false", f"{name} must be true or false")


def _text(params: Mapping[str, str], name: str, limit: int) -> str:
    value = (params.get(name) or "").strip()
    if len(value) > limit:
        raise Open311Error(400, f"{name} 不能超过 {limit} 个字符", f"{name} is longer than {limit} characters")
    return value


def _requester_name(first: str, last: str) -> str:
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    params = _post_params(request)
    user = token_verify(params.get("api_key") or "")
    if user is None:
        raise Open311Error(403, "api_key 未提供或无效", "api_key was not provided or is invalid")
    _check_jurisdiction(params)
    service_code = _text(params, "service_code", 32)
    if not service_code:
        raise Open311Error(400, "缺少 service_code", "service_code was not provided")
    category = _services().filter(open311_code=service_code).first()
    if category is None:
        raise Open311Error(400, f"service_code {service_code} 不存在", f"service_code {service_code} was not found")
    latitude, longitude = _coordinate(params, "lat", 90), _coordinate(params, "long", 180)
    if (latitude is None) != (longitude is None):
        raise Open311Error(400, "lat 和 long 须同时提供", "lat and long must be given together")
    address = _text(params, "address_string", 300)
    if latitude is None and not address:
        raise Open311Error(400, "须提供位置：lat 和 long，或 address_string",
                           "a location is required: lat and long, or address_string")
    description = _text(params, "description", MAX_TEXT)
    if not description:
        raise Open311Error(400, "缺少 description（诉求内容）", "description (the appeal's content) was not provided")
    media_url = _text(params, "media_url", 500)
    if media_url and not re.match(r"https?://\S+$", media_url):
        raise Open311Error(400, "media_url 须为 http(s) 链接", "media_url must be an http(s) URL")
    appeal_type = _text(params, "attribute[appeal_type]", 16) or AppealType.COMPLAINT.value
    if appeal_type not in {t.value for t in AppealType}:
        names = ", ".join(t.value for t in AppealType)
        raise Open311Error(400, f"attribute[appeal_type] 须为以下之一：{names}", f"attribute[appeal_type] is one of {names}")
    key = (request.headers.get("Idempotency-Key") or "").strip() or None
    if key is not None and len(key) > 100:
        raise Open311Error(400, "Idempotency-Key 不能超过100个字符", "Idempotency-Key is longer than 100 characters")
    content = f"{description}\n附件链接：{media_url}" if media_url else description
    try:
        result = appeal_intake(
            user=user, channel="app", appeal_type=appeal_type, content=content, category=category.code,
            address=address, latitude=latitude, longitude=longitude,
            requester_phone=_text(params, "phone", 32),
            requester_name=_requester_name(_text(params, "first_name", 50), _text(params, "last_name", 50)),
            confidential=_flag(params, "attribute[confidential]"), idempotency_key=key,
            outcome="register")   # like the portal: an operator checks it before it is accepted
    except (RoleNotAllowed, Forbidden) as exc:
        raise Open311Error.from_rule(403, exc) from None
    except NotFound as exc:
        raise Open311Error.from_rule(404, exc) from None
    except Conflict as exc:
        raise Open311Error.from_rule(409, exc) from None
    except RuleError as exc:
        raise Open311Error.from_rule(400, exc) from None
    records = [{
        "service_request_id": order.number,
        "service_notice": (f"已受理，请凭工单号 {order.number} 和查询码 {result.query_codes.get(order.number, '')} 查询办理进度"
                           f" / accepted: track it with order number {order.number} and query code "
                           f"{result.query_codes.get(order.number, '')}"),
        "account_id": None,
    } for order in result.orders]
    return respond(fmt, records, root="service_requests", item="request", status=200 if result.replayed else 201)
