"""What a client's request asks for: clauses, each weighted by what it says about the need.

A request is split into sentences and clauses (at ``;``, ``:``, ", so", ", but", dashes).
Each clause gets one weight from cue words, the same for every trade:

* a negated or already covered need ("we don't need a plumber", "not a redesign", "no
  marketing people", "the bookkeeping is handled", "we already have a website") counts
  ``negated``: it names a trade the client does *not* want;
* a primary need ("mainly", "above all", "the urgent part", "first", "priority", "what I need")
  counts ``primary``;
* a secondary one ("also", "later", "would be nice", "as well", "once that's done") counts
  ``secondary``;
* a clause that asks ("need", "looking for", "someone to") counts ``asking``; the rest (story,
  context) ``context``.

A negation scopes over its clause only, and only when it negates wanting, having or being a
trade (the word after the negation is an article, "need", "looking", "after"...), so "she
won't sleep on her own" or "hasn't paid any rent" stay what the client needs help with.

>>> [(c.text, c.weight) for c in clauses("We already have a website, so we need someone for the Instagram.")]
[('We already have a website', 0.15), ('so we need someone for the Instagram', 1.0)]

Cost: a few regular expressions per clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from referral.domain.text import sentences, tokenize

__all__ = ["Clause", "ClauseWeights", "asked_for", "clauses", "said_briefly", "token_weights"]


@dataclass(frozen=True)
class ClauseWeights:
    """Weight of a clause by what it says (see the module docstring)."""

    negated: float = 0.15
    primary: float = 1.0
    asking: float = 1.0
    secondary: float = 0.55
    context: float = 0.8


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a request: its text as written and how much it counts."""

    text: str
    weight: float
    kind: str  # "negated", "primary", "asking", "secondary", "context"


# the separator is kept (a capturing group), so that "Main thing: ..." can hand its role on
_SPLIT = re.compile(r"\s*([;:\u2014\u2013]|\s-\s|,\s*(?=(?:so|but|and so|because|as|whereas|while)\b))\s*",
                    re.IGNORECASE)
# a short heading of what follows ("Main thing:", "Second (only if you know someone):")
_LABEL_TOKENS = 6
_NEG = "(?:not|no|don'?t|do not|doesn'?t|does not|didn'?t|isn'?t|is not|aren'?t|are not|won'?t|never|nor)"
_NEGATED = re.compile(
    rf"\b{_NEG}\s+(?:really\s+|actually\s+|even\s+|currently\s+)?"
    r"(?:need|needs|want|wants|looking|after|interested|asking|a|an|any|another|the|about|for|more)\b"
    r"(?!\s+(?:him|her|them|it|us|me)\s+to\b)"  # "we don't want him to lose the progress": a wish, not a need
    rf"|^\s*(?:this|it|that)(?:'s| is)?\s+{_NEG}\b"
    r"|\bno\s+(?:\w+\s+){0,2}(?:people|person|agency|agencies|firm|firms|one|specialists?|experts?)\b"
    r"|\balready\s+(?:have|has|got|use|uses|work with|works with|had|sorted|done|covered)\b"
    r"|\b(?:is|are|was|were|been|being|gets|get)\s+(?:already\s+|all\s+|now\s+)?"
    r"(?:covered|handled|sorted|done|finished|complete|completed|taken care of|in place|fine|written|signed off|approved|fixed)\b"
    r"|\b(?:we|i)(?:'ve| have) (?:done|had) that\b"
    r"|\b(?:in-house|in house)\b",
    re.IGNORECASE,
)
_PRIMARY = re.compile(
    r"\b(?:main(?:ly)?|above all|most(?:ly)? importantly?|(?<!less )(?<!not )urgent(?:ly)?|priority|first (?:of all|thing)|^first|(?:comes?|goes?|go|with) first|big job|"
    r"biggest|big one|key thing|need most|most of all|primarily|chiefly|especially|what (?:i|we) (?:really )?need|"
    r"the real (?:problem|issue|need))\b",
    re.IGNORECASE,
)
_SECONDARY = re.compile(
    r"\b(?:also|later(?: on)?|down the line|secondary|secondly|would be nice|as well|too|once (?:that|this|we)|"
    r"afterwards|after that|eventually|at some point|if you know|in passing|nice to have|another time|"
    r"separately|by the way|further down|small(?:er)? (?:thing|job|one|bit)|less urgent|lower priority)\b|^second(?=\s*[,(:]|\s*$)",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"\b(?:need|needs|needed|looking for|want|wants|would like|'d like|require|requires|hire|seeking|"
    r"searching for|someone|somebody|anyone|help|how (?:to|do|can)|can you|advice|recommend)\b",
    re.IGNORECASE,
)


_ANAPHORA = re.compile(r"^(?:but |and |so )?(?:that|this|which|it)\b", re.IGNORECASE)
# "so I'm not after any of that", "we don't need either of those" (or "so that side is fine"): a
# negation of what was just said
_BACK = re.compile(r"\b(?:any|none|all|either|neither|both) of (?:that|this|those|these|them|it)\b", re.IGNORECASE)


_LIKE = re.compile(r"\b(?:like|as if|as though)\s+\w+\s*$", re.IGNORECASE)


def _negated(folded: str) -> bool:
    """Whether the clause rules something out. Not when it asks first and the negation only says
    why ("I need someone to keep my books so my tax return isn't a nightmare"), nor in a comparison
    ("reads like it was written in 2009").

    >>> [_negated(t) for t in ("so we don't need a speechwriter", "the leaking pipe was fixed in October",
    ...                        "I need someone to keep my books so my tax return isn't a nightmare",
    ...                        "Our website reads like it was written in 2009",
    ...                        "we really don't want him to lose the progress he made",
    ...                        "our soundtrack is finished and we love it")]
    [True, True, False, False, False, True]
    """
    for m in _NEGATED.finditer(folded):
        before = folded[: m.start()]
        if _ASKING.search(before):
            return False
        if not _LIKE.search(before):
            return True
    return False


def _weigh(text: str, w: ClauseWeights) -> tuple[float, str]:
    folded = text.replace("\u2019", "'")
    if _negated(folded):
        return w.negated, "negated"
    if _PRIMARY.search(folded):
        return w.primary, "primary"
    if _SECONDARY.search(folded):
        return w.secondary, "secondary"
    if _ASKING.search(folded):
        return w.asking, "asking"
    return w.context, "context"


def clauses(text: str, weights: ClauseWeights = ClauseWeights()) -> list[Clause]:
    """The clauses of a request with their weights, in order; blank text gives ``[]``.

    A request of one clause counts fully whatever it says (nothing else could be the need),
    unless it is negated. A short clause about the one before it gives it its weight, and a short
    negation of it ("not after any of that") rules it out:

    >>> [c.kind for c in clauses("My pipeline is a mess, so that's what I need help with first. "
    ...                          "Someone for LinkedIn posts would be nice too.")]
    ['primary', 'primary', 'secondary']
    >>> [c.kind for c in clauses("The gas safety and the EPC are done, so I'm not after any of that. "
    ...                          "I need a fire risk assessment.")]
    ['negated', 'negated', 'asking']
    >>> [c.kind for c in clauses("My sister looks after our Instagram, so that side is fine. I need help with payroll.")]
    ['negated', 'negated', 'asking']

    A short heading before a colon hands its role to what follows:

    >>> [c.kind for c in clauses("The big one is a piper for the ceremony. Smaller thing: we need a seating plan.")]
    ['primary', 'secondary', 'secondary']
    >>> [c.kind for c in clauses("Less urgent: there's a wasp nest in the shed.")]
    ['secondary', 'secondary']
    """
    out = []
    for sentence in sentences(text):
        pieces = _SPLIT.split(sentence)
        label = None  # the role a heading ("Main thing:") hands to the clause after it
        for part, sep in zip(pieces[::2], [*pieces[1::2], ""]):
            part = part.strip(" ,.!?\"'()")
            if not tokenize(part):
                continue
            weight, kind = _weigh(part, weights)
            if label is not None and kind != "negated":
                weight, kind = label
            out.append(Clause(part, weight, kind))
            is_heading = sep == ":" and kind in ("primary", "secondary") and len(tokenize(part)) <= _LABEL_TOKENS
            label = (weight, kind) if is_heading else None
    for i in range(1, len(out)):
        # "That's the priority." / "but that's later" / "so that's what I need help with first": a
        # short clause about the one before it
        text, kind = out[i].text, out[i].kind
        refers_back = _ANAPHORA.match(text) or (kind == "negated" and _BACK.search(text))
        if kind in ("primary", "secondary", "negated") and refers_back and len(tokenize(text)) <= 9:
            out[i - 1] = Clause(out[i - 1].text, out[i].weight, kind)
    if len(out) == 1 and out[0].kind != "negated":
        out[0] = Clause(out[0].text, 1.0, out[0].kind)
    if out and all(c.kind == "negated" for c in out):  # nothing but negations: they still say the topic
        out = [Clause(c.text, weights.context, "context") for c in out]
    return out


def token_weights(text: str, weights: ClauseWeights = ClauseWeights()) -> list[float]:
    """The weight of each token of ``text`` (as :func:`referral.domain.text.tokenize` splits it):
    the weight of the clause it belongs to, so word matching hears negations and priorities too.
    """
    found = clauses(text, weights)
    out: list[float] = []
    for clause in found:
        out.extend([clause.weight] * len(tokenize(clause.text)))
    if len(out) != len(tokenize(text)):  # punctuation joined words differently: no weighting
        return [1.0] * len(tokenize(text))
    return out


_ASKED = re.compile(
    r"\b(?:need|needs|want|wants|looking for|would like|'d like|require|requires|help with|"
    r"(?:someone|somebody|anyone|a person|an expert|a specialist|a professional) (?:to|who can|who knows)|must|have to|has to|got to|(?:'re|'m|are|am|is) after)\s+"
    r"(?:(?:someone|somebody) (?:to|who can|who knows|who understands|who does|who specialises in)\s+)?"
    r"(?:is\s+)?(?:to\s+|a\s+|an\s+|some\s+)?(.+?)(?=\s+(?:for|with|before|by|so|because|in|at|as|from|since|while|"
    r"when|where|who|which|that|ideally|and (?:are|am|is|we|i|then))\b|[,.;:!?()]|$)",
    re.IGNORECASE,
)


# verbs that say little alone: the work asked for is in the words after them
_LIGHT = frozenset({"work", "talk", "speak", "deal", "sort", "look", "go", "get", "come", "sit", "be"})


def asked_for(text: str) -> list[str]:
    """The work a clause asks for, as the client put it: what follows "need", "want", "someone
    to"... up to the first preposition or comma, so the client's situation does not colour it.

    >>> asked_for("We need a website for our restaurant, with online bookings.")
    ['website']
    >>> asked_for("We must register a trademark for our brand name")
    ['register a trademark']
    >>> asked_for("We need someone to work with her on delivery")
    ['work with her on delivery']
    >>> asked_for("My wife died after a long illness"), asked_for("What we're after is a bookkeeper")
    ([], ['bookkeeper'])
    >>> asked_for("We need someone who knows Amazon listing optimisation")
    ['Amazon listing optimisation']
    >>> asked_for("A person to fix our website's ranking on Google")
    ["fix our website's ranking on Google"]
    >>> asked_for("We want to fix it and are looking for a counsellor")
    ['fix it', 'counsellor']
    """
    out = []
    folded = text.replace("\u2019", "'")
    for m in _ASKED.finditer(folded):
        phrase = m.group(1).strip()
        if phrase.casefold() in _LIGHT:  # "work with her on delivery": the work is in what follows
            phrase = folded[m.start(1):].strip(" ,.;:!?()")
        if len(tokenize(phrase)) >= 1 and phrase.casefold() not in ("help", "someone", "somebody"):
            out.append(phrase)
    return out


def said_briefly(text: str, limit: int = 60) -> str:
    """A clause shortened for an explanation line, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;") + "…"

