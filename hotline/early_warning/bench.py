"""``hotline warnings bench``: precision and recall of each detector on synthetic history with injected
anomalies, purely in memory through ``hotline.early_warning.detectors`` (no database is touched).

Each kind is generated twice from one seed: plain (no anomaly: every warning is a false positive) and
with anomalies injected at known places (precision = warnings that hit an injected anomaly ÷ warnings;
recall = injected anomalies warned about ÷ injected). The working-day calendar is the package's
(hotline.rules.calendar), so holidays and 调休 Saturdays are in the history as in real data.

- volume: 30 series (20 categories, 10 regions), 150 days, Poisson with a level per series, a weekday
  profile (Monday high, Friday lower, days off at about half), a slow seasonal wave; spikes added on
  3 days per series in the last 90 (extra ≈ Poisson(level × U(1.5, 3)) + 8);
- bursts: 30 days × 400 appeals over 10 regions, 3,000 addresses, 20,000 requesters, texts from a
  phrase grammar; 20 injected events (5 to 12 requesters within 1 to 4 hours, one estate, paraphrases);
- repeats: the same stream (Zipf requesters, so some appeal three times or more about different
  matters); 30 injected requesters appealing one matter 3 to 5 times within 25 days;
- overdue: 40 units × 120 days of newly overdue orders, Poisson with a level per unit; jumps
  (+max(6, 3 × level)) on 2 days per unit in the last 60;
- danger: the stream's texts plus 60 texts with a danger sentence and 60 harmless texts with a trap
  (防止聚集, 火灾隐患排查, 燃气费…).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from hotline.early_warning import detectors as d
from hotline.early_warning.conf import Thresholds
from hotline.rules.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
START = date(2026, 3, 2)


@dataclass
class Score:
    kind: str
    injected: int = 0
    found: int = 0            # injected anomalies warned about
    warnings: int = 0         # warnings raised on the data with anomalies
    hits: int = 0             # of those, the ones on an injected anomaly
    plain_warnings: int = 0   # warnings raised on the plain data (all false positives)
    plain_size: int = 0       # how much plain data was judged
    plain_units: str = ""     # … of what
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        return self.hits / self.warnings if self.warnings else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.injected if self.injected else 1.0

    def line(self) -> str:
        return (f"{self.kind:<8} injected {self.injected:>4}  warned {self.warnings:>4}  precision {self.precision:6.1%}"
                f"  recall {self.recall:6.1%}  | plain data: {self.plain_warnings} false positives in {self.plain_size} {self.plain_units}"
                f"  ({self.seconds:.2f} s)")


# --- volume and overdue: daily counts -------------------------------------------------------------------------

def _weekday_factor(day: date, working: bool) -> float:
    if not working:
        return 0.5
    return {0: 1.2, 1: 1.05, 2: 1.0, 3: 1.0, 4: 0.9, 5: 0.95, 6: 0.95}[day.weekday()]


def _series(rng: np.random.Generator, days: list[date], level: float, is_working: Callable[[date], bool],
            phase: float) -> dict[date, int]:
    expected = [level * _weekday_factor(x, is_working(x)) * (1 + 0.2 * math.sin(2 * math.pi * n / 365 + phase))
                for n, x in enumerate(days)]
    return dict(zip(days, (int(v) for v in rng.poisson(expected)), strict=True))


def bench_volume(seed: int, t: Thresholds, calendar: WorkCalendar) -> Score:
    rng = np.random.default_rng(seed)
    days = [START + timedelta(days=n) for n in range(150)]
    judged = days[-90:]
    score = Score("volume", plain_size=30 * len(judged), plain_units="series-days")
    began = time.perf_counter()
    for _ in range(30):
        level = float(rng.uniform(4, 80))
        plain = _series(rng, days, level, calendar.is_working_day, float(rng.uniform(0, 2 * math.pi)))
        spiked = dict(plain)
        chosen = {judged[int(i)] for i in rng.choice(len(judged), size=3, replace=False)}
        for x in chosen:
            spiked[x] += int(rng.poisson(level * rng.uniform(1.5, 3))) + 8
        score.injected += len(chosen)
        for x in judged:
            reference = d.weekday_reference(x, weeks=t.volume_weeks, since=days[0], is_working=calendar.is_working_day)
            if d.departure(plain, x, reference, z=t.volume_z, min_count=t.volume_min_count):
                score.plain_warnings += 1
            found = d.departure(spiked, x, reference, z=t.volume_z, min_count=t.volume_min_count)
            if found:
                score.warnings += 1
                score.hits += found.direction == "up" and x in chosen
            score.found += bool(found and found.direction == "up" and x in chosen)
    score.seconds = time.perf_counter() - began
    return score


def bench_overdue(seed: int, t: Thresholds, calendar: WorkCalendar) -> Score:
    rng = np.random.default_rng(seed + 1)
    days = [START + timedelta(days=n) for n in range(120)]
    judged = days[-60:]
    score = Score("overdue", plain_size=40 * len(judged), plain_units="unit-days")
    began = time.perf_counter()
    for _ in range(40):
        level = float(rng.uniform(0.2, 4))
        expected = [level * (1.0 if calendar.is_working_day(x) else 0.3) for x in days]
        plain = dict(zip(days, (int(v) for v in rng.poisson(expected)), strict=True))
        jumped = dict(plain)
        chosen = {judged[int(i)] for i in rng.choice(len(judged), size=2, replace=False)}
        for x in chosen:
            jumped[x] += max(6, int(3 * level))
        score.injected += len(chosen)
        for x in judged:
            reference = d.recent_reference(x, days=t.overdue_days, since=days[0], is_working=calendar.is_working_day)
            if d.departure(plain, x, reference, z=t.overdue_z, min_count=t.overdue_min_count, upward_only=True):
                score.plain_warnings += 1
            found = d.departure(jumped, x, reference, z=t.overdue_z, min_count=t.overdue_min_count, upward_only=True)
            score.warnings += bool(found)
            score.hits += bool(found and x in chosen)
            score.found += bool(found and x in chosen)
    score.seconds = time.perf_counter() - began
    return score


# --- a stream of appeals ---------------------------------------------------------------------------------------

ROADS = ["人民路", "建设路", "解放路", "中山路", "和平街", "文化路", "新华路", "滨江路", "迎宾大道", "雁江路",
         "三贤路", "外环路", "花园街", "松涛路", "东风路"]
ESTATES = ["阳光小区", "幸福家园", "锦绣华庭", "金色港湾", "翠湖苑", "丽景名城", "书香门第", "滨江花园", "和谐家园",
           "盛世华府", "凤凰城", "嘉禾园", "桂花苑", "南湖新村", "天府世家", "新城国际", "润泽园", "碧水湾"]
TOPICS = [  # (subjects, problems): a category each
    (["楼下烧烤店", "隔壁装修", "广场舞", "工地夜间施工", "酒吧音响", "商铺喇叭"],
     ["噪音太大影响休息", "每天晚上吵到半夜", "声音很大孩子没法学习", "夜里施工扰民"]),
    (["小区路灯", "楼道灯", "公园照明", "路口红绿灯"], ["坏了很久没人修", "晚上不亮很危险", "一直闪烁"]),
    (["垃圾桶", "生活垃圾", "建筑垃圾", "绿化带垃圾"], ["好几天没人清运", "堆在路边发臭", "乱倒乱放"]),
    (["自来水", "水压", "水质"], ["时有时无", "发黄有异味", "太低高层用不上"]),
    (["物业公司", "物业管理", "小区保安"], ["乱收费", "服务差不作为", "态度恶劣"]),
    (["占道经营的摊贩", "违章搭建", "车辆乱停"], ["堵塞消防通道", "影响通行", "长期存在"]),
    (["公交车", "出租车", "网约车"], ["拒载", "不按站停靠", "司机态度差", "绕路多收费"]),
    (["孩子入学", "医保报销", "社保缴费", "公积金提取", "居住证办理"], ["怎么办理", "需要什么材料", "进度太慢"]),
    (["下水道", "化粪池", "排水沟"], ["堵塞污水外溢", "反味严重", "雨天积水"]),
    (["门前道路", "人行道", "小区道路"], ["坑洼不平", "破损严重", "施工后没有恢复"]),
]
DETAILS = ["已经持续一周了", "之前反映过没人管", "希望有关部门尽快处理", "请核实后处理", "影响老人孩子",
           "多次找过社区", "请相关部门关注", "给生活带来不便", "希望给个说法", ""]
DANGER_SENTENCES = [
    "邻居说不想活了要跳楼，家里人劝不住", "老人独自在家闻到煤气味很重，担心煤气泄漏", "工地老板拖欠工资半年，工人准备明天去政府门口拉横幅讨薪",
    "几十户业主在售楼部门口聚集维权，情绪很激动", "楼道里电线起火冒烟了", "有人在河边徘徊说要轻生",
    "小区围墙出现裂缝有坍塌危险", "工人们说再不发工资就去堵路", "丈夫长期家暴，今天又动手打人", "商户们商量着要集体上访",
]
TRAPS = ["社区通知疫情期间防止聚集，请问广场舞还能跳吗", "物业说要做火灾隐患排查，需要入户吗", "燃气费在哪里缴纳",
         "想咨询一下上学路上的交通安全", "小区消防通道被占用", "请问信访接待的时间",
         "我家孩子想学游泳哪里有正规场所", "天然气开户需要什么材料", "咨询工资个税怎么算", "楼上漏水把我家天花板泡了"]


@dataclass
class Stream:
    items: list[d.Item]
    texts: dict[int, str]


def _place(rng: np.random.Generator, region: int) -> str:
    road = ROADS[(region * 3 + int(rng.integers(0, 5))) % len(ROADS)]
    estate = ESTATES[int(rng.integers(0, len(ESTATES)))]
    return f"{region}区{road}{int(rng.integers(1, 300))}号{estate}{int(rng.integers(1, 30))}栋"


OPENINGS = ["您好，", "我要反映一个问题，", "来电人称：", "市民反映，", "", "", "你好我想问一下，", "麻烦记录一下，"]
SINCE = ["从上周开始", "已经三天了", "这个月以来", "从{n}号开始", "最近一段时间", "今天早上", "昨天晚上{n}点多", ""]
ASKS = ["请尽快处理", "希望给个答复", "请相关部门核实", "麻烦派人来看看", "希望能解决", "谢谢", ""]


def _pick(rng: np.random.Generator, options: list[str]) -> str:
    return options[int(rng.integers(0, len(options)))]


def _text(rng: np.random.Generator, topic: int, address: str = "") -> str:
    """An ordinary appeal: opening, (sometimes) the place, the subject and problem, since when, details, ask."""
    subjects, problems = TOPICS[topic]
    estate = address.split("号")[-1] if address and rng.random() < 0.5 else ""
    parts = [_pick(rng, OPENINGS), f"我住在{estate}，" if estate else "", _pick(rng, subjects), _pick(rng, problems),
             "，" + _pick(rng, SINCE).format(n=int(rng.integers(1, 28))), "，" + _pick(rng, DETAILS),
             "，" + _pick(rng, ASKS)]
    return "".join(p for p in parts if p.strip("，")) + "。"


def _moment(rng: np.random.Generator, day: date) -> datetime:
    hour = float(np.clip(rng.normal(13, 3.5), 0, 23.99))
    return datetime(day.year, day.month, day.day, tzinfo=TZ) + timedelta(hours=hour)


def plain_stream(rng: np.random.Generator, *, days: int = 30, per_day: int = 400, requesters: int = 20000) -> Stream:
    """A month of ordinary appeals: 10 regions, a few thousand addresses, Zipf-distributed requesters
    (a few call dozens of times a month), each with a home they appeal about most of the time (a hard
    case for the repeat detector: the same place, other matters), never the same matter twice."""
    weights = 1 / np.arange(1, requesters + 1) ** 0.6
    weights /= weights.sum()
    places = {(r, k): _place(rng, r) for r in range(10) for k in range(300)}
    homes = {who: (int(rng.integers(0, 10)), int(rng.integers(0, 300))) for who in range(requesters)}
    asked: dict[int, set[tuple[int, int]]] = {}
    items: list[d.Item] = []
    for n in range(days):
        day = START + timedelta(days=n)
        for who in (int(w) for w in rng.choice(requesters, size=per_day, p=weights)):
            region, spot = homes[who] if rng.random() < 0.7 else (int(rng.integers(0, 10)), int(rng.integers(0, 300)))
            topic = int(rng.integers(0, len(TOPICS)))
            mine = asked.setdefault(who, set())
            if (spot, topic) in mine:          # plain data: nobody appeals the same matter twice
                continue
            mine.add((spot, topic))
            address = places[region, spot]
            items.append(d.Item(len(items) + 1, _moment(rng, day), _text(rng, topic, address), region, address,
                                who, topic))
    return Stream(items, {i.id: i.text for i in items})


BURST_TEXTS = ["{e}从早上开始停电了，到现在还没来电", "{e}全小区停电好几个小时了，什么时候恢复", "我们{e}又停电了，冰箱里东西都坏了",
               "{e}停电了，物业也说不清楚原因", "{e}突然停电，电梯里还困着人", "{e}停水了，一滴水都没有",
               "{e}门口的路被挖断了车出不去", "{e}楼下有一股很大的臭味，好像是管道破了", "{e}旁边工地的塔吊晃得厉害"]


def inject_bursts(rng: np.random.Generator, stream: Stream, count: int) -> list[set[int]]:
    injected = []
    for _ in range(count):
        region = int(rng.integers(0, 10))
        estate = f"{ESTATES[int(rng.integers(0, len(ESTATES)))]}{int(rng.integers(2, 9))}期"
        road = ROADS[int(rng.integers(0, len(ROADS)))]
        theme = int(rng.integers(0, 3)) * 3
        start = _moment(rng, START + timedelta(days=int(rng.integers(0, 30))))
        ids = set()
        for _ in range(int(rng.integers(5, 13))):
            at = start + timedelta(hours=float(rng.uniform(0, rng.uniform(1, 4))))
            text = BURST_TEXTS[theme + int(rng.integers(0, 3))].format(e=estate)
            address = f"{region}区{road}{estate}{int(rng.integers(1, 20))}栋" if rng.random() < 0.7 else ""
            item = d.Item(len(stream.items) + 1, at, text, region, address, int(rng.integers(10**6, 10**7)), 99)
            stream.items.append(item)
            ids.add(item.id)
        injected.append(ids)
    return injected


REPEAT_TEXTS = ["{p}{s}{q}，{d}", "又是{p}的{s}，{q}，{d}", "第{n}次反映：{s}{q}，还是没解决", "{s}{q}的问题一直没人处理，地址{p}"]


def inject_repeats(rng: np.random.Generator, stream: Stream, count: int) -> list[set[int]]:
    injected = []
    for k in range(count):
        who = 5 * 10**7 + k
        region, topic = int(rng.integers(0, 10)), int(rng.integers(0, len(TOPICS)))
        place = _place(rng, region)
        subjects, problems = TOPICS[topic]
        subject, problem = subjects[int(rng.integers(0, len(subjects)))], problems[int(rng.integers(0, len(problems)))]
        first = _moment(rng, START + timedelta(days=int(rng.integers(0, 5))))
        ids = set()
        for n in range(int(rng.integers(3, 6))):
            text = REPEAT_TEXTS[int(rng.integers(0, len(REPEAT_TEXTS)))].format(
                p=place, s=subject, q=problem, d=DETAILS[int(rng.integers(0, len(DETAILS) - 1))], n=n + 1)
            at = first + timedelta(days=float(rng.uniform(0, 25)))
            address = place if rng.random() < 0.6 else ""
            item = d.Item(len(stream.items) + 1, at, text, region, address, who, topic)
            stream.items.append(item)
            ids.add(item.id)
        injected.append(ids)
    return injected


def _score_groups(score: Score, groups: list[d.Group], injected: list[set[int]], min_appeals: int) -> None:
    score.injected = len(injected)
    score.warnings = len(groups)
    for group in groups:
        ids = set(group.ids)
        score.hits += any(len(ids & event) * 2 > len(ids) for event in injected)
    score.found = sum(any(len(set(g.ids) & event) >= min_appeals for g in groups) for event in injected)


def bench_bursts(seed: int, t: Thresholds) -> Score:
    rng = np.random.default_rng(seed + 2)
    stream = plain_stream(rng)
    score = Score("burst", plain_size=len(stream.items), plain_units="appeals")
    began = time.perf_counter()
    def detect() -> list[d.Group]:
        return d.bursts(stream.items, hours=t.burst_hours, min_appeals=t.burst_min_appeals,
                        similarity=t.burst_similarity)

    score.plain_warnings = len(detect())
    injected = inject_bursts(rng, stream, 20)
    _score_groups(score, detect(), injected, t.burst_min_appeals)
    score.seconds = time.perf_counter() - began
    return score


def bench_repeats(seed: int, t: Thresholds) -> Score:
    rng = np.random.default_rng(seed + 3)
    stream = plain_stream(rng)
    frequent = sum(1 for c in np.bincount([i.requester or 0 for i in stream.items]) if c >= 3)
    score = Score("repeat", plain_size=len(stream.items), plain_units=f"appeals ({frequent} requesters with 3+)")
    began = time.perf_counter()
    def detect() -> list[d.Group]:
        return d.repeats(stream.items, min_appeals=t.repeat_min_appeals, similarity=t.repeat_similarity)

    score.plain_warnings = len(detect())
    injected = inject_repeats(rng, stream, 30)
    _score_groups(score, detect(), injected, t.repeat_min_appeals)
    score.seconds = time.perf_counter() - began
    return score


def bench_danger(seed: int, t: Thresholds, words: d.WordList) -> Score:
    rng = np.random.default_rng(seed + 4)
    stream = plain_stream(rng, days=10)
    texts = [i.text for i in stream.items]
    score = Score("danger", plain_size=len(texts) + 60, plain_units="appeals (60 harmless traps each run)")
    began = time.perf_counter()
    traps = [TRAPS[int(rng.integers(0, len(TRAPS)))] for _ in range(60)]
    score.plain_warnings = sum(bool(d.danger_matches(x, words)) for x in texts + traps)
    dangerous = [f"{texts[int(rng.integers(0, len(texts)))]}{DANGER_SENTENCES[k % len(DANGER_SENTENCES)]}"
                 for k in range(60)]
    score.injected = len(dangerous)
    score.found = score.hits = sum(bool(d.danger_matches(x, words)) for x in dangerous)
    score.warnings = score.hits + score.plain_warnings
    score.seconds = time.perf_counter() - began
    return score


def run(seed: int = 12345, thresholds: Thresholds | None = None, words: d.WordList | None = None) -> list[Score]:
    t = thresholds or Thresholds()
    calendar = WorkCalendar()
    return [bench_volume(seed, t, calendar), bench_bursts(seed, t), bench_repeats(seed, t),
            bench_overdue(seed, t, calendar), bench_danger(seed, t, words or d.load_words())]


def combine(a: Score, b: Score) -> Score:
    """Two runs of one kind, summed."""
    units = a.plain_units if a.plain_units == b.plain_units else a.plain_units.split(" (")[0]
    return Score(a.kind, a.injected + b.injected, a.found + b.found, a.warnings + b.warnings, a.hits + b.hits,
                 a.plain_warnings + b.plain_warnings, a.plain_size + b.plain_size, units, a.seconds + b.seconds)


def report(scores: list[Score], t: Thresholds, seeds: int = 1) -> str:
    lines = [f"early warning bench (in memory, {seeds} seed{'s' if seeds > 1 else ''}): precision and recall per kind",
             *[s.line() for s in scores], f"thresholds: {t}"]
    return "\n".join(lines)
