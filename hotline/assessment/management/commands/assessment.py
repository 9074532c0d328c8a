"""``hotline assessment …``: the unit assessment from the command line.

    hotline assessment refresh [--from 2026-10-01 --to 2026-11-01] [--all]
    hotline assessment show --period 2026-10 [--group department|area] [--profile ziyang] [--json]
    hotline assessment freeze --period 2026-10 --user supervisor
"""

from __future__ import annotations

import json
import time as clock
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.assessment.selectors import GROUP_ZH, UnitFigures, revisions, unit_figures
from hotline.assessment.services import assessment_freeze, assessment_refresh
from hotline.directory.models import User
from hotline.rules.assessment import RATE_ZH
from hotline.rules.errors import RuleError

SHOWN = ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate", "timely_sign_rate")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} 不是日期（例如 2026-10-01） / not a date (e.g. 2026-10-01)") from None


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def as_json(f: UnitFigures) -> dict[str, Any]:
    return {"unit_code": f.unit_code, "unit_name": f.unit_name, "group": f.group, "period": f.period,
            "start": f.start.isoformat(), "end": f.end.isoformat(), "counts": dict(f.counts),
            "rates": {k: (str(v) if v is not None else None) for k, v in f.rates.items()},
            "score": str(f.score) if f.score is not None else None, "grade": f.grade, "rank": f.rank,
            "previous_rank": f.previous_rank, "rank_change": f.rank_change,
            "yoy_score": str(f.yoy_score) if f.yoy_score is not None else None, "frozen": f.frozen,
            "vetoed": f.vetoed, "revised": f.revised}


class Command(BaseCommand):
    help = "单位考核：刷新汇总、查看、封存 / unit assessment: refresh the rollup, show, freeze"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        refresh = sub.add_parser("refresh", help="刷新考核汇总 / refresh the rollup")
        refresh.add_argument("--from", dest="start", help="重建起始日（含） / rebuild from this day")
        refresh.add_argument("--to", dest="end", help="重建截止日（不含） / rebuild up to this day (exclusive)")
        refresh.add_argument("--all", action="store_true", help="全部重建 / rebuild everything")
        show = sub.add_parser("show", help="查看考核结果 / show the figures")
        show.add_argument("--period", required=True, help="2026-10、2026-Q4、2026 或 2026-10-05")
        show.add_argument("--group", choices=["department", "area"])
        show.add_argument("--profile", help="规则（默认本部署的） / profile (default: the deployment's)")
        show.add_argument("--json", action="store_true")
        freeze = sub.add_parser("freeze", help="封存考核期 / freeze a period")
        freeze.add_argument("--period", required=True)
        freeze.add_argument("--user", required=True, help="督办人员用户名 / a supervisor's username")
        freeze.add_argument("--profile")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except RuleError as exc:
            raise CommandError(str(exc)) from None

    def _refresh(self, options: dict[str, Any]) -> None:
        began = clock.perf_counter()
        if options["all"]:
            result = assessment_refresh(start=date(1970, 1, 1), end=date(9999, 1, 1))
        elif options["start"] or options["end"]:
            result = assessment_refresh(start=_day(options["start"]) if options["start"] else None,
                                        end=_day(options["end"]) if options["end"] else None)
        else:
            result = assessment_refresh()
        took = clock.perf_counter() - began
        self.stdout.write(f"refreshed {result.orders} orders (facts written: {result.facts}, unit-days re-summed: "
                          f"{result.unit_days}, revisions: {result.revisions}) in {took:.2f} s")
        for error in result.errors:
            self.stderr.write(error)

    def _show(self, options: dict[str, Any]) -> None:
        began = clock.perf_counter()
        figures = unit_figures(options["period"], group=options["group"], profile_name=options["profile"])
        took = clock.perf_counter() - began
        if options["json"]:
            self.stdout.write(json.dumps([as_json(f) for f in figures], ensure_ascii=False, indent=1))
            return
        head = figures[0] if figures else None
        if head is not None:
            state = "已封存" if head.frozen else "未封存"
            self.stdout.write(f"考核期 {head.period}（{head.start} 至 {head.end}，不含）{state}  [{took * 1000:.0f} ms]")
        group = None
        for f in figures:
            if f.group != group:
                group = f.group
                self.stdout.write(f"\n{GROUP_ZH[group]}")
                self.stdout.write("名次  变化  单位                      得分    等级   " +
                                  "  ".join(RATE_ZH[r] for r in SHOWN) + "  派单  有效回访  剔除")
            change = "" if f.rank_change is None else f"{f.rank_change:+d}"
            self.stdout.write(
                f"{f.rank if f.rank is not None else '—':>4}  {change:>4}  {f.unit_name:<20}  "
                f"{f.score if f.score is not None else '—':>6}  {f.grade:<4}  "
                + "  ".join(f"{_percent(f.rates.get(r)):>7}" for r in SHOWN)
                + f"  {f.counts['orders']:>4}  {f.counts['valid_callbacks']:>6}  {f.counts['excluded']:>4}")
        changes = revisions(options["period"], profile_name=options["profile"])
        if changes:
            self.stdout.write(f"\n封存后修订 {len(changes)} 项 / revisions after freezing:")
            for r in changes:
                self.stdout.write(f"  {r.at:%Y-%m-%d %H:%M} {r.by}（{r.action}）{r.unit_name} {r.order_number} "
                                  f"{r.count}: {r.old} → {r.new}")

    def _freeze(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户 {options['user']} 不存在 / no user {options['user']!r}")
        frozen = assessment_freeze(user=user, period=options["period"], profile_name=options["profile"])
        self.stdout.write(f"froze {frozen.profile} {frozen.period} ({frozen.figures.count()} units)")
