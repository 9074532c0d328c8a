"""The citizen's appeal form: what the portal asks for, checked before it reaches ``appeal_intake``.

Each problem names its field in Chinese. The honeypot field (``homepage``) is hidden from people;
a form that fills it is a robot's and is refused without creating anything.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from hotline.directory.models import Region
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType

HONEYPOT = "homepage"
CONTENT_MAX = 2000
CONTENT_MIN = 5
ADDRESS_MAX = 300
NAME_MAX = 50
ATTACHMENTS_MAX = 5
ATTACHMENT_TYPES = "image/*,audio/*,video/*,.pdf,.txt,.doc,.docx,.xls,.xlsx"

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def appeal_types(profile: Profile) -> list[tuple[str, str]]:
    """The appeal types this hotline accepts (value, Chinese label)."""
    return [(t.value, t.zh) for t in AppealType if profile.accepts(t)]


def region_groups() -> list[tuple[Region, list[Region]]]:
    """Districts, each with its streets, for the region picker."""
    districts = list(Region.objects.filter(level=Region.Level.DISTRICT).order_by("code"))
    streets: dict[int, list[Region]] = {d.pk: [] for d in districts}
    for street in Region.objects.filter(level=Region.Level.STREET, parent__in=districts).order_by("code"):
        if street.parent_id is not None:
            streets[street.parent_id].append(street)
    return [(d, streets[d.pk]) for d in districts]


def new_submission_key() -> str:
    """A key for one filled-in form: sending it twice (a reload) registers the appeal once."""
    return uuid.uuid4().hex


@dataclass
class AppealForm:
    appeal_type: str = ""
    content: str = ""
    region: str = ""
    address: str = ""
    name: str = ""
    phone: str = ""
    confidential: bool = False
    submission: str = ""
    attachments: list[UploadedFile] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    robot: bool = False

    @property
    def valid(self) -> bool:
        return not self.errors and not self.robot

    @property
    def idempotency_key(self) -> str | None:
        return f"portal:{self.submission}" if re.fullmatch(r"[0-9a-f]{32}", self.submission) else None


def parse(data: QueryDict, files: MultiValueDict[str, UploadedFile], profile: Profile) -> AppealForm:
    form = AppealForm(
        appeal_type=data.get("appeal_type", "").strip(), content=data.get("content", "").strip(),
        region=data.get("region", "").strip(), address=data.get("address", "").strip(),
        name=data.get("name", "").strip(), phone=re.sub(r"[\s()（）]", "", data.get("phone", "")),
        confidential=data.get("confidential") in {"1", "on", "true"}, submission=data.get("submission", "").strip(),
        attachments=files.getlist("attachments"), robot=bool(data.get(HONEYPOT, "").strip()))
    errors = form.errors
    if form.appeal_type not in {value for value, _ in appeal_types(profile)}:
        errors["appeal_type"] = "请选择诉求类型"
    if len(form.content) < CONTENT_MIN:
        errors["content"] = f"请填写诉求内容（至少 {CONTENT_MIN} 个字）"
    elif len(form.content) > CONTENT_MAX:
        errors["content"] = f"诉求内容不能超过 {CONTENT_MAX} 个字（现有 {len(form.content)} 个）"
    if form.region and not Region.objects.filter(code=form.region).exists():
        errors["region"] = "所选区域不存在，请重新选择"
    if len(form.address) > ADDRESS_MAX:
        errors["address"] = f"地址不能超过 {ADDRESS_MAX} 个字"
    if len(form.name) > NAME_MAX:
        errors["name"] = f"姓名不能超过 {NAME_MAX} 个字"
    if not form.phone:
        errors["phone"] = "请填写联系电话，以便承办单位联系和回访"
    elif not (_MOBILE.match(form.phone) or _LANDLINE.match(form.phone)):
        errors["phone"] = "联系电话格式不正确（手机号11位，座机如 028-12345678）"
    if len(form.attachments) > ATTACHMENTS_MAX:
        errors["attachments"] = f"附件最多 {ATTACHMENTS_MAX} 个"
    if "\x00" in form.content + form.address + form.name:
        errors["content"] = "含有不允许的字符"
    return form
