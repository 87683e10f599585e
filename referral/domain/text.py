"""Text normalisation for matching: tokens, a light stemmer, stopwords, sentences and places.

Everything here is deterministic and dictionary-free, so a colleague's profile and a
client's needs go through exactly the same steps::

    >>> [stem(t.text) for t in tokenize("Bookkeeping & VAT-returns for cafés")]
    ['bookkeep', 'vat', 'return', 'for', 'cafe']

Cost: linear in the length of the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["STOPWORDS", "Token", "fold", "place_key", "places_match", "sentences", "singular", "stem", "tokenize"]

#: Function words and the filler of long, chatty requests: they never carry a trade.
STOPWORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another any anyone
    anything are around as at away back be because been before being below best better between both but by
    can cannot could did do does doing done down during each either else enough especially etc even ever
    every everyone everything few for from further get gets getting go goes going gone good got great had
    has have having he her here hers herself him himself his how however i if in into is it its itself
    just keep keeps kind know last least less let lets like likely little lot lots made make makes making
    many may maybe me might mine more most much must my myself near need needed needs new next no nobody
    none nor not nothing now of off often on once one only onto or other others otherwise our ours
    ourselves out over own per perhaps please pretty proper properly quite rather really right same say
    says see seem seems several shall she should since so some somebody someone something sometimes soon
    still such sure take than thank thanks that the their theirs them themselves then there these they
    thing things think this those though through thus to too toward towards under until up upon us use
    used very via want wanted wants was way we well were what whatever when where whether which while who
    whole whom whose why will with within without would yet you your yours yourself yourselves
    hi hello dear regards honestly basically actually simply anyway ideally currently recently already
    able looking look help helps helping person people guy guys folks stuff bit quick day days week weeks
    month months year years time times anybody asap urgent urgently dont doesnt didnt isnt arent wasnt
    werent wont cant couldnt wouldnt shouldnt im ive id ill youre youve theyre theyve weve hes shes whats
    thats theres lets
    """.split()  # noqa: SIM905 - a word list reads best as text
)

_WORD = re.compile(r"[^\W_]+(?:&[^\W_]+)?")
_SPLIT_PREFIX = re.compile(r"\b([a-z])[-\u2010\u2013](?=[a-z]{2})", re.IGNORECASE)  # e-commerce -> ecommerce
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: its folded form, the form as written and its position."""

    text: str
    raw: str
    pos: int


def fold(text: str) -> str:
    """Lower-case and strip accents ("Café" -> "cafe")."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens, dropping bare numbers and single letters.

    Apostrophes vanish ("don't" -> "dont"), letter-ampersand-letter forms ("R&D", "P&L") stay
    one token, and a single-letter prefix is joined ("e-commerce" -> "ecommerce") so both
    spellings meet.
    """
    text = _SPLIT_PREFIX.sub(r"\1", unicodedata.normalize("NFKC", text).replace("'", "").replace("\u2019", ""))
    out: list[Token] = []
    for m in _WORD.finditer(text):
        word = fold(m.group())
        if word.isdigit() or len(word) < 2:
            continue
        out.append(Token(word, m.group(), len(out)))
    return out


# one derivational suffix is removed (longest first), after the plural; replacements keep stems aligned:
# optimise/optimize/optimisation -> optimiz, therapist/therapy -> therap, accountant/accounting -> account
_SUFFIXES = sorted(
    {
        "isation": "iz", "ization": "iz", "ising": "iz", "izing": "iz", "iser": "iz", "izer": "iz",
        "ise": "iz", "ize": "iz", "ational": "", "ative": "", "ation": "", "ition": "", "ator": "", "ate": "",
        "ement": "", "ment": "", "ness": "", "ity": "", "ities": "", "ist": "", "ism": "", "ics": "",
        "ical": "", "ic": "", "ing": "", "ings": "", "ed": "", "er": "", "or": "", "al": "", "ally": "",
        "ly": "", "ance": "", "ence": "", "ant": "", "ent": "", "ive": "", "ous": "", "ful": "",
        "able": "", "ible": "", "y": "", "ies": "", "graphy": "graph", "grapher": "graph",
        "graphic": "graph", "ology": "olog", "ologist": "olog", "ological": "olog",
    }.items(),
    key=lambda kv: -len(kv[0]),
)
# words whose stem would collide with an unrelated trade ("hospitality" is not "hospital")
_EXCEPTIONS = {"hospitality": "hospitality", "news": "news", "physics": "physics", "ios": "ios"}


def singular(word: str) -> str:
    """English plural to singular, by rule ("companies" -> "company", "taxes" -> "tax")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        return word[:-1]
    return word


@lru_cache(maxsize=1 << 16)  # called for every word of every text; words repeat
def stem(word: str) -> str:
    """Reduce a folded word to a stem shared by its inflections and close derivations.

    A small suffix stripper (plural, then one derivational suffix, final "e", doubled
    consonant), with British spellings folded to American ones ("colour", "centre",
    "programme"). Stems are at least three letters; words with digits are kept as they are.

    >>> [stem(w) for w in ("photographers", "photography", "planning", "planner", "optimisation")]
    ['photograph', 'photograph', 'plan', 'plan', 'optimiz']
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    word = singular(word)
    if word.endswith("our") and len(word) > 5:
        word = word[:-3] + "or"
    elif word.endswith("tre") and len(word) > 5:
        word = word[:-3] + "ter"
    elif word.endswith("mme"):
        word = word[:-2]
    for suffix, repl in _SUFFIXES:
        rest = len(word) - len(suffix)
        if word.endswith(suffix) and rest >= 3:
            if (rest == 3 and suffix in ("er", "or", "al", "y")) or (suffix == "er" and word[rest - 1] == "e"):
                break
            word = word[:rest] + repl
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiousz":
        word = word[:-1]
    return word


def sentences(text: str) -> list[str]:
    """Split a text into sentences (also at semicolons and line breaks)."""
    return [s for s in _SENTENCE.split(text) if s.strip()]


def place_key(location: str | None) -> str | None:
    """A location as comparable words ("Halifax, NS" -> "halifax ns"); None when blank."""
    if not location:
        return None
    words = re.findall(r"[a-z0-9]+", fold(location))
    return " ".join(words) or None


def places_match(a: str | None, b: str | None) -> bool:
    """Whether two locations name the same place: equal words, or one is a word-prefix of the other.

    >>> places_match("Halifax, NS", "halifax"), places_match("York", "New York")
    (True, False)
    """
    ka, kb = place_key(a), place_key(b)
    if ka is None or kb is None:
        return False
    short, long_ = sorted((ka, kb), key=len)
    return long_ == short or long_.startswith(short + " ")
