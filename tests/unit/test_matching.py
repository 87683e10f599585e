"""Candidate ranking: relevance, hard rules, soft signals, and index == brute force."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from referral.domain.matching import (
    Candidate,
    ClientNeed,
    MatchContext,
    MatchIndex,
    Profile,
    brute_force_rank,
    hard_rule,
)
from referral.domain.matching import index as index_module

TODAY = date(2025, 6, 2)


def _edit(index: MatchIndex, people: dict[int, Profile], edit: Profile | int) -> None:
    """Apply one edit to the index and to the reference profiles: a profile is upserted, an id removed."""
    if isinstance(edit, Profile):
        index.upsert(edit)
        people[edit.id] = edit
    else:
        index.remove(edit)
        people.pop(edit, None)


def make_profile(id: int, *specialties: str, **fields) -> Profile:
    return Profile(id=id, name=fields.pop("name", f"Colleague {id}"), specialties=specialties, **fields)


def make_ctx(**fields) -> MatchContext:
    defaults = {"member_id": 999, "reasons": frozenset({"not_a_fit"}), "today": TODAY, "open_referrals": {}}
    return MatchContext(**{**defaults, **fields})


def rank(profiles, client: ClientNeed | str, ctx: MatchContext | None = None, limit: int = 10) -> list[Candidate]:
    """Rank with the index and check the brute force agrees."""
    client = ClientNeed(client) if isinstance(client, str) else client
    ctx = ctx or make_ctx()
    got = MatchIndex(profiles).rank(client, ctx, limit)
    assert got == brute_force_rank(profiles, client, ctx, limit)
    return got


def ids(candidates: list[Candidate]) -> list[int]:
    return [c.colleague_id for c in candidates]


NETWORK = [
    make_profile(1, "bookkeeping", "Xero", "bank reconciliation", target_clientele="builders and electricians"),
    make_profile(2, "accounting", "tax returns", "payroll", target_clientele="cafés, pubs and restaurants"),
    make_profile(3, "nonprofit accounting", "independent examination", "grant reporting",
                 target_clientele="charities and community trusts"),
    make_profile(4, "search engine optimisation", "keyword research", target_clientele="online shops"),
    make_profile(5, "pay-per-click advertising", "Google Ads", target_clientele="lead generation businesses"),
    make_profile(6, "logo design", "brand identity", "brand guidelines", target_clientele="new businesses"),
    make_profile(7, "WordPress websites", "website maintenance", target_clientele="sole traders"),
    make_profile(8, "user experience design", "usability testing", "prototypes", target_clientele="fintechs"),
    make_profile(9, "employment law", "redundancy processes", "disciplinary procedures",
                 target_clientele="employers with 10 to 250 staff"),
    make_profile(10, "employment law", "unfair dismissal claims", "settlement agreements",
                 target_clientele="employees in a dispute with their employer"),
    make_profile(11, "wedding photography", "engagement shoots", target_clientele="couples"),
    make_profile(12, "expat tax", "US tax returns for Americans abroad", target_clientele="expatriates"),
    make_profile(13, "dyslexia support", "reading intervention", target_clientele="children and their parents"),
    make_profile(14, "wills", "lasting powers of attorney", "probate", target_clientele="older people"),
]


# --- relevance -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needs", "expected", "explained"),
    [
        ("bookeeping catch up, reconcilations are months behind", 1, '"bookeeping" matched specialty "bookkeeping"'),
        ("need a wedding photograher for august", 11, "wedding photography"),
        ("logo desing for my new florist shop", 6, "logo design"),
    ],
)
def test_a_misspelt_need_still_finds_the_specialty(needs, expected, explained):
    got = rank(NETWORK, needs)
    assert got[0].colleague_id == expected
    assert any(explained in line for line in got[0].explanation)


@pytest.mark.parametrize(
    ("needs", "expected", "abbreviation"),
    [
        ("SEO for our shop, traffic dropped", 4, "SEO"),
        ("PPC campaigns are too expensive per lead", 5, "PPC"),
        ("a UX review of our sign-up flow", 8, "UX"),
        ("a CPA for my US return, I live in Spain now", 12, "CPA"),
    ],
)
def test_an_abbreviation_finds_the_trade_it_stands_for(needs, expected, abbreviation):
    got = rank(NETWORK, needs)
    assert got[0].colleague_id == expected
    assert any(abbreviation in line for line in got[0].explanation)


@pytest.mark.parametrize(
    ("needs", "expected"),
    [
        ("someone to keep our books every month, we're a small plumbing outfit", 1),
        ("someone to create a look for our bakery: a little symbol, colours and fonts", 6),
        ("make our website show up higher on Google, nobody finds us", 4),
        ("help my dad put his affairs in order and choose who decides for him later on", 14),
    ],
)
def test_the_trade_said_in_other_words_is_found(needs, expected):
    assert rank(NETWORK, needs)[0].colleague_id == expected


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        (ClientNeed("year-end accounts and an audit", industry="charity"), 3),
        (ClientNeed("year-end accounts and tax", industry="restaurant"), 2),
        (ClientNeed("I was dismissed after raising a grievance about my manager"), 10),
        (ClientNeed("we must let six staff go in a restructuring without ending up at a tribunal",
                    industry="manufacturing"), 9),
    ],
)
def test_the_clientele_decides_between_two_of_the_same_trade(client, expected):
    assert rank(NETWORK, client)[0].colleague_id == expected


def test_the_clientele_is_explained():
    got = rank(NETWORK, ClientNeed("annual accounts", industry="café"))
    assert got[0].colleague_id == 2
    assert any(line.startswith("serves cafés") and "industry" in line for line in got[0].explanation)


def test_a_long_chatty_request_still_finds_the_trade():
    needs = ("We moved here last spring, the kids started at the local school and honestly the move was chaos. "
             "My husband works from home and I run a small bakery with my sister. The accountant we had retired. "
             "Our son is eight and reading is really hard for him; the teacher thinks it might be dyslexia. "
             "What we need is someone patient who can work with him on his reading every week.")
    assert rank(NETWORK, needs)[0].colleague_id == 13


def test_an_empty_network_gives_no_candidates():
    assert MatchIndex().rank(ClientNeed("bookkeeping"), make_ctx()) == []
    assert brute_force_rank([], ClientNeed("bookkeeping"), make_ctx()) == []


def test_an_unrelated_network_gives_no_candidates():
    assert rank(NETWORK, "tune the grand piano in our concert hall before Friday's recital") == []


def test_scores_are_between_0_and_100_best_first_and_limited():
    got = rank(NETWORK, "accounting, tax returns and payroll", limit=2)
    assert len(got) == 2
    assert all(0 <= c.score <= 100 for c in got)
    assert got[0].score >= got[1].score


def test_equal_colleagues_are_ordered_by_id():
    twins = [make_profile(i, "conveyancing", target_clientele="home buyers", capacity=2) for i in (7, 3, 5)]
    got = rank(twins, "conveyancing for a house purchase")
    assert ids(got) == [3, 5, 7]
    assert len({c.score for c in got}) == 1


def test_many_equal_colleagues_beyond_the_limit_are_cut_by_id():
    twins = [make_profile(i, "conveyancing", target_clientele="home buyers") for i in (41, 7, 23, 3, 88, 15, 60, 5)]
    assert ids(rank(twins, "conveyancing for a house purchase", limit=3)) == [3, 5, 7]


# --- hard rules ------------------------------------------------------------------------------------

ROOFER = ClientNeed("roof repair after the storm", location="Halifax")


@pytest.mark.parametrize(
    ("profile", "ctx"),
    [
        pytest.param(make_profile(1, "roofing"), make_ctx(member_id=1), id="the member themself"),
        pytest.param(make_profile(1, "roofing", capacity=0), make_ctx(), id="capacity zero"),
        pytest.param(make_profile(1, "roofing", capacity=2), make_ctx(open_referrals={1: 2}), id="capacity full"),
        pytest.param(make_profile(1, "roofing", paused_until=TODAY), make_ctx(), id="paused today"),
        pytest.param(make_profile(1, "roofing", paused_until=TODAY + timedelta(days=30)), make_ctx(),
                     id="paused later"),
        pytest.param(make_profile(1, "roofing", dealbreakers=frozenset({"hostile"})),
                     make_ctx(reasons=frozenset({"late_payments", "hostile"})), id="dealbreaker"),
        pytest.param(make_profile(1, "roofing"), make_ctx(excluded=frozenset({1})), id="declined already"),
        pytest.param(make_profile(1, "roofing", remote=False, location="Moncton"), make_ctx(), id="elsewhere"),
        pytest.param(make_profile(1, "roofing", remote=False), make_ctx(), id="on site, no location"),
    ],
)
def test_a_hard_ruled_colleague_is_never_a_candidate(profile, ctx):
    other = make_profile(2, "roofing", "roof repair")
    assert hard_rule(profile, ROOFER, ctx)
    assert ids(rank([profile, other], ROOFER, ctx)) == [2]


@pytest.mark.parametrize(
    ("profile", "ctx"),
    [
        pytest.param(make_profile(1, "roofing", paused_until=TODAY - timedelta(days=1)), make_ctx(),
                     id="pause ended yesterday"),
        pytest.param(make_profile(1, "roofing", capacity=2), make_ctx(open_referrals={1: 1}), id="one place left"),
        pytest.param(make_profile(1, "roofing", dealbreakers=frozenset({"hostile"})), make_ctx(),
                     id="dealbreaker not among the reasons"),
        pytest.param(make_profile(1, "roofing", remote=False, location="HALIFAX, NS"), make_ctx(),
                     id="same place spelt differently"),
        pytest.param(make_profile(1, "roofing", remote=True, location="Moncton"), make_ctx(), id="remote elsewhere"),
    ],
)
def test_a_colleague_near_a_hard_rule_stays_a_candidate(profile, ctx):
    assert hard_rule(profile, ROOFER, ctx) is None
    assert ids(rank([profile], ROOFER, ctx)) == [1]


def test_an_on_site_colleague_is_fine_when_the_client_gives_no_location():
    profile = make_profile(1, "roofing", remote=False, location="Moncton")
    assert ids(rank([profile], ClientNeed("roofing"))) == [1]


# --- soft signals ----------------------------------------------------------------------------------


def test_the_mutual_colleague_is_named_in_the_explanation():
    people = [make_profile(1, "probate"), make_profile(2, "probate"), make_profile(3, "tiling", name="Ana Ruiz")]
    graph = nx.Graph([(999, 3), (3, 2)])
    got = rank(people, "probate for my late aunt's estate", make_ctx(graph=graph))
    assert ids(got) == [2, 1]
    assert "You both know Ana Ruiz" in got[0].explanation


def test_reciprocity_breaks_a_tie():
    people = [make_profile(1, "probate"), make_profile(2, "probate")]
    got = rank(people, "probate", make_ctx(reciprocity={2: 2}))
    assert ids(got) == [2, 1]
    assert "Sent you 2 clients before" in got[0].explanation


def test_spare_capacity_is_explained():
    got = rank([make_profile(1, "probate", capacity=3)], "probate", make_ctx(open_referrals={1: 1}))
    assert "2 of 3 places free" in got[0].explanation


def test_soft_signals_do_not_beat_a_clearly_better_fit():
    people = [make_profile(1, "wedding photography", "engagement shoots"), make_profile(2, "food photography")]
    graph = nx.Graph([(999, 2), (999, 5), (5, 2)])
    ctx = make_ctx(graph=graph, reciprocity={2: 5})
    assert ids(rank(people, "wedding photography and an engagement shoot", ctx))[0] == 1


# --- the index -------------------------------------------------------------------------------------


def test_upsert_replaces_and_remove_forgets():
    index = MatchIndex([make_profile(1, "probate"), make_profile(2, "roofing")])
    index.upsert(make_profile(2, "probate", "wills"))
    assert len(index) == 2 and 2 in index
    assert ids(index.rank(ClientNeed("probate and a will"), make_ctx())) == [2, 1]
    index.remove(2)
    index.remove(42)
    assert 2 not in index and len(index) == 1
    assert ids(index.rank(ClientNeed("probate and a will"), make_ctx())) == [1]


def test_an_index_folding_many_edits_into_a_new_block_still_equals_the_brute_force(monkeypatch):
    monkeypatch.setattr(index_module, "_COMPACT_MIN", 2)  # fold after every few edits
    people = {p.id: p for p in NETWORK}
    index = MatchIndex(people.values())
    edits: list[Profile | int] = [make_profile(2, "bookkeeping", "payroll", target_clientele="cafés"), 9, 4,
             make_profile(40, "search engine optimisation", "local SEO", target_clientele="restaurants"),
             make_profile(9, "employment law", "tribunal claims"), 1, make_profile(41, "bookkeeping")]
    for edit in edits:
        _edit(index, people, edit)
        for needs in ("bookeeping for our cafe", "SEO so locals find our restaurant", "unfair dismissal"):
            assert index.rank(ClientNeed(needs), make_ctx()) == brute_force_rank(people.values(), ClientNeed(needs),
                                                                                 make_ctx())
    assert len(index) == len(people)


@pytest.mark.parametrize("first_id", [1, 2**40])  # small ids are looked up in an array, huge ones in a dict
def test_open_referrals_fill_a_colleague_whatever_the_size_of_their_id(first_id):
    people = [make_profile(first_id, "probate", capacity=1), make_profile(first_id + 1, "probate", capacity=1)]
    ctx = make_ctx(open_referrals={first_id: 1}, reciprocity={first_id + 1: 2}, member_id=first_id + 7)
    assert ids(rank(people, "probate", ctx)) == [first_id + 1]


SPECIALTIES = ["bookkeeping", "payroll", "tax returns", "wedding photography", "logo design", "SEO", "probate",
               "employment law", "WordPress websites", "dyslexia support", "roofing", "grant writing"]
CLIENTELES = ["", "charities", "restaurants and cafés", "startups", "employees", "couples", "homeowners"]
NEEDS = ["bookeeping and payroll for our café", "SEO for an online shop", "wedding photos in june",
         "a logo and colours for my charity", "probate after my mother died", "grant applications",
         "I was dismissed unfairly", "roof leaks", "wordpres site is slow"]

profiles_st = st.builds(
    Profile,
    id=st.integers(1, 30),
    name=st.sampled_from(["Ana Ruiz", "Bo Li", "Cy Okafor"]),
    specialties=st.lists(st.sampled_from(SPECIALTIES), min_size=1, max_size=3, unique=True).map(tuple),
    target_clientele=st.sampled_from(CLIENTELES),
    location=st.sampled_from([None, "Leeds", "Halifax, NS", "halifax"]),
    remote=st.booleans(),
    capacity=st.integers(0, 3),
    dealbreakers=st.frozensets(st.sampled_from(["hostile", "late_payments", "complaints"]), max_size=2),
    paused_until=st.sampled_from([None, TODAY, TODAY - timedelta(days=1), TODAY + timedelta(days=9)]),
)
clients_st = st.builds(ClientNeed, needs=st.sampled_from(NEEDS), industry=st.sampled_from(["", "charity", "café"]),
                       location=st.sampled_from([None, "Halifax", "Leeds"]))
ctx_st = st.builds(
    make_ctx,
    member_id=st.integers(1, 30),
    reasons=st.frozensets(st.sampled_from(["hostile", "late_payments", "complaints", "not_a_fit"]), min_size=1),
    open_referrals=st.dictionaries(st.integers(1, 30), st.integers(0, 3), max_size=8),
    excluded=st.frozensets(st.integers(1, 30), max_size=3),
    reciprocity=st.dictionaries(st.integers(1, 30), st.integers(0, 4), max_size=5),
)


def unique(profiles: list[Profile]) -> list[Profile]:
    return list({p.id: p for p in profiles}.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(profiles_st, max_size=25).map(unique), clients_st, ctx_st)
def test_a_hard_ruled_colleague_never_appears(profiles, client, ctx):
    ruled = {p.id for p in profiles if hard_rule(p, client, ctx)}
    assert not ruled & set(ids(rank(profiles, client, ctx, limit=30)))


@settings(max_examples=60, deadline=None)
@given(st.lists(profiles_st, min_size=1, max_size=20).map(unique), clients_st, ctx_st, st.data())
def test_adding_capacity_never_lowers_a_colleague_rank(profiles, client, ctx, data):
    target = data.draw(st.sampled_from(profiles))
    before = ids(rank(profiles, client, ctx, limit=30))
    more = [replace(p, capacity=p.capacity + 1) if p.id == target.id else p for p in profiles]
    after = ids(rank(more, client, ctx, limit=30))
    if target.id in before:
        assert after.index(target.id) <= before.index(target.id)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(profiles_st, st.integers(1, 30)), max_size=40), st.lists(st.tuples(clients_st, ctx_st),
                                                                                  min_size=1, max_size=3))
def test_the_index_equals_the_brute_force_after_upserts_and_removes(operations, requests):
    index = MatchIndex()
    current: dict[int, Profile] = {}
    for op in operations:
        _edit(index, current, op)
        for client, ctx in requests:
            assert index.rank(client, ctx, 5) == brute_force_rank(list(current.values()), client, ctx, 5)
    assert len(index) == len(current)


@settings(max_examples=40, deadline=None)
@given(st.lists(profiles_st, max_size=25), st.lists(st.one_of(profiles_st, st.integers(1, 30)), max_size=15),
       st.lists(st.tuples(clients_st, ctx_st), min_size=1, max_size=3))
def test_an_index_built_at_once_then_edited_equals_the_brute_force(initial, operations, requests):
    index, current = MatchIndex(initial), {p.id: p for p in initial}  # a repeated id: the last one counts
    assert len(index) == len(current)
    for op in [None, *operations]:
        if isinstance(op, Profile):
            index.upsert(op)
            current[op.id] = op
        elif op is not None:
            index.remove(op)
            current.pop(op, None)
        for client, ctx in requests:
            assert index.rank(client, ctx, 5) == brute_force_rank(list(current.values()), client, ctx, 5)


@pytest.mark.parametrize("needs", [
    "Our website is ancient, need a new wordpres site and better SEO so locals find us",
    "someone to do our books and the VAT, we are a small cafe",
    "Photos of our new flats for the letting agency listings",
    "We need a lawyer: a former employee says we dismissed her unfairly",
    "help with payroll for 12 staff",
])
def test_every_candidate_says_which_of_the_clients_words_matched(needs):
    for candidate in rank(NETWORK, needs):
        assert any("matched" in line or line.startswith("serves") for line in candidate.explanation), candidate


def test_a_match_through_the_thesaurus_in_the_clients_own_word_is_explained():
    designer = make_profile(1, "web design", "Webflow", "landing pages")
    (only,) = rank([designer], "Our website is ancient and needs redoing")
    assert '"website" matched specialty "web design"' in only.explanation
