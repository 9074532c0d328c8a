"""Unit assessment, pure: each figure worked by hand for small invented orders, per profile.

Orders are walked through the real lifecycle (tests/rules/walk.py); their timelines give the facts
(``order_facts``); the sums give the rates, the score and the grade. The numbers in the comments are the
hand computation the assertion checks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from hotline.rules import assessment as a
from hotline.rules import profiles
from hotline.rules.errors import InvalidInput
from hotline.rules.vocabulary import DeadlineKind, Evaluation
from tests.rules.walk import (
    COMPLETE_RETURN,
    OPERATOR,
    OTHER,
    OTHER_UNIT,
    SUPERVISOR,
    SYSTEM,
    UNIT,
    A,
    P,
    Walk,
    article,
)

SAT, BASIC, DIS = Evaluation.SATISFIED, Evaluation.BASICALLY_SATISFIED, Evaluation.DISSATISFIED


def totals(profile: str, walks: list[Walk]) -> dict[str, int]:
    found: dict[str, int] = {}
    for w in walks:
        for fact in a.order_facts(profiles.get(profile), w.events, domain=w.order.domain):
            a.add_counts(found, fact.counts)
    return {k: found.get(k, 0) for k in a.COUNTS}


def figures(profile: str, walks: list[Walk]) -> tuple[dict[str, int], dict[str, Decimal | None], Decimal | None]:
    counts = totals(profile, walks)
    rule = profiles.get(profile).assessment
    exact = a.exact_rates(counts, rule)
    return counts, {k: a.rounded(v) for k, v in exact.items()}, a.score(exact, rule)


def evaluated(profile: str, evaluation: Evaluation, *, contacted: bool = True, resolved: bool | None = None,
              domain: str = "") -> Walk:
    w = Walk(profile)
    w.do(A.ACCEPT, OPERATOR, "2026-03-02 10:00", domain=domain)
    if profile == "tianjin":   # tianjin §16(2): the dispatch states the handling limit
        w.dispatch(handling_limit=P("5wd"))
    else:
        w.dispatch()
    w.sign().reply()
    w.evaluate(evaluation, contacted=contacted,
               resolved=(evaluation is not DIS) if resolved is None else resolved)
    return w


def upheld(w: Walk) -> Walk:
    w.do(A.UPHOLD_DISSATISFIED, SUPERVISOR, "2026-03-06 10:00", note="确属承办单位原因")
    return w


def screened(w: Walk) -> Walk:
    w.do(A.SCREEN_OUT, SUPERVISOR, "2026-03-06 10:00", note="诉求人期望过高，超出政策规定")
    return w


def silent(profile: str) -> Walk:
    w = Walk(profile).replied()
    w.do(A.EVALUATION_TIMEOUT, SYSTEM, "2026-03-20 10:00")
    return w


# --- ziyang ----------------------------------------------------------------------------------------

def ziyang_month() -> list[Walk]:
    return [
        evaluated("ziyang", SAT, contacted=True, resolved=True),             # 1
        evaluated("ziyang", BASIC, contacted=True, resolved=False),          # 2
        upheld(evaluated("ziyang", DIS, contacted=False, resolved=False)),   # 3 counts
        screened(evaluated("ziyang", DIS, contacted=False, resolved=False)), # 4 screened out
        silent("ziyang"),                                                    # 5 silence = basically satisfied
        upheld(evaluated("ziyang", DIS, contacted=False, resolved=False, domain="mediation")),  # 6 mediation
    ]


@article("ziyang §14(2)")
def test_14_2_a_screened_order_leaves_the_callback_denominators() -> None:
    counts, rates, _ = figures("ziyang", ziyang_month())
    # valid callbacks: 1, 2, 3, 5 = 4; excluded: 4 (screened) and 6 (mediation) = 2
    assert (counts["valid_callbacks"], counts["excluded"]) == (4, 2)
    assert (counts["satisfied"], counts["basically_satisfied"], counts["dissatisfied"]) == (1, 2, 1)
    # satisfaction = (1 + 0.8 × 2) ÷ 4 = 2.6 ÷ 4 = 0.65
    assert rates["satisfaction_rate"] == Decimal("0.6500")


@article("ziyang §14(2)")
def test_14_2_each_excluded_order_says_why_and_cites_its_article() -> None:
    walks = ziyang_month()
    facts = [f for w in walks for f in a.order_facts(profiles.get("ziyang"), w.events, domain=w.order.domain)]
    reasons = sorted((f.excluded, f.excluded_rule) for f in facts if f.excluded)
    assert reasons == [("domain:mediation", "ziyang §14"), ("screened", "ziyang §14(2)")]


@article("ziyang §14")
def test_14_mediation_and_law_enforcement_matters_do_not_chase_the_satisfaction_rate() -> None:
    counted = totals("ziyang", [upheld(evaluated("ziyang", DIS))])
    left_out = totals("ziyang", [upheld(evaluated("ziyang", DIS, domain="law_enforcement"))])
    assert (counted["valid_callbacks"], counted["dissatisfied"], counted["excluded"]) == (1, 1, 0)
    assert (left_out["valid_callbacks"], left_out["dissatisfied"], left_out["excluded"]) == (0, 0, 1)


@article("ziyang §14(1)")
def test_14_1_silence_counts_as_basically_satisfied_in_the_satisfaction_rate_but_says_nothing_of_contact() -> None:
    counts, rates, _ = figures("ziyang", [silent("ziyang")])
    assert (counts["valid_callbacks"], counts["basically_satisfied"], counts["answered"]) == (1, 1, 0)
    assert rates["satisfaction_rate"] == Decimal("0.8000")     # 0.8 × 1 ÷ 1
    assert rates["response_rate"] is None and rates["resolution_rate"] is None


@article("ziyang §30")
def test_30_the_three_rates_and_the_weighted_score_worked_by_hand() -> None:
    counts, rates, score = figures("ziyang", ziyang_month())
    # answered the contact question: 1, 2, 3 → contacted 1, 2: response = 2 ÷ 3
    assert (counts["answered"], counts["contacted"]) == (3, 2)
    assert rates["response_rate"] == Decimal("0.6667")
    # resolved: 1; unresolved: 2, 3 → resolution = 1 ÷ 3
    assert (counts["resolved"], counts["unresolved"]) == (1, 2)
    assert rates["resolution_rate"] == Decimal("0.3333")
    # score = 10 × 2/3 + 50 × 1/3 + 40 × 0.65 = 6.6667 + 16.6667 + 26 = 49.3333 → 49.33 (from exact fractions)
    assert score == Decimal("49.33")
    assert a.grade(score, profiles.get("ziyang").assessment) == "不合格"


@article("ziyang §13(2)")
def test_13_2_a_late_return_counts_as_overdue() -> None:
    late = Walk("ziyang").signed()
    late.do(A.REQUEST_RETURN, UNIT, "2026-03-04 10:00", **{k: v for k, v in COMPLETE_RETURN.items()
                                                           if k != "leader_confirmed"})
    in_time = Walk("ziyang").signed()
    in_time.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **{k: v for k, v in COMPLETE_RETURN.items()
                                                              if k != "leader_confirmed"})
    assert totals("ziyang", [late])["returns"] == 1 and totals("ziyang", [late])["overdue"] == 1
    assert totals("ziyang", [in_time])["returns"] == 1 and totals("ziyang", [in_time])["overdue"] == 0


@article("ziyang §25(5)")
def test_25_5_bottom_in_satisfaction_three_months_running() -> None:
    months: list[dict[str, Fraction | Decimal | None]] = [{"A": Fraction(9, 10), "B": Fraction(7, 10), "C": Fraction(7, 10)},
              {"A": Fraction(8, 10), "B": Fraction(6, 10), "C": Fraction(9, 10)},
              {"A": Fraction(8, 10), "B": Fraction(5, 10), "C": None}]
    assert a.bottom_streak(months, 3) == ["B"]          # C tied at the bottom once, then rose; not measured at the end
    assert a.bottom_streak(months[1:], 3) == []         # only two months known
    months[1]["B"] = Fraction(95, 100)
    assert a.bottom_streak(months, 3) == []


# --- ankang (the national defaults) ---------------------------------------------------------------

@article("ankang §27")
def test_27_the_platforms_weights_apply_where_the_draft_sets_none_and_silence_is_no_evaluation() -> None:
    walks = [evaluated("ankang", SAT, contacted=True, resolved=True),
             upheld(evaluated("ankang", DIS, contacted=True, resolved=False)),
             silent("ankang")]
    counts, rates, score = figures("ankang", walks)
    assert counts["valid_callbacks"] == 2               # silence counts as nothing (national default)
    # response 2/2 = 1, resolution 1/2, satisfaction 1/2 → 10 × 1 + 50 × 0.5 + 40 × 0.5 = 55
    assert (rates["response_rate"], rates["resolution_rate"], rates["satisfaction_rate"]) == (
        Decimal("1.0000"), Decimal("0.5000"), Decimal("0.5000"))
    assert score == Decimal("55.00")
    assert profiles.get("ankang").assessment.is_default


@article("ankang §31(7)")
def test_31_7_a_dissatisfaction_screened_out_as_not_the_units_fault_is_not_counted() -> None:
    counts = totals("ankang", [screened(evaluated("ankang", DIS))])
    assert (counts["valid_callbacks"], counts["dissatisfied"], counts["excluded"]) == (0, 0, 1)


# --- xixian ----------------------------------------------------------------------------------------

@article("xixian §22")
def test_22_on_time_satisfaction_and_knowledge_base_upkeep_weighted_30_35_35() -> None:
    walks = [evaluated("xixian", SAT), evaluated("xixian", SAT), evaluated("xixian", BASIC)]
    late = Walk("xixian").signed().reply("2026-03-16 10:00")        # handle limit 5 wd: due 03-09
    late.evaluate(DIS, "2026-03-17 10:00")
    upheld_late = late.do(A.UPHOLD_DISSATISFIED, SUPERVISOR, "2026-03-18 10:00", note="确属承办单位原因")
    assert upheld_late
    counts = totals("xixian", [*walks, late])
    rule = profiles.get("xixian").assessment
    assert (counts["due"], counts["on_time"]) == (4, 3)
    exact = a.exact_rates(counts, rule)
    # on-time 3/4 = 0.75; satisfaction (2 + 0.8) / 4 = 0.7
    assert (a.rounded(exact["on_time_rate"]), a.rounded(exact["satisfaction_rate"])) == (
        Decimal("0.7500"), Decimal("0.7000"))
    # with upkeep 0.9: 30 × 0.75 + 35 × 0.7 + 35 × 0.9 = 22.5 + 24.5 + 31.5 = 78.5 → 合格 (良好 from 80)
    score = a.score({**exact, "kb_upkeep": Fraction(9, 10)}, rule)
    assert score == Decimal("78.50") and a.grade(score, rule) == "合格"
    # a unit that keeps no entries: upkeep leaves both sums: (22.5 + 24.5) ÷ 65 × 100 = 72.3077 → 72.31
    assert a.score({**exact, "kb_upkeep": None}, rule) == Decimal("72.31")


@article("xixian §9(3)")
def test_9_3_a_sign_after_two_hours_is_not_timely() -> None:
    on_time = Walk("xixian").signed(dispatched="2026-03-02 11:00", signed="2026-03-02 12:30")
    late = Walk("xixian").signed(dispatched="2026-03-02 11:00", signed="2026-03-02 14:00")
    counts = totals("xixian", [on_time, late])
    assert (counts["signed"], counts["signed_on_time"]) == (2, 1)
    assert a.rounded(a.exact_rates(counts, profiles.get("xixian").assessment)["timely_sign_rate"]) == Decimal("0.5000")


@article("xixian §23")
def test_23_a_vetoed_unit_is_graded_by_the_veto_and_ranked_after_all_others() -> None:
    rule = profiles.get("xixian").assessment
    assert rule.one_vote_veto
    assert a.grade(Decimal("95"), rule, vetoed=True) == "一票否决"
    ranks = a.rank([("A", Decimal("95")), ("B", Decimal("80")), ("C", Decimal("80")), ("D", None)], last=["A"])
    assert ranks == {"B": 1, "C": 1, "A": 3}            # competition ranking; D has nothing to score


# --- tianjin ---------------------------------------------------------------------------------------

def exempted(w: Walk) -> Walk:
    w.do(A.REQUEST_EXEMPTION, UNIT, "2026-03-09 10:00", evidence="现场照片、处理记录", reason="已依法履职")
    w.do(A.APPROVE_EXEMPTION, SUPERVISOR, "2026-03-10 10:00", note="确已尽责")
    return w


@article("tianjin §25")
def test_25_an_exempted_order_and_law_enforcement_matters_get_no_negative_evaluation() -> None:
    walks = [evaluated("tianjin", SAT),
             exempted(upheld(evaluated("tianjin", DIS))),
             upheld(evaluated("tianjin", DIS, domain="law_enforcement"))]
    counts, rates, score = figures("tianjin", walks)
    assert (counts["valid_callbacks"], counts["excluded"], counts["dissatisfied"]) == (1, 2, 0)
    assert rates["satisfaction_rate"] == Decimal("1.0000")
    facts = [f for w in walks for f in a.order_facts(profiles.get("tianjin"), w.events, domain=w.order.domain)]
    assert sorted((f.excluded, f.excluded_rule) for f in facts if f.excluded) == [
        ("domain:law_enforcement", "tianjin §25"), ("exempted", "tianjin §25")]
    assert score == Decimal("100.00")


@article("tianjin §25")
def test_25_without_the_exemption_the_same_order_counts_against_the_unit() -> None:
    counts, rates, _ = figures("tianjin", [evaluated("tianjin", SAT), upheld(evaluated("tianjin", DIS))])
    assert (counts["valid_callbacks"], counts["dissatisfied"]) == (2, 1)
    assert rates["satisfaction_rate"] == Decimal("0.5000")


# --- heyuan ----------------------------------------------------------------------------------------

@article("heyuan §21")
def test_21_extensions_and_redos_are_counted_and_the_redo_rate_is_per_order() -> None:
    extended = Walk("heyuan").signed()
    extended.do(A.REQUEST_EXTENSION, UNIT, "2026-03-04 10:00", length=P("3wd"), reason="需现场协调")
    extended.do(A.APPROVE_EXTENSION, SUPERVISOR, "2026-03-04 15:00")
    redone = Walk("heyuan").replied()
    redone.evaluate(DIS, "2026-03-05 10:00")
    redone.do(A.REDO, SUPERVISOR, "2026-03-06 10:00", note="确属办理原因")
    redone.reply("2026-03-09 10:00")
    redone.evaluate(SAT, "2026-03-10 10:00")
    counts, rates, _ = figures("heyuan", [extended, redone])
    assert (counts["orders"], counts["extensions"], counts["redos"]) == (2, 1, 1)
    assert rates["redo_rate"] == Decimal("0.5000")                  # 1 redo ÷ 2 orders
    # the first, dissatisfied evaluation was undone by the redo: only the last one stands
    assert (counts["valid_callbacks"], counts["satisfied"], counts["dissatisfied"]) == (1, 1, 0)
    # two handling cycles of the redone order ended in a reply, both in time
    assert (counts["due"], counts["on_time"]) == (2, 2)


@article("heyuan §21")
def test_21_an_order_still_unreplied_past_its_due_time_is_due_and_not_on_time() -> None:
    w = Walk("heyuan").signed()
    w.do(A.MARK_OVERDUE, SYSTEM, "2026-03-30 10:00", steps=(DeadlineKind.HANDLE,))
    w.reply("2026-03-31 10:00")
    counts = totals("heyuan", [w])
    assert (counts["due"], counts["on_time"], counts["overdue"]) == (1, 0, 1)


# --- periods ---------------------------------------------------------------------------------------

def test_periods_day_month_quarter_year() -> None:
    month = a.Period.parse("2026-10")
    assert (month.start, month.end, str(month.previous()), str(month.year_ago())) == (
        date(2026, 10, 1), date(2026, 11, 1), "2026-09", "2025-10")
    quarter = a.Period.parse("2026-Q4")
    assert (quarter.start, quarter.end, str(quarter.previous()), str(quarter.next())) == (
        date(2026, 10, 1), date(2027, 1, 1), "2026-Q3", "2027-Q1")
    year = a.Period.parse("2026")
    assert (year.start, year.end, len(year.days())) == (date(2026, 1, 1), date(2027, 1, 1), 365)
    day = a.Period.parse("2026-10-05")
    assert (day.start, day.end, str(day.previous()), str(day.year_ago())) == (
        date(2026, 10, 5), date(2026, 10, 6), "2026-10-04", "2025-10-05")
    assert str(a.Period.parse("2026-01").previous()) == "2025-12"


def test_a_month_may_run_from_the_19th_to_the_18th() -> None:
    month = a.Period.parse("2026-10", start_day=19)
    assert (month.start, month.end) == (date(2026, 9, 19), date(2026, 10, 19))
    assert a.Period.parse("2026-01", start_day=19).start == date(2025, 12, 19)
    quarter = a.Period.parse("2026-Q1", start_day=19)
    assert (quarter.start, quarter.end) == (date(2025, 12, 19), date(2026, 3, 19))
    assert a.Period.parse("2026", start_day=19).start == date(2025, 12, 19)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26-10", "2026-02-30", "october", "0000", "0001-01", "9999-Q4"])
def test_a_malformed_period_is_refused_with_the_forms_it_may_take(text: str) -> None:
    with pytest.raises(InvalidInput, match="2026-Q4"):
        a.Period.parse(text)


def test_rates_round_half_up_once_at_the_end_and_none_when_nothing_to_measure() -> None:
    rule = profiles.get("ziyang").assessment
    rates = a.exact_rates({"satisfied": 1, "basically_satisfied": 0, "valid_callbacks": 8,
                           "contacted": 1, "answered": 16}, rule)
    assert a.rounded(rates["satisfaction_rate"]) == Decimal("0.1250")
    assert a.rounded(rates["response_rate"]) == Decimal("0.0625")
    assert a.rounded(Fraction(1, 20000)) == Decimal("0.0001")      # 0.00005 rounds half up
    assert rates["on_time_rate"] is None
    assert a.score({k: None for k in rates}, rule) is None


@article("ziyang §25(3)")
def test_25_3_an_order_supervised_twice_counts_once_as_supervised_and_once_as_overdue() -> None:
    w = Walk("ziyang").signed()
    w.do(A.MARK_OVERDUE, SYSTEM, "2026-03-12 10:00", steps=(DeadlineKind.HANDLE,))
    w.do(A.SUPERVISE, SYSTEM, "2026-03-12 10:05", trigger="overdue")
    w.do(A.SUPERVISE, SUPERVISOR, "2026-03-13 10:00", trigger="repeated_redo")
    counts = totals("ziyang", [w])
    assert (counts["supervised"], counts["overdue"], counts["due"], counts["on_time"]) == (1, 1, 1, 0)


@article("ziyang §13(2)")
def test_13_2_after_an_approved_return_each_unit_answers_for_its_own_part() -> None:
    w = Walk("ziyang").signed()
    w.do(A.REQUEST_RETURN, UNIT, "2026-03-02 15:00", **{k: v for k, v in COMPLETE_RETURN.items()
                                                        if k != "leader_confirmed"})
    w.do(A.APPROVE_RETURN, SUPERVISOR, "2026-03-02 16:00")
    w.dispatch("2026-03-02 17:00", unit=OTHER_UNIT)
    w.sign("2026-03-03 09:30", actor=OTHER)
    w.reply("2026-03-04 10:00", actor=OTHER)
    w.evaluate(SAT, "2026-03-05 10:00")
    per_unit: dict[str, dict[str, int]] = {}
    for fact in a.order_facts(profiles.get("ziyang"), w.events):
        a.add_counts(per_unit.setdefault(fact.unit, {}), fact.counts)
    assert per_unit["unit-a"] == {"orders": 1, "signed": 1, "signed_on_time": 1, "returns": 1}
    assert per_unit["unit-b"]["orders"] == 1 and per_unit["unit-b"]["satisfied"] == 1
    assert per_unit["unit-b"]["valid_callbacks"] == 1 and "returns" not in per_unit["unit-b"]
