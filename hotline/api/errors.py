"""One error format for every error the API returns, with the status each error maps to.

Every error body is::

    {"code": "rule_refused", "message_zh": "资阳 §13(3)：咨询类工单不予延期",
     "message_en": "ziyang §13(3): consult orders may not be extended",
     "article": "ziyang §13(3)", "details": null}

Status by error (hotline.rules.errors, ninja's own errors, Django's)::

    400  InvalidInput                         a value given is malformed
    401  no or bad credentials                code "unauthenticated"
    403  RoleNotAllowed, Forbidden, the order is not the unit's, CSRF failed
    404  NotFound, an unknown path            (a unit asking for another unit's order gets 404 too)
    405  method not allowed on this path
    409  ActionNotAllowed (wrong state), Conflict (someone else changed it first), a unique-key race
    422  GuardRefused, LimitNotDefined        a rule of the profile refused it: ``article`` names it
    422  request validation                   code "validation_error", the field errors in ``details``
    500  anything unexpected                  code "server_error"
    503  the database is locked or down       code "database_busy"
"""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any

from django.db import IntegrityError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from hotline.rules import errors as rule_errors

logger = logging.getLogger("hotline.api")


class ErrorOut(Schema):
    """The one error body of the API."""

    code: str
    message_zh: str
    message_en: str
    article: str | None = None
    details: Any = None


#: every status an authenticated endpoint may answer with an error (declared in each `response=`)
ERROR_STATUSES = (400, 401, 403, 404, 409, 422)


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``response={200: OrderOut, **errors()}``: the error statuses an endpoint declares."""
    return {status: ErrorOut for status in (statuses or ERROR_STATUSES)}


def status_of(exc: rule_errors.RuleError) -> int:
    """The HTTP status of an error of the rules' exception tree."""
    match exc:
        case rule_errors.InvalidInput():
            return 400
        case rule_errors.RoleNotAllowed() | rule_errors.Forbidden():
            return 403
        case rule_errors.NotFound():
            return 404
        case rule_errors.ActionNotAllowed() | rule_errors.Conflict():
            return 409
        case rule_errors.GuardRefused() | rule_errors.LimitNotDefined():
            return 422
        case rule_errors.ActionRefused():   # e.g. not_your_order, not_a_co_unit: the actor may not
            return 403
        case rule_errors.ConfigError():
            return 500
    return 409  # e.g. profile_mismatch: the order and the deployment disagree


def body(code: str, message_zh: str, message_en: str, article: str | None = None, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message_zh": message_zh, "message_en": message_en, "article": article, "details": details}


def json_error(status: int, code: str, message_zh: str, message_en: str, article: str | None = None,
               details: Any = None) -> JsonResponse:
    """The error body as a plain Django response (for views outside ninja's operations)."""
    return JsonResponse(body(code, message_zh, message_en, article, details), status=status,
                        json_dumps_params={"ensure_ascii": False})


class BodyNotJson(ValueError):
    """The request body is not JSON (ninja turns any parser error into a 400; this marks ours)."""


class JsonParser(Parser):
    """Ninja's JSON parser, with a recognisable error for a body that is not JSON."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BodyNotJson(str(exc)) from None
        return data


def _field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    found = []
    for error in exc.errors:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        found.append({"loc": loc, "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))})
    return found


def _on_rule_error(request: HttpRequest, exc: rule_errors.RuleError, api: NinjaAPI) -> HttpResponse:
    status = status_of(exc)
    if status >= 500:
        logger.error("configuration error while serving %s: %s", request.path, exc)
    return api.create_response(request, body(exc.code, exc.message_zh, exc.message_en, exc.article), status=status)


def _on_validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    details = _field_errors(exc)
    shown = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in details[:5])
    return api.create_response(request, body(
        "validation_error", f"请求数据不符合要求：{shown}", f"the request is invalid: {shown}", details=details),
        status=422)


def _on_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc.__cause__, BodyNotJson):
        return api.create_response(request, body(
            "validation_error", f"请求体不是有效的 JSON：{exc.__cause__}", f"the request body is not valid JSON: {exc.__cause__}",
            details=[{"loc": ["body"], "msg": str(exc.__cause__), "type": "json_invalid"}]), status=422)
    if isinstance(exc, AuthenticationError) or exc.status_code == 401:
        return api.create_response(request, body(
            "unauthenticated", "请先登录，或在 Authorization 头中提供有效的令牌（Bearer）",
            "log in, or give a valid token in the Authorization header (Bearer)"), status=401)
    if exc.status_code == 403 and "CSRF" in exc.message:
        return api.create_response(request, body(
            "csrf_failed", "CSRF 校验失败：通过会话调用接口时须带 X-CSRFToken 头",
            "CSRF check failed: a call made with the session cookie needs the X-CSRFToken header"), status=403)
    return api.create_response(request, body(f"http_{exc.status_code}", exc.message, exc.message), status=exc.status_code)


def _on_404(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, body("not_found", "请求的资源不存在", "not found"), status=404)


def _on_integrity_error(request: HttpRequest, exc: IntegrityError, api: NinjaAPI) -> HttpResponse:
    logger.warning("integrity error while serving %s: %s", request.path, exc)
    return api.create_response(request, body(
        "conflict", "数据已被同时修改，请刷新后重试", "the data was changed at the same time; reload and retry"), status=409)


def _on_operational_error(request: HttpRequest, exc: OperationalError, api: NinjaAPI) -> HttpResponse:
    logger.exception("database unavailable while serving %s", request.path)
    return api.create_response(request, body(
        "database_busy", "数据库繁忙，请稍后重试", "the database is busy; retry later"), status=503)


def _on_exception(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    logger.exception("unexpected error while serving %s", request.path)
    return api.create_response(request, body(
        "server_error", "服务器内部错误，请联系管理员", "internal server error; the administrators were told"), status=500)


def install(api: NinjaAPI) -> None:
    """Route every error the API can raise to the one format."""
    api.add_exception_handler(rule_errors.RuleError, partial(_on_rule_error, api=api))
    api.add_exception_handler(ValidationError, partial(_on_validation_error, api=api))
    api.add_exception_handler(HttpError, partial(_on_http_error, api=api))
    api.add_exception_handler(Http404, partial(_on_404, api=api))
    api.add_exception_handler(IntegrityError, partial(_on_integrity_error, api=api))
    api.add_exception_handler(OperationalError, partial(_on_operational_error, api=api))
    api.add_exception_handler(Exception, partial(_on_exception, api=api))


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any path under /api/ that names no endpoint."""
    return json_error(404, "not_found", f"接口 {request.path} 不存在（接口文档：/api/docs）",
                      f"no endpoint at {request.path} (see /api/docs)")


def method_not_allowed(request: HttpRequest, allowed: str) -> JsonResponse:
    response = json_error(405, "method_not_allowed", f"接口 {request.path} 不支持 {request.method} 方法（可用：{allowed}）",
                          f"{request.method} is not allowed on {request.path} (allowed: {allowed})")
    response["Allow"] = allowed
    return response
