"""``hotline kb bench``: how often the search puts the right entry first / in the first five, and how fast.

The corpus is the demo knowledge base padded with generated distractor entries up to each size; the
questions are ``fixtures/questions.json`` (each phrased differently from its entry). Distractors are
entries about other matters and local variants of the same matters (a street's office hours for the
social-security card, a hospital's appointment line…), so they share the questions' words. Nothing
touches the database: the index is built in memory with the same code ``kb_search`` uses.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from hotline.kb.demo import Question, demo_data, demo_docs, demo_questions
from hotline.kb.search import Doc, Index, tokenizer

#: matters of other entries (most distractors) and the demo's own matters (their local variants)
OTHER_MATTERS = (
    "普通护照", "港澳通行证", "台湾通行证", "出入境记录", "农机购置补贴", "宅基地审批", "渔船登记", "消防安全检查", "文物保护",
    "体育场馆开放", "图书馆借阅证", "无偿献血", "兵役登记", "个人所得税汇算", "增值税发票", "专利申请", "商标注册",
    "人才公寓", "人事档案", "学历认证", "教师资格认定", "职称评审", "法律援助", "人民调解", "公证", "司法鉴定", "律师执业",
    "退役军人优待证", "烈士褒扬", "拥军优属", "宗教活动场所", "社会组织登记", "慈善募捐", "志愿服务", "养犬登记", "犬只免疫",
    "动物诊疗", "种子经营", "农药经营", "林木采伐", "野生动物救助", "河道采砂", "取水许可", "排水许可", "占道挖掘",
    "城市绿化", "古树名木", "公园开放时间", "景区门票", "导游证", "旅行社投诉", "星级酒店", "文化市场", "网吧审批",
    "演出许可", "广播电视", "出版物经营", "印刷许可", "烟草专卖", "药品零售", "医疗器械", "化妆品备案", "特种设备",
    "计量检定", "产品质量", "价格举报", "电梯维保", "危险化学品", "安全生产许可", "烟花爆竹", "建筑业资质", "施工许可",
    "竣工验收", "房屋安全鉴定", "白蚁防治", "物业企业", "业主委员会", "停车收费", "道路挖掘", "桥梁限行", "货车通行证",
    "渣土运输", "客运站", "长途汽车票", "火车站接驳", "机场大巴", "共享单车", "停车场备案", "充电站", "加油站",
    "气象灾害预警", "地震避难场所", "防汛物资", "应急避难", "人防工程", "统计调查", "人口普查", "档案查阅", "政府信息公开",
    "人大代表建议", "信访事项", "网格员", "社区服务", "老年大学", "妇女儿童维权", "未成年人保护", "托育机构", "母婴室",
    "结核病防治", "艾滋病检测", "精神卫生", "职业病诊断", "家庭医生签约", "中医诊所", "120急救", "血站", "核酸检测",
)
DEMO_MATTERS = (
    "社保卡", "养老保险", "失业保险", "工伤保险", "医保报销", "异地就医", "居民医保", "公积金提取", "公积金贷款", "户口迁移",
    "身份证", "居住证", "入学报名", "幼儿园", "转学", "出生医学证明", "预防接种", "预约挂号", "健康证", "不动产登记",
    "房产证", "抵押登记", "维修资金", "公租房", "驾驶证", "车辆年检", "电动自行车", "敬老卡", "公交卡", "出租车",
    "停水", "水费", "停电", "电费", "燃气", "营业执照", "食品经营许可", "消费投诉", "预付卡", "结婚登记", "低保", "高龄津贴",
    "垃圾分类", "噪音", "油烟",
)
ASPECTS = ("办理地点", "办理时间", "收费标准", "所需材料", "申请条件", "办理流程", "咨询电话", "网上办理入口", "预约方式",
           "进度查询", "办理时限", "注意事项", "常见问题", "政策依据", "补贴标准", "服务网点")
PLACES = ("东城区", "西城区", "南湖区", "北山县", "朝阳街道", "文昌街道", "新华街道", "金桥街道", "柳湖街道", "长乐街道",
          "南湖街道", "湖滨街道", "白鹭镇", "城关镇", "青石镇", "松林乡", "高新区", "经开区", "滨江新城", "老城片区",
          "第一人民医院", "中医院", "妇幼保健院", "实验小学", "第二中学", "火车站", "汽车南站", "体育中心", "会展中心", "大学城")
ACTIONS = ("可到", "请携带", "可通过", "应当", "一般在", "须先", "可预约", "统一由")
OFFICES = ("便民服务中心", "政务服务中心", "社区服务站", "综合窗口", "自助服务区", "服务大厅", "业务受理点", "营业网点")
MATERIALS = ("身份证", "户口簿", "申请表", "证明材料", "照片", "合同", "发票", "营业执照", "委托书", "承诺书")
TIMES = ("工作日上午", "工作日下午", "每月第一周", "周六上午", "全天", "工作时间内")


def distractors(count: int, *, seed: int = 12345, first_id: int = 1_000_000) -> Iterator[Doc]:
    """``count`` generated entries that look like a real knowledge base's long tail."""
    rng = random.Random(seed)
    for number in range(count):
        matter = rng.choice(DEMO_MATTERS) if rng.random() < 0.3 else rng.choice(OTHER_MATTERS)
        place, aspect = rng.choice(PLACES), rng.choice(ASPECTS)
        question = rng.choice((f"{place}{matter}的{aspect}是什么？", f"{matter}{aspect}（{place}）",
                               f"在{place}办理{matter}，{aspect}有哪些？", f"{place}{matter}{aspect}"))
        answer = (f"{place}{matter}{rng.choice(ACTIONS)}{rng.choice(PLACES)}{rng.choice(OFFICES)}办理，"
                  f"{rng.choice(TIMES)}受理，需{rng.choice(MATERIALS)}和{rng.choice(MATERIALS)}。"
                  f"{aspect}以{rng.choice(PLACES)}{rng.choice(OFFICES)}公布的为准，第{number % 97 + 1}号公告。")
        yield Doc(entry_id=first_id + number, code=f"X{number:06d}", version=1, kind="entry", unit_code="X",
                  unit_name="", region_id=None, region_name="", question=question,
                  variants=(f"{matter}{aspect}",) if rng.random() < 0.4 else (), answer=answer,
                  tags=(matter, aspect))


@dataclass(frozen=True)
class Figures:
    questions: int
    top1: float
    top5: float

    def __str__(self) -> str:
        return f"top-1 {self.top1:6.1%}  top-5 {self.top5:6.1%}  ({self.questions} 问)"


@dataclass(frozen=True)
class BenchResult:
    entries: int
    overall: Figures
    splits: dict[str, Figures]
    p50_ms: float
    p95_ms: float
    max_ms: float
    cpu_p95_ms: float       # CPU time of the process: what the search costs, whatever else runs on the machine
    build_s: float
    misses: tuple[tuple[str, str, str], ...]   # (question, expected, found first)

    def lines(self) -> list[str]:
        head = (f"{self.entries:>7} 条：{self.overall}  p50 {self.p50_ms:5.2f} ms  p95 {self.p95_ms:5.2f} ms  "
                f"max {self.max_ms:6.2f} ms  (CPU p95 {self.cpu_p95_ms:5.2f} ms)  建索引 {self.build_s:5.1f} s")
        return [head, *(f"          {name:<6} {figures}" for name, figures in self.splits.items())]


def bench_index(size: int, *, synonyms: bool = True) -> Index:
    docs = [d for d in demo_docs() if d.kind != "emergency"]  # lifted to the top by design, and short-lived
    index = Index(tokenizer())
    if synonyms:
        index.set_synonyms(demo_data()["synonyms"])
    index.build([*docs, *distractors(max(0, size - len(docs)))])
    return index


def _figures(rows: Sequence[tuple[Question, list[str]]]) -> Figures:
    count = max(len(rows), 1)
    return Figures(len(rows), sum(bool(c) and c[0] == q.entry for q, c in rows) / count,
                   sum(q.entry in c for q, c in rows) / count)


def run(size: int, *, synonyms: bool = True, questions: Sequence[Question] | None = None,
        rounds: int = 2) -> BenchResult:
    """Build an index of ``size`` entries and ask every question ``rounds`` times (latency over all rounds,
    after one warm-up question)."""
    asked = list(questions or demo_questions())
    started = time.perf_counter()
    index = bench_index(size, synonyms=synonyms)
    build = time.perf_counter() - started
    gc.collect()
    index.search(asked[0].text, limit=5)
    latencies: list[float] = []
    cpu: list[float] = []
    answered: list[tuple[Question, list[str]]] = []
    for round_number in range(rounds):
        for question in asked:
            t0, c0 = time.perf_counter(), time.process_time()
            hits = index.search(question.text, limit=5, audience="operator")
            cpu.append((time.process_time() - c0) * 1000)
            latencies.append((time.perf_counter() - t0) * 1000)
            if not round_number:
                answered.append((question, [h.doc.code for h in hits]))
    latencies.sort()
    cpu.sort()
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    splits = {name: _figures([row for row in answered if row[0].split == name])
              for name in dict.fromkeys(q.split for q in asked)}
    misses = tuple((q.text, q.entry, c[0] if c else "-") for q, c in answered if not c or c[0] != q.entry)
    cpu_p95 = cpu[min(len(cpu) - 1, int(len(cpu) * 0.95))]
    return BenchResult(len(index), _figures(answered), splits, statistics.median(latencies), p95, latencies[-1],
                       cpu_p95, build, misses)
