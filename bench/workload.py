"""The lifecycle workload of /work/shared/bench/lifecycle.md as a list of calls per order.

One order's calls, each its own call (its own request over HTTP, its own transaction in process):

1. ``accept``   a complaint of ~120 Chinese characters, a requester (name, phone), an address, a category;
2. ``dispatch`` to one of the handling units;
3. ``sign``     by that unit;
4. ``reply``    with time, process, result and contact with the requester;
5. ``evaluate`` "satisfied" (the callback's answers: the unit contacted the requester, resolved);
6. ``archive``.

Mixes, chosen by the order's index so that every run holds exactly the same calls:

- index % 10 == 3 (10%): after signing, the unit asks to return the order (``request_return``), the hotline
  approves (``approve_return``), dispatches it to another unit, which signs (steps 2–3 again);
- index % 10 == 6 (10%): ``request_extension`` and ``approve_extension`` before the reply;
- index % 20 == 9 (5%): the evaluation is "dissatisfied", the supervisor sends it back (``redo``), the unit
  replies again and the second evaluation is "satisfied".

On average an order takes 6.75 calls. Pure Python: the same plan drives the services and the HTTP client.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hotline.rules.periods import Period
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType

CALL_TYPES = ("accept", "dispatch", "sign", "request_return", "approve_return", "request_extension",
              "approve_extension", "reply", "evaluate", "redo", "archive")

ROADS = ["幸福路", "建设路", "人民路", "滨河路", "解放路", "中山路", "文化路", "新华路", "光明街", "长青路", "学府路", "朝阳路"]
ESTATES = ["锦绣花园", "阳光小区", "翠湖苑", "金色家园", "和平里小区", "丽景湾", "书香名邸", "幸福家园", "滨江花城", "紫荆苑"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文红玉兰志新晓东海波宇浩然欣怡梓涵子轩雨萱俊"

#: (category, problem, demand) of the complaints; the address is put in front of the problem
COMPLAINTS = [
    ("urban", "小区门口的路灯已经坏了一个多月，晚上出行很不安全，老人和孩子经过时容易摔倒", "希望有关部门尽快派人维修"),
    ("urban", "附近工地每天晚上十点以后还在施工，机器轰鸣声很大，严重影响周边居民休息", "请尽快查处夜间违规施工"),
    ("environment", "楼下一家烧烤店的油烟直接排放，楼上住户长期不敢开窗，衣服都有油烟味", "请环保部门检查处理"),
    ("environment", "小区垃圾收集点已经好几天没有清运，气味很大，蚊蝇很多，居民意见很大", "请安排及时清运并消毒"),
    ("traffic", "小区门口长期有车辆乱停乱放，占用了消防通道，救护车都开不进来", "请交通管理部门处理"),
    ("labour", "本人在一家装饰工程公司工作，公司已经拖欠三个月工资共一万二千元，多次讨要无果", "请劳动监察部门帮助追讨"),
    ("education", "孩子所在学校除课后服务费外还另外收取资料费，家长事先并不知情", "请教育部门核实并督促退还"),
    ("health", "区人民医院挂号窗口排队时间太长，自助挂号机经常出现故障，老人不会使用", "请督促医院尽快改进"),
    ("market", "在附近一家超市买到已经过期的食品，商家拒绝退换还态度恶劣", "请市场监管部门依法处理"),
    ("utilities", "小区这一个月以来经常停水，供水公司事先没有任何通知，给生活带来很大不便", "请供水公司说明原因并保障供水"),
]
FILLERS = ["此前已多次向物业和社区反映，但问题一直没有得到解决。", "周边不少居民都有同样的意见。",
           "希望有关部门重视，尽快给予答复。", "如有需要可以电话联系我了解情况。"]

REPLY = {"time": "接件当日", "process": "接件后安排工作人员到现场核查，反映情况属实，已会同相关单位处置。",
         "result": "问题已整改完毕，经复查符合要求。", "contact": "已电话联系诉求人告知办理结果，诉求人表示认可。"}


@dataclass(frozen=True)
class Call:
    """One call of the workload: what, as whom (a user name), with what."""

    kind: str
    actor: str
    body: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderPlan:
    index: int
    calls: tuple[Call, ...]
    mix: str    # plain, return, extension, dissatisfied


def handler(unit: str, leader: bool = False) -> str:
    return f"{unit.lower()}-{'leader' if leader else 'handler'}"


def complaint(rng: random.Random, address: str) -> tuple[str, str]:
    """(category, ~120 characters of complaint) about ``address``."""
    category, problem, demand = rng.choice(COMPLAINTS)
    text = f"您好，我是{address}的居民，{problem}。"
    fillers = FILLERS[:]
    rng.shuffle(fillers)
    while len(text) + len(demand) + 1 < 112 and fillers:
        text += fillers.pop()
    return category, f"{text}{demand}。"


def extension_length(profile: Profile, appeal_type: AppealType = AppealType.COMPLAINT) -> str | None:
    """A length the profile accepts for one extension (None where it is always as long as the limit)."""
    rule = profile.extension
    if rule.length == "equals_limit":
        return None
    limit: Period = profile.handle[appeal_type].limit
    cap = rule.max_length.get(appeal_type, limit)
    amount = max(1, min(cap.amount, limit.amount if cap.unit is limit.unit else cap.amount, 2))
    return f"{amount}{cap.unit.value}"


def order_plan(index: int, *, units: Sequence[str], seed: int, profile: Profile) -> OrderPlan:
    """The calls of order ``index`` of a run (the same for the same index, seed and units)."""
    rng = random.Random(seed * 1_000_003 + index)
    unit = units[index % len(units)]
    address = f"示例市{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.choice(ESTATES)}"
    category, content = complaint(rng, address)
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    phone = f"139{seed % 100:02d}{index % 1_000_000:06d}"
    mix = ("return" if index % 10 == 3 else "extension" if index % 10 == 6 else
           "dissatisfied" if index % 20 == 9 else "plain")
    dispatch: dict[str, Any] = {}
    if getattr(profile.dispatch, "handling_limit_required", False):   # tianjin §16(2): the dispatch states it
        dispatch["handling_limit"] = str(profile.handle[AppealType.COMPLAINT].limit)
    calls = [Call("accept", "operator", {"channel": "phone", "appeal_type": "complaint", "content": content,
                                         "requester": {"name": name, "phone": phone}, "category": category,
                                         "address": address}),
             Call("dispatch", "dispatcher", {"unit": unit, **dispatch}),
             Call("sign", handler(unit))]
    if mix == "return":
        other = units[(index + 7) % len(units)]
        calls += [Call("request_return", handler(unit, leader=True),
                       {"reason": "该事项不属于本单位职责范围", "basis": "依据《示例市部门职责分工规定》",
                        "suggested_unit": other, "evidence": "职责清单", "leader_confirmed": True}),
                  Call("approve_return", "dispatcher"),
                  Call("dispatch", "dispatcher", {"unit": other, **dispatch}),
                  Call("sign", handler(other))]
        unit = other
    if mix == "extension":
        length = extension_length(profile)
        calls += [Call("request_extension", handler(unit),
                       {"reason": "需协调多个部门联合处置", **({"length": length} if length else {})}),
                  Call("approve_extension", "dispatcher")]
    calls.append(Call("reply", handler(unit), {"reply": REPLY}))
    if mix == "dissatisfied":
        calls += [Call("evaluate", "operator", {"evaluation": "dissatisfied", "contacted": True,
                                                   "resolved": False}),
                  Call("redo", "supervisor"),
                  Call("reply", handler(unit), {"reply": REPLY})]
    calls += [Call("evaluate", "operator", {"evaluation": "satisfied", "contacted": True,
                                                "resolved": True}), Call("archive", "operator")]
    return OrderPlan(index, tuple(calls), mix)


def actors(units: Sequence[str]) -> list[str]:
    """Every user name the workload acts as."""
    return ["operator", "dispatcher", "supervisor", *(handler(u) for u in units), *(handler(u, True) for u in units)]
