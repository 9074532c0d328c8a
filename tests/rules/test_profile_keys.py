"""The profile keys added to close the city engineers' engine gaps: each is validated when a profile loads,
and a bad value is refused naming the file and the key.

Each test writes a small county profile that extends a built-in one, as an administrator would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.rules import profiles
from hotline.rules.errors import ProfileError
from hotline.rules.vocabulary import AppealType

HEAD = """[profile]
name = "county"
extends = "{parent}"
title = "某县规则"
city_zh = "某县"
document = "test"
status = "test"
order_prefix = "CT"
"""


def load(tmp_path: Path, body: str, parent: str = "national") -> profiles.Profile:
    (tmp_path / "county.toml").write_text(HEAD.format(parent=parent) + body, encoding="utf-8")
    return profiles.load("county", [tmp_path])


def refused(tmp_path: Path, body: str, parent: str = "national") -> ProfileError:
    with pytest.raises(ProfileError) as info:
        load(tmp_path, body, parent)
    assert info.value.file.endswith("county.toml")
    return info.value


# --- defaults: single values of a cited table ---------------------------------------------------------

def test_a_cited_table_may_mark_one_value_as_a_default(tmp_path: Path) -> None:
    profile = load(tmp_path, '[return]\ncite = "ankang §24"\nwindow = "2wd"\n'
                             'defaults = { window = "the article gives no length" }\n')
    assert profile.return_.value_source("window") == "default: the article gives no length"
    assert profile.return_.value_source("requires") == "ankang §24"


def test_defaults_name_a_value_of_the_table(tmp_path: Path) -> None:
    err = refused(tmp_path, '[return]\ncite = "ankang §24"\nwindow = "2wd"\ndefaults = { windw = "typo" }\n')
    assert err.key == "return" and "defaults.windw" in err.reason and "window" in err.reason


def test_defaults_say_why(tmp_path: Path) -> None:
    err = refused(tmp_path, '[return]\ncite = "ankang §24"\nwindow = "2wd"\ndefaults = { window = " " }\n')
    assert "say why" in err.reason


def test_a_default_table_needs_no_defaults(tmp_path: Path) -> None:
    err = refused(tmp_path, '[return]\ndefault = "why"\nwindow = "2wd"\ndefaults = { window = "why" }\n')
    assert "a default already" in err.reason


def test_defaults_need_a_citation_in_a_child_profile(tmp_path: Path) -> None:
    err = refused(tmp_path, '[return]\ndefaults = { window = "why" }\n')
    assert err.key == "return" and "defaults" in err.reason


def test_a_child_that_cites_its_own_values_drops_the_parents_markers(tmp_path: Path) -> None:
    profile = load(tmp_path, '[return]\ncite = "ankang §24"\nwindow = "3wd"\n', parent="ankang")
    assert profile.return_.defaults == {} and profile.return_.window.amount == 3


# --- handle, extension, provisional close -------------------------------------------------------------

def test_a_longer_legal_limit_needs_the_legal_limit_rule(tmp_path: Path) -> None:
    err = refused(tmp_path, '[handle.help]\ncite = "heyuan §18"\nlimit = "3wd"\nlegal_limit_may_be_longer = true\n')
    assert err.key == "handle.help" and "legal_limit_overrides" in err.reason


def test_extension_counts_are_a_number_or_unlimited(tmp_path: Path) -> None:
    assert load(tmp_path, '[extension]\ncite = "heyuan §18"\nmax_count = "unlimited"\n').extension.max_count == "unlimited"
    err = refused(tmp_path, '[extension]\ncite = "heyuan §18"\nmax_count = "many"\n')
    assert err.key.startswith("extension.max_count")


def test_max_total_is_a_period_per_appeal_type(tmp_path: Path) -> None:
    profile = load(tmp_path, '[extension]\ncite = "heyuan §18"\nmax_count = 2\nmax_total = { help = "5wd" }\n')
    assert str(profile.extension.max_total[AppealType.HELP]) == "5wd"
    err = refused(tmp_path, '[extension]\ncite = "heyuan §18"\nmax_count = 2\nmax_total = { help = "5 days" }\n')
    assert "max_total" in err.key


def test_a_provisional_close_may_have_no_progress_reports(tmp_path: Path) -> None:
    profile = load(tmp_path, '[provisional_close]\ncite = "xixian §9(3)"\nenabled = true\n'
                             'requires = ["written_application", "leader_confirmation"]\n')
    assert profile.provisional_close.enabled and profile.provisional_close.progress_interval is None


# --- supervision domains, knowledge workflow, major items ----------------------------------------------

def test_a_trigger_with_domains_is_raised_by_itself(tmp_path: Path) -> None:
    err = refused(tmp_path, '[supervision]\ncite = "ankang §31"\ntriggers = [\n'
                            '  { cite = "ankang §31(8)", code = "key_sector", label = "重点领域", domains = ["ecology"] },\n]\n')
    assert "auto = true" in err.reason


def test_a_domain_belongs_to_one_trigger(tmp_path: Path) -> None:
    err = refused(tmp_path, '[supervision]\ncite = "ankang §31"\ntriggers = [\n'
                            '  { cite = "ankang §31(8)", code = "a", label = "a", auto = true, domains = ["ecology"] },\n'
                            '  { cite = "ankang §31(8)", code = "b", label = "b", auto = true, domains = ["ecology"] },\n]\n')
    assert "domain" in err.reason


def test_knowledge_steps_are_known_and_given_once(tmp_path: Path) -> None:
    err = refused(tmp_path, '[knowledge]\ncite = "xixian §13"\nentry_approval = ["unit_deputy_leader", "mayor"]\n')
    assert err.key.startswith("knowledge.entry_approval")
    err = refused(tmp_path, '[knowledge]\ncite = "xixian §13"\nentry_approval = ["hotline", "hotline"]\n')
    assert "twice" in err.reason
    knowledge = load(tmp_path, '[knowledge]\ncite = "ziyang §17"\nentry_approval = ["unit"]\n').knowledge
    assert knowledge.next_approval([]) == "unit" and knowledge.next_approval(["unit"]) is None


def test_major_items_name_who_approves(tmp_path: Path) -> None:
    err = refused(tmp_path, '[major_items]\ncite = "heyuan §12"\nleader_approval = true\napprover = ""\n')
    assert err.key == "major_items.approver"
    assert profiles.get("national").major_items is None


def test_a_decline_reason_may_require_the_earlier_order(tmp_path: Path) -> None:
    profile = load(tmp_path, '[[decline_reasons]]\ncite = "heyuan §14"\ncode = "repeat_settled"\nlabel = "重复"\n'
                             'refer_to = "告知原办理结果"\nrequires_order = true\n')
    reason = profile.decline_reason("repeat_settled")
    assert reason is not None and reason.requires_order
