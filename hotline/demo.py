"""Demo data: a made-up city with a few hundred orders in every state its rulebook can reach.

``demo_load`` seeds the demo city (``hotline.directory.seed``), then creates orders through the real
services (``appeal_intake``, ``order_dispatch``, ``order_sign``…) with explicit ``at=`` times, so that
every order has a true timeline that its profile's guards accepted: a unit signs before its sign limit,
replies before its handling limit (a few late, as in life), asks for an extension at least the profile's
notice before the due time, and so on. Times spread over the last ~60 days and end now.

Everything is invented: appeal texts are built from templates per category, requesters get invented
names and numbers from the conventional demo range 1380000xxxx, addresses lie in the seeded regions of
示例市. Nothing comes from a real hotline or from shared data files.

For large counts (the benchmarks need 20,000 to 10,000,000 orders present) ``demo_load`` makes a set of
template orders through the services (at most 2,000 unless asked) and then *copies* them in bulk (the bulk
path, ``bulk_copies``: one transaction per 2,000 orders, ``bulk_create`` for requesters, appeals and
orders, one ``executemany`` each for deadlines, events and co-units): each copy gets a new requester, a new
appeal text of the same topic and a new address in the same street, and all the rows of its template
(order, deadlines, timeline events) moved back by the same amount. Copies of every template stay in the
templates' own weeks; only settled orders (archived, terminated, merged, declined, answered) are also
copied 1 to 56 weeks back, so the data reach ~15 months back and no open order sits forgotten in the past.
The copies are consistent rows (states, counters, deadlines and events agree, as the services wrote them
for the template), but their deadlines are the template's shifted, not recounted on the calendar, and the
trace texts keep the template's dates. ``bulk_day`` adds one more day of activity the same way (for
the scale benchmark's tick). Nothing else in the platform writes order rows directly. See docs/scale.md.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from hotline.directory.models import Region, Unit, User
from hotline.directory.seed import DEMO_PASSWORD, City, seed_city
from hotline.directory.services import system_user
from hotline.orders import rulebook
from hotline.orders import services as svc
from hotline.orders.models import Appeal, Event, Order, OrderDeadline, OrderNumberCounter
from hotline.orders.services.intake import query_code_hash
from hotline.requesters.models import Requester
from hotline.rules import profiles
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import InvalidInput, RuleError
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation

DEFAULT_ORDERS = 300
#: up to this many orders the demo also fills the assessment's rollup (larger cities: the tick does it)
DEMO_ASSESSMENT_LIMIT = 20_000
#: above this many orders, the rest are bulk copies of service-made templates
BULK_THRESHOLD = 2000
#: at most this many templates are made through the services (~5 orders/s) when no number is asked for
MAX_TEMPLATES = 2000

# --- invented words ------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文红玉兰志新晓东海波宇浩然欣怡梓涵子轩雨萱俊杰思远嘉怡佳琪凯瑞亮"
ROADS = ["幸福路", "建设路", "人民路", "滨河路", "解放路", "中山路", "文化路", "新华路", "光明街", "长青路", "学府路",
         "朝阳路", "和平街", "团结路", "振兴路", "春风路"]
ESTATES = ["锦绣花园", "阳光小区", "翠湖苑", "金色家园", "和平里小区", "丽景湾", "书香名邸", "幸福家园", "滨江花城",
           "紫荆苑", "怡和新村", "康乐小区", "青年公寓", "枫林雅居", "御景华庭", "育才小区"]
DURATIONS = ["一个多月", "两周", "半个月", "三个月", "十来天", "大半年", "一个星期", "二十多天"]
DAYS = ["昨天", "前天", "本周一", "上周五", "今天上午", "昨天晚上"]
MONEY = ["3800", "12000", "2680", "560", "6500", "1980", "24000", "860"]
FARES = ["18", "35", "46", "27", "52"]
COMPANIES = ["某建筑劳务公司", "某餐饮管理公司", "某电子厂", "某物流公司", "某装饰工程公司", "某商贸公司"]


@dataclass(frozen=True)
class Topic:
    """One kind of appeal: its category, type, the units it belongs to and the words around it.

    ``units``: unit codes; ``@street`` / ``@district`` stand for the street / district of the address.
    """

    category: str
    appeal_type: str
    units: tuple[str, ...]
    text: str
    demand: str
    finding: str
    fix: str
    urgent: bool = False


def _t(category: str, appeal_type: str, units: str, text: str, demand: str, finding: str, fix: str,
       urgent: bool = False) -> Topic:
    return Topic(category, appeal_type, tuple(units.split()), text, demand, finding, fix, urgent)


TOPICS: tuple[Topic, ...] = (
    # 城乡建设
    _t("urban", "complaint", "D08 @street", "{place}路灯已坏{dur}，晚上出行不安全", "希望尽快维修。",
       "确认路灯线路老化导致两盏路灯不亮", "已更换损坏灯具和线路，路灯恢复正常照明"),
    _t("urban", "complaint", "D01 @street", "{estate}物业公司{dur}没有清理楼道垃圾，电梯也经常停运",
       "请相关部门督促物业履行职责。", "物业公司保洁人员不足、电梯维保不及时情况属实",
       "已约谈物业公司，责令其增加保洁频次并完成电梯维保"),
    _t("urban", "complaint", "D08 @street", "{place}附近工地每天晚上十点以后还在施工，噪音很大，影响居民休息",
       "请尽快查处夜间违规施工。", "该工地未办理夜间施工许可仍在夜间作业",
       "已责令施工单位停止夜间施工并依法处罚"),
    _t("urban", "report", "D08 D11", "{estate}有业主在楼顶私自搭建彩钢房，存在安全隐患", "请核实并依法拆除违章建筑。",
       "楼顶确有未经审批的彩钢棚约三十平方米", "已下达限期拆除通知书，当事人已自行拆除"),
    _t("urban", "help", "@street D01", "{place}一处井盖破损下陷，已有行人差点摔倒", "请尽快派人修复。",
       "该井盖为雨水井盖，井圈破损下沉", "已设置警示标志并更换井盖"),
    _t("urban", "suggestion", "D01 D08", "{place}人行道砖松动，一下雨就积水", "建议统一翻修人行道。",
       "该路段人行道铺装年久失修", "已纳入本年度道路维修计划，将于下月施工"),
    _t("urban", "complaint", "@district D01", "{estate}老旧小区改造{dur}了还没完工，道路挖开后没有恢复",
       "请督促施工方加快进度。", "改造工程因雨季进度滞后", "已督促施工单位增加人手，承诺月底前完成路面恢复"),
    # 环境保护
    _t("environment", "complaint", "D02 @street", "{place}一家烧烤店油烟直排，楼上住户无法开窗",
       "请环保部门检查处理。", "该店未安装油烟净化设施", "已责令商户安装油烟净化器，复查已达标"),
    _t("environment", "report", "D02", "{place}附近有小作坊夜间偷排污水到河道，河水发黑发臭", "请尽快查处。",
       "现场发现一处暗管排污口", "已封堵排污口并对涉事作坊立案查处"),
    _t("environment", "complaint", "@street D08", "{place}垃圾收集点{dur}没有及时清运，气味很大，蚊蝇很多",
       "请安排及时清运。", "该收集点清运车辆调度不及时", "已完成清运并调整为每日两次清运"),
    _t("environment", "complaint", "D02 D08", "{place}周边工地渣土车没有覆盖，扬尘严重", "请加强管理。",
       "渣土车未密闭运输情况属实", "已对运输单位处罚并要求工地设置冲洗设施"),
    # 交通运输
    _t("traffic", "suggestion", "C04 D03", "{bus}路公交车早高峰班次太少，在{road}站经常要等二十多分钟",
       "建议增加早高峰班次。", "该线路早高峰满载率较高", "已在早高峰加密两个班次"),
    _t("traffic", "complaint", "C04", "{bus}路公交车{day}在{road}站没有停稳就开门，司机态度也很差",
       "请公交公司调查处理。", "调取车载视频，驾驶员操作不规范属实", "已对驾驶员进行批评教育并扣减绩效"),
    _t("traffic", "complaint", "D09 @street", "{estate}门口长期有车辆乱停，占用消防通道", "请交警部门处理。",
       "现场查见多辆车辆占用消防通道", "已张贴告知书并安排定期巡查，违停车辆已依法处理"),
    _t("traffic", "consult", "D03", "请问{road}附近新开通的公交线路首末班车是几点？", "",
       "", "该线路首班6:30，末班21:30，详见公交公司公告"),
    _t("traffic", "complaint", "D03", "{day}乘坐网约车，司机故意绕路多收了{fare}元", "请核实并退还多收费用。",
       "平台行程轨迹显示存在绕路", "已责成平台公司退还多收费用并处罚驾驶员"),
    # 劳动和社会保障
    _t("labour", "complaint", "D04", "本人在{company}工作，公司已拖欠{months}个月工资共{money}元",
       "请劳动监察部门帮助追讨。", "企业拖欠工资情况属实", "经调解，企业已全额支付拖欠工资"),
    _t("labour", "consult", "D04", "请问灵活就业人员怎样在本市缴纳养老保险？需要带哪些材料？", "",
       "", "持身份证到社保经办窗口或通过网上服务平台办理参保登记"),
    _t("labour", "consult", "D12", "请问异地就医备案怎么办理？", "", "", "可通过国家医保服务平台APP或医保经办窗口办理备案"),
    _t("labour", "complaint", "D04", "{company}没有和员工签订劳动合同，也没有缴纳社保", "请依法查处。",
       "企业未签订劳动合同、未足额缴纳社保属实", "已责令企业限期签订合同并补缴社保"),
    _t("labour", "help", "D10 @street", "{place}有一位独居老人生活困难，身体不好无人照顾", "请民政部门帮助。",
       "老人符合特困供养条件", "已为老人办理特困供养并安排社区定期探访"),
    # 教育文体
    _t("education", "consult", "D05", "孩子今年满六周岁，户口在{district}，请问小学入学要准备哪些材料？", "",
       "", "需准备户口簿、房产证明和预防接种证，具体以学区公告为准"),
    _t("education", "complaint", "D05", "{school}除课后服务费外还另收资料费", "请教育部门核实。",
       "学校代收资料费未经家长自愿同意", "已责令学校退还所收费用"),
    _t("education", "report", "D05 D07", "{place}一家培训机构无证办学，学期中途停课不退费", "请查处并协助退费。",
       "该机构未取得办学许可", "已依法取缔并督促退还学员费用"),
    _t("education", "suggestion", "D05", "{district}图书馆周末开放时间太短", "建议延长开放时间。",
       "周末读者较多", "自下月起周末延长开放至晚上八点"),
    # 卫生计生
    _t("health", "complaint", "D06", "{district}人民医院挂号排队时间太长，自助机经常故障", "请督促医院改进。",
       "高峰时段挂号窗口不足", "医院已增设两个窗口并维修自助机"),
    _t("health", "consult", "D06", "请问老人接种流感疫苗在哪里预约？是否免费？", "",
       "", "可在社区卫生服务中心预约，65岁以上老人免费接种"),
    _t("health", "report", "D06", "{place}有一家无证诊所在给人输液", "请卫生部门查处。",
       "该诊所未取得医疗机构执业许可", "已依法取缔并没收药品器械"),
    _t("health", "complaint", "D12", "医保报销{dur}了还没有到账", "请尽快处理。",
       "因材料审核退回未及时告知", "已完成审核，报销款已到账"),
    # 商贸旅游
    _t("market", "complaint", "D07", "在{place}一家超市买到过期食品，商家拒绝退换", "请市场监管部门处理。",
       "超市在售商品中确有过期食品", "已责令下架并督促商家退一赔十"),
    _t("market", "complaint", "D07", "{place}一家健身房突然关门，办的年卡{money}元无法退款", "请协助维权。",
       "经营者已停业，预付卡余额未退", "已立案调查，协助消费者登记债权"),
    _t("market", "report", "D07", "{road}菜市场有商户用不准的电子秤缺斤短两", "请核查。",
       "抽检两台电子秤计量不准", "已没收作弊电子秤并处罚商户"),
    _t("market", "consult", "D07", "网购商品七天无理由退货商家不同意怎么办？", "",
       "", "可先与平台协商，协商不成可向市场监管部门投诉"),
    # 水电气暖
    _t("utilities", "complaint", "C01", "{estate}{dur}以来经常停水，事先也没有通知", "请供水公司说明原因并保障供水。",
       "小区二次供水设备故障", "已更换供水泵，供水恢复正常"),
    _t("utilities", "help", "C02", "{place}一带从今天上午开始停电，家里有老人需要用电", "请尽快抢修恢复供电。",
       "线路故障导致停电", "已完成抢修，供电恢复", urgent=True),
    _t("utilities", "complaint", "C03", "燃气公司上门安检时推销高价报警器", "请核实处理。",
       "安检人员违规推销属实", "已对相关人员严肃处理并退还费用"),
    _t("utilities", "consult", "C01", "请问水费阶梯价格是怎么计算的？", "", "", "居民用水按年度用水量分三档计价"),
    _t("utilities", "help", "C01 @street", "{place}楼下自来水管爆裂，水已经漫到路面", "请马上派人抢修。",
       "供水主管爆裂", "已关阀抢修，供水恢复", urgent=True),
    _t("utilities", "help", "C03", "{estate}楼道里闻到燃气味", "请马上派人检查。",
       "立管接口松动轻微泄漏", "已紧固接口并检测无泄漏", urgent=True),
    _t("urban", "praise", "D08", "感谢城管部门工作人员及时清理了{place}的占道经营", "", "", "已转达表扬"),
)

#: invented appeals each decline reason is for
DECLINE_TEXTS: dict[str, str] = {
    "emergency": "{place}有人打架，已经有人受伤了",
    "legal_procedure": "和邻居的房屋买卖合同有纠纷，想让热线帮忙判一下谁对",
    "petition": "我的事情已经在信访局反映过，想问问进展",
    "secret_or_privacy": "想查询邻居家的住址和电话",
    "military": "附近营区早上训练的声音很大",
    "no_substance": "来电人反复询问话务员个人情况，没有具体诉求",
    "unlawful": "想让热线帮忙开一份虚假的收入证明",
    "excluded_by_law": "要求热线撤销法院已生效的判决",
    "repeat_report": "又来举报{place}占道经营，之前的工单还在办理期限内",
    "repeat_settled": "同一事项已经办结答复，以相同理由要求重新处理",
}


# --- the generator ------------------------------------------------------------------------------

class _OutOfTime(Exception):
    """The next step would fall after now (or after a deadline it must meet)."""


class _Clock:
    """Moves one order's time forward, never past ``now`` nor past a deadline a step must meet."""

    def __init__(self, rng: random.Random, start: datetime, now: datetime) -> None:
        self.rng, self.t, self.now = rng, start, now

    def next(self, lo: timedelta, hi: timedelta, *, by: datetime | None = None, late_ok: bool = False,
             daytime: bool = True) -> datetime:
        earliest = self.t + timedelta(minutes=1)
        cap = self.now - timedelta(minutes=1)
        if by is not None and by - timedelta(minutes=5) >= earliest:
            cap = min(cap, by - timedelta(minutes=5))
        elif by is not None and not late_ok:
            raise _OutOfTime
        if cap < earliest:
            raise _OutOfTime
        low = max(earliest, min(self.t + lo, cap))
        high = max(low, min(self.t + hi, cap))
        moment = low + (high - low) * self.rng.random()
        if daytime:
            moment = self._daytime(moment, cap)
        self.t = moment.replace(microsecond=0) if moment.replace(microsecond=0) >= earliest else moment
        return self.t

    def _daytime(self, moment: datetime, cap: datetime) -> datetime:
        """People work from 8 to 21: a step at night moves to the next morning when that still fits."""
        local = timezone.localtime(moment, SHANGHAI)
        if 8 <= local.hour < 21:
            return moment
        day = local.date() if local.hour < 8 else local.date() + timedelta(days=1)
        morning = datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI) + H(8 + 2.5 * self.rng.random())
        return morning if morning <= cap else moment


def H(hours: float) -> timedelta:  # noqa: N802 - reads like a unit
    return timedelta(hours=hours)


@dataclass
class _Plan:
    scenario: str
    received_at: datetime
    topic: Topic | None
    decline_code: str = ""
    urgency: str = "normal"
    confidential: bool = False


@dataclass
class _Job:
    """One order being made: its plan, its row, where its time is, who holds it."""

    plan: _Plan
    clock: _Clock
    street: Region
    address: str
    requester: tuple[str, str]
    order_id: int = 0
    number: str = ""
    unit: str = ""           # the lead unit now
    executing: str = ""      # the executing unit after a delegation


@dataclass(frozen=True)
class _Scenario:
    name: str
    weight: int
    ages: tuple[float, float]              # hours before now the appeal is received
    run: Callable[[_Maker, _Job], None]
    topics: str = "any"                    # any, handled, consult, decline, urgent, street, joint
    applies: Callable[[Profile], bool] = lambda p: True
    orders: int = 1                        # orders the scenario makes


@dataclass
class DemoResult:
    profile: str
    orders: int = 0
    by_scenario: Counter[str] = field(default_factory=Counter)
    by_state: Counter[str] = field(default_factory=Counter)
    stopped_early: int = 0                  # orders whose later steps did not fit before now
    copies: int = 0                         # bulk copies (see the module docstring)
    copy_seconds: float = 0.0               # the time the bulk copies took
    seconds: float = 0.0
    template_ids: list[int] = field(default_factory=list)
    refusals: Counter[str] = field(default_factory=Counter)


class _Maker:
    """Creates orders and walks them through the services, each step at a time its rules accept."""

    def __init__(self, city: City, profile: Profile, rng: random.Random, now: datetime) -> None:
        self.city, self.profile, self.rng, self.now = city, profile, rng, now
        self.operator, self.dispatcher = city.users["operator"], city.users["dispatcher"]
        self.supervisor, self.system = city.users["supervisor"], system_user()
        self.calendar = rulebook.calendar()
        self.units = {u.code: u for u in Unit.objects.filter(active=True)}
        self.street_units = {u.region_id: u.code for u in self.units.values() if u.kind == Unit.Kind.STREET}
        staff = User.objects.filter(role__in=["unit_handler", "unit_leader"], unit__isnull=False).select_related("unit")
        self.staff = {(u.unit.code, u.role): u for u in staff if u.unit is not None}
        self.departments = sorted(c for c, u in self.units.items() if u.kind in {Unit.Kind.DEPARTMENT, Unit.Kind.COMPANY})
        self.topic_of: dict[int, tuple[Topic | None, str]] = {}
        self.made: list[int] = []

    # --- who and where ---
    def handler(self, unit: str, leader: bool = False) -> User:
        return self.staff[(unit, "unit_leader" if leader else "unit_handler")]

    def resolve(self, job: _Job, code: str) -> str:
        if code == "@street":
            return self.street_units.get(job.street.pk) or self.resolve(job, "@district")
        if code == "@district":
            district = self.units.get(f"R{job.street.code[2:4]}")
            return district.code if district else self.departments[0]
        return code if code in self.units else self.departments[0]

    def right_unit(self, job: _Job) -> str:
        topic = job.plan.topic
        return self.resolve(job, self.rng.choice(topic.units) if topic else "D01")

    def wrong_unit(self, job: _Job, *avoid: str) -> str:
        topic = job.plan.topic
        right = {self.resolve(job, u) for u in (topic.units if topic else ())}
        return self.rng.choice([c for c in self.departments if c not in right and c not in avoid])

    def due(self, job: _Job, kind: DeadlineKind) -> datetime | None:
        return (OrderDeadline.objects.filter(order_id=job.order_id, kind=kind.value)
                .values_list("due", flat=True).first())

    # --- words ---
    def fill(self, text: str, job: _Job) -> str:
        street = job.street
        district = street.parent.name if street.parent else ""
        has_estate = any(e in job.address for e in ESTATES)
        rng = self.rng
        return text.format(
            place=job.address, estate=job.address if has_estate else job.address + rng.choice(ESTATES),
            dur=rng.choice(DURATIONS), day=rng.choice(DAYS), money=rng.choice(MONEY), fare=rng.choice(FARES),
            months=rng.randint(2, 6), bus=rng.randint(1, 60), road=rng.choice(ROADS), company=rng.choice(COMPANIES),
            school=f"{district}第{rng.choice('一二三四五六')}小学", district=district)

    def content(self, job: _Job) -> str:
        plan = job.plan
        if plan.decline_code:
            return self.fill(DECLINE_TEXTS.get(plan.decline_code, "反映的事项不属于热线受理范围"), job) + "。"
        topic = plan.topic
        assert topic is not None
        body = self.fill(topic.text, job)
        if topic.appeal_type in {"consult", "praise"}:
            return body if body.endswith(("？", "。")) else body + "。"
        lead = self.rng.choice(["", "", "", "反映一个问题：", "您好，"])
        return f"{lead}{body}，{topic.demand}"

    def reply_text(self, job: _Job, at: datetime, *, dissatisfied_before: bool = False) -> dict[str, str]:
        topic = job.plan.topic
        local = timezone.localtime(at, SHANGHAI)
        finding = topic.finding if topic and topic.finding else "经核实，诉求人反映情况属实"
        fix = topic.fix if topic else "已按规定办理"
        if dissatisfied_before:
            fix = f"重办后，{fix}，并由单位负责人带队回访"
        contact = "已电话联系诉求人告知办理结果，诉求人表示认可" if self.rng.random() < 0.85 else \
            "已电话联系诉求人说明情况，诉求人表示理解"
        return {"time": f"{local.month}月{local.day}日", "process": f"接件后我单位安排工作人员到现场核查，{finding}。",
                "result": fix + "。", "contact": contact + "。"}

    # --- steps: each one service call at a time its rules accept ---
    def intake(self, job: _Job, *, outcome: str = "accept", **extra: Any) -> None:
        plan = job.plan
        appeal_type = plan.topic.appeal_type if plan.topic else "complaint"
        channels = self.profile.channels.channels
        channel = self.rng.choice(channels) if self.rng.random() < 0.4 else (
            "phone" if "phone" in channels else channels[0])
        user = self.dispatcher if channel == "transfer" else self.operator
        kwargs: dict[str, Any] = dict(
            user=user, channel=channel, appeal_type=appeal_type, content=self.content(job),
            requester_name=job.requester[0], requester_phone=job.requester[1],
            category=plan.topic.category if plan.topic else None, region=job.street.code, address=job.address,
            confidential=plan.confidential, urgency=plan.urgency, outcome=outcome, decline_code=plan.decline_code,
            at=job.clock.t, **extra)
        try:
            result = svc.appeal_intake(**kwargs)
        except RuleError as exc:
            if getattr(exc, "code", "") != "terminated_matter":
                raise
            kwargs["special_case"] = "诉求人反映有新情况，按新诉求派单办理"
            result = svc.appeal_intake(**kwargs)
        order = result.orders[0]
        job.order_id, job.number = order.pk, order.number
        self.topic_of[order.pk] = (plan.topic, plan.decline_code)
        self.made.append(order.pk)

    def dispatch(self, job: _Job, unit: str | None = None, co_units: Sequence[str] = ()) -> None:
        at = job.clock.next(H(0.15), H(1.6), daytime=False)   # the hotline dispatches around the clock
        if job.plan.urgency != "normal" and self.profile.urgent_alert and self.profile.urgent_alert.phone_alert_first:
            svc.order_record_phone_alert(order=job.order_id, user=self.dispatcher, note="已电话通知承办单位值班人员", at=at)
            at = job.clock.next(H(0.05), H(0.2), daytime=False)
        job.unit, job.executing = unit or self.right_unit(job), ""
        svc.order_dispatch(order=job.order_id, user=self.dispatcher, unit=job.unit, co_units=co_units,
                           handling_limit=self.handling_limit(job), at=at)

    def handling_limit(self, job: _Job) -> str | None:
        """The limit a dispatch states where the rulebook wants it on the order (tianjin §16(2))."""
        if not getattr(self.profile.dispatch, "handling_limit_required", False) or job.plan.urgency != "normal":
            return None
        appeal_type = AppealType(job.plan.topic.appeal_type if job.plan.topic else "complaint")
        return str(self.profile.handle[appeal_type].limit)

    def sign(self, job: _Job) -> None:
        at = job.clock.next(H(0.2), H(3), by=self.due(job, DeadlineKind.SIGN), late_ok=True)
        svc.order_sign(order=job.order_id, user=self.handler(job.unit), at=at)

    def first_response(self, job: _Job) -> None:
        at = job.clock.next(H(0.1), H(0.8), by=self.due(job, DeadlineKind.FIRST_RESPONSE), late_ok=True)
        svc.order_first_response(order=job.order_id, user=self.handler(job.unit), note="已派员赶赴现场处置", at=at)

    def reply(self, job: _Job, *, late: bool = False, again: bool = False) -> None:
        due = self.due(job, DeadlineKind.HANDLE)
        if late and due is not None:
            at = job.clock.next(due - job.clock.t + H(2), due - job.clock.t + H(30))
        else:
            room = (due - job.clock.t) if due else H(72)
            at = job.clock.next(H(2), max(H(3), min(room * 0.8, H(150))), by=due, late_ok=True)
        user = self.handler(job.executing or job.unit)
        svc.order_reply(order=job.order_id, user=user, reply=self.reply_text(job, at, dissatisfied_before=again), at=at)

    def evaluate(self, job: _Job, value: str | None = None) -> None:
        at = job.clock.next(H(2), H(40), by=self.due(job, DeadlineKind.CALLBACK), late_ok=True)
        options = [o.value for o in self.profile.evaluation.options]
        if value is None:
            value = "satisfied" if self.rng.random() < 0.75 or "basically_satisfied" not in options else "basically_satisfied"
        happy = value != "dissatisfied"
        svc.order_evaluate(order=job.order_id, user=self.operator, evaluation=value, contacted=True, resolved=happy,
                           note="" if happy else "诉求人认为问题没有实际解决", at=at)

    def archive(self, job: _Job) -> None:
        svc.order_archive(order=job.order_id, user=self.operator, at=job.clock.next(H(1), H(30)))

    def request_return(self, job: _Job, suggested: str) -> None:
        at = job.clock.next(H(0.5), H(5), by=self.due(job, DeadlineKind.RETURN))
        unit = self.units[suggested].name
        svc.order_request_return(order=job.order_id, user=self.handler(job.unit, leader=True),
                                 reason="该事项不属于我单位职责范围", basis="依据《示例市部门职责分工规定》",
                                 suggested_unit=suggested, evidence=f"职责清单：该事项属{unit}职责",
                                 leader_confirmed=True, at=at)

    def approve_return(self, job: _Job) -> None:
        svc.order_approve_return(order=job.order_id, user=self.dispatcher, note="退单理由成立，改派",
                                 at=job.clock.next(H(0.3), H(3)))

    def extension_length(self, appeal_type: str) -> str | None:
        rule = self.profile.extension
        if rule.length == "equals_limit":
            return None
        kind = AppealType(appeal_type)
        limit = self.profile.handle[kind].limit
        cap = rule.max_length.get(kind, limit)
        amount = max(1, min(cap.amount, limit.amount if cap.unit is limit.unit else cap.amount, 3))
        return f"{amount}{cap.unit.value}"

    def request_extension(self, job: _Job) -> None:
        due = self.due(job, DeadlineKind.HANDLE)
        latest = due
        before = self.profile.extension.apply_before_due
        if due is not None and before is not None:
            day = timezone.localtime(due, SHANGHAI).date()
            for _ in range(before.amount if before.unit.value == "wd" else 1):
                day = self.calendar.previous_working_day(day)
            latest = datetime.combine(day, self.profile.hours.close_of_business(day), tzinfo=SHANGHAI) - H(2)
        at = job.clock.next(H(3), H(40), by=latest)
        assert job.plan.topic is not None
        svc.order_request_extension(order=job.order_id, user=self.handler(job.unit),
                                    reason="需协调多个部门联合处置，现场施工需要时间",
                                    length=self.extension_length(job.plan.topic.appeal_type), at=at)

    def approve_extension(self, job: _Job) -> None:
        svc.order_approve_extension(order=job.order_id, user=self.dispatcher, note="同意延期，请向诉求人做好解释",
                                    at=job.clock.next(H(0.5), H(6)))

    def request_provisional_close(self, job: _Job) -> None:
        at = job.clock.next(H(20), H(70), by=self.due(job, DeadlineKind.HANDLE))
        promised = timezone.localtime(at, SHANGHAI).date() + timedelta(days=90)
        svc.order_request_provisional_close(order=job.order_id, user=self.handler(job.unit, leader=True),
                                            progress="已完成现场勘查，维修方案已报批", next_steps="资金到位后组织施工",
                                            promised_date=f"{promised:%Y-%m-%d}", leader_confirmed=True, at=at)

    def approve_provisional_close(self, job: _Job) -> None:
        svc.order_approve_provisional_close(order=job.order_id, user=self.dispatcher, note="同意临时办结，请按期报送进展",
                                            at=job.clock.next(H(1), H(20)))

    def report_progress(self, job: _Job) -> None:
        at = job.clock.next(H(24 * 8), H(24 * 15), by=self.due(job, DeadlineKind.PROGRESS_REPORT))
        svc.order_report_progress(order=job.order_id, user=self.handler(job.unit), progress="施工队已进场，完成约四成",
                                  at=at)

    def redo(self, job: _Job) -> None:
        svc.order_redo(order=job.order_id, user=self.supervisor, note="经甄别属承办单位原因，发回重办",
                       at=job.clock.next(H(2), H(24)))

    def screen_out(self, job: _Job) -> None:
        svc.order_screen_out(order=job.order_id, user=self.supervisor,
                             note="经甄别，诉求人要求超出政策规定，非承办单位原因", at=job.clock.next(H(2), H(24)))

    def uphold(self, job: _Job) -> None:
        svc.order_uphold_dissatisfied(order=job.order_id, user=self.supervisor, note="经甄别，承办单位未实质解决诉求",
                                      at=job.clock.next(H(2), H(24)))

    def request_exemption(self, job: _Job) -> None:
        svc.order_request_exemption(order=job.order_id, user=self.handler(job.unit, leader=True),
                                    reason="已依法履职，诉求人要求超出政策范围", evidence="书面情况说明、现场照片",
                                    at=job.clock.next(H(4), H(48)))

    def request_termination(self, job: _Job) -> None:
        svc.order_request_termination(order=job.order_id, user=self.handler(job.unit, leader=True),
                                      written_opinion="经多次核查，已依法依规答复，诉求人要求超出政策规定仍反复来电",
                                      evidence="现场核查记录、答复录音", answer_script="该事项已依法办结，请通过法定途径解决",
                                      at=job.clock.next(H(24), H(72)))

    def approve_termination(self, job: _Job) -> None:
        svc.order_approve_termination(order=job.order_id, user=self.dispatcher, note="同意终结",
                                      at=job.clock.next(H(4), H(30)))

    def supervise(self, job: _Job, *codes: str) -> None:
        trigger = next((c for c in codes if self.profile.trigger(c)), None) or self.profile.supervision.triggers[-1].code
        svc.order_supervise(order=job.order_id, user=self.supervisor, trigger=trigger, note="请承办单位加快办理",
                            at=job.clock.next(H(1), H(20)))

    def remind(self, job: _Job) -> None:
        svc.order_remind(order=job.order_id, user=self.dispatcher, note="请抓紧办理", at=job.clock.next(H(1), H(12)))

    def mark_overdue(self, job: _Job) -> None:
        due = self.due(job, DeadlineKind.HANDLE)
        if due is None or due + H(1) > self.now:
            raise _OutOfTime
        job.clock.t = max(job.clock.t, due)
        svc.order_mark_overdue(order=job.order_id, user=self.system, steps=["handle"], at=job.clock.next(H(0.1), H(1)))

    def delegate(self, job: _Job, unit: str) -> None:
        svc.order_delegate(order=job.order_id, user=self.handler(job.unit), unit=unit, note="请属地街道现场处置",
                           at=job.clock.next(H(0.3), H(4)))
        job.executing = unit

    def co_handle(self, job: _Job, unit: str) -> None:
        svc.order_co_handle(order=job.order_id, user=self.handler(unit), note="我单位已配合完成现场核查",
                            at=job.clock.next(H(2), H(30)))

    def callback_failure(self, job: _Job) -> None:
        svc.order_record_callback_failure(order=job.order_id, user=self.operator, note="电话无人接听",
                                          at=job.clock.next(H(2), H(20)))

    def evaluation_timeout(self, job: _Job) -> None:
        due = self.due(job, DeadlineKind.EVALUATION)
        if due is None or due + H(1) > self.now:
            raise _OutOfTime
        job.clock.t = max(job.clock.t, due)
        svc.order_evaluation_timeout(order=job.order_id, user=self.system, at=job.clock.next(H(0.1), H(2)))

    def merge(self, job: _Job, into: str) -> None:
        svc.order_merge(order=job.order_id, user=self.dispatcher, merged_into=into, note="同一诉求人重复反映，合并办理",
                        at=job.clock.next(H(0.2), H(1.5)))


# --- scenarios: one per state (or path) worth showing ------------------------------------------------

def _handled(m: _Maker, j: _Job) -> None:
    m.intake(j)
    m.dispatch(j)
    m.sign(j)


def _replied(m: _Maker, j: _Job) -> None:
    _handled(m, j)
    m.reply(j, late=m.rng.random() < 0.06)


def _s_archived(m: _Maker, j: _Job) -> None:
    _replied(m, j)
    m.evaluate(j)
    m.archive(j)


def _s_evaluated(m: _Maker, j: _Job) -> None:
    _replied(m, j)
    m.evaluate(j)


def _s_callback_failed(m: _Maker, j: _Job) -> None:
    _replied(m, j)
    m.callback_failure(j)


def _s_accepted(m: _Maker, j: _Job) -> None:
    m.intake(j)


def _s_dispatched(m: _Maker, j: _Job) -> None:
    m.intake(j)
    m.dispatch(j)


def _s_signed(m: _Maker, j: _Job) -> None:
    _handled(m, j)


def _return(m: _Maker, j: _Job) -> str:
    m.intake(j)
    right = m.right_unit(j)
    m.dispatch(j, unit=m.wrong_unit(j))
    if m.rng.random() < 0.6:
        m.sign(j)
    m.request_return(j, right)
    return right


def _s_return_requested(m: _Maker, j: _Job) -> None:
    _return(m, j)


def _s_redispatched(m: _Maker, j: _Job) -> None:
    right = _return(m, j)
    m.approve_return(j)
    m.dispatch(j, unit=right)
    m.sign(j)


def _s_returned_archived(m: _Maker, j: _Job) -> None:
    _s_redispatched(m, j)
    m.reply(j)
    m.evaluate(j)
    m.archive(j)


def _s_disputed(m: _Maker, j: _Job) -> None:
    m.intake(j)
    first = m.wrong_unit(j)
    m.dispatch(j, unit=first)
    m.request_return(j, m.right_unit(j))
    m.approve_return(j)
    m.dispatch(j, unit=m.wrong_unit(j, first))
    m.request_return(j, m.right_unit(j))
    m.approve_return(j)


def _s_extension_requested(m: _Maker, j: _Job) -> None:
    _handled(m, j)
    m.request_extension(j)


def _s_extended_archived(m: _Maker, j: _Job) -> None:
    _handled(m, j)
    m.request_extension(j)
    m.approve_extension(j)
    m.reply(j)
    m.evaluate(j)
    m.archive(j)


def _s_provisional_close_requested(m: _Maker, j: _Job) -> None:
    _handled(m, j)
    m.request_provisional_close(j)


def _s_provisionally_closed(m: _Maker, j: _Job) -> None:
    _handled(m, j)
    m.request_provisional_close(j)
    m.approve_provisional_close(j)
    if m.rng.random() < 0.5:
        m.report_progress(j)


def _dissatisfied(m: _Maker, j: _Job) -> None:
    _replied(m, j)
    m.evaluate(j, "dissatisfied")


def _s_screening(m: _Maker, j: _Job) -> None:
    _dissatisfied(m, j)


def _s_redo(m: _Maker, j: _Job) -> None:
    _dissatisfied(m, j)
    m.redo(j)


def _s_redo_archived(m: _Maker, j: _Job) -> None:
    _s_redo(m, j)
    m.reply(j, again=True)
    m.evaluate(j, "satisfied")
    m.archive(j)


def _s_screened_out(m: _Maker, j: _Job) -> None:
    _dissatisfied(m, j)
    m.screen_out(j)
    m.archive(j)


def _s_upheld(m: _Maker, j: _Job) -> None:
    _dissatisfied(m, j)
    m.uphold(j)
    m.supervise(j, "dissatisfied_confirmed", "redo_still_dissatisfied", "low_satisfaction", "result_disputed")


def _s_exemption_requested(m: _Maker, j: _Job) -> None:
    _dissatisfied(m, j)
    m.uphold(j)
    m.request_exemption(j)


def _s_declined(m: _Maker, j: _Job) -> None:
    m.intake(j, outcome="decline", note="已告知诉求人正确的反映渠道")
    if m.rng.random() < 0.6:
        m.archive(j)


def _s_answered(m: _Maker, j: _Job) -> None:
    topic = j.plan.topic
    m.intake(j, outcome="answer_directly", note=f"已根据知识库答复：{topic.fix if topic else ''}")
    if m.rng.random() < 0.6:
        m.archive(j)


def _before_termination(m: _Maker, j: _Job) -> None:
    """Handled; where termination comes only after a dissatisfied answer (ankang §33), replied and evaluated so."""
    if getattr(m.profile.termination, "after_dissatisfied", False):
        _dissatisfied(m, j)
    else:
        _handled(m, j)


def _s_termination_requested(m: _Maker, j: _Job) -> None:
    _before_termination(m, j)
    m.request_termination(j)


def _s_terminated(m: _Maker, j: _Job) -> None:
    _before_termination(m, j)
    m.request_termination(j)
    m.approve_termination(j)
    if m.profile.termination.repeats_answered_without_dispatch:
        at = j.clock.next(H(24), H(24 * 10))
        repeat = _Job(_Plan("answered_from_termination", at, j.plan.topic), _Clock(m.rng, at, m.now), j.street,
                      j.address, j.requester)
        m.intake(repeat, outcome="answer_from_termination", terminated_order=j.number,
                 note="按终结意见答复，不再派单")
    if m.rng.random() < 0.5:
        m.archive(j)


def _s_supervised(m: _Maker, j: _Job) -> None:
    _handled(m, j)
    m.supervise(j, "high_impact", "leader_assigned", "long_unresolved", "city_assigned", "other")
    m.remind(j)


def _s_overdue(m: _Maker, j: _Job) -> None:
    _handled(m, j)
    m.mark_overdue(j)
    m.remind(j)
    if m.rng.random() < 0.5:
        m.supervise(j, "overdue")


def _s_urgent(m: _Maker, j: _Job) -> None:
    _handled(m, j)
    if m.profile.urgent_limits is not None:
        m.first_response(j)
    m.reply(j)
    m.evaluate(j)
    if m.rng.random() < 0.7:
        m.archive(j)


def _s_delegated(m: _Maker, j: _Job) -> None:
    m.intake(j)
    street = m.resolve(j, "@street")
    m.dispatch(j, unit=m.resolve(j, "@district"))
    m.sign(j)
    if street != j.unit:
        m.delegate(j, street)
    m.reply(j)
    m.evaluate(j)
    m.archive(j)


def _s_joint(m: _Maker, j: _Job) -> None:
    m.intake(j)
    assert j.plan.topic is not None
    lead, co = (m.resolve(j, u) for u in j.plan.topic.units[:2])
    if lead == co:
        co = m.wrong_unit(j)
    m.dispatch(j, unit=lead, co_units=[co])
    m.sign(j)
    m.co_handle(j, co)
    m.reply(j)
    m.evaluate(j)
    m.archive(j)


def _s_merged(m: _Maker, j: _Job) -> None:
    _handled(m, j)
    at = j.clock.next(H(2), H(20))
    repeat = _Job(_Plan("merged", at, j.plan.topic), _Clock(m.rng, at, m.now), j.street, j.address, j.requester)
    m.intake(repeat)
    m.merge(repeat, j.number)


def _s_silence(m: _Maker, j: _Job) -> None:
    _replied(m, j)
    m.callback_failure(j)
    m.callback_failure(j)
    m.evaluation_timeout(j)
    if m.profile.evaluation.auto_archive:
        svc.order_archive(order=j.order_id, user=m.system, note="逾期未评价，自动归档", at=j.clock.next(H(0.1), H(1)))


def _urgent_capable(p: Profile) -> bool:
    return p.urgent_limits is not None


SCENARIOS: tuple[_Scenario, ...] = (
    _Scenario("archived", 30, (240, 1440), _s_archived),
    _Scenario("evaluated", 7, (120, 600), _s_evaluated),
    _Scenario("replied", 6, (30, 96), _replied),
    _Scenario("callback_failed", 1, (40, 100), _s_callback_failed),
    _Scenario("accepted", 3, (0.3, 1.5), _s_accepted),
    _Scenario("dispatched", 4, (1, 4), _s_dispatched),
    _Scenario("signed", 8, (6, 96), _s_signed),
    _Scenario("return_requested", 2, (3, 20), _s_return_requested, "handled"),
    _Scenario("redispatched", 1, (10, 72), _s_redispatched, "handled"),
    _Scenario("returned_archived", 4, (240, 1200), _s_returned_archived, "handled"),
    _Scenario("disputed", 1, (20, 200), _s_disputed, "handled", lambda p: p.return_escalation is not None),
    _Scenario("extension_requested", 2, (24, 72), _s_extension_requested, "extendable",
              lambda p: p.extension.max_count != 0),
    _Scenario("extended_archived", 3, (300, 1200), _s_extended_archived, "extendable",
              lambda p: p.extension.max_count != 0),
    _Scenario("provisional_close_requested", 1, (48, 120), _s_provisional_close_requested, "handled",
              lambda p: p.provisional_close.enabled),
    _Scenario("provisionally_closed", 2, (120, 900), _s_provisionally_closed, "handled",
              lambda p: p.provisional_close.enabled),
    _Scenario("screening", 3, (96, 300), _s_screening, "handled"),
    _Scenario("redo", 2, (120, 400), _s_redo, "handled", lambda p: p.redo.max_count != 0),
    _Scenario("redo_archived", 2, (300, 1300), _s_redo_archived, "handled", lambda p: p.redo.max_count != 0),
    _Scenario("screened_out", 1, (150, 1000), _s_screened_out, "handled", lambda p: p.screening.enabled),
    _Scenario("upheld", 1, (150, 1000), _s_upheld, "handled"),
    _Scenario("exemption_requested", 1, (200, 900), _s_exemption_requested, "handled", lambda p: p.exemption.enabled),
    _Scenario("declined", 4, (1, 1440), _s_declined, "decline"),
    _Scenario("answered", 6, (1, 1440), _s_answered, "consult"),
    _Scenario("termination_requested", 1, (100, 400), _s_termination_requested, "handled",
              lambda p: p.termination.enabled),
    _Scenario("terminated", 1, (400, 1400), _s_terminated, "handled", lambda p: p.termination.enabled, orders=2),
    _Scenario("supervised", 2, (48, 300), _s_supervised, "handled"),
    _Scenario("overdue", 3, (600, 1300), _s_overdue, "handled"),
    _Scenario("urgent", 2, (10, 1400), _s_urgent, "urgent", _urgent_capable),
    _Scenario("delegated", 1, (100, 1200), _s_delegated, "street", lambda p: p.delegate.allowed),
    _Scenario("joint", 1, (100, 1200), _s_joint, "joint", lambda p: not p.joint.one_order_per_unit),
    _Scenario("merged", 1, (24, 600), _s_merged, "handled", orders=2),
    _Scenario("silence", 1, (200, 1200), _s_silence, "handled",
              lambda p: p.evaluation.silence_counts_as is not Evaluation.NONE),
)


def _topics(profile: Profile, kind: str) -> list[Topic]:
    accepted = [t for t in TOPICS if profile.accepts(AppealType(t.appeal_type))]
    handled = [t for t in accepted if t.appeal_type not in {"consult", "praise"}]
    match kind:
        case "consult":
            return [t for t in accepted if t.appeal_type == "consult"] or handled
        case "handled":
            return handled
        case "extendable":
            return [t for t in handled if AppealType(t.appeal_type) not in profile.extension.never_types] or handled
        case "urgent":
            return [t for t in handled if t.urgent] or handled
        case "street":
            return [t for t in handled if "@street" in t.units] or handled
        case "joint":
            return [t for t in handled if len(t.units) > 1] or handled
    return accepted


def allocate(total: int, scenarios: Sequence[_Scenario]) -> Counter[str]:
    """How many orders of each scenario: every one at least once when ``total`` allows, the rest by weight."""
    counts: Counter[str] = Counter()
    budget = total
    if total >= sum(s.orders for s in scenarios):
        for s in scenarios:
            counts[s.name] += 1
            budget -= s.orders
    weights = sum(s.weight for s in scenarios)
    shares = [(budget * s.weight / weights, s) for s in scenarios]
    for share, s in shares:
        n = int(share) // s.orders
        counts[s.name] += n
        budget -= n * s.orders
    for _, s in sorted(shares, key=lambda x: -(x[0] - int(x[0]))):
        if budget < s.orders:
            continue
        counts[s.name] += 1
        budget -= s.orders
    while budget > 0:                      # whatever is left (a 2-order scenario did not fit): plain archived ones
        counts["archived"] += 1
        budget -= 1
    return +counts


def _received(rng: random.Random, now: datetime, ages: tuple[float, float]) -> datetime:
    """A receiving time ``ages`` hours before now, mostly in the day (people call from 7 to 23)."""
    low, high = now - H(ages[1]), now - H(ages[0])
    if ages[1] - ages[0] >= 24:
        for _ in range(10):
            moment = low + (high - low) * rng.random()
            local = timezone.localtime(moment, SHANGHAI)
            hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 10, 12, 13, 12, 11, 10, 9,
                                                   8, 7, 5, 3, 2])[0]
            moment = local.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
            if low <= moment <= high:
                return moment
    return (low + (high - low) * rng.random()).replace(microsecond=0)


class _People:
    """Invented requesters: names from common characters, numbers from the demo range 1380000xxxx
    (13800xxxxxx for the benchmark's tens of thousands)."""

    def __init__(self, rng: random.Random, prefix: str = "1380000") -> None:
        self.rng, self.prefix = rng, prefix
        self.known: list[tuple[str, str]] = []
        self.used: set[str] = set()
        self.width = 11 - len(prefix)

    def pick(self) -> tuple[str, str]:
        if self.known and self.rng.random() < 0.08:
            return self.rng.choice(self.known)
        name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        for _ in range(20):
            phone = f"{self.prefix}{self.rng.randrange(10 ** self.width):0{self.width}d}"
            if phone not in self.used:
                break
        self.used.add(phone)
        self.known.append((name, phone))
        return name, phone


class _Crowd(_People):
    """The bulk copies' requesters past a few hundred thousand: numbers 138xxxxxxxx (a hundred million), not
    checked for repeats (few at these odds), the last 20,000 kept for the 8 % who appeal again: memory
    stays flat at ten million orders."""

    def pick(self) -> tuple[str, str]:
        if self.known and self.rng.random() < 0.08:
            return self.rng.choice(self.known)
        name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        phone = f"{self.prefix}{self.rng.randrange(10 ** self.width):0{self.width}d}"
        self.known.append((name, phone))
        if len(self.known) > 20_000:
            del self.known[:10_000]
        return name, phone


class _Places:
    """Addresses in the seeded streets: district + street + road + number (+ estate)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.streets = list(Region.objects.filter(level=Region.Level.STREET).select_related("parent").order_by("code"))
        if not self.streets:  # a city seeded without streets: use its districts
            self.streets = list(Region.objects.filter(level=Region.Level.DISTRICT).select_related("parent"))

    def pick(self, street: Region | None = None) -> tuple[Region, str]:
        street = street or self.rng.choice(self.streets)
        district = street.parent.name if street.parent and street.level == Region.Level.STREET else ""
        number = self.rng.randint(1, 260)
        tail = self.rng.choice(["", "", f"{self.rng.choice(ESTATES)}", f"{self.rng.choice(ESTATES)}{self.rng.randint(1, 20)}栋"])
        return street, f"{district}{street.name}{self.rng.choice(ROADS)}{number}号{tail}"


def _plans(profile: Profile, total: int, rng: random.Random, now: datetime) -> list[_Plan]:
    scenarios = [s for s in SCENARIOS if s.applies(profile)]
    by_name = {s.name: s for s in scenarios}
    codes = [r.code for r in profile.decline_reasons if not getattr(r, "requires_order", False)]
    plans = []
    for name, count in allocate(total, scenarios).items():
        scenario = by_name[name]
        for _ in range(count):
            topic = rng.choice(_topics(profile, scenario.topics)) if scenario.topics != "decline" else None
            plan = _Plan(name, _received(rng, now, scenario.ages), topic)
            if scenario.topics == "decline":
                plan.decline_code = rng.choice(codes)
            if name == "urgent":
                plan.urgency = rng.choice(["special", "special-urgent"])
            if topic is not None and (topic.appeal_type == "report" and rng.random() < 0.4 or rng.random() < 0.02):
                plan.confidential = True
            plans.append(plan)
    plans.sort(key=lambda p: p.received_at)
    return plans


def _make(maker: _Maker, plans: Sequence[_Plan], result: DemoResult, people: _People, places: _Places) -> None:
    by_name = {s.name: s for s in SCENARIOS}
    for plan in plans:
        street, address = places.pick()
        job = _Job(plan, _Clock(maker.rng, plan.received_at, maker.now), street, address, people.pick())
        try:
            by_name[plan.scenario].run(maker, job)
        except _OutOfTime:
            result.stopped_early += 1
        except RuleError as exc:
            # a rule refused a step: the order keeps the timeline it has (none, if refused at intake)
            result.stopped_early += 1
            result.refusals[f"{plan.scenario}: {exc.code}{'' if job.order_id else ' (at intake)'}"] += 1
        result.by_scenario[plan.scenario] += 1
    result.template_ids = list(maker.made)


def default_templates(orders: int) -> int:
    """How many orders the services make when ``orders`` are asked for and the rest are copies."""
    return min(MAX_TEMPLATES, max(300, orders // 40))


def demo_load(*, orders: int = DEFAULT_ORDERS, profile: str | None = None, seed: int = 12345,
              now: datetime | None = None, city: City | None = None, templates: int | None = None,
              progress: Callable[[str], None] | None = None) -> DemoResult:
    """Seed the demo city and create ``orders`` orders under ``profile`` (default: the deployment's).

    Up to BULK_THRESHOLD orders are all made through the services; above it, ``templates`` orders
    (default max(300, orders // 40), at most MAX_TEMPLATES) are made through the services and the rest are
    bulk copies of them (``bulk_copies``).
    """
    if orders < 0:
        raise InvalidInput("订单数量不能为负数", "the number of orders cannot be negative")
    name = profile or settings.HOTLINE_PROFILE
    try:
        rules = profiles.get(name)
    except RuleError:
        known = ", ".join(p.name for p in profiles.available())
        raise InvalidInput(f"没有名为 {name!r} 的规则配置（可选：{known}）",
                           f"no profile named {name!r} (available: {known})") from None
    started = time.perf_counter()
    rng = random.Random(seed)
    now = (now or timezone.now()).replace(microsecond=0)
    say = progress or (lambda _: None)
    result = DemoResult(profile=rules.name)
    with override_settings(HOTLINE_PROFILE=rules.name, DEBUG=False):
        city = city or seed_city()
        made = orders if orders <= BULK_THRESHOLD else min(orders, templates or default_templates(orders))
        maker = _Maker(city, rules, rng, now)
        people, places = _People(rng, "1380000" if orders <= 3000 else "13800"), _Places(rng)
        say(f"creating {made} orders through the services …")
        with transaction.atomic():
            before = Order.objects.count()
            _make(maker, _plans(rules, made, rng, now), result, people, places)
        if orders > made:
            say(f"copying them into {orders - made:,} more orders (bulk path, {BULK_BATCH} per transaction) …")
            copying = time.perf_counter()
            crowd = people if orders <= 300_000 else _Crowd(rng, "138")
            result.copies = bulk_copies(maker, result.template_ids, orders - made, rng, crowd, places,
                                        progress=say)
            result.copy_seconds = time.perf_counter() - copying
        result.orders = Order.objects.count() - before
    states = Order.objects.filter(pk__in=result.template_ids).values_list("state", flat=True)
    result.by_state.update(states)
    from django.apps import apps

    if apps.is_installed("hotline.analytics"):   # the made-up region map, the dashboards' rollup (docs/analytics.md)
        from hotline.analytics.services import analytics_load_demo

        analytics_load_demo()
    if apps.is_installed("hotline.assessment") and orders <= DEMO_ASSESSMENT_LIMIT:
        # the units' figures, so the assessment pages are not empty before the first tick (docs/assessment.md);
        # above the limit the first refresh is long (~1,000 orders/s): `hotline assessment refresh` or the tick
        from hotline.assessment.services import assessment_refresh

        assessment_refresh()
    result.seconds = time.perf_counter() - started
    return result


# --- the bulk path ----------------------------------------------------------------------------------

#: copies spread back over this many whole weeks (with the templates' ~60 days: ~15 months, so that a
#: month has its previous month and the same month a year before)
SPREAD_WEEKS = 56
#: orders written per transaction by the bulk path
BULK_BATCH = 2000
#: states nothing more happens to without a person (no tick step, no deadline running): only these are
#: copied back in time; an open order moved weeks back would be an overdue order the tick never saw
SETTLED_STATES = frozenset({"archived", "terminated", "merged", "declined", "answered"})
_ORDER_TIMES = ("received_at", "dispatched_at", "signed_at", "replied_at", "closed_at", "handle_due")
_BEIJING = timedelta(hours=8)          # Asia/Shanghai keeps no summer time: a local day is UTC + 8 h


def _shift_payload(payload: Any, shift: timedelta) -> Any:
    if isinstance(payload, dict):
        out = {}
        for key, value in payload.items():
            if key in {"due", "next_report_due"} and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    value = (datetime.fromisoformat(value) - shift).isoformat()
            out[key] = value
        return out
    return payload


def _shifts_payload(payload: Any) -> bool:
    return isinstance(payload, dict) and any(k in payload for k in ("due", "next_report_due"))


def _insert(model: type[Any], columns: Sequence[str]) -> str:
    """``INSERT INTO <table> (<columns>) VALUES (%s, …)`` for executemany."""
    from django.db import connection

    quote = connection.ops.quote_name
    return (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})")


def _fast_time() -> tuple[Callable[[datetime], Any], Callable[[Any], Any]]:
    """(to the base a time is kept in, from the base to what the database takes): naive UTC and its text on
    SQLite (as Django stores it), the aware time itself on PostgreSQL; a shifted copy then costs one
    subtraction and, on SQLite, one ``str``."""
    from django.db import connection

    if connection.vendor == "sqlite":
        def base(moment: datetime) -> Any:
            return timezone.make_naive(moment, UTC) if timezone.is_aware(moment) else moment
        return base, str
    return (lambda moment: moment), (lambda moment: moment)


def _prepared(model: type[Any], instance: Any, skip: set[str]) -> dict[str, Any]:
    """The database values of ``instance``'s columns but ``skip`` (attnames)."""
    from django.db import connection

    return {f.attname: f.get_db_prep_save(getattr(instance, f.attname), connection)
            for f in model._meta.concrete_fields if f.attname not in skip}


def _allocate(model: type[Any], count: int) -> list[int]:
    """``count`` fresh ids for ``model``'s rows, taken inside the writing transaction (the bulk path is the
    only writer while it runs: SQLite's write lock is held; PostgreSQL hands them out from the sequence)."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        top = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        top = max(top, row[0] if row else 0)
    return list(range(top + 1, top + count + 1))


def _clone_sql(model: type[Any], key: str, per_copy: dict[str, str], shifted: set[str],
               exprs: dict[str, str] | None = None, where: str = "") -> str:
    """``INSERT INTO <table> SELECT … FROM unnest(template ids, shifts, <per_copy arrays>) m JOIN <table> t``:
    a column of ``per_copy`` (column → PostgreSQL type) comes from its array, one of ``shifted`` is the
    template's minus the shift, ``exprs`` are written as given, the others are the template's. A primary
    key not in ``per_copy`` is left to the database."""
    from django.db import connection

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns, select = [], []
    for f in model._meta.concrete_fields:
        column = f.column
        if f.primary_key and column not in per_copy:
            continue
        columns.append(quote(column))
        if column in per_copy:
            select.append(f"m.{quote(column)}")
        elif exprs and column in exprs:
            select.append(exprs[column])
        elif column in shifted:
            select.append(f"t.{quote(column)} - m.shift")
        else:
            select.append(f"t.{quote(column)}")
    arrays = ", ".join(f"%s::{kind}[]" for kind in ("bigint", "interval", *per_copy.values()))
    names = ", ".join(["template", "shift", *(quote(c) for c in per_copy)])
    return (f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(select)} FROM unnest({arrays}) "
            f"AS m({names}) JOIN {table} t ON t.{quote(key)} = m.template {where}")


_ORDER_SKIP = {"id", "number", "query_code_hash", "appeal_id", "updated_at", *_ORDER_TIMES}
_APPEAL_SKIP = {"id", "requester_id", "region_id", "address", "content", "received_at", "idempotency_key"}


class _Source:
    """One template order read once: its rows' database values, its times kept as a base to shift."""

    __slots__ = ("appeal", "appeal_pk", "co_units", "deadlines", "events", "last_at", "order", "order_times", "pk",
                 "prefix", "received_at", "region_id", "state")

    def __init__(self, order: Order, deadlines: list[OrderDeadline], events: list[Event], co_units: list[int],
                 base: Callable[[datetime], Any]) -> None:
        from django.db import connection

        self.pk, self.state, self.received_at = order.pk, order.state, order.received_at
        a = order.appeal
        self.region_id, self.appeal_pk = a.region_id, a.pk
        self.prefix = profiles.get(order.profile).profile.order_prefix
        self.appeal = (_prepared(Appeal, a, _APPEAL_SKIP), a.region_id, a.address, a.content, base(a.received_at))
        self.order = _prepared(Order, order, _ORDER_SKIP)
        self.order_times = [(name, base(getattr(order, name)) if getattr(order, name) is not None else None)
                            for name in _ORDER_TIMES]
        json_prep = Event._meta.get_field("rules").get_db_prep_save
        self.deadlines = [(d.kind, base(d.start), base(d.due), d.period, d.rule, d.provisional,
                           json_prep(d.trace, connection), json_prep(d.warnings, connection)) for d in deadlines]
        self.events = [(e.seq, e.action, e.actor_id, e.actor_role, e.actor_unit, base(e.at), e.from_state,
                        e.to_state, json_prep(e.rules, connection),
                        e.payload if _shifts_payload(e.payload) else json_prep(e.payload, connection),
                        _shifts_payload(e.payload)) for e in events]
        self.last_at = base(events[-1].at if events else order.received_at)
        self.co_units = co_units


_DEADLINE_COLUMNS = ("order_id", "kind", "start", "due", "period", "rule", "provisional", "trace", "warnings")
_EVENT_COLUMNS = ("order_id", "seq", "action", "actor_id", "actor_role", "actor_unit", "at", "from_state", "to_state",
                  "rules", "payload", "recorded_at")


class _Copier:
    """Writes copies of source orders, ``batch`` orders per transaction, one ``executemany`` per table (the
    ids of requesters, appeals and orders taken first, so that no row needs a query of its own)."""

    def __init__(self, sources: Sequence[_Source], rng: random.Random, people: _People, places: _Places | None,
                 maker: _Maker | None = None, batch: int = BULK_BATCH,
                 progress: Callable[[str], None] | None = None) -> None:
        self.sources, self.rng, self.people, self.places = sources, rng, people, places
        self.maker, self.batch, self.say = maker, batch, progress or (lambda _: None)
        prefixes = {s.prefix for s in sources}
        self.counters = {(c.prefix, c.day): c.last for c in OrderNumberCounter.objects.filter(prefix__in=prefixes)}
        self.touched: set[tuple[str, date]] = set()
        self.streets = {r.pk: r for r in places.streets} if places else {}
        self.base, self.out = _fast_time()
        self.requester_static = _prepared(Requester, Requester(), {"id", "name", "phone", "created_at"})
        self.tables = {model: ([f.attname for f in model._meta.concrete_fields],
                               [f.column for f in model._meta.concrete_fields]) for model in (Requester, Appeal, Order)}

    @classmethod
    def load(cls, template_ids: Sequence[int], **kwargs: Any) -> _Copier:
        orders = list(Order.objects.filter(pk__in=template_ids).select_related("appeal").order_by("pk"))
        deadlines: dict[int, list[OrderDeadline]] = {}
        for d in OrderDeadline.objects.filter(order_id__in=template_ids):
            deadlines.setdefault(d.order_id, []).append(d)
        events: dict[int, list[Event]] = {}
        for e in Event.objects.filter(order_id__in=template_ids).order_by("order_id", "seq"):
            events.setdefault(e.order_id, []).append(e)
        co_units: dict[int, list[int]] = {}
        for order_id, unit_id in Order.co_units.through.objects.filter(order_id__in=template_ids).values_list(
                "order_id", "unit_id"):
            co_units.setdefault(order_id, []).append(unit_id)
        base = _fast_time()[0]
        sources = [_Source(o, deadlines.get(o.pk, []), events.get(o.pk, []), co_units.get(o.pk, []), base)
                   for o in orders]
        return cls(sources, **kwargs)

    def write(self, plan: Sequence[tuple[_Source, timedelta]]) -> int:
        """One copy per (source, shift): every time of the source moved back by ``shift`` (forward if negative)."""
        done = 0
        for start in range(0, len(plan), self.batch):
            with transaction.atomic():
                self._batch(plan[start:start + self.batch])
            done += len(plan[start:start + self.batch])
            if done % (self.batch * 25) == 0 or done == len(plan):
                self.say(f"  … {done:,} of {len(plan):,} copies written")
        self._counters()
        return done

    def _rows(self, model: type[Any], rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        names = self.tables[model][0]
        return [tuple(row[n] for n in names) for row in rows]

    def _batch(self, plan: Sequence[tuple[_Source, timedelta]]) -> None:
        from django.db import connection

        out, people, rng, maker = self.out, self.people, self.rng, self.maker
        n = len(plan)
        requester_ids, appeal_ids, order_ids = (_allocate(Requester, n), _allocate(Appeal, n), _allocate(Order, n))
        postgres = connection.vendor == "postgresql"
        rows_r, rows_a, rows_o = [], [], []
        rows_d: list[tuple[Any, ...]] = []
        rows_e: list[tuple[Any, ...]] = []
        rows_m: list[tuple[int, int]] = []
        for (source, shift), requester_id, appeal_id, pk in zip(plan, requester_ids, appeal_ids, order_ids,
                                                                strict=True):
            static, region_id, address, content, received = source.appeal
            received = out(received - shift)
            name, phone = people.pick()
            rows_r.append({**self.requester_static, "id": requester_id, "name": name, "phone": phone,
                           "created_at": received})
            if self.places is not None and maker is not None:
                topic, decline = maker.topic_of.get(source.pk, (None, ""))
                if topic is not None or decline:
                    street, address = self.places.pick(self.streets.get(region_id or -1))
                    region_id = street.pk
                    job = _Job(_Plan("copy", source.received_at - shift, topic, decline),
                               _Clock(rng, source.received_at, source.received_at), street, address, ("", ""))
                    content = maker.content(job)
            rows_a.append({**static, "id": appeal_id, "requester_id": requester_id, "region_id": region_id,
                           "address": address, "content": content, "received_at": received, "idempotency_key": None})
            key = (source.prefix, (source.received_at - shift + _BEIJING).date())
            last = self.counters[key] = self.counters.get(key, 0) + 1
            self.touched.add(key)
            number = f"{key[0]}{key[1]:%Y%m%d}{last:05d}"
            order = {**source.order, "id": pk, "number": number, "appeal_id": appeal_id,
                     "query_code_hash": query_code_hash(number, f"{rng.randrange(10 ** 6):06d}"),
                     "updated_at": out(source.last_at - shift)}
            for time_name, moment in source.order_times:
                order[time_name] = None if moment is None else out(moment - shift)
            rows_o.append(order)
            if postgres:        # the database copies the template's child rows itself (_clone), but these
                rows_e.extend(self._event_rows(pk, source, shift, only_shifted=True))
                continue
            for kind, start, due, period, rule, provisional, trace, warnings in source.deadlines:
                rows_d.append((pk, kind, out(start - shift), out(due - shift), period, rule, provisional, trace,
                               warnings))
            rows_e.extend(self._event_rows(pk, source, shift))
            rows_m.extend((pk, unit_id) for unit_id in source.co_units)
        if postgres:
            self._clone(plan, rows_r, rows_a, rows_o, rows_e)
            return
        with connection.cursor() as cursor:
            for model, rows in ((Requester, rows_r), (Appeal, rows_a), (Order, rows_o)):
                cursor.executemany(_insert(model, self.tables[model][1]), self._rows(model, rows))
            if rows_d:
                cursor.executemany(_insert(OrderDeadline, _DEADLINE_COLUMNS), rows_d)
            if rows_e:
                cursor.executemany(_insert(Event, _EVENT_COLUMNS), rows_e)
            if rows_m:
                cursor.executemany(_insert(Order.co_units.through, ("order_id", "unit_id")), rows_m)

    def _event_rows(self, pk: int, source: _Source, shift: timedelta, only_shifted: bool = False
                    ) -> list[tuple[Any, ...]]:
        from django.db import connection

        json_prep = Event._meta.get_field("payload").get_db_prep_save
        rows = []
        for seq, action, actor, role, unit, at, before, after, rules, payload, shifted in source.events:
            if only_shifted and not shifted:
                continue
            when = self.out(at - shift)
            if shifted:
                payload = json_prep(_shift_payload(payload, shift), connection)
            rows.append((pk, seq, action, actor, role, unit, when, before, after, rules, payload, when))
        return rows

    def _clone(self, plan: Sequence[tuple[_Source, timedelta]], rows_r: list[dict[str, Any]],
               rows_a: list[dict[str, Any]], rows_o: list[dict[str, Any]], rows_e: list[tuple[Any, ...]]) -> None:
        """PostgreSQL: each table's rows of the batch in one ``INSERT … SELECT`` from the template rows joined
        to ``unnest`` of what differs per copy (ids, numbers, texts, the shift), so that the values that are
        the template's never travel; only events whose payload holds a time go through Python."""
        from django.db import connection

        shifts = [shift for _, shift in plan]
        orders = [row["id"] for row in rows_o]
        with connection.cursor() as cursor:
            cursor.executemany(_insert(Requester, self.tables[Requester][1]), self._rows(Requester, rows_r))
            cursor.execute(_clone_sql(Appeal, "id", {"id": "bigint", "requester_id": "bigint", "region_id": "bigint",
                                                     "address": "text", "content": "text"},
                                      {"received_at"}, {"idempotency_key": "NULL"}),
                           [[s.appeal_pk for s, _ in plan], shifts, [r["id"] for r in rows_a],
                            [r["requester_id"] for r in rows_a], [r["region_id"] for r in rows_a],
                            [r["address"] for r in rows_a], [r["content"] for r in rows_a]])
            cursor.execute(_clone_sql(Order, "id", {"id": "bigint", "number": "text", "query_code_hash": "text",
                                                    "appeal_id": "bigint", "updated_at": "timestamptz"},
                                      set(_ORDER_TIMES)),
                           [[s.pk for s, _ in plan], shifts, orders, [r["number"] for r in rows_o],
                            [r["query_code_hash"] for r in rows_o], [r["appeal_id"] for r in rows_o],
                            [r["updated_at"] for r in rows_o]])
            children: list[Any] = [[s.pk for s, _ in plan], shifts, orders]
            cursor.execute(_clone_sql(OrderDeadline, "order_id", {"order_id": "bigint"}, {"start", "due"}), children)
            cursor.execute(_clone_sql(Event, "order_id", {"order_id": "bigint"}, {"at"},
                                      {"recorded_at": "t.at - m.shift"},
                                      where="WHERE NOT (jsonb_typeof(t.payload) = 'object' "
                                            "AND t.payload ?| array['due', 'next_report_due'])"), children)
            if rows_e:
                cursor.executemany(_insert(Event, _EVENT_COLUMNS), rows_e)
            cursor.execute(_clone_sql(Order.co_units.through, "order_id", {"order_id": "bigint"}, set()), children)

    def _counters(self) -> None:
        """The daily number counters move past the copies' numbers: the next intake of a day gets a fresh one."""
        with transaction.atomic():
            existing = set(OrderNumberCounter.objects.filter(prefix__in={p for p, _ in self.touched})
                           .values_list("prefix", "day"))
            for prefix, day in sorted(self.touched):
                last = self.counters[(prefix, day)]
                if (prefix, day) in existing:
                    OrderNumberCounter.objects.filter(prefix=prefix, day=day).update(last=last)
                else:
                    OrderNumberCounter.objects.create(prefix=prefix, day=day, last=last)
        self.touched.clear()


def spread(sources: Sequence[_Source], count: int, rng: random.Random, weeks: int = SPREAD_WEEKS,
           now: datetime | None = None) -> list[tuple[_Source, timedelta]]:
    """Where each of ``count`` copies goes, about the same number in every week back to ``weeks`` weeks
    before the oldest template.

    A copy stays in its template's week (any template) or moves 1…``weeks`` whole weeks back (settled
    templates only, SETTLED_STATES). So the last weeks hold open orders as the templates do and the older
    ones only settled orders. A copy moved back also moves by up to 90 minutes, so that copies of one
    template do not share their times to the second.
    """
    now = now or max(s.received_at for s in sources)
    week = timedelta(weeks=1)
    every: dict[int, list[_Source]] = {}
    settled: dict[int, list[_Source]] = {}
    for s in sources:
        age = max(0, (now - s.received_at) // week)
        every.setdefault(age, []).append(s)
        if s.state in SETTLED_STATES:
            settled.setdefault(age, []).append(s)
    bins = []                         # (week back, the choices: (whole weeks moved, the templates to copy))
    for back in range(max(every) + weeks + 1):
        choices = [(0, every[back])] if back in every else []
        choices += [(w, settled[back - w]) for w in range(1, min(weeks, back) + 1) if back - w in settled]
        if choices:
            bins.append(choices)
    plan = []
    for k in range(count):
        moved, pool = rng.choice(bins[k % len(bins)])
        source = pool[rng.randrange(len(pool))]
        plan.append((source, timedelta(weeks=moved, minutes=rng.randrange(90)) if moved else timedelta(0)))
    plan.sort(key=lambda copy: copy[0].received_at - copy[1])     # ids in the order of time, as in life
    return plan


def bulk_copies(maker: _Maker, template_ids: Sequence[int], count: int, rng: random.Random, people: _People,
                places: _Places, batch: int = BULK_BATCH, weeks: int = SPREAD_WEEKS,
                progress: Callable[[str], None] | None = None) -> int:
    """``count`` copies of the template orders, spread back over ``weeks`` weeks (see ``spread``).

    Each copy: a new requester and appeal (same topic, new text and address in the same street), the
    template's order, deadlines and events with every time moved back by the same amount. One
    transaction per ``batch`` orders; no query per row.
    """
    if not template_ids or count <= 0:
        return 0
    copier = _Copier.load(template_ids, rng=rng, people=people, places=places, maker=maker, batch=batch,
                          progress=progress)
    if not copier.sources:
        return 0
    return copier.write(spread(copier.sources, count, rng, weeks, now=maker.now))


def bulk_day(*, now: datetime, count: int | None = None, seed: int = 7, batch: int = BULK_BATCH,
             progress: Callable[[str], None] | None = None) -> int:
    """One more day of activity, through the bulk path: the orders that had a step in the day before
    ``now - 1 day`` (received that day, or earlier and replied, evaluated, archived… that day) copied one day
    forward, so that their steps of that day fall in the day before ``now`` and none after it. ``count``
    copies (default: one per such order), picked evenly among them.

    A copy of an order received earlier is a new order with an earlier receipt, the day's rows being the
    new rows a real day writes: the rollups must take in orders of past days as well as the day's own.
    The benchmark loads the demo with ``now`` a day early and calls this with the real now.
    """
    start, end = now - timedelta(days=2), now - timedelta(days=1)
    ids = sorted(set(Event.objects.filter(at__gt=start, at__lte=end).values_list("order_id", flat=True)))
    late = set(Event.objects.filter(order_id__in=ids, at__gt=end).values_list("order_id", flat=True))
    ids = [pk for pk in ids if pk not in late]      # none of a copy's events may land after now
    if not ids:
        return 0
    rng = random.Random(seed)
    wanted = len(ids) if count is None else count
    if wanted < len(ids):
        ids = sorted(rng.sample(ids, wanted))
    copier = _Copier.load(ids, rng=rng, people=_Crowd(rng, "1381"), places=None, batch=batch, progress=progress)
    sources = copier.sources
    plan = sorted(((sources[k % len(sources)], timedelta(days=-1)) for k in range(wanted)),
                  key=lambda copy: copy[0].received_at)
    return copier.write(plan)


def login_names() -> list[str]:
    """The demo users' log-in names, hotline staff first."""
    names = list(User.objects.exclude(role="system").values_list("username", flat=True))
    first = ["operator", "dispatcher", "supervisor", "analyst", "admin"]
    kinds = "dcr"   # departments, companies, districts and their streets
    units = sorted((n for n in names if n not in first),
                   key=lambda n: (kinds.index(n[0]) if n[0] in kinds else len(kinds), n))
    return [n for n in first if n in names] + units


def orders_exist() -> bool:
    return Order.objects.exists()


__all__ = ["DEFAULT_ORDERS", "DEMO_PASSWORD", "DemoResult", "demo_load", "login_names", "orders_exist"]
