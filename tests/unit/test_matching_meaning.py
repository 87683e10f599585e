"""Matching with meaning (the real all-MiniLM-L6-v2 from its package): the demo network's journeys,
a client nobody can serve, negation, explanations a member would sign."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from referral.adapters.embedding import shared_encoder
from referral.domain.matching import ClientNeed, MatchContext, MatchIndex, Profile, brute_force_rank

SEED = Path(__file__).resolve().parents[2] / "seed_data" / "colleagues.csv"
CTX = MatchContext(member_id=0, reasons=frozenset({"not_a_fit"}), today=date(2026, 12, 1), open_referrals={})
Demo = tuple[list[Profile], MatchIndex]


@pytest.fixture(scope="module")
def demo() -> Demo:
    """The demo network as profiles (every colleague free and remote: only the text decides)."""
    with SEED.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    profiles = [Profile(i, r["name"], tuple(s for s in r["specialties"].split(";") if s), r["target_clientele"])
                for i, r in enumerate(rows, start=1)]
    return profiles, MatchIndex(profiles, encoder=shared_encoder())


def first(demo: Demo, **client: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    profiles, index = demo
    got = index.rank(ClientNeed(**client), CTX, 5)
    assert got == brute_force_rank(profiles, ClientNeed(**client), CTX, 5, encoder=shared_encoder())
    return (profiles[got[0].colleague_id - 1].specialties, got[0].explanation) if got else ((), ())


def test_a_startup_registering_a_trademark_gets_the_ip_lawyer_first_not_a_brand_designer(demo):
    specialties, _ = first(demo, needs="We just closed our seed round and must register a trademark for our brand name "
                                       "in the EU before launch.", industry="fintech startup")
    assert "trademark registration" in specialties


@pytest.mark.parametrize(("needs", "industry"), [
    ("We own a small restaurant and need a new website with our menu and online table booking.", "restaurant"),
    ("Our restaurant needs a website.", "hospitality"),
])
def test_a_restaurant_that_needs_a_website_gets_someone_who_makes_websites_first(demo, needs, industry):
    # not the interior designer who lists "restaurant design" and serves restaurants
    specialties, _ = first(demo, needs=needs, industry=industry)
    assert {"web design", "WordPress", "website copy"} & set(specialties), specialties


def test_books_in_a_mess_go_to_a_bookkeeper_not_to_a_book_designer(demo):
    specialties, _ = first(demo, needs="Our bookings are growing and my books are a mess: I need someone to keep "
                                       "the accounts tidy every month.", industry="holiday lets")
    assert any("bookkeeping" in s for s in specialties), specialties


def test_a_client_whose_needs_match_no_trade_gets_no_candidates(demo):
    _, index = demo
    client = ClientNeed("Servicing and repair of our autoclaves and tattoo machines at the studio.",
                        industry="tattoo studio")
    assert index.rank(client, CTX) == []


@pytest.mark.parametrize("needs", [
    "We need a licensed crane operator and rigging crew for a tower crane lift next month.",
    "Our industrial refrigeration compressor keeps tripping; we need it serviced.",
    "Servicing and repair of our autoclaves and tattoo machines at the studio.",
])
def test_a_shared_word_alone_does_not_make_a_stranger_a_candidate(demo, needs):
    # "licensed" meets "licensing" of an IP lawyer, "serviced" meets "services": both readings
    # of the request must find the colleague somewhat close before a shared word counts
    _, index = demo
    assert index.rank(ClientNeed(needs), CTX) == []


def test_a_negated_trade_does_not_count_the_needed_one_leads(demo):
    specialties, _ = first(demo, needs="We already have a website that works fine. What we need is someone to do "
                                       "our bookkeeping and VAT returns.")
    assert any("bookkeeping" in s.lower() for s in specialties)


def test_a_match_of_meaning_alone_is_explained_with_the_clients_words_and_the_specialty():
    profiles = [Profile(1, "Ana", ("manuscript critique", "developmental editing")),
                Profile(2, "Bo", ("wedding photography",))]
    got = MatchIndex(profiles, encoder=shared_encoder()).rank(
        ClientNeed("Could someone read my novel draft and tell me honestly what isn't working?"), CTX)
    assert [c.colleague_id for c in got] == [1]
    assert any("close in meaning" in line and "novel draft" in line for line in got[0].explanation)


HOUSE = [Profile(1, "Ana", ("residential conveyancing", "property purchase contracts"), "home buyers"),
         Profile(2, "Bo", ("home inspections", "radon testing", "sewer scope inspections"), "home buyers and sellers"),
         Profile(3, "Cy", ("wedding photography",), "couples")]
BUYING = ClientNeed("We're buying a house. Someone should go through the place top to bottom before we commit: "
                    "roof, wiring, heating, the damp in the cellar.")


def test_a_loosely_related_specialist_is_listed_beside_a_clear_fit_and_said_to_be_loosely_related():
    # the inspector shares no word with the request and is only loosely close in meaning: listed
    # because the conveyancer clearly fits, so the member sees the neighbouring trade too
    got = MatchIndex(HOUSE, encoder=shared_encoder()).rank(BUYING, CTX)
    assert got == brute_force_rank(HOUSE, BUYING, CTX, encoder=shared_encoder())
    assert [c.colleague_id for c in got] == [1, 2]
    assert any("loosely related in meaning" in line and "home inspections" in line for line in got[1].explanation)


def test_a_loosely_related_specialist_alone_is_not_a_fit():
    # the conveyancer declined: nobody clearly fits, so nobody merely loosely related is offered
    ctx = MatchContext(member_id=0, reasons=frozenset(), today=date(2026, 12, 1), open_referrals={},
                       excluded=frozenset({1}))
    assert MatchIndex(HOUSE, encoder=shared_encoder()).rank(BUYING, ctx) == []
    assert brute_force_rank(HOUSE, BUYING, ctx, encoder=shared_encoder()) == []


TUNER = [Profile(1, "Dee", ("piano tuning", "action regulation", "piano repairs"), "home pianists, schools and churches"),
         Profile(2, "Eli", ("boiler servicing", "central heating repairs"), "homeowners and landlords"),
         Profile(3, "Fay", ("wedding photography",), "couples")]
JARGON = ("Our old upright has drifted well flat; several keys are slow to repeat and the hammers are grooved "
          "and need voicing.")


def test_a_request_in_the_trades_jargon_reaches_the_colleague_who_serves_that_very_client():
    # no word in common with the tuner's specialties, and only loosely close in meaning; but the
    # tuner serves churches and the client is one: the colleague a member would pick
    church = ClientNeed(JARGON, industry="church")
    got = MatchIndex(TUNER, encoder=shared_encoder()).rank(church, CTX)
    assert got == brute_force_rank(TUNER, church, CTX, encoder=shared_encoder())
    assert [c.colleague_id for c in got] == [1]
    assert any("churches" in line and '"church"' in line for line in got[0].explanation), got[0].explanation


@pytest.mark.parametrize("client", [
    ClientNeed(JARGON),  # the same words from someone the tuner does not name
    ClientNeed("Our accounts need an independent examination before the annual meeting.", industry="church"),
])
def test_whom_a_colleague_serves_does_not_make_them_fit_without_work_near_theirs(client):
    assert MatchIndex(TUNER, encoder=shared_encoder()).rank(client, CTX) == []
    assert brute_force_rank(TUNER, client, CTX, encoder=shared_encoder()) == []


def test_jargon_in_capitals_is_read_as_the_phrase_a_colleague_spells_out():
    profiles = [Profile(1, "Ana", ("electrical installation condition reports", "consumer unit upgrades")),
                Profile(2, "Bo", ("landlord and tenant law", "possession proceedings", "deposit disputes")),
                Profile(3, "Cy", ("letting agent", "tenant find", "rent collection"))]
    got = MatchIndex(profiles, encoder=shared_encoder()).rank(
        ClientNeed("Need EICRs on three rental flats before new tenancies start in January."), CTX)
    assert got and got[0].colleague_id == 1


@pytest.mark.parametrize("needs", ["0", "!!! ???", "12345 678"])
def test_a_request_with_no_words_to_read_gets_no_candidates_even_from_a_profile_as_odd(needs):
    profiles = [Profile(1, "Ana", (needs,)), Profile(2, "Bo", ("bookkeeping",))]
    assert MatchIndex(profiles, encoder=shared_encoder()).rank(ClientNeed(needs), CTX) == []


def test_the_uk_is_not_read_as_the_us(demo):
    _, index = demo
    got = index.rank(ClientNeed("I moved to the UK last year and need help with my self assessment tax return."), CTX)
    lines = [line for c in got for line in c.explanation]
    assert lines and not any('"UK"' in line for line in lines), lines
