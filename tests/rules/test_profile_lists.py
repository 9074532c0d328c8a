"""The lists each rulebook gives, entry by entry, for every city: appeal types, decline reasons (with
where to send the requester), supervision triggers, channels.

These are parametrized over the profiles' own lists, so a reason or trigger added to a profile is
tested without a new test; docs/rulebooks.md counts them as the tests of the articles they cite.
"""

from __future__ import annotations

import pytest

from hotline.rules import profiles
from hotline.rules.vocabulary import AppealType

from .walk import OPERATOR, SUPERVISOR, A, S, Walk

CITIES = ["ziyang", "ankang", "xixian", "tianjin", "heyuan"]
DECLINES = [(city, r.code) for city in CITIES for r in profiles.get(city).decline_reasons]
TRIGGERS = [(city, t.code) for city in CITIES for t in profiles.get(city).supervision.triggers]
TYPES = [(city, t) for city in CITIES for t in AppealType]


@pytest.mark.parametrize(("city", "code"), DECLINES)
def test_each_decline_reason_declines_and_tells_the_requester_where_to_go(city: str, code: str) -> None:
    reason = profiles.get(city).decline_reason(code)
    assert reason is not None and reason.refer_to and reason.label
    appeal_type = next(t for t in AppealType if profiles.get(city).accepts(t))
    w = Walk(city, appeal_type.value)
    earlier = "X2026030100001" if reason.requires_order else ""   # heyuan §14: the settled order it relies on
    event = w.do(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code=code, earlier_order=earlier)
    assert w.state is S.DECLINED
    assert event.payload["refer_to"] == reason.refer_to and event.payload["label"] == reason.label
    assert reason.source in event.rules


@pytest.mark.parametrize("city", CITIES)
def test_a_decline_reason_not_in_the_rulebook_is_refused(city: str) -> None:
    w = Walk(city, next(t for t in AppealType if profiles.get(city).accepts(t)).value)
    err = w.refused(A.DECLINE, OPERATOR, "2026-03-02 10:00", decline_code="not_a_reason")
    assert err.code == "invalid_input" and "not_a_reason" in err.message_zh


@pytest.mark.parametrize(("city", "code"), TRIGGERS)
def test_each_supervision_trigger_can_be_raised_and_is_recorded(city: str, code: str) -> None:
    trigger = profiles.get(city).trigger(code)
    assert trigger is not None
    w = Walk(city, next(t for t in AppealType if profiles.get(city).accepts(t)).value)
    w.accept()
    event = w.do(A.SUPERVISE, SUPERVISOR, "2026-03-02 10:30", trigger=code)
    assert w.order.supervised and event.payload["trigger"] == code
    assert trigger.source in event.rules


@pytest.mark.parametrize(("city", "appeal_type"), TYPES)
def test_each_appeal_type_the_rulebook_lists_is_accepted_and_the_others_refused(city: str,
                                                                                appeal_type: AppealType) -> None:
    profile = profiles.get(city)
    w = Walk(city, appeal_type.value)
    if profile.accepts(appeal_type):
        event = w.do(A.ACCEPT, OPERATOR, "2026-03-02 10:00")
        assert w.state is S.ACCEPTED and profile.appeal_types[appeal_type].source in event.rules
    else:
        err = w.refused(A.ACCEPT, OPERATOR, "2026-03-02 10:00")
        assert err.code == "appeal_type_not_accepted"


@pytest.mark.parametrize("city", CITIES)
def test_every_rule_table_names_its_article_or_says_why_it_is_a_default(city: str) -> None:
    for key, rule in profiles.get(city).rules():
        assert rule.cite or rule.default, key
        if rule.cite:
            assert all(part.split(" ")[0] in {city, "national"} or part.startswith(tuple(profiles.RULEBOOK_NAMES_ZH))
                       for part in rule.cite.split("; ")), (key, rule.cite)
