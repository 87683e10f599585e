"""Candidate ranking: which colleagues fit a client a member hands off.

Method
------
Every text (a colleague's specialties, their target clientele, the client's needs, industry
and company) goes through the same analysis (:mod:`referral.domain.text`,
:mod:`referral.domain.vocabulary`):

1. tokens are folded (case, accents) and, for the client only, misspellings are corrected
   against the words the network and the thesaurus know (``rapidfuzz`` ratio, one edit on
   short words, more on long ones: "bookeeping" -> "bookkeeping");
2. abbreviations are expanded ("CPA" -> "certified public accountant");
3. words are stemmed ("photographer" ~ "photography"), stopwords and chatter are dropped;
4. thesaurus phrases become concepts ("do my books" -> *bookkeeping*).

Each resulting *term* (stem, two-word phrase or concept) gets a weight: how the client said
it (word 1, corrected typo, abbreviation, concept) times where (needs, industry, company),
more if repeated; sentences of a long request that do not say what is wanted count less.
Terms from one word of the client form a group and a colleague scores the best term of each
group (plus a little of the others), so one word never counts twice. Two scores are summed
with IDF weights (rare terms count more; computed over the network with a prior so that small
networks behave):

* **specialty score** ``S``: the client's terms against the colleague's specialties (a
  specialty's head word counts fully, its modifiers less: "event photography" is photography),
  lightly normalised for long specialty lists; the client's industry counts weakly here;
* **clientele score** ``C``: the client's industry, company and needs against the colleague's
  ``target_clientele``, with the clientele thesaurus; it decides between two of one trade.

Colleagues whose ``S`` stays below ``Weights.min_relevance`` are not candidates, so an
unrelated network yields ``[]``. Text points ``text_points * (1 - exp(-(S + w*C) / scale))``
(at most 92) are followed by small soft points (known directly, a mutual colleague, spare
capacity, clients sent to the member before, same place as the client; at most 8) for a score
from 0 to 100, ties broken by colleague id. Hard rules (:func:`hard_rule`) exclude, never
penalise.

Cost
----
:class:`MatchIndex` keeps postings (term -> colleague rows and weights) and numpy columns for
the hard rules, updated by :meth:`MatchIndex.upsert` in time linear in one profile. A query
costs its analysis (a ``rapidfuzz`` lookup per unknown word, cached), one vectorised update per
query term over that term's postings, vectorised hard rules and soft points over the
colleagues that matched, and exact Python scoring of the few that can reach the top ``limit``.
:func:`brute_force_rank` scores every profile with the same Python functions and is the
reference: both return identical lists. With 100,000 profiles a request takes a few
milliseconds (``bench/match_bench.py``); the brute force takes seconds.

>>> idx = MatchIndex([Profile(1, "Ana", ("bookkeeping", "payroll"), "tradespeople"),
...                   Profile(2, "Bo", ("wedding photography",))])
>>> ctx = MatchContext(member_id=99, reasons=frozenset({"late_payments"}), today=date(2025, 1, 1),
...                    open_referrals={})
>>> [c.colleague_id for c in idx.rank(ClientNeed("someone to do my books, I'm a roofer"), ctx)]
[1]
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

import networkx
import numpy as np
from rapidfuzz import fuzz, process

from referral.domain.clauses import ClauseWeights, asked_for, clauses, said_briefly, token_weights
from referral.domain.rules import broken_rule
from referral.domain.semantic import Encoder, PhraseVectors
from referral.domain.text import STOPWORDS, fold, place_key, places_match, singular, stem, tokenize
from referral.domain.vocabulary import ABBREVIATIONS, CAPITALS_ONLY, CLIENTELES, TRADES

__all__ = [
    "Candidate",
    "ClientNeed",
    "MatchContext",
    "MatchIndex",
    "Profile",
    "Weights",
    "brute_force_rank",
    "hard_rule",
]


# ---------------------------------------------------------------------------------------------
# public data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """One colleague as matching sees it.

    Parameters
    ----------
    id : int
        The colleague's id.
    name : str
        Display name (used when they are the mutual colleague of someone else).
    specialties : tuple of str
        What they do, short phrases ("bookkeeping", "VAT returns").
    target_clientele : str
        Whom they want to serve, free text.
    location : str or None
        City or region.
    remote : bool
        Serves clients anywhere; if False, only clients in ``location``.
    capacity : int
        How many open referrals they take at once.
    dealbreakers : frozenset of str
        Reason codes of clients they will not take.
    paused_until : date or None
        Takes no referrals until after this date.
    """

    id: int
    name: str
    specialties: tuple[str, ...]
    target_clientele: str = ""
    location: str | None = None
    remote: bool = True
    capacity: int = 3
    dealbreakers: frozenset[str] = frozenset()
    paused_until: date | None = None


@dataclass(frozen=True)
class ClientNeed:
    """The client being handed off, as far as matching is concerned."""

    needs: str
    industry: str = ""
    budget: str = ""
    company: str = ""
    location: str | None = None


@dataclass(frozen=True)
class Weights:
    """All weights and thresholds of the ranking, in one place.

    Parameters
    ----------
    typo : float
        Weight of a corrected misspelling, multiplied by its similarity (0..1).
    abbreviation : float
        Weight of the words an abbreviation stands for.
    concept : float
        Weight of a thesaurus concept (the trade in other words) named by a single word.
    concept_phrase : float
        Weight of a concept named by a phrase of several words ("put her affairs in order"):
        more specific, so it counts more.
    phrase : float
        Weight of two adjacent words found together in one specialty ("wedding photography").
    modifier : float
        Weight of a specialty's modifier words next to its head word (the last one before any
        preposition): "event photography" is photography first; "event" counts this much.
        Concepts count fully wherever they are found.
    reinforce : float
        Share of the other readings of a word that adds to its best one (0: best only).
    repeat : float
        Extra weight per further mention of a term in the needs (up to ``repeat_cap`` mentions).
    fuzzy_min_ratio : float
        ``rapidfuzz.fuzz.ratio`` (0..100) a misspelling needs to be corrected; 85 allows one
        inserted or dropped letter from 5 letters on, a swapped or wrong letter from 7 on.
    fuzzy_min_length : int
        Shorter words are never corrected.
    industry_in_specialties, company_in_specialties : float
        How much the client's industry / company name count against specialties (needs: 1).
    needs_in_clientele, industry_in_clientele, company_in_clientele : float
        How much the client's needs / industry / company count against target clientele.
    clauses : ClauseWeights
        Weight of each clause of the request by what it says: negated, primary, secondary,
        asking, context (:mod:`referral.domain.clauses`); words and clause vectors both use it.
    clientele : float
        Weight of the clientele score next to the specialty score.
    idf_prior : float
        Profiles assumed beside the network that lack every term, so that IDF stays meaningful
        in a small network (three probate lawyers still match "probate"); negligible in a big one.
    length_norm : float
        How much a long list of specialties dilutes each one (0: not at all).
    length_ref : float
        Number of specialties at which there is no dilution.
    min_relevance : float
        Least specialty score (IDF units: about one uncommon word) to be a candidate at all.
    scale : float
        Text score at which text points reach 63 % of ``text_points``.
    text_points : float
        Points for text relevance; the rest of 100 is for the soft signals below.
    connection, mutual, spare_capacity, reciprocity, same_location : float
        Soft points: the member knows them directly; they share a colleague; all places free
        (pro rata); sent the member clients before (full at ``reciprocity_full``); based where
        the client is.
    reciprocity_full : int
        Clients sent at which the reciprocity points are complete.
    explain_lines : int
        Most explanation lines about specialties (clientele and soft signals come on top).
    semantic : float
        Specialty score (IDF units) added by a specialty whose weighted cosine with a clause of
        the request reaches ``semantic_high``; nothing at ``semantic_low`` or below, linear between.
    asked : float
        Weight of the work a clause asks for, as a phrase of its own, next to the clause's weight.
    whole_clause : float
        Weight of a whole clause next to the work it asks for ("need a website" from "we need a
        website for our restaurant"), whose situation words would otherwise colour its meaning.
    semantic_clientele : float
        The same for the target clientele against the client's situation.
    semantic_low, semantic_high : float
        Cosine range of all-MiniLM-L6-v2 over which meaning starts and stops adding points.
    semantic_floor : float
        Weighted cosine a colleague's best specialty needs to be a candidate on meaning alone.
    lexical_floor : float
        A shared word alone (no meaning) makes a candidate only if the specialty is at least this
        close to the request: "service" in "SaaS" or "studio" in "Looker Studio" do not.
    gate_low, gate_high, gate_min : float
        A word shared with a specialty counts fully when the specialty's weighted cosine with the
        request reaches ``gate_high``, ``gate_min`` of it at ``gate_low`` or below, linear between.
    fit_low, fit_high : float
        The clientele score counts not at all below a best-specialty cosine of ``fit_low``, fully
        from ``fit_high``: serving restaurants does not make an interior designer a web designer.
    search_floor : float
        ``semantic_floor`` for the directory search and the network filter (:meth:`MatchIndex.search`).
    sense : float
        Least cosine between the client's clause and a specialty for a word they share to be
        named in an explanation ("bookings" is not "book covers").
    """

    typo: float = 0.85
    abbreviation: float = 0.9
    concept: float = 0.7
    concept_phrase: float = 1.0
    phrase: float = 0.5
    modifier: float = 0.6
    reinforce: float = 0.3
    repeat: float = 0.25
    repeat_cap: int = 3
    fuzzy_min_ratio: float = 85.0
    fuzzy_min_length: int = 5
    industry_in_specialties: float = 0.35
    company_in_specialties: float = 0.15
    needs_in_clientele: float = 0.5
    industry_in_clientele: float = 1.0
    company_in_clientele: float = 0.6
    clauses: ClauseWeights = field(default_factory=ClauseWeights)
    clientele: float = 0.5
    idf_prior: float = 50.0
    length_norm: float = 0.3
    length_ref: float = 4.0
    min_relevance: float = 1.0
    scale: float = 8.0
    text_points: float = 92.0
    connection: float = 1.0
    mutual: float = 1.5
    spare_capacity: float = 1.0
    reciprocity: float = 1.0
    reciprocity_full: int = 3
    same_location: float = 2.0
    explain_lines: int = 4
    semantic: float = 8.0
    whole_clause: float = 0.9
    asked: float = 0.85
    gate_low: float = 0.15
    gate_high: float = 0.35
    gate_min: float = 0.5
    fit_low: float = 0.2
    search_floor: float = 0.45
    fit_high: float = 0.4
    semantic_clientele: float = 3.0
    semantic_low: float = 0.2
    semantic_high: float = 0.7
    semantic_floor: float = 0.35
    lexical_floor: float = 0.25
    sense: float = 0.3


@dataclass
class MatchContext:
    """Facts of one request that the index does not keep.

    Parameters
    ----------
    member_id : int
        The member's own colleague id: never a candidate.
    reasons : frozenset of str
        Reason codes of the handoff.
    today : date
        The day of the request (for pauses).
    open_referrals : mapping of int to int
        Colleague id -> open referrals (offered plus accepted).
    excluded : frozenset of int
        Colleagues who declined or let this handoff expire already.
    graph : networkx.Graph or None
        Undirected "knows" graph over colleague ids.
    reciprocity : mapping of int to int
        Colleague id -> clients they sent the member before.
    """

    member_id: int
    reasons: frozenset[str]
    today: date
    open_referrals: Mapping[int, int]
    excluded: frozenset[int] = frozenset()
    graph: networkx.Graph | None = None
    reciprocity: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    """A colleague who fits: score 0..100 and short reasons a person can read."""

    colleague_id: int
    score: float
    explanation: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# hard rules
# ---------------------------------------------------------------------------------------------


def hard_rule(profile: Profile, client: ClientNeed, ctx: MatchContext) -> str | None:
    """The reason the contract excludes this colleague for this client, or None.

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
        "paused": lambda: f"paused until {profile.paused_until.isoformat()}",
        "dealbreaker": lambda: "will not take clients who are " + ", ".join(
            b.replace("_", " ") for b in sorted(profile.dealbreakers & ctx.reasons)),
        "place": lambda: f"works only in {profile.location or 'an unknown place'}, not in {client.location}",
    }[rule]()


# ---------------------------------------------------------------------------------------------
# text analysis
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    """Why a text carries a term: weight, the words as written, how they were read."""

    weight: float
    said: str
    how: str  # "word", "typo", "abbreviation", "concept", "phrase"
    means: str = ""
    source: str = "needs"  # "needs", "industry", "company"
    slot: int = 0  # 2 * position of the (first) word, + 1 for a two-word phrase: terms of one slot share it
    last: int = 0  # position of the last word read


@lru_cache(maxsize=2)
def _triggers(table: str) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """Thesaurus phrases (``"trades"`` or ``"clienteles"``) as singular word sequences, by first word.

    Phrases match on words, not stems, so that "executive" does not trigger "executor".
    """
    found: dict[str, set[tuple[tuple[str, ...], str]]] = {}
    for label, phrases in (TRADES if table == "trades" else CLIENTELES).items():
        for phrase in {label, *(p.strip() for p in phrases.split(";"))}:
            tokens = tokenize(phrase)
            if any(t.text not in STOPWORDS for t in tokens):
                words = tuple(singular(t.text) for t in tokens)
                found.setdefault(words[0], set()).add((words, label))
    return {k: tuple(sorted(v)) for k, v in found.items()}


@lru_cache(maxsize=1)
def _thesaurus_words() -> frozenset[str]:
    """Words of the thesaurus and abbreviation expansions: spelling targets even if no one uses them."""
    texts = [*TRADES, *TRADES.values(), *CLIENTELES, *CLIENTELES.values(), *ABBREVIATIONS.values()]
    return frozenset(t.text for text in texts for t in tokenize(text.replace(";", " ")))


_GAP = 2  # other words allowed between two words of a thesaurus phrase


def _analyse(text: str, table: str, w: Weights, source: str = "needs", correct=None,
             cue_weights: list[float] | None = None) -> list[tuple[str, _Hit]]:
    """Every term occurrence of a text: words, two-word phrases and concepts of ``table``.

    ``correct`` maps an unknown word to ``(known word, similarity)`` or None (client text only);
    ``cue_weights`` gives each token a sentence weight (chatter handling).
    """
    stream: list[tuple[str, str, _Hit]] = []  # (word, stem, hit)
    for i, tok in enumerate(tokenize(text)):
        base = cue_weights[i] if cue_weights else 1.0
        expansion = ABBREVIATIONS.get(tok.text)
        if expansion and (tok.text not in CAPITALS_ONLY or (tok.raw.isupper() and len(tok.raw) > 1)):
            stream.append((tok.text, stem(tok.text), _Hit(base, tok.raw, "word", "", source, 2 * i, i)))
            hit = _Hit(base * w.abbreviation, tok.raw, "abbreviation", expansion, source, 2 * i, i)
            stream.extend((sub.text, stem(sub.text), hit) for sub in tokenize(expansion))
            continue
        fixed = correct(tok.text) if correct else None
        if fixed:
            word, similarity = fixed
            hit = _Hit(base * w.typo * similarity, tok.raw, "typo", word, source, 2 * i, i)
            stream.append((word, stem(word), hit))
        else:
            stream.append((tok.text, stem(tok.text), _Hit(base, tok.raw, "word", "", source, 2 * i, i)))

    out = [(term, hit) for word, term, hit in stream if word not in STOPWORDS]
    if table == "trades":
        for (w1, t1, h1), (w2, t2, h2) in itertools.pairwise(stream):
            if w1 not in STOPWORDS and w2 not in STOPWORDS and t1 != t2:
                said = h1.said if h1.said == h2.said else f"{h1.said} {h2.said}"
                out.append((f"{t1} {t2}", _Hit(min(h1.weight, h2.weight) * w.phrase, said, "phrase", "",
                                               source, h1.slot + 1, h2.last)))
    triggers = _triggers(table)
    singulars = [singular(word) for word, _, _ in stream]
    for start, first in enumerate(singulars):
        for phrase, label in triggers.get(first, ()):
            at, used = start, [start]
            for nxt in phrase[1:]:
                window = range(at + 1, min(at + 2 + _GAP, len(stream)))
                at = next((j for j in window if singulars[j] == nxt), -1)
                if at < 0:
                    break
                used.append(at)
            if at < 0:
                continue
            parts = [stream[j][2] for j in used]
            said = " ".join(dict.fromkeys(p.said for p in parts))
            strength = min(p.weight for p in parts) * (w.concept if len(phrase) == 1 else w.concept_phrase)
            out.append(("~" + label, _Hit(strength, said, "concept", label, source, parts[0].slot, parts[-1].last)))
    return out


# ---------------------------------------------------------------------------------------------
# documents, vocabulary and the query
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Doc:
    """A profile analysed once: term -> (posting weight, which specialty), clientele terms, words."""

    profile: Profile
    spec: dict[str, int]  # term -> index of the first specialty with it
    spec_weights: dict[str, float]
    cli: dict[str, float]
    words: frozenset[str]


# a specialty's head word is its last word before any of these ("tax returns for expats" -> "returns")
_PREPOSITIONS = frozenset({"for", "of", "in", "with", "to", "on", "at", "from", "by", "about", "into", "via", "under"})


@lru_cache(maxsize=1 << 16)
def _specialty_terms(specialty: str, weights: Weights) -> tuple[tuple[str, float], ...]:
    """A specialty's terms with their weight before length normalisation (head word full, modifiers
    less). Cached: phrases repeat across a network, so a big import analyses each one once."""
    terms = _analyse(specialty, "trades", weights)
    cut = next((t.pos for t in tokenize(specialty) if t.text in _PREPOSITIONS and t.pos > 0), None)
    head = max((hit.last for _, hit in terms if cut is None or hit.last < cut), default=0)
    return tuple((term, 1.0 if hit.last == head or hit.how == "concept" else weights.modifier) for term, hit in terms)


@lru_cache(maxsize=1 << 14)
def _clientele_terms(clientele: str, weights: Weights) -> tuple[tuple[tuple[str, float], ...], frozenset[str]]:
    """Target clientele terms with their weights, and its words (cached like specialties)."""
    cli: dict[str, float] = {}
    for part in re.split(r"[,;:()]", clientele):
        # whom they serve is the head of each listed group; what follows a preposition only
        # qualifies it ("employees in a dispute with their employer" serves employees)
        cut = next((t.pos for t in tokenize(part) if t.text in _PREPOSITIONS and t.pos > 0), None)
        for term, hit in _analyse(part, "clienteles", weights):
            value = 1.0 if cut is None or hit.slot // 2 < cut or hit.how == "concept" else weights.modifier
            cli[term] = max(cli.get(term, 0.0), value)
    return tuple(cli.items()), frozenset(t.text for t in tokenize(clientele))


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> frozenset[str]:
    return frozenset(t.text for t in tokenize(text))


def _make_doc(profile: Profile, weights: Weights) -> _Doc:
    """Analyse a profile once: specialty terms (head word full weight, modifier words less) and clientele."""
    spec: dict[str, tuple[float, int]] = {}
    n = max(1, len(profile.specialties))
    norm = 1.0 / (1.0 - weights.length_norm + weights.length_norm * n / weights.length_ref)
    for i, specialty in enumerate(profile.specialties):
        for term, base in _specialty_terms(specialty, weights):
            value = norm * base
            if term not in spec or value > spec[term][0]:
                spec[term] = (value, i)
    cli_terms, cli_words = _clientele_terms(profile.target_clientele, weights)
    words = cli_words.union(*(_words(s) for s in profile.specialties))
    return _Doc(profile, {t: i for t, (_, i) in spec.items()}, {t: v for t, (v, _) in spec.items()},
                dict(cli_terms), words)


def _count(counter: Counter, keys: Iterable, sign: int) -> bool:
    """Add ``sign`` to each key, dropping zeros; True if the set of keys changed."""
    changed = False
    for key in keys:
        value = counter[key] + sign
        changed |= value == 0 or value == sign
        if value:
            counter[key] = value
        else:
            del counter[key]
    return changed


class _Vocabulary:
    """Document frequencies and the known words of a set of profiles, with spelling correction."""

    def __init__(self, weights: Weights) -> None:
        self.weights = weights
        self.n = 0
        self.df: Counter[tuple[str, str]] = Counter()
        self.words: Counter[str] = Counter()
        self._choices: list[str] | None = None
        self._corrections: dict[str, tuple[str, float] | None] = {}

    def add(self, doc: _Doc, sign: int = 1) -> None:
        """Count a profile in (``sign=1``) or out (``sign=-1``)."""
        self.n += sign
        _count(self.df, [("s", t) for t in doc.spec] + [("c", t) for t in doc.cli], sign)
        if _count(self.words, doc.words, sign):
            self._choices, self._corrections = None, {}

    def idf(self, fld: str, term: str) -> float:
        df = self.df.get((fld, term), 0)
        return math.log(1.0 + (self.n + self.weights.idf_prior - df + 0.5) / (df + 0.5))

    def correct(self, word: str) -> tuple[str, float] | None:
        """The known word a client probably meant, with its similarity, or None if known/unknown."""
        if word in self._corrections:
            return self._corrections[word]
        result = None
        term = stem(word)
        known = (word in STOPWORDS or word in self.words or word in ABBREVIATIONS or word in _thesaurus_words()
                 or ("s", term) in self.df or ("c", term) in self.df)
        if not known and len(word) >= self.weights.fuzzy_min_length and word.isalpha():
            if self._choices is None:
                self._choices = sorted(set(self.words) | _thesaurus_words())
            best = process.extractOne(word, self._choices, scorer=fuzz.ratio,
                                      score_cutoff=self.weights.fuzzy_min_ratio)
            if best is not None:
                result = (best[0], best[1] / 100.0)
        self._corrections[word] = result
        return result


_Group = tuple[tuple[str, _Hit], ...]


@dataclass(frozen=True, slots=True)
class _Query:
    """The client's terms for specialties and for clientele.

    Terms are grouped by the client's word they come from (a word, its correction, its
    abbreviation expansion, the concepts it starts): a colleague scores the best term of each
    group, so one word never counts twice. Each term sits in one group; order is fixed.
    """

    spec: tuple[_Group, ...]
    cli: tuple[_Group, ...]
    meaning: _Meaning | None = None


@dataclass(frozen=True)
class _Meaning:
    """The request as vectors: its clauses (for specialties) and its situation (for clientele).

    ``spec_scores`` / ``cli_scores`` hold, per phrase row of the network's
    :class:`PhraseVectors`, the best weighted cosine with these vectors.
    """

    texts: tuple[str, ...]
    vectors: np.ndarray
    weights: np.ndarray
    clauses: int  # the first ``clauses`` texts are the request's clauses, the rest its situation
    spec_scores: np.ndarray
    cli_scores: np.ndarray
    phrases: PhraseVectors


# a long pasted email: its first clauses by weight are enough (bounded query time)
_MAX_CLAUSES = 12


def _context_stems(client: ClientNeed) -> set[str]:
    """Stems of the client's industry and company: who the client is, not what they ask for."""
    return {stem(t.text) for t in tokenize(f"{client.industry} {client.company}") if t.text not in STOPWORDS}


def _without(text: str, stems: set[str]) -> str:
    """The text without the words whose stem is in ``stems`` (everything else as written)."""
    kept = re.sub(r"[^\W_]+", lambda m: "" if stem(fold(m.group())) in stems else m.group(), text)
    return " ".join(kept.split())


def _spelled_out(text: str) -> str:
    """The text with the abbreviations matching knows written out ("PPC campaigns" -> "pay per
    click advertising (PPC) campaigns"), so the model reads what the word matching reads."""
    out, at = [], 0
    for m in re.finditer(r"[^\W_]+(?:[&/][^\W_]+)?", text):
        key = m.group().casefold()
        expansion = ABBREVIATIONS.get(key)
        if expansion and (key not in CAPITALS_ONLY or (m.group().isupper() and len(m.group()) > 1)):
            out.append(text[at: m.start()] + f"{expansion} ({m.group()})")
            at = m.end()
    return "".join(out) + text[at:]


def _meaning(client: ClientNeed, phrases: PhraseVectors, w: Weights) -> _Meaning:
    """Embed the request's clauses (one batch) and score every phrase of the network against them."""
    found = sorted(clauses(client.needs, w.clauses), key=lambda c: -c.weight)[:_MAX_CLAUSES]
    # the work asked for, without the situation around it, and the whole clause a little less
    asks: list[tuple[str, float]] = []
    context = _context_stems(client)
    for c in found:
        work = asked_for(c.text)
        asks += [(_spelled_out(a), c.weight * w.asked) for a in work]
        # the clause without the client's own industry words: "a website for our restaurant" is
        # about a website, not about restaurants
        text = _without(c.text, context) if context else c.text
        asks.append((_spelled_out(text), c.weight * (w.whole_clause if work else 1.0)))
    situation = [t for t in (client.industry, client.company, self_description(client.needs)) if t.strip()]
    texts = [a for a, _ in asks] + situation
    vectors = np.asarray(phrases.encoder.encode(texts), dtype=np.float32) if texts else np.zeros((0, 1), np.float32)
    weights = np.array([x for _, x in asks] + [1.0] * len(situation))
    n = len(asks)
    spec = phrases.scores(vectors[:n], weights[:n])
    # whom the colleague serves: the client's situation first, what they ask for a little
    cli = phrases.scores(vectors, np.concatenate([weights[:n] * w.needs_in_clientele, weights[n:]]))
    return _Meaning(tuple(texts), vectors, weights, n, spec, cli, phrases)


_SELF = re.compile(r"\b(?:we(?:'re|\u2019re| are)|i(?:'m|\u2019m| am)|as)\s+(?:an?|the|one of the)?\s*"
                   r"((?:[a-z][\w&-]*\s+){0,2}[a-z][\w&-]*)", re.IGNORECASE)
_NOT_WHO = re.compile(r"(?:ing|ed)$|^(?:not|so|very|just|still|really|also|currently|now|here|sure|happy|"
                      r"afraid|able|unable|about|going|well|soon|far|much|many|few|only)$", re.IGNORECASE)


def self_description(needs: str) -> str:
    """What the client says they are ("we're the employer" -> "employer"), for the clientele score.

    >>> self_description("Got a claim from an ex-employee; we're the employer and need advice")
    'employer and need'
    >>> self_description("I am looking for a designer")
    ''
    """
    found = []
    for m in _SELF.finditer(needs):
        words = m.group(1).split()
        if words and not _NOT_WHO.search(words[0]):
            found.append(" ".join(words))
    return " ".join(found)


def _make_query(client: ClientNeed, vocab: _Vocabulary, phrases: PhraseVectors | None = None) -> _Query:
    w = vocab.weights
    cues = token_weights(client.needs, w.clauses)
    # the client's own industry or company named in the request is context, not the work asked for
    context = _context_stems(client)
    cues = [c * (w.industry_in_specialties if stem(t.text) in context else 1.0)
            for c, t in zip(cues, tokenize(client.needs))]

    def terms(table: str, factors: tuple[float, float, float], industry: str) -> tuple[_Group, ...]:
        best: dict[str, _Hit] = {}
        slots: dict[str, set[int]] = {}
        for text, source, factor in zip((client.needs, industry, client.company),
                                        ("needs", "industry", "company"), factors):
            if factor <= 0:
                continue
            for term, hit in _analyse(text, table, w, source, vocab.correct, cues if source == "needs" else None):
                hit = replace(hit, weight=hit.weight * factor)
                if source == "needs":
                    slots.setdefault(term, set()).add(hit.slot)
                if term not in best or hit.weight > best[term].weight:
                    best[term] = hit
        groups: dict[tuple[str, int], list[tuple[str, _Hit]]] = {}
        for term, hit in sorted(best.items()):
            repeats = min(len(slots.get(term, ())), w.repeat_cap) - 1
            if repeats > 0:
                hit = replace(hit, weight=hit.weight * (1.0 + w.repeat * repeats))
            groups.setdefault((hit.source, hit.slot), []).append((term, hit))
        return tuple(tuple(group) for _, group in sorted(groups.items()))

    return _Query(
        spec=terms("trades", (1.0, w.industry_in_specialties, w.company_in_specialties), client.industry),
        # "we're the employer", "I'm a freelance designer": who the client is counts as their industry
        cli=terms("clienteles", (w.needs_in_clientele, w.industry_in_clientele, w.company_in_clientele),
                  " ".join(filter(None, (client.industry, self_description(client.needs))))),
        meaning=_meaning(client, phrases, w) if phrases is not None and len(phrases) else None,
    )


# ---------------------------------------------------------------------------------------------
# scoring (shared by the index and the brute force)
# ---------------------------------------------------------------------------------------------


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


def _fit(x, w: Weights):
    """How much whom a colleague serves may count, from how close their best specialty is to the
    work asked for (works on arrays): the clientele decides between people who do the work."""
    return np.clip((x - w.fit_low) / (w.fit_high - w.fit_low), 0.0, 1.0)


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


def _score(doc: _Doc, query: _Query, vocab: _Vocabulary, spec_ids: tuple[int, ...] = (),
           cli_id: int = 0) -> _Scored:
    s, c = _text_scores(doc, query, vocab, spec_ids)
    m = query.meaning
    if m is None:
        return _Scored(doc, s, c)
    ss = max((float(m.spec_scores[i]) for i in spec_ids), default=0.0)
    return _Scored(doc, s, c, ss, float(m.cli_scores[cli_id]), spec_ids, cli_id)


def _ramp(x, w: Weights):
    """Meaning in score units: 0 up to ``semantic_low``, 1 from ``semantic_high`` (works on arrays)."""
    return np.clip((x - w.semantic_low) / (w.semantic_high - w.semantic_low), 0.0, 1.0)


def _relevant(s, ss, with_meaning: bool, w: Weights):
    """Whether a colleague fits at all (works on arrays): close in meaning, or shared words that are
    not a coincidence of spelling (the specialty is still somewhat close in meaning)."""
    if not with_meaning:
        return s >= w.min_relevance
    return (ss >= w.semantic_floor) | ((s >= w.min_relevance) & (ss >= w.lexical_floor))


def _text_points(r: _Scored, w: Weights, with_meaning: bool) -> float:
    work = float(_ramp(r.ss, w))
    # whom they serve decides between colleagues who do the work; it never makes up for the work
    fit = float(_fit(r.ss, w)) if with_meaning else 1.0
    total = r.s + w.semantic * work + w.clientele * fit * (r.c + w.semantic_clientele * float(_ramp(r.sc, w)))
    return w.text_points * (1.0 - math.exp(-total / w.scale))


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


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;") + "…"


def _text_reasons(r: _Scored, query: _Query, vocab: _Vocabulary, w: Weights) -> list[str]:
    """Readable lines for the strongest matched specialties and the clientele.

    Each line names the client's words and the colleague's words that meet. A word they share
    is named only where the specialty is also close in meaning to what the client asks
    ("bookings" is not "book covers"); a match of meaning alone names the client's clause.
    """
    doc, m = r.doc, query.meaning

    def closeness(index: int) -> float:
        return 1.0 if m is None or index >= len(r.spec_ids) else float(m.spec_scores[r.spec_ids[index]])

    groups: dict[int, list[tuple[float, _Hit]]] = {}
    for contribution, term, hit in _matches(query.spec, doc.spec_weights, "s", vocab,
                                            _sense(doc, query, r.spec_ids, w)):
        if closeness(doc.spec[term]) >= w.sense:
            groups.setdefault(doc.spec[term], []).append((contribution, hit))
    ranked = sorted(groups.items(), key=lambda kv: (-sum(c for c, _ in kv[1]), kv[0]))
    lines: list[str] = []
    if m is not None and r.spec_ids and r.ss >= w.semantic_floor:
        index = max(range(len(r.spec_ids)), key=lambda i: (closeness(i), -i))
        if index not in groups:
            clause = m.texts[m.phrases.best_query(r.spec_ids[index], m.vectors[: m.clauses], m.weights[: m.clauses])[0]]
            lines.append(f'"{said_briefly(clause)}" is close in meaning to specialty "{doc.profile.specialties[index]}"')
    for index, hits in ranked[:3]:
        specialty = doc.profile.specialties[index]
        hits.sort(key=lambda ch: -ch[0])
        # a concept named in the client's own words ("website") reads as a plain word match
        words = [h for _, h in hits if h.how in ("word", "typo", "phrase")
                 or (h.how == "concept" and h.said.casefold() == h.means)]
        if words:
            said = ", ".join(f'"{word}"' for word in dict.fromkeys(h.said for h in words))
            origin = " (the client's industry)" if all(h.source == "industry" for h in words) else ""
            lines.append(f'{said}{origin} matched specialty "{specialty}"')
        for _, h in hits:
            if h.how == "abbreviation":
                lines.append(f'"{h.said}" means {h.means}: matched "{specialty}"')
            elif h.how == "concept" and h.said.casefold() != h.means:
                lines.append(f'"{_quote(h.said, 40)}" means {h.means}: matched specialty "{specialty}"')
    lines = list(dict.fromkeys(lines))[: w.explain_lines]
    fits = list(_matches(query.cli, doc.cli, "c", vocab))
    if fits and w.clientele * sum(c for c, _, _ in fits) >= w.min_relevance / 2:
        best = max(fits, key=lambda cth: (cth[0], cth[1]))[2]
        what = {"industry": "the client's industry", "company": "the client's company"}.get(best.source, "the client")
        lines.append(f'serves {_quote(doc.profile.target_clientele)}: fits {what} ("{_quote(best.said, 40)}")')
    elif m is not None and r.cli_id and r.sc >= w.semantic_floor:
        which = m.phrases.best_query(r.cli_id, m.vectors, m.weights)[0]
        lines.append(f'serves {_quote(doc.profile.target_clientele)}: close to the client '
                     f'("{said_briefly(m.texts[which], 40)}")')
    return lines


def _finish(scored: list[_Scored], query: _Query, client: ClientNeed, ctx: MatchContext,
            vocab: _Vocabulary, names: Mapping[int, str], limit: int) -> list[Candidate]:
    """Exact scores for eligible, relevant colleagues; best first, ties by id; at most ``limit``.

    Explanations are written for the winners only.
    """
    w = vocab.weights
    ranked = []
    for r in scored:
        soft, _ = _soft(r.doc.profile, client, ctx, w, names)
        ranked.append((round(min(100.0, _text_points(r, w, query.meaning is not None) + soft), 2), r))
    ranked.sort(key=lambda sr: (-sr[0], sr[1].doc.profile.id))
    out = []
    for score, r in ranked[: max(0, limit)]:
        why = _text_reasons(r, query, vocab, w) + _soft(r.doc.profile, client, ctx, w, names)[1]
        out.append(Candidate(r.doc.profile.id, score, tuple(why)))
    return out


def brute_force_rank(profiles: Iterable[Profile], client: ClientNeed, ctx: MatchContext, limit: int = 10,
                     weights: Weights = Weights(), encoder: Encoder | None = None) -> list[Candidate]:
    """Rank by scoring every profile in turn: slow, simple, the reference for :class:`MatchIndex`.

    Parameters
    ----------
    profiles : iterable of Profile
        The whole network (ids unique); document frequencies are taken over all of them.
    client, ctx, limit, weights
        As for :meth:`MatchIndex.rank`.
    encoder : Encoder or None
        As for :class:`MatchIndex` (None: words only).

    Returns
    -------
    list of Candidate
        Best first, ties by colleague id, at most ``limit``.
    """
    vocab = _Vocabulary(weights)
    docs = [_make_doc(p, weights) for p in profiles]
    for doc in docs:
        vocab.add(doc)
    phrases = PhraseVectors(encoder) if encoder is not None else None
    ids = [_phrase_ids(phrases, doc.profile) for doc in docs]
    query = _make_query(client, vocab, phrases)
    scored = []
    for doc, (spec_ids, cli_id) in zip(docs, ids):
        r = _score(doc, query, vocab, spec_ids, cli_id)
        if _relevant(r.s, r.ss, query.meaning is not None, weights) and hard_rule(doc.profile, client, ctx) is None:
            scored.append(r)
    return _finish(scored, query, client, ctx, vocab, {d.profile.id: d.profile.name for d in docs}, limit)


def _phrase_ids(phrases: PhraseVectors | None, profile: Profile) -> tuple[tuple[int, ...], int]:
    """Phrase rows of a profile's specialties and of its target clientele (adds them to ``phrases``)."""
    if phrases is None:
        return (), 0
    *spec, cli = phrases.add([*profile.specialties, profile.target_clientele])
    return tuple(spec), cli


# ---------------------------------------------------------------------------------------------
# the index
# ---------------------------------------------------------------------------------------------


class _Names(Mapping[int, str]):
    """Colleague id -> name, read from the index's documents."""

    def __init__(self, index: MatchIndex) -> None:
        self._index = index

    def __getitem__(self, key: int) -> str:
        doc = self._index._docs[self._index._rows[key]]
        assert doc is not None
        return doc.profile.name

    def __iter__(self):
        return iter(self._index._rows)

    def __len__(self) -> int:
        return len(self._index._rows)


# bound on the difference between vectorised and exact scores (only summation order differs)
_SLACK = 1e-6


class MatchIndex:
    """Colleagues prepared for fast ranking; equal in results to :func:`brute_force_rank`.

    Parameters
    ----------
    profiles : iterable of Profile
        Initial network.
    weights : Weights
        Weights and thresholds.
    encoder : Encoder or None
        Turns phrases and clauses into unit vectors (the service gives one that reads stored
        vectors first); None ranks on words only.

    Notes
    -----
    Storage: one row per colleague (rows of removed colleagues are reused), postings
    ``(field, term) -> {row: weight}`` with numpy copies made lazily per term when a query
    needs them, and numpy columns for capacity, pause, remote, place and dealbreakers.
    ``upsert`` costs the analysis of one profile plus one dictionary update per term.
    Meaning: every distinct specialty and clientele phrase is one float32 row of a shared
    :class:`PhraseVectors` matrix; a colleague row holds only phrase row ids (``int32``), so
    100,000 colleagues who share a few thousand phrases cost a few megabytes.
    """

    def __init__(self, profiles: Iterable[Profile] = (), weights: Weights = Weights(),
                 encoder: Encoder | None = None) -> None:
        self.weights = weights
        self._phrases = PhraseVectors(encoder) if encoder is not None else None
        self._spec_phr = np.zeros((0, 4), dtype=np.int32)  # row -> phrase rows of its specialties (0: none)
        self._cli_phr = np.zeros(0, dtype=np.int32)  # row -> phrase row of its target clientele
        self._vocab = _Vocabulary(weights)
        self._rows: dict[int, int] = {}
        self._docs: list[_Doc | None] = []
        self._free: list[int] = []
        self._postings: dict[tuple[str, str], dict[int, float]] = {}
        self._where: dict[str, dict[int, int]] = {}  # specialty term -> row -> index of its specialty
        self._arrays: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._ids = np.zeros(0, dtype=np.int64)  # row -> colleague id
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None  # ids ascending, their rows
        self._capacity = np.zeros(0, dtype=np.int64)
        self._paused = np.zeros(0, dtype=np.int64)  # date ordinal, 0 = not paused
        self._remote = np.zeros(0, dtype=bool)
        self._place = np.zeros(0, dtype=np.int64)  # place id, -1 = none
        self._dealbreakers: dict[str, np.ndarray] = {}
        self._places: dict[str, int] = {}
        self._places_by_word: dict[str, list[str]] = {}
        profiles = list(profiles)
        if self._phrases is not None:  # embed every distinct phrase in one batch, then share
            self._phrases.release(self._phrases.add([t for p in profiles for t in (*p.specialties, p.target_clientele)]))
        for profile in profiles:
            self.upsert(profile)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, colleague_id: object) -> bool:
        return colleague_id in self._rows

    # -- maintenance ------------------------------------------------------------------------------

    def upsert(self, profile: Profile) -> None:
        """Add a colleague or replace the one with the same id."""
        old = self._drop(profile.id)
        doc = _make_doc(profile, self.weights)
        row = self._free.pop() if self._free else self._grow()
        self._rows[profile.id] = row
        self._docs[row] = doc
        self._ids[row] = profile.id
        if row != old:
            self._sorted = None
        self._vocab.add(doc)
        spec_ids, cli_id = _phrase_ids(self._phrases, profile)
        if len(spec_ids) > self._spec_phr.shape[1]:
            wider = np.zeros((self._spec_phr.shape[0], len(spec_ids)), dtype=np.int32)
            wider[:, : self._spec_phr.shape[1]] = self._spec_phr
            self._spec_phr = wider
        self._spec_phr[row] = 0
        self._spec_phr[row, : len(spec_ids)] = spec_ids
        self._cli_phr[row] = cli_id
        for fld, terms in (("s", doc.spec_weights), ("c", doc.cli)):
            for term, value in terms.items():
                self._postings.setdefault((fld, term), {})[row] = value
                self._arrays.pop((fld, term), None)
        for term, index in doc.spec.items():
            self._where.setdefault(term, {})[row] = index
        self._capacity[row] = profile.capacity
        self._paused[row] = profile.paused_until.toordinal() if profile.paused_until else 0
        self._remote[row] = profile.remote
        self._place[row] = self._place_id(profile.location)
        for code in profile.dealbreakers:
            if code not in self._dealbreakers:
                self._dealbreakers[code] = np.zeros(len(self._capacity), dtype=bool)
            self._dealbreakers[code][row] = True

    def remove(self, colleague_id: int) -> None:
        """Forget a colleague (no error if unknown)."""
        if self._drop(colleague_id) is not None:
            self._sorted = None

    def _drop(self, colleague_id: int) -> int | None:
        """Remove a colleague's postings and free their row; the row, or None if unknown."""
        row = self._rows.pop(colleague_id, None)
        if row is None:
            return None
        doc = self._docs[row]
        assert doc is not None
        self._vocab.add(doc, -1)
        for fld, terms in (("s", doc.spec), ("c", doc.cli)):
            for term in terms:
                postings = self._postings[(fld, term)]
                del postings[row]
                if not postings:
                    del self._postings[(fld, term)]
                self._arrays.pop((fld, term), None)
        for term in doc.spec:
            where = self._where[term]
            del where[row]
            if not where:
                del self._where[term]
        for code in doc.profile.dealbreakers:
            self._dealbreakers[code][row] = False
        if self._phrases is not None:
            self._phrases.release([*self._spec_phr[row].tolist(), int(self._cli_phr[row])])
        self._spec_phr[row] = 0  # a free row has no meaning: it can never be relevant
        self._cli_phr[row] = 0
        self._docs[row] = None
        self._free.append(row)
        return row

    def _grow(self) -> int:
        row = len(self._docs)
        if row == len(self._capacity):
            size = max(64, 2 * row)
            self._ids = np.resize(self._ids, size)
            self._capacity = np.resize(self._capacity, size)
            self._paused = np.resize(self._paused, size)
            self._remote = np.resize(self._remote, size)
            self._place = np.resize(self._place, size)
            self._cli_phr = np.resize(self._cli_phr, size)
            grown_phr = np.zeros((size, self._spec_phr.shape[1]), dtype=np.int32)
            grown_phr[: len(self._spec_phr)] = self._spec_phr
            self._spec_phr = grown_phr
            for code, column in self._dealbreakers.items():
                grown = np.zeros(size, dtype=bool)
                grown[: len(column)] = column
                self._dealbreakers[code] = grown
        self._docs.append(None)
        return row

    def _place_id(self, location: str | None) -> int:
        key = place_key(location)
        if key is None:
            return -1
        if key not in self._places:
            self._places[key] = len(self._places)
            self._places_by_word.setdefault(key.split()[0], []).append(key)
        return self._places[key]

    def _array(self, fld: str, term: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, posting weights and (specialties only) the phrase row of the specialty with the term."""
        key = (fld, term)
        if key not in self._arrays:
            postings = self._postings[key]
            rows = np.fromiter(postings.keys(), np.int64, len(postings))
            phrases = np.zeros(0, dtype=np.int32)
            if fld == "s":
                where = self._where[term]
                phrases = self._spec_phr[rows, np.fromiter((where[r] for r in postings), np.int64, len(postings))]
            self._arrays[key] = (rows, np.fromiter(postings.values(), np.float64, len(postings)), phrases)
        return self._arrays[key]

    # -- ranking ----------------------------------------------------------------------------------

    def _accumulate(self, fld: str, groups: tuple[_Group, ...], meaning: _Meaning | None = None) -> np.ndarray:
        """Vectorised :func:`_text_scores` for one field over all rows (``meaning``: gate specialty words)."""
        r = self.weights.reinforce
        total = np.zeros(len(self._docs))
        scratch = np.zeros(len(self._docs))
        for group in groups:
            parts = []
            for term, hit in group:
                if (fld, term) in self._postings:
                    rows, values, phrases = self._array(fld, term)
                    contribution = (hit.weight * self._vocab.idf(fld, term)) * values
                    if meaning is not None and fld == "s":
                        contribution = contribution * _gate(meaning.spec_scores[phrases], self.weights)
                    parts.append((rows, contribution))
            if len(parts) == 1:
                total[parts[0][0]] += parts[0][1]
            elif parts:
                for rows, contribution in parts:
                    scratch[rows] = np.maximum(scratch[rows], contribution)
                    total[rows] += r * contribution
                touched = np.unique(np.concatenate([rows for rows, _ in parts]))
                total[touched] += (1.0 - r) * scratch[touched]
                scratch[touched] = 0.0
        return total

    def _column(self, values: Mapping[int, int]) -> np.ndarray:
        """A per-row array from a colleague id -> number mapping (0 where absent)."""
        if self._sorted is None:
            ids = np.fromiter(self._rows.keys(), np.int64, len(self._rows))
            order = np.argsort(ids)
            self._sorted = (ids[order], np.fromiter(self._rows.values(), np.int64, len(self._rows))[order])
        ids, rows = self._sorted
        column = np.zeros(len(self._docs), dtype=np.float64)
        if values and ids.size:
            keys = np.fromiter(values.keys(), np.int64, len(values))
            pos = np.minimum(np.searchsorted(ids, keys), ids.size - 1)
            found = ids[pos] == keys
            column[rows[pos[found]]] = np.fromiter(values.values(), np.float64, len(values))[found]
        return column

    def _near(self, location: str | None) -> list[int]:
        """Place ids that match the client's location."""
        key = place_key(location)
        if key is None:
            return []
        return [self._places[k] for k in self._places_by_word.get(key.split()[0], ()) if places_match(k, key)]

    def _eligible(self, rows: np.ndarray, client: ClientNeed, ctx: MatchContext, open_now: np.ndarray,
                  near: list[int]) -> np.ndarray:
        """Vectorised :func:`referral.domain.rules.broken_rule` over rows: True where no rule excludes
        (tests check it agrees with the rule, through :func:`brute_force_rank`)."""
        blocked = np.zeros(len(self._docs), dtype=bool)
        blocked[[self._rows[c] for c in (ctx.member_id, *ctx.excluded) if c in self._rows]] = True
        ok = ~blocked[rows] & (self._paused[rows] < ctx.today.toordinal())
        ok &= self._capacity[rows] > open_now[rows]
        for code in ctx.reasons:
            if code in self._dealbreakers:
                ok &= ~self._dealbreakers[code][rows]
        if place_key(client.location) is not None:
            ok &= self._remote[rows] | np.isin(self._place[rows], near)
        return ok

    def _soft_points(self, rows: np.ndarray, ctx: MatchContext, open_now: np.ndarray,
                     near: list[int]) -> np.ndarray:
        """Vectorised soft points of :func:`_soft` over eligible rows."""
        w = self.weights
        capacity = self._capacity[rows]
        points = w.spare_capacity * (capacity - open_now[rows]) / capacity
        sent = np.minimum(self._column(ctx.reciprocity)[rows], w.reciprocity_full)
        points += w.reciprocity * np.maximum(sent, 0) / w.reciprocity_full
        points += w.same_location * np.isin(self._place[rows], near)
        graph, me = ctx.graph, ctx.member_id
        if graph is not None and me in graph:
            known = {n: 1 for n in graph[me] if n != me}
            mutual = {p: 1 for m in known for p in graph[m] if p not in (m, me)}
            points += w.connection * self._column(known)[rows] + w.mutual * self._column(mutual)[rows]
        return points

    def search(self, text: str) -> list[int]:
        """Colleague ids whose specialties fit ``text`` by the same reading as ranking (typos,
        abbreviations, the thesaurus, meaning), best first; no hard rules. "lawyer" finds the IP
        lawyer, "bookeeping" the bookkeepers. Used by the directory and the network filter.
        """
        if not self._rows or not text.strip():
            return []
        w = self.weights
        query = _make_query(ClientNeed(text), self._vocab, self._phrases)
        m = query.meaning
        spec = self._accumulate("s", query.spec, m)
        size = len(self._docs)
        ss = m.spec_scores[self._spec_phr[:size]].max(axis=1) if m is not None else np.zeros(size)
        # a search box gets a word or two, whose cosines run higher by chance than a sentence's
        rows = np.flatnonzero(_relevant(spec, ss, m is not None, replace(w, semantic_floor=w.search_floor)))
        order = np.argsort(-(spec[rows] + w.semantic * _ramp(ss[rows], w)), kind="stable")
        return self._ids[rows[order]].tolist()

    def rank(self, client: ClientNeed, ctx: MatchContext, limit: int = 10) -> list[Candidate]:
        """The colleagues who fit the client, best first.

        Parameters
        ----------
        client : ClientNeed
            The client handed off.
        ctx : MatchContext
            Facts of this request (member, reasons, day, open referrals, graph...).
        limit : int
            Most candidates returned.

        Returns
        -------
        list of Candidate
            Eligible colleagues with textual relevance, score descending, ties by id;
            ``[]`` when no one fits.

        Notes
        -----
        Scores are computed vectorised for every colleague who matches; the few that can
        reach the top ``limit`` (allowing for rounding) are scored again exactly, with the
        same Python code as :func:`brute_force_rank`, and explained.
        """
        w = self.weights
        if limit <= 0 or not self._rows:
            return []
        query = _make_query(client, self._vocab, self._phrases)
        m = query.meaning
        spec = self._accumulate("s", query.spec, m)
        size = len(self._docs)
        ss = m.spec_scores[self._spec_phr[:size]].max(axis=1) if m is not None else np.zeros(size)
        # the slack keeps borderline rows; the exact test below decides
        rows = np.flatnonzero(_relevant(spec + _SLACK, ss + _SLACK, m is not None, w))
        open_now, near = self._column(ctx.open_referrals), self._near(client.location)
        rows = rows[self._eligible(rows, client, ctx, open_now, near)]
        if rows.size == 0:
            return []
        cli = self._accumulate("c", query.cli)[rows]
        if m is None:
            total = spec[rows] + w.clientele * cli
        else:
            total = spec[rows] + w.semantic * _ramp(ss[rows], w) + w.clientele * _fit(ss[rows], w) * (
                cli + w.semantic_clientele * _ramp(m.cli_scores[self._cli_phr[rows]], w))
        points = w.text_points * (1.0 - np.exp(-total / w.scale))
        points += self._soft_points(rows, ctx, open_now, near)
        if rows.size > limit:
            kth = np.partition(points, -limit)[-limit]
            above = np.flatnonzero(points > kth + _SLACK)
            tied = np.flatnonzero(np.abs(points - kth) <= _SLACK)
            tied = tied[np.argsort(self._ids[rows[tied]], kind="stable")[:limit]]
            rows = rows[np.concatenate([above, tied])]
        scored = []
        for row in rows.tolist():
            doc = self._docs[row]
            n = len(doc.profile.specialties)
            spec_ids = tuple(self._spec_phr[row, :n].tolist()) if m is not None else ()
            r = _score(doc, query, self._vocab, spec_ids, int(self._cli_phr[row]))
            if _relevant(r.s, r.ss, m is not None, w):
                scored.append(r)
        return _finish(scored, query, client, ctx, self._vocab, _Names(self), limit)
