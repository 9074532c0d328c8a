"""The profile's [assessment] table: what a bad table is refused with, and what each city sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.rules import assessment as a
from hotline.rules import profiles
from hotline.rules.errors import ProfileError
from hotline.rules.vocabulary import Evaluation
from tests.rules.walk import OPERATOR, A, Walk, article


def child(tmp_path: Path, table: str) -> Path:
    (tmp_path / "town.toml").write_text(
        '[profile]\nname = "town"\nextends = "ziyang"\ntitle = "t"\ncity_zh = "t"\ndocument = "t"\n'
        'status = "t"\norder_prefix = "TW"\n\n[assessment]\n' + table, encoding="utf-8")
    return tmp_path


BASE = ('default = "a test"\nbasically_satisfied_weight = 0.8\n'
        'grades = [{ grade = "好", min_score = 60 }, { grade = "差", min_score = 0 }]\n')


def test_a_town_may_run_its_months_from_the_19th_and_weigh_its_own_figures(tmp_path: Path) -> None:
    folder = child(tmp_path, BASE + 'month_start_day = 19\nweights = [{ figure = "satisfaction_rate", weight = 1 }]\n')
    town = profiles.load("town", [folder])
    assert town.assessment.weight_of() == {"satisfaction_rate": 1}      # a child replaces the whole list
    period = a.parse_period("2026-10", town)
    assert (str(period.start), str(period.end)) == ("2026-09-19", "2026-10-19")


@pytest.mark.parametrize(("table", "message"), [
    (BASE + "weights = []\n", "at least one figure"),
    (BASE + 'weights = [{ figure = "speed", weight = 1 }]\n', "weights"),
    (BASE + 'weights = [{ figure = "on_time_rate", weight = 1 }, { figure = "on_time_rate", weight = 2 }]\n', "twice"),
    ('default = "x"\nbasically_satisfied_weight = 0.8\nweights = [{ figure = "on_time_rate", weight = 1 }]\n'
     'grades = [{ grade = "好", min_score = 60 }]\n', "start at 0"),
    (BASE + 'weights = [{ figure = "on_time_rate", weight = 1 }]\ninterview_trigger = "nope"\n', "interview_trigger"),
    (BASE + 'weights = [{ figure = "on_time_rate", weight = 1 }]\nmonth_start_day = 30\n', "month_start_day"),
])
def test_a_bad_assessment_table_is_refused_naming_the_key(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        profiles.load("town", [child(tmp_path, table)])


def test_new_values_without_a_source_are_refused(tmp_path: Path) -> None:
    folder = child(tmp_path, "basically_satisfied_weight = 0.5\n")
    with pytest.raises(ProfileError, match="without 'cite' or 'default'"):
        profiles.load("town", [folder])


def test_each_city_names_where_its_assessment_comes_from() -> None:
    assert profiles.get("ziyang").assessment.source.startswith("ziyang §14(2)")
    assert profiles.get("xixian").assessment.weight_of() == {"on_time_rate": 30, "satisfaction_rate": 35, "kb_upkeep": 35}
    assert profiles.get("xixian").assessment.value_source("weights").startswith("default:")
    assert profiles.get("tianjin").assessment.exclude == ["screened", "exempted"]
    for name in ("ankang", "heyuan"):
        assert profiles.get(name).assessment.is_default      # the drafts set no assessment numbers


@article("ziyang §14(1)")
def test_14_1_a_requester_who_declines_or_cannot_be_reached_gives_no_valid_callback() -> None:
    declined = Walk("ziyang").replied()
    declined.do(A.RECORD_CALLBACK_FAILURE, OPERATOR, "2026-03-05 10:00")
    declined.do(A.RECORD_CALLBACK_DECLINED, OPERATOR, "2026-03-05 15:00")
    unreachable = Walk("ziyang").replied()
    unreachable.do(A.RECORD_CALLBACK_FAILURE, OPERATOR, "2026-03-05 10:00")
    answered = Walk("ziyang").replied().evaluate(Evaluation.SATISFIED)
    counts: dict[str, int] = {}
    for w in (declined, unreachable, answered):
        for fact in a.order_facts(profiles.get("ziyang"), w.events):
            a.add_counts(counts, fact.counts)
    assert (counts["valid_callbacks"], counts["declined"], counts["unreachable"]) == (1, 1, 1)
    rates = a.exact_rates(counts, profiles.get("ziyang").assessment)
    assert rates["satisfaction_rate"] == 1                            # 1 satisfied ÷ 1 valid callback
