"""Properties of the assessment arithmetic: periods tile, sums add up, rates and scores stay in range."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hotline.rules import assessment as a
from hotline.rules import profiles

counts_strategy = st.fixed_dictionaries({k: st.integers(min_value=0, max_value=50) for k in a.COUNTS})


@given(st.integers(min_value=1990, max_value=2090), st.sampled_from([1, 10, 19, 28]))
def test_the_months_of_a_year_tile_it_without_gap_or_overlap(year: int, start_day: int) -> None:
    months = [a.Period.parse(f"{year}-{m:02d}", start_day) for m in range(1, 13)]
    whole = a.Period.parse(str(year), start_day)
    assert months[0].start == whole.start and months[-1].end == whole.end
    assert all(months[i].end == months[i + 1].start for i in range(11))
    quarters = [a.Period.parse(f"{year}-Q{q}", start_day) for q in range(1, 5)]
    assert [q.start for q in quarters] == [months[0].start, months[3].start, months[6].start, months[9].start]
    assert sum(len(m.days()) for m in months) == len(whole.days())


@given(st.dictionaries(st.integers(min_value=0, max_value=364), counts_strategy, max_size=40))
def test_the_months_add_up_to_the_year(daily: dict[int, dict[str, int]]) -> None:
    start = date(2026, 1, 1)
    by_day = {start + timedelta(days=n): c for n, c in daily.items()}

    def total(period: a.Period) -> Counter[str]:
        found: Counter[str] = Counter()
        for day, counts in by_day.items():
            if period.start <= day < period.end:
                found.update(counts)
        return found

    months = sum((total(a.Period.parse(f"2026-{m:02d}")) for m in range(1, 13)), Counter())
    assert months == total(a.Period.parse("2026"))


@given(counts_strategy, st.sampled_from(["ziyang", "xixian", "tianjin", "ankang", "heyuan"]))
def test_rates_are_fractions_and_the_score_stays_between_0_and_100(counts: dict[str, int], name: str) -> None:
    # what a real timeline guarantees: every part at most its whole
    counts["satisfied"] = min(counts["satisfied"], counts["valid_callbacks"])
    counts["basically_satisfied"] = min(counts["basically_satisfied"], counts["valid_callbacks"] - counts["satisfied"])
    counts["contacted"] = min(counts["contacted"], counts["answered"])
    counts["on_time"] = min(counts["on_time"], counts["due"])
    counts["signed_on_time"] = min(counts["signed_on_time"], counts["signed"])
    counts["answered_directly"] = min(counts["answered_directly"], counts["consultations"])
    rule = profiles.get(name).assessment
    rates = a.exact_rates(counts, rule)
    for key in ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate", "timely_sign_rate",
                "first_contact_rate"):
        value = rates[key]
        assert value is None or 0 <= value <= 1
    score = a.score(rates, rule)
    assert score is None or 0 <= score <= 100
    if score is not None:
        assert a.grade(score, rule) in {b.grade for b in rule.grades}
