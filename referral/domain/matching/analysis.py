"""Text analysis: words, typos, abbreviations, thesaurus concepts, documents, the network's vocabulary and the query (words and meaning)."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from weakref import WeakKeyDictionary

import numpy as np
from rapidfuzz import fuzz, process

from referral.domain.clauses import asked_for, clauses, token_weights
from referral.domain.matching.data import ClientNeed, Profile, Weights
from referral.domain.semantic import PhraseVectors
from referral.domain.text import STOPWORDS, fold, singular, stem, tokenize
from referral.domain.vocabulary import ABBREVIATIONS, CAPITALS_ONLY, CLIENTELES, TRADES


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
        # the thesaurus's words now, with the index (in the web master, before the fork), not at
        # each worker's first request (25 ms)
        _thesaurus_words()

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
    # per phrase row: cosine with the whole request (without what it rules out and without the
    # client's own industry words); a colleague's specialties read together and their clientele meet it
    whole: np.ndarray


# a long pasted email: its first clauses by weight are enough (bounded query time)
_MAX_CLAUSES = 12


# "Our restaurant needs a website", "my little bakery is looking for": the business that asks
_OWNER = re.compile(r"(?:^|[.!?;]\s*)(?:our|my)\s+((?:[^\W\d_]+\s+){0,2}?[^\W\d_]+)\s+"
                    r"(?:needs?|wants?|requires?|is looking|is after)\b", re.IGNORECASE)


def _context_stems(client: ClientNeed) -> set[str]:
    """Stems of who the client is, not what they ask for: their industry, their company, and the
    business that asks in the request itself ("Our restaurant needs a website")."""
    owner = " ".join(m.group(1) for m in _OWNER.finditer(client.needs))
    return {stem(t.text) for t in tokenize(f"{client.industry} {client.company} {owner}") if t.text not in STOPWORDS}


def _without(text: str, stems: set[str]) -> str:
    """The text without the words whose stem is in ``stems`` (everything else as written)."""
    kept = re.sub(r"[^\W_]+", lambda m: "" if stem(fold(m.group())) in stems else m.group(), text)
    return " ".join(kept.split())


_ACRONYMS: WeakKeyDictionary[PhraseVectors, tuple[int, dict[str, str]]] = WeakKeyDictionary()


def network_acronyms(phrases: PhraseVectors) -> dict[str, str]:
    """Initials of the network's own phrases of two words or more -> the phrase, where only one
    phrase has them: "EICR" -> "electrical installation condition reports" when a colleague
    lists that. Jargon a client abbreviates is often spelled out in the specialist's profile.
    Cached per phrase set.

    >>> class Some:
    ...     version = 1
    ...     def phrases(self): return ["electrical installation condition reports", "public relations",
    ...                                "press releases", "bookkeeping"]
    >>> sorted(network_acronyms(Some()).items())
    [('eicr', 'electrical installation condition reports')]
    """
    cached = _ACRONYMS.get(phrases)
    if cached is not None and cached[0] == phrases.version:
        return cached[1]
    found: dict[str, set[str]] = {}
    for phrase in phrases.phrases():
        words = re.findall(r"[^\W\d_]+", phrase)
        if len(words) >= 2:
            for letters in {"".join(w[0] for w in words),
                            "".join(w[0] for w in words if w.casefold() not in STOPWORDS)}:
                if len(letters) >= 2:
                    found.setdefault(letters.casefold(), set()).add(phrase)
    table = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
    try:
        _ACRONYMS[phrases] = (phrases.version, table)
    except TypeError:  # an object that cannot be weakly referenced: no cache
        pass
    return table


def _spelled_out(text: str, acronyms: dict[str, str] | None = None) -> str:
    """The text with the abbreviations matching knows written out ("PPC campaigns" -> "pay per
    click advertising (PPC) campaigns"), so the model reads what the word matching reads; a word
    in capitals that the thesaurus lacks is spelled out from ``acronyms`` (:func:`network_acronyms`)."""
    out, at = [], 0
    for m in re.finditer(r"[^\W_]+(?:[&/][^\W_]+)?", text):
        raw, key = m.group(), m.group().casefold()
        expansion = ABBREVIATIONS.get(key)
        if expansion is not None:
            expansion = expansion if key not in CAPITALS_ONLY or (raw.isupper() and len(raw) > 1) else None
        elif acronyms and len(raw) >= 3 and raw.rstrip("s").isupper():
            expansion = acronyms.get(raw.rstrip("s").casefold())
        if expansion:
            out.append(text[at: m.start()] + f"{expansion} ({raw})")
            at = m.end()
    return "".join(out) + text[at:]


def whole_request(needs: str, w: Weights) -> str:
    """The request as one text, without the clauses that rule something out ("we already have a
    website") and, beside a main need, without what is mentioned in passing: long requests are
    read by the model as a whole, the way a colleague reads them.

    >>> whole_request("We already have a website. We need a bookkeeper", Weights())
    'We need a bookkeeper'
    >>> whole_request("The books are a mess. We need a bookkeeper", Weights())
    'The books are a mess. We need a bookkeeper.'
    >>> whole_request("The urgent part is the bookkeeping; we also want a new logo.", Weights())
    'The urgent part is the bookkeeping'
    """
    found = clauses(needs, w.clauses)
    kept = [c for c in found if c.kind != "negated"] or found
    if any(c.kind == "primary" for c in kept):  # what is mentioned in passing beside the main need
        kept = [c for c in kept if c.kind != "secondary"]
    if len(kept) == 1:  # the clause itself, which is embedded anyway
        return kept[0].text
    return " ".join(c.text + "." for c in kept)


def _meaning(client: ClientNeed, phrases: PhraseVectors, w: Weights) -> _Meaning:
    """Embed the request's clauses (one batch) and score every phrase of the network against them."""
    found = sorted(clauses(client.needs, w.clauses), key=lambda c: -c.weight)[:_MAX_CLAUSES]
    # the work asked for, without the situation around it, and the whole clause a little less
    asks: list[tuple[str, float]] = []
    acronyms = network_acronyms(phrases)
    context = _context_stems(client)
    for c in found:
        work = asked_for(c.text)
        asks += [(_spelled_out(a, acronyms), c.weight * w.asked) for a in work]
        # the clause without the client's own industry words: "a website for our restaurant" is
        # about a website, not about restaurants
        text = _without(c.text, context) if context else c.text
        asks.append((_spelled_out(text, acronyms), c.weight * (w.whole_clause if work else 1.0)))
    situation = [t for t in (client.industry, client.company, self_description(client.needs)) if t.strip()]
    texts = [a for a, _ in asks] + situation
    whole = whole_request(client.needs, w)
    # nothing readable in the request (no clause) leaves the whole reading empty: a zero vector
    whole = _spelled_out((_without(whole, context) if context else whole) or whole, acronyms)
    # a one-clause request reads the same as a whole: each distinct text is embedded once
    distinct = list(dict.fromkeys([*texts, whole]))
    found_vectors = np.asarray(phrases.encoder.encode(distinct), dtype=np.float32)
    encoded = found_vectors[[distinct.index(t) for t in [*texts, whole]]]
    vectors = encoded[: len(texts)]
    weights = np.array([x for _, x in asks] + [1.0] * len(situation))
    n = len(asks)
    spec = phrases.scores(vectors[:n], weights[:n])
    # whom the colleague serves: the client's situation first, what they ask for a little
    cli = phrases.scores(vectors, np.concatenate([weights[:n] * w.needs_in_clientele, weights[n:]]))
    return _Meaning(tuple(texts), vectors, weights, n, spec, cli, phrases, phrases.cosines(encoded[-1]))


_SELF = re.compile(r"\b(?:we(?:'re|\u2019re| are)|i(?:'m|\u2019m| am)|as)\s+(?:an?|the|one of the)?\s*"
                   r"((?:[a-z][\w&-]*\s+){0,2}[a-z][\w&-]*)", re.IGNORECASE)
_NOT_WHO = re.compile(r"(?:ing|ed)$|^(?:not|so|very|just|still|really|also|currently|now|here|sure|happy|"
                      r"afraid|able|unable|about|going|well|soon|far|much|many|few|only)$", re.IGNORECASE)


_RELATIONS = (
    (re.compile(r"\bmy (?:boss|employer|manager|line manager|supervisor)\b", re.IGNORECASE), "employee"),
    (re.compile(r"\bour (?:staff|employees|workers|team members)\b", re.IGNORECASE), "employer"),
    (re.compile(r"\bmy (?:landlord|letting agent)\b", re.IGNORECASE), "tenant"),
    (re.compile(r"\bmy (?:tenant|tenants)\b", re.IGNORECASE), "landlord"),
    (re.compile(r"\bmy (?:husband|wife|partner|fianc[ée]e?|boyfriend|girlfriend) and I\b|"
                r"\b(?:me|I) and my (?:husband|wife|partner|fianc[ée]e?|boyfriend|girlfriend)\b", re.IGNORECASE), "couple"),
)


def self_description(needs: str) -> str:
    """What the client says they are ("we're the employer" -> "employer"), for the clientele score.

    >>> self_description("Got a claim from an ex-employee; we're the employer and need advice")
    'employer and need'
    >>> self_description("I am looking for a designer")
    ''
    >>> self_description("For two years my boss has paid me cash, no payslips")
    'employee'
    >>> self_description("My wife and I keep arguing about money")
    'couple'
    """
    found = []
    for m in _SELF.finditer(needs):
        words = m.group(1).split()
        if words and not _NOT_WHO.search(words[0]):
            found.append(" ".join(words))
    # whom they answer to says who they are: "my boss has paid me" is an employee's complaint
    found += [who for pattern, who in _RELATIONS if pattern.search(needs)]
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
