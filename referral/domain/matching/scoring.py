"""Scoring shared by the index and the brute force: hard rules, word scores with the sense gate, meaning, soft points."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from referral.domain.matching.analysis import (
    _Doc,
    _Group,
    _Query,
    _Vocabulary,
)
from referral.domain.matching.data import ClientNeed, MatchContext, Profile, Weights
from referral.domain.rules import broken_rule
from referral.domain.text import place_key, places_match


def hard_rule(profile: Profile, client: ClientNeed, ctx: MatchContext) -> str | None:
    """The reason the contract excludes this colleague for this client, or None.

    >>> from datetime import date
    >>> ctx = MatchContext(1, frozenset({"hostile"}), date(2025, 1, 1), {})
    >>> hard_rule(Profile(2, "Ana", ("tax",), dealbreakers=frozenset({"hostile"})), ClientNeed("tax"), ctx)
    'will not take clients who are hostile'
    """
    open_now = ctx.open_referrals.get(profile.id, 0)
    rule = broken_rule(colleague_id=profile.id, capacity=profile.capacity, paused_until=profile.paused_until,
                       dealbreakers=profile.dealbreakers, remote=profile.remote, location=profile.location,
                       member_colleague_id=ctx.member_id, open_count=open_now,
                       turned_down=profile.id in ctx.excluded, reasons=ctx.reasons,
                       client_location=client.location, today=ctx.today)
    if rule is None:
        return None
    return {
        "self": lambda: "is the member",
        "turned_down": lambda: "already declined or let this handoff expire",
        "full": lambda: f"no free place ({open_now} open of {profile.capacity})",
        "paused": lambda: f"paused until {profile.paused_until}",  # a date prints as ISO
        "dealbreaker": lambda: "will not take clients who are " + ", ".join(
            b.replace("_", " ") for b in sorted(profile.dealbreakers & ctx.reasons)),
        "place": lambda: f"works only in {profile.location or 'an unknown place'}, not in {client.location}",
    }[rule]()


def _matches(groups: tuple[_Group, ...], doc_terms: Mapping[str, float], fld: str, vocab: _Vocabulary,
             sense=None):
    """For each group that meets the document: (score, term, hit) of its best term.

    A group scores its best term plus ``Weights.reinforce`` times the others it matched
    (``(1 - r) * max + r * sum``), so agreeing readings of one word add a little.
    ``sense(term)`` (optional) scales a term by how close in meaning its specialty is to the request.
    """
    r = vocab.weights.reinforce
    for group in groups:
        best, total = None, 0.0
        for term, hit in group:
            value = doc_terms.get(term)
            if value is not None:
                contribution = hit.weight * vocab.idf(fld, term) * value
                if sense is not None:
                    contribution = contribution * sense(term)
                total += contribution
                if best is None or contribution > best[0]:
                    best = (contribution, term, hit)
        if best is not None:
            yield ((1.0 - r) * best[0] + r * total, best[1], best[2])


def _gate(x, w: Weights):
    """How much a shared word counts, from its specialty's closeness in meaning to the request
    (works on arrays): fully from ``gate_high``, ``gate_min`` at ``gate_low`` or below. "presses"
    on a stamping line shares a word with "press releases" but not the meaning."""
    return np.clip((x - w.gate_low) / (w.gate_high - w.gate_low), w.gate_min, 1.0)


def _fit(ss, whole, w: Weights):
    """How much whom a colleague serves may count, from how close their work is to the work asked
    for, by the closer of two readings: their best specialty (``ss``) or their specialties read
    together against the whole request (``whole``); works on arrays. The clientele decides
    between people who do the work: a speech therapist for adults after a stroke, whose
    "aphasia therapy" is far from "his words come out jumbled" but whose profile as a whole is not.

    >>> w = Weights()
    >>> float(_fit(0.2, 0.2, w)), float(_fit(0.2, 0.4, w)), float(_fit(0.4, 0.2, w))
    (0.0, 1.0, 1.0)
    """
    return np.clip((np.maximum(ss, whole) - w.fit_low) / (w.fit_high - w.fit_low), 0.0, 1.0)


def _sense(doc: _Doc, query: _Query, spec_ids: tuple[int, ...], w: Weights):
    """The per-term gate of a document's specialty terms, or None without meaning."""
    m = query.meaning
    if m is None or not spec_ids:
        return None
    return lambda term: float(_gate(m.spec_scores[spec_ids[doc.spec[term]]], w))


def _text_scores(doc: _Doc, query: _Query, vocab: _Vocabulary, spec_ids: tuple[int, ...] = ()) -> tuple[float, float]:
    sense = _sense(doc, query, spec_ids, vocab.weights)
    s = sum(c for c, _, _ in _matches(query.spec, doc.spec_weights, "s", vocab, sense))
    c = sum(c for c, _, _ in _matches(query.cli, doc.cli, "c", vocab))
    return s, c


@dataclass(frozen=True, slots=True)
class _Scored:
    """One colleague's text scores: words (specialties ``s``, clientele ``c``), meaning (``ss``, ``sc``)."""

    doc: _Doc
    s: float
    c: float
    ss: float = 0.0
    sc: float = 0.0
    spec_ids: tuple[int, ...] = ()  # phrase rows of the specialties, in order
    cli_id: int = 0
    whole: float = 0.0  # the specialties read together against the whole request
    cli_whole: float = 0.0  # the target clientele against the whole request


def _score(doc: _Doc, query: _Query, vocab: _Vocabulary, spec_ids: tuple[int, ...] = (),
           cli_id: int = 0) -> _Scored:
    s, c = _text_scores(doc, query, vocab, spec_ids)
    m = query.meaning
    if m is None:
        return _Scored(doc, s, c)
    ss = max((float(m.spec_scores[i]) for i in spec_ids), default=0.0)
    whole = sum(float(m.whole[i]) for i in spec_ids) / m.phrases.sum_norm(spec_ids)
    return _Scored(doc, s, c, ss, float(m.cli_scores[cli_id]), spec_ids, cli_id, whole, float(m.whole[cli_id]))


def _ramp(x, w: Weights):
    """Meaning in score units: 0 up to ``semantic_low``, 1 from ``semantic_high`` (works on arrays)."""
    return np.clip((x - w.semantic_low) / (w.semantic_high - w.semantic_low), 0.0, 1.0)


def _relevant(s, ss, with_meaning: bool, w: Weights, meaning=None, served: bool = False, clientele=0.0):
    """Whether a colleague fits at all (works on arrays): close in meaning, or shared words that are
    not a coincidence of spelling (the specialty is still somewhat close in meaning), or the very
    clients they name (``clientele``, the word score of their target clientele) for work that is
    not far from theirs: a church whose piano "needs a pitch raise, let-off and drop all over the
    place" and the tuner who serves "home pianists, schools and churches".

    ``meaning`` is the closeness both tests use (default: the best specialty's, ``ss``); ranking
    passes the mean of that and the whole-request cosine, so both readings must agree.
    ``served``: someone eligible already fits this request by the tests above (see
    :func:`_served`); then being loosely related (``lexical_floor``) is enough without a shared
    word, so the list shows the neighbouring specialists too.
    """
    if not with_meaning:
        return s >= w.min_relevance
    close = ss if meaning is None else meaning
    return ((close >= w.semantic_floor) | (((s >= w.min_relevance) | served) & (close >= w.lexical_floor))
            | ((clientele >= w.clientele_relevance) & (close >= w.clientele_floor)))


def _served(scored: Iterable[_Scored], w: Weights) -> bool:
    """Whether the network clearly serves the request: an eligible colleague fits by the strict
    tests of :func:`_relevant` (close in meaning, or a shared word and loosely related). The floor
    decides whether anyone fits; once someone does, everyone loosely related is shown beside them:
    the right specialist for "someone to go through the place top to bottom" ("home inspections")
    sits at a closeness a client nobody can serve also reaches."""
    return any(bool(_relevant(r.s, r.ss, True, w, _closeness(r), clientele=r.c)) for r in scored)


def _closeness(r: _Scored):
    """How close a colleague is, as ranking's relevance tests read it: their best specialty and
    their specialties read together, each against the request, averaged."""
    return (r.ss + r.whole) / 2.0


def _text_points(r: _Scored, w: Weights, with_meaning: bool) -> float:
    work = float(_ramp(r.ss, w))
    # whom they serve decides between colleagues who do the work; it never makes up for the work
    fit = float(_fit(r.ss, r.whole, w)) if with_meaning else 1.0
    total = r.s + w.semantic * work + w.clientele * fit * (r.c + w.semantic_clientele * float(_ramp(r.sc, w)))
    parts = 1.0 - math.exp(-total / w.scale)
    if not with_meaning:
        return w.text_points * parts
    # the profile read as a whole against the request read as a whole: what a reader weighs
    # when no single phrase or word decides
    whole = w.request * r.whole + w.request_clientele * fit * r.cli_whole
    return w.text_points * (parts + whole) / (1.0 + w.request + w.request_clientele)


def _soft(profile: Profile, client: ClientNeed, ctx: MatchContext, w: Weights,
          names: Mapping[int, str]) -> tuple[float, list[str]]:
    """Soft points and their reasons: network, spare capacity, reciprocity, place."""
    points, why = 0.0, []
    graph, me = ctx.graph, ctx.member_id
    if graph is not None and me in graph and profile.id in graph:
        if graph.has_edge(me, profile.id):
            points += w.connection
            why.append("You know them directly")
        mutual = sorted(set(graph[me]) & set(graph[profile.id]) - {me, profile.id})
        if mutual:
            points += w.mutual
            shown = sorted(names.get(m) or graph.nodes[m].get("name") or f"colleague #{m}" for m in mutual)
            more = f" and {len(shown) - 1} more" if len(shown) > 1 else ""
            why.append(f"You both know {shown[0]}{more}")
    sent = ctx.reciprocity.get(profile.id, 0)
    if sent > 0:
        points += w.reciprocity * min(sent, w.reciprocity_full) / w.reciprocity_full
        why.append(f"Sent you {sent} client{'s' if sent != 1 else ''} before")
    if place_key(client.location) and places_match(profile.location, client.location):
        points += w.same_location
        why.append(f"Based in {profile.location}, like the client")
    free = profile.capacity - ctx.open_referrals.get(profile.id, 0)
    points += w.spare_capacity * free / profile.capacity
    why.append(f"{free} of {profile.capacity} places free")
    return points, why
