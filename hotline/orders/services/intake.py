"""Intake (受理): a call or message becomes an appeal and one order per unit matter, then is accepted,
declined, or answered on the spot."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date as date_type
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from hotline.directory.models import Category, Region, User
from hotline.notify import services as notify
from hotline.orders import rulebook
from hotline.orders.models import Appeal, Attachment, Channel, IdempotencyRecord, Order, OrderNumberCounter
from hotline.orders.repeats import RepeatMatch, find_repeats
from hotline.orders.services.transition import order_act_new
from hotline.requesters.models import Conduct, Requester
from hotline.rules.errors import Conflict, Forbidden, GuardRefused, InvalidInput, RoleNotAllowed
from hotline.rules.order import Action, Inputs
from hotline.rules.profiles import cite_zh
from hotline.rules.vocabulary import AppealType, Urgency

#: what the operator decided; "register" leaves the order at 待受理 for an operator to check (online channels)
INTAKE_ROLES = {User.Role.OPERATOR, User.Role.DISPATCHER}
OUTCOMES: dict[str, Action | None] = {"register": None, "accept": Action.ACCEPT, "decline": Action.DECLINE, "answer_directly": Action.ANSWER_DIRECTLY,
            "answer_from_termination": Action.ANSWER_FROM_TERMINATION}


@dataclass
class IntakeResult:
    appeal: Appeal
    orders: list[Order]
    query_codes: dict[str, str]              # order number → the code to read to the requester
    repeats: list[RepeatMatch] = field(default_factory=list)
    replayed: bool = False                   # an idempotent retry: nothing new was created


def query_code_hash(number: str, code: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{number}:{code}".encode()).hexdigest()


def query_code_matches(order: Order, code: str) -> bool:
    return hmac.compare_digest(order.query_code_hash, query_code_hash(order.number, code.strip()))


def next_order_number(prefix: str, day: datetime) -> str:
    """``ZY2026112200042``: prefix, date, a five-digit daily counter (row-locked)."""
    date = timezone.localtime(day).date()
    last = _count_up(prefix, date)
    if last is None:                                # the day's first order: make its counter, then count
        OrderNumberCounter.objects.get_or_create(prefix=prefix, day=date)
        last = _count_up(prefix, date)
        assert last is not None
    return f"{prefix}{date:%Y%m%d}{last:05d}"


def _count_up(prefix: str, date: date_type) -> int | None:
    """Add one to the day's counter and read it back in the same statement (``UPDATE … RETURNING``:
    PostgreSQL, SQLite ≥ 3.35); None when the day has no counter yet."""
    counters = OrderNumberCounter.objects.filter(prefix=prefix, day=date)
    if not connection.features.can_return_columns_from_insert:     # an older SQLite: update, then read
        if not counters.update(last=F("last") + 1):
            return None
        return counters.values_list("last", flat=True).get()
    table, last, prefix_, day = (connection.ops.quote_name(n) for n in
                                 (OrderNumberCounter._meta.db_table, "last", "prefix", "day"))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {last} = {last} + 1 WHERE {prefix_} = %s AND {day} = %s "  # noqa: S608 - names are ours
                       f"RETURNING {last}", [prefix, connection.ops.adapt_datefield_value(date)])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _requester(phone: str, name: str, kind: str) -> tuple[Requester | None, bool]:
    """The requester of this phone (made when new), and whether it was made now."""
    phone = phone.strip()
    if not phone and not name.strip():
        return None, False
    if phone:
        found = Requester.objects.filter(phone=phone).order_by("pk").first()
        if found is not None:
            if name.strip() and not found.name:
                found.name = name.strip()
                found.save(update_fields=["name"])
            return found, False
    return Requester.objects.create(phone=phone, name=name.strip(), kind=kind), True


def active_suspension(requester: Requester | None, at: datetime) -> Conduct | None:
    if requester is None:
        return None
    return (requester.conduct.filter(kind=Conduct.Kind.SUSPENSION, starts_at__lte=at, ends_at__gt=at)
            .order_by("-ends_at").first())


def _category(code: str | None) -> Category | None:
    if not code:
        return None
    found = Category.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"分类代码 {code} 不存在", f"category code {code!r} does not exist")
    return found


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    found = Region.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"区域代码 {code} 不存在", f"region code {code!r} does not exist")
    return found


def _check_attachment(upload: UploadedFile) -> str:
    content_type = (upload.content_type or "").split(";")[0].strip()
    kind = next((k for k, types in settings.HOTLINE_ATTACHMENT_TYPES.items() if content_type in types), None)
    if kind is None:
        raise InvalidInput(f"附件 {upload.name} 的类型 {content_type or '未知'} 不受支持（支持语音、图片、视频和常见文档）",
                           f"attachment {upload.name}: type {content_type or 'unknown'} is not accepted "
                           "(voice, image, video and common documents are)")
    if (upload.size or 0) > settings.HOTLINE_ATTACHMENT_MAX_BYTES:
        limit = settings.HOTLINE_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise InvalidInput(f"附件 {upload.name} 超过 {limit} MB", f"attachment {upload.name} is larger than {limit} MB")
    return kind


def appeal_intake(
    *, user: User, channel: str, appeal_type: str, content: str, requester_phone: str = "",
    requester_name: str = "", requester_kind: str = "person", category: str | None = None, region: str | None = None,
    address: str = "", latitude: Decimal | None = None, longitude: Decimal | None = None, title: str = "",
    confidential: bool = False, reported_party: str = "", urgency: str = "normal", outcome: str = "accept",
    decline_code: str = "", earlier_order: str = "", domain: str = "", major_item: bool = False, note: str = "",
    terminated_order: str = "", parts: Sequence[str] = (),
    special_case: str = "", attachments: Sequence[UploadedFile] = (), idempotency_key: str | None = None,
    external_id: str = "", at: datetime | None = None,
) -> IntakeResult:
    """Register an appeal and carry out the operator's decision on it, in one transaction.

    ``parts``: when one appeal holds matters of different units, one order per part (tianjin §13).
    ``idempotency_key``: a retried call with the same key returns the first result, creating nothing.
    """
    at = at or timezone.now()
    profile = rulebook.profile()
    if user.role not in INTAKE_ROLES:
        raise RoleNotAllowed(f"{User.Role(user.role).label}不能受理诉求（由话务员、派单员受理）",
                             f"role {user.role} may not register appeals (operators and dispatchers do)")
    if idempotency_key:
        replay = _replay(idempotency_key, user)
        if replay is not None:
            return replay
    _validate(channel, appeal_type, urgency, outcome, content)
    if channel not in profile.channels.channels:
        channels = profile.channels
        names = "、".join(Channel(c).label for c in channels.channels)
        raise GuardRefused(f"{cite_zh(channels.cite) if channels.cite else '平台默认规则'}：本热线不通过“{Channel(channel).label}”"
                           f"受理诉求（受理渠道：{names}）", f"{channels.cite or 'platform default'}: appeals are not "
                           f"received through {channel} here (channels: {', '.join(channels.channels)})",
                           article=channels.source, code="channel_not_provided")
    if attachments:
        kinds = [_check_attachment(upload) for upload in attachments]
    try:
        with transaction.atomic():
            requester, new_requester = _requester(requester_phone, requester_name, requester_kind)
            suspension = None if new_requester else active_suspension(requester, at)   # a new one has no record
            if suspension is not None:
                raise GuardRefused(
                    f"{cite_zh(profile.abuse.source) if profile.abuse.cite else '平台规则'}：诉求人被暂停受理至 "
                    f"{timezone.localtime(suspension.ends_at):%Y-%m-%d %H:%M}（{suspension.reason}）",
                    f"the requester is suspended until {suspension.ends_at:%Y-%m-%d %H:%M}: {suspension.reason}",
                    article=profile.abuse.source, code="requester_suspended")
            repeats = find_repeats(phone=requester_phone, address=address, content=content, at=at)
            terminated = [r for r in repeats if r.terminated]
            if (outcome == "accept" and terminated and profile.termination.repeats_answered_without_dispatch
                    and not special_case.strip()):
                rule = profile.termination
                raise GuardRefused(
                    f"{cite_zh(rule.source)}：同一事项已终结（{terminated[0].number}），应按终结意见答复、不再派单；"
                    "特殊情况请写明理由", f"{rule.source}: the same matter was terminated ({terminated[0].number}): "
                    "answer from the termination opinion instead of dispatching, or give the special case",
                    article=rule.source, code="terminated_matter")
            appeal = Appeal.objects.create(
                requester=requester, channel=channel, appeal_type=appeal_type,
                category=_category(category), region=_region(region), address=address, latitude=latitude,
                longitude=longitude, title=title, content=content, confidential=confidential,
                reported_party=reported_party, received_at=at, received_by=user, idempotency_key=idempotency_key,
                external_id=external_id)
            for upload, kind in zip(attachments, kinds if attachments else [], strict=True):
                Attachment.objects.create(appeal=appeal, kind=kind, file=upload, name=upload.name or "附件",
                                          content_type=upload.content_type or "", size=upload.size or 0)
            orders, codes = [], {}
            for part in (parts or [content]):
                order, code = _new_order(appeal, profile.profile.order_prefix, profile.name, urgency, at, part)
                action = OUTCOMES[outcome]
                if action is not None:    # the order was made just now, in this transaction: no lock, no reads
                    order_act_new(order=order, user=user, action=action, at=at,
                                  inputs=Inputs(decline_code=decline_code, earlier_order=earlier_order, domain=domain,
                                                major_item=major_item, note=note or special_case,
                                                terminated_order=terminated_order))
                order.refresh_from_db()
                orders.append(order)
                codes[order.number] = code
            result = IntakeResult(appeal, orders, codes, repeats)
            if idempotency_key:
                IdempotencyRecord.objects.create(key=idempotency_key, scope="appeal_intake", user=user,
                                                 result={"appeal": appeal.pk, "codes": codes})
            if requester is not None and requester.phone and outcome in {"accept", "register"}:
                for order in orders:
                    notify.order_created(order, requester.phone, codes[order.number])
    except IntegrityError:
        if idempotency_key:
            replay = _replay(idempotency_key, user)
            if replay is not None:
                return replay
        raise Conflict("同时提交了相同的请求，请刷新后查看", "the same request was submitted twice at once; reload") from None
    return result


def _validate(channel: str, appeal_type: str, urgency: str, outcome: str, content: str) -> None:
    if channel not in Channel.values:
        raise InvalidInput(f"受理渠道 {channel!r} 不正确（可选：{'、'.join(Channel.values)}）",
                           f"channel {channel!r} is not one of {', '.join(Channel.values)}")
    if appeal_type not in AppealType.__members__.values():
        raise InvalidInput(f"诉求类型 {appeal_type!r} 不正确", f"appeal type {appeal_type!r} is not one of "
                           + ", ".join(t.value for t in AppealType))
    if urgency not in {u.value for u in Urgency}:
        raise InvalidInput(f"紧急程度 {urgency!r} 不正确", f"urgency {urgency!r} is not one of normal, special, special-urgent")
    if outcome not in OUTCOMES:
        raise InvalidInput(f"处理方式 {outcome!r} 不正确", f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
    if not content.strip():
        raise InvalidInput("诉求内容不能为空", "the appeal's content is empty")


def _new_order(appeal: Appeal, prefix: str, profile: str, urgency: str, at: datetime, content: str) -> tuple[Order, str]:
    number = next_order_number(prefix, at)
    code = f"{secrets.randbelow(10**6):06d}"
    order = Order.objects.create(
        number=number, query_code_hash=query_code_hash(number, code), appeal=appeal, profile=profile,
        appeal_type=appeal.appeal_type, category=appeal.category, urgency=urgency, received_at=at,
        matter="" if content == appeal.content else content)
    return order, code


def _replay(key: str, user: User) -> IntakeResult | None:
    record = IdempotencyRecord.objects.filter(scope="appeal_intake", key=key).first()
    if record is None:
        return None
    if record.user_id != user.pk:
        raise Conflict("该幂等键已被其他用户使用", "this idempotency key was used by another user")
    appeal = Appeal.objects.get(pk=record.result["appeal"])
    orders = list(appeal.orders.order_by("pk"))
    return IntakeResult(appeal, orders, dict(record.result["codes"]), [], replayed=True)


def requester_conduct_record(*, user: User, requester: int, kind: str, reason: str, days: int = 0,
                             at: datetime | None = None) -> Conduct:
    """Warn a requester, or suspend them after the warnings the profile asks for (tianjin §32)."""
    at = at or timezone.now()
    profile = rulebook.profile()
    rule = profile.abuse
    if user.role not in {User.Role.SUPERVISOR, User.Role.ADMINISTRATOR, User.Role.OPERATOR}:
        raise Forbidden("只有热线工作人员可以记录不当使用", "only hotline staff record abusive use")
    if not reason.strip():
        raise InvalidInput("请写明事由", "give the reason")
    with transaction.atomic():
        who = Requester.objects.select_for_update().filter(pk=requester).first()
        if who is None:
            raise InvalidInput(f"诉求人 {requester} 不存在", f"requester {requester} does not exist")
        if kind == Conduct.Kind.WARNING:
            return Conduct.objects.create(requester=who, kind=kind, reason=reason, rule=rule.source, starts_at=at, by=user)
        if kind != Conduct.Kind.SUSPENSION:
            raise InvalidInput("类型只能是 warning 或 suspension", "kind is warning or suspension")
        if not rule.suspension_allowed:
            raise GuardRefused(f"{cite_zh(rule.cite) if rule.cite else '平台默认规则'}：本规则只允许提醒警告，不允许暂停受理",
                               f"{rule.cite or 'platform default'}: warnings only, no suspension", article=rule.source,
                               code="suspension_not_allowed")
        warnings = who.conduct.filter(kind=Conduct.Kind.WARNING).count()
        if warnings < rule.warnings_before_suspension:
            raise GuardRefused(f"{cite_zh(rule.cite) if rule.cite else '平台默认规则'}：暂停前须先提醒警告"
                               f"{rule.warnings_before_suspension}次（已警告{warnings}次）",
                               f"{rule.cite or 'platform default'}: warn {rule.warnings_before_suspension} time(s) "
                               f"before suspending (warned {warnings})", article=rule.source, code="warning_first")
        length = days or rule.suspension_days
        if length <= 0:
            raise InvalidInput("请写明暂停天数", "give the number of days of the suspension")
        return Conduct.objects.create(requester=who, kind=kind, reason=reason, rule=rule.source, starts_at=at,
                                      ends_at=at + timedelta(days=length), by=user)
