"""``hotline kb …``: the knowledge base from the command line.

    hotline kb bench [--entries 10000 100000] [--no-synonyms] [--misses]
    hotline kb load-demo                          the demo entries and synonyms (needs `hotline demo`)
    hotline kb search "社保卡丢了" [--region 990100] [--audience operator|unit|public]
    hotline kb review-due [--now ISO]             send entries due for review back to their units
    hotline kb figures [--since DATE] [--until DATE]
    hotline kb import FILE.xlsx --user NAME [--submit]
    hotline kb export FILE.xlsx --user NAME [--unit CODE]
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hotline.directory.models import User
from hotline.rules.errors import RuleError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} 不是日期（例如 2026-03-01） / not a date (e.g. 2026-03-01)") from None


def _now(text: str | None) -> datetime:
    if not text:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now {text!r} 不是 ISO 8601 时间 / is not an ISO 8601 time") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _user(name: str) -> User:
    found = User.objects.select_related("unit").filter(username=name).first()
    if found is None:
        raise CommandError(f"用户 {name} 不存在 / no user {name!r}")
    return found


class Command(BaseCommand):
    help = "知识库：评测、演示数据、检索、到期复核、统计、Excel 导入导出 / the knowledge base"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        bench = sub.add_parser("bench", help="检索评测：命中率与延迟 / search hit rates and latency")
        bench.add_argument("--entries", type=int, nargs="+", default=[10000, 100000],
                           help="条目规模（以生成的干扰条目补足）/ index sizes, padded with distractors")
        bench.add_argument("--no-synonyms", action="store_true", help="不用同义词（对照）/ without synonyms")
        bench.add_argument("--rounds", type=int, default=2, help="每个问题问几遍 / times each question is asked")
        bench.add_argument("--misses", action="store_true", help="列出首位未命中的问题 / list the top-1 misses")
        sub.add_parser("load-demo", help="载入演示知识库 / load the demo knowledge base")
        search = sub.add_parser("search", help="检索 / search")
        search.add_argument("query")
        search.add_argument("--region")
        search.add_argument("--audience", default="operator", choices=["operator", "unit", "public"])
        search.add_argument("--limit", type=int, default=5)
        review = sub.add_parser("review-due", help="到期复核提醒 / send due reviews to their units")
        review.add_argument("--now")
        figures = sub.add_parser("figures", help="一次性解答率与知识库维护情况 / first-contact rate and upkeep")
        figures.add_argument("--since", help="开始日期，默认30天前 / first day (default: 30 days ago)")
        figures.add_argument("--until", help="截止日期（不含），默认明天 / day after the last (default: tomorrow)")
        imp = sub.add_parser("import", help="从 Excel 导入 / import from Excel")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="以该用户身份导入 / import as this user")
        imp.add_argument("--submit", action="store_true", help="导入后提交审核 / submit for review")
        exp = sub.add_parser("export", help="导出到 Excel / export to Excel")
        exp.add_argument("file")
        exp.add_argument("--user", required=True)
        exp.add_argument("--unit")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except RuleError as exc:
            raise CommandError(str(exc)) from None

    def _bench(self, options: dict[str, Any]) -> None:
        from hotline.kb import bench

        self.stdout.write("知识库检索评测（演示知识库 + 生成的干扰条目；问题集 hotline/kb/fixtures/questions.json）")
        for size in options["entries"]:
            result = bench.run(size, synonyms=not options["no_synonyms"], rounds=options["rounds"])
            self.stdout.write("\n".join(result.lines()))
            if options["misses"]:
                for question, expected, found in result.misses:
                    self.stdout.write(f"    未命中首位：{question}（应为 {expected}，首位 {found}）")

    def _load_demo(self, options: dict[str, Any]) -> None:
        from hotline.kb.demo import kb_demo_load

        if not User.objects.filter(username="supervisor").exists():
            raise CommandError("请先运行 hotline demo 创建演示城市 / run `hotline demo` first (the demo city)")
        loaded = kb_demo_load()
        self.stdout.write(f"已载入 {loaded.created} 条（已有 {loaded.skipped} 条），同义词 {loaded.synonyms} 组")

    def _search(self, options: dict[str, Any]) -> None:
        from hotline.kb.search import kb_search

        for hit in kb_search(options["query"], region=options["region"], audience=options["audience"],
                             limit=options["limit"]):
            self.stdout.write(f"{hit.score:6.2f}  {hit.doc.code}  [{hit.doc.unit_name}] {hit.doc.question}")

    def _review_due(self, options: dict[str, Any]) -> None:
        from hotline.kb.services import kb_review_due

        sent = kb_review_due(_now(options.get("now")))
        self.stdout.write(f"已提醒复核 {sent} 条 / {sent} entries sent back for review")

    def _figures(self, options: dict[str, Any]) -> None:
        from hotline.kb.figures import first_contact_rate, kb_upkeep

        today = timezone.localdate()
        since = _day(options["since"]) if options.get("since") else today - timedelta(days=30)
        until = _day(options["until"]) if options.get("until") else today + timedelta(days=1)
        zone = timezone.get_current_timezone()
        figures = first_contact_rate(since=datetime.combine(since, time.min, zone),
                                     until=datetime.combine(until, time.min, zone))
        threshold = f"{figures.threshold:.0%}（{figures.rule}）" if figures.threshold is not None else "本规则未规定"
        self.stdout.write(f"一次性解答率 {since} 至 {until}（不含），培训阈值 {threshold}")
        for title, rows in (("合计", [figures.total]), ("按分类", figures.by_category), ("按单位", figures.by_unit)):
            self.stdout.write(title)
            for row in rows:
                rate = f"{row.rate:.1%}" if row.rate is not None else "—"
                mark = "  ← 需培训" if row.below_threshold else ""
                self.stdout.write(f"  {row.name:<16} 咨询 {row.consultations:>5}  直接答复 {row.answered:>5}  {rate}{mark}")
        self.stdout.write("知识库维护（xixian §22）")
        for up in kb_upkeep():
            self.stdout.write(f"  {up.code:<6} {up.name:<16} 在用 {up.in_service:>4}  草稿 {up.drafts:>3}  审核中 {up.in_review:>3}"
                              f"  逾期未复核 {up.overdue_review:>3}  未处理纠错 {up.open_flags:>3}")

    def _import(self, options: dict[str, Any]) -> None:
        from hotline.kb.excel import ImportRefused, kb_import

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件 {path} 不存在 / no file {path}")
        try:
            result = kb_import(user=_user(options["user"]), data=path.read_bytes(), submit=options["submit"])
        except ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(f"第{problem.row}行 {problem.column}：{problem.zh}")
            raise CommandError(f"文件未导入：{len(exc.problems)} 处错误 / nothing imported") from None
        self.stdout.write(f"新建 {len(result.created)} 条，修改 {len(result.updated)} 条，未变 {len(result.unchanged)} 条")

    def _export(self, options: dict[str, Any]) -> None:
        from hotline.kb.excel import kb_export

        data = kb_export(user=_user(options["user"]), unit=options.get("unit"))
        Path(options["file"]).write_bytes(data)
        self.stdout.write(f"已导出到 {options['file']}")
