"""``hotline profiles``, ``hotline profile show``, ``hotline deadline``, ``hotline bench deadlines``."""

from __future__ import annotations

import argparse
import json
import sys
import time as clock
from datetime import datetime, timedelta
from typing import Any

from hotline.rules import deadlines, profiles
from hotline.rules.calendar import SHANGHAI, WorkCalendar
from hotline.rules.errors import RuleError
from hotline.rules.vocabulary import AppealType, DeadlineKind, Urgency

NAMES = {"profiles", "profile", "deadline", "bench-deadlines"}
CLI_KINDS = ["dispatch", "sign", "return", "handle", "first-response", "progress-report", "callback", "evaluation"]


def register(sub: Any) -> None:
    p = sub.add_parser("profiles", help="list the policy profiles / 列出规则配置")
    p.add_argument("--profile-dir", action="append", default=[], help="another folder of profile files")
    p.set_defaults(handler=cmd_profiles)

    p = sub.add_parser("profile", help="show one profile's rules with citations / 显示规则及条款")
    psub = p.add_subparsers(dest="profile_command", metavar="show", required=True)
    show = psub.add_parser("show", help="print a profile's rules with their citations")
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="the merged profile as JSON")
    show.add_argument("--profile-dir", action="append", default=[])
    show.set_defaults(handler=cmd_profile_show)

    p = sub.add_parser("deadline", help="compute one due time with its trace / 计算时限")
    p.add_argument("--profile", required=True)
    p.add_argument("--type", required=True, choices=[t.value for t in AppealType], dest="appeal_type")
    p.add_argument("--kind", required=True, choices=CLI_KINDS)
    p.add_argument("--start", required=True, help="ISO 8601, e.g. 2026-09-30T10:00:00+08:00 (no offset: Asia/Shanghai)")
    p.add_argument("--urgency", default="normal", choices=[u.value for u in Urgency])
    p.add_argument("--calendar", action="append", default=[], metavar="FILE",
                   help="a holiday notice or local-change TOML file (repeatable; later files win)")
    p.add_argument("--profile-dir", action="append", default=[])
    p.set_defaults(handler=cmd_deadline)

    p = sub.add_parser("bench-deadlines", help="benchmark: deadlines computed per second")
    p.add_argument("--n", type=int, default=20000)
    p.set_defaults(handler=cmd_bench_deadlines)


def _fail(message: str) -> int:
    print(f"hotline: {message}", file=sys.stderr)
    return 2


def _load(name: str, dirs: list[str]) -> profiles.Profile:
    return profiles.load(name, dirs)


def cmd_profiles(args: argparse.Namespace) -> int:
    try:
        for source in profiles.available(args.profile_dir):
            profile = _load(source.name, args.profile_dir)
            meta = profile.profile
            parent = f" (extends {meta.extends})" if meta.extends else ""
            print(f"{meta.name:10} {meta.city_zh:6} {meta.title} — {meta.document}; {meta.status}{parent}")
    except RuleError as exc:
        return _fail(str(exc))
    return 0


def _values(rule: profiles.Rule) -> str:
    data = rule.model_dump(mode="json", exclude={"cite", "default", "defaults"}, by_alias=True)
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            continue  # nested rules are printed on their own lines
        parts.append(f"{key}={json.dumps(value, ensure_ascii=False)}")
    return ", ".join(parts)


def cmd_profile_show(args: argparse.Namespace) -> int:
    try:
        profile = _load(args.name, args.profile_dir)
    except RuleError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(profile.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=2))
        return 0
    meta = profile.profile
    print(f"{meta.title}（{meta.document}）")
    print(f"profile {meta.name}, {meta.status}" + (f", extends {meta.extends}" if meta.extends else ""))
    print()
    for key, rule in profile.rules():
        print(f"{key}: {_values(rule)}")
        print(f"    [{rule.source}]")
        for value, why in rule.defaults.items():   # values of a cited table that its article does not state
            print(f"    [{value}: default: {why}]")
        if isinstance(rule, profiles.SupervisionRule):
            for trigger in rule.triggers:
                domains = f"; at acceptance in {', '.join(trigger.domains)}" if trigger.domains else ""
                auto = f" (auto{domains})" if trigger.auto else ""
                print(f"    - {trigger.code}: {trigger.label}{auto}  [{trigger.source}]")
    return 0


def _start(text: str) -> datetime:
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--start {text!r} is not an ISO 8601 time (e.g. 2026-09-30T10:00:00+08:00)") from None
    return start.replace(tzinfo=SHANGHAI) if start.tzinfo is None else start.astimezone(SHANGHAI)


def cmd_deadline(args: argparse.Namespace) -> int:
    try:
        start = _start(args.start)
        profile = _load(args.profile, args.profile_dir)
        calendar = WorkCalendar.from_files(args.calendar) if args.calendar else WorkCalendar()
        kind = DeadlineKind(args.kind)
        deadline = deadlines.compute(profile, calendar, kind, AppealType(args.appeal_type), start, Urgency(args.urgency))
    except (RuleError, ValueError) as exc:
        return _fail(str(exc))
    spans = profile.hours.spans_on(deadline.due.date())
    trace = list(deadline.trace)
    if "+" not in args.start[10:] and "Z" not in args.start and "-" not in args.start[10:]:
        trace.insert(0, "start given without an offset: read as Asia/Shanghai (+08:00)")
    out = {
        "profile": profile.name, "type": args.appeal_type, "kind": kind.value, "urgency": args.urgency,
        "start": start.isoformat(), "due": deadline.due.isoformat(), "provisional": deadline.provisional,
        "rule": deadline.rule, "period": str(deadline.period),
        "office_hours": [[s.start.strftime("%H:%M"), s.end.strftime("%H:%M")] for s in spans],
        "trace": trace, "warnings": list(deadline.warnings),
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


def cmd_bench_deadlines(args: argparse.Namespace) -> int:
    """Deadlines per second over every profile, kind and type, starts spread over 2024–2026."""
    calendar = WorkCalendar()
    loaded = [profiles.get(s.name) for s in profiles.available()]
    cases = []
    for profile in loaded:
        for appeal_type in AppealType:
            for kind in (DeadlineKind.DISPATCH, DeadlineKind.SIGN, DeadlineKind.RETURN, DeadlineKind.HANDLE,
                         DeadlineKind.CALLBACK):
                try:
                    deadlines.period_for(profile, kind, appeal_type)
                except RuleError:
                    continue
                cases.append((profile, kind, appeal_type))
    base = datetime(2024, 1, 1, 8, 0, tzinfo=SHANGHAI)
    starts = [base + timedelta(minutes=37 * i) for i in range(args.n)]
    t0 = clock.perf_counter()
    for i, start in enumerate(starts):
        profile, kind, appeal_type = cases[i % len(cases)]
        deadlines.compute(profile, calendar, kind, appeal_type, start)
    elapsed = clock.perf_counter() - t0
    print(json.dumps({"deadlines": args.n, "seconds": round(elapsed, 3), "per_second": round(args.n / elapsed),
                      "profiles": len(loaded), "cases": len(cases)}))
    return 0
