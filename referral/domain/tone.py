"""A tone check for what a colleague will read: imagine it read aloud in a courtroom.

It flags insults, absolute words ("always", "never"), shouting (words in capitals,
"!!") and opinions with no dated fact behind them, and suggests a calmer wording.
It only warns: the member may still submit.

Examples
--------
>>> [w.kind for w in check("He ALWAYS pays late!!!", facts=[])]
['absolute', 'shouting', 'shouting']
>>> calmer("He ALWAYS pays late!!!")
'He often pays late.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SPECIAL_CATEGORIES", "ToneWarning", "calmer", "check", "personal_data"]

INSULTS = {
    "idiot", "idiots", "stupid", "moron", "dumb", "crazy", "insane", "psycho", "nuts", "liar", "liars",
    "lazy", "incompetent", "useless", "pathetic", "ridiculous", "nightmare", "horrible", "awful",
    "terrible", "disgusting", "toxic", "jerk", "clown", "crook", "scammer", "cheapskate", "hopeless",
    "rude", "obnoxious", "unbearable", "impossible", "greedy", "dishonest", "evil", "joke",
}
ABSOLUTES = {
    "always": "often", "never": "rarely", "constantly": "repeatedly", "every time": "several times",
    "all the time": "repeatedly", "nobody": "few people", "no one": "few people", "everyone": "several people",
    "everything": "several things", "totally": "", "completely": "", "absolutely": "", "forever": "for a long time",
}
OPINIONS = ("i think", "i feel", "i believe", "in my opinion", "obviously", "clearly", "it seems",
            "seems to", "probably", "i guess", "everyone knows")
# capitalised words that are names of things, not shouting
ACRONYMS = {"SEO", "VAT", "CPA", "HR", "IT", "UX", "UI", "CEO", "CFO", "PDF", "USA", "UK", "EU", "API", "CRM",
            "QA", "PPC", "GDPR", "LLC", "LTD", "NDA", "ASAP", "FAQ", "URL", "ID", "TV", "PR", "IRS", "HMRC",
            "CV", "OK", "AM", "PM", "CAD", "EUR", "USD", "GBP", "AUD", "NZ", "NYC", "DIY", "B2B", "SAAS", "IOS"}
SHOUT = re.compile(r"\b[A-Z][A-Z'’]{2,}\b")
BANGS = re.compile(r"[!?]*![!?]+|!{2,}")


@dataclass(frozen=True)
class ToneWarning:
    """One thing a calm reader would object to, where it is and what to write instead."""

    field: str
    kind: str  # insult | absolute | shouting | opinion | special_category | contact_details
    excerpt: str
    message: str

    def as_json(self) -> dict:
        return {"field": self.field, "kind": self.kind, "excerpt": self.excerpt, "message": self.message}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z’']+", text.lower())


def _check_text(field: str, text: str, has_facts: bool) -> list[ToneWarning]:
    out: list[ToneWarning] = []
    lowered = text.lower()
    words = set(_words(text))
    for word in sorted(words & INSULTS):
        out.append(ToneWarning(field, "insult", word,
                               f"“{word}” is a judgement of the person; describe what happened and when instead."))
    for phrase, softer in ABSOLUTES.items():
        if re.search(rf"\b{re.escape(phrase)}\b", lowered):
            hint = f"say “{softer}” or count the occasions" if softer else "leave it out"
            out.append(ToneWarning(field, "absolute", phrase, f"“{phrase}” is hard to prove; {hint}."))
    for word in SHOUT.findall(text):
        if word.upper() not in ACRONYMS:
            out.append(ToneWarning(field, "shouting", word, f"“{word}” in capitals reads as shouting."))
    for bangs in BANGS.findall(text):
        out.append(ToneWarning(field, "shouting", bangs, "Several exclamation marks read as shouting; one full stop is enough."))
    if not has_facts:
        for phrase in OPINIONS:
            if re.search(rf"\b{re.escape(phrase)}\b", lowered):
                out.append(ToneWarning(field, "opinion", phrase,
                                       f"“{phrase}” is an opinion; add a dated fact that shows it."))
    return out


def check(disclosure: str, facts: list[tuple]) -> list[ToneWarning]:
    """Warnings for the disclosure and each fact's text.

    ``facts`` is a list of ``(date, text)`` pairs; an opinion in the disclosure only
    warns when there is no dated fact at all.
    """
    texts = [text for _, text in facts]
    out = _check_text("disclosure", disclosure, has_facts=bool(texts))
    for i, text in enumerate(texts):
        out += [w for w in _check_text(f"facts.{i}.text", text, has_facts=True)]
    return out


def calmer(text: str) -> str:
    """The same text with absolutes softened, capitals lowered, insults marked and "!!!" as ".".

    Only a suggestion: the member decides what to send.
    """
    def soften(match: re.Match) -> str:
        word = match.group(0)
        softer = ABSOLUTES[word.lower()]
        return softer.capitalize() if softer and word[0].isupper() and not word.isupper() else softer

    out = re.sub(r"\b(" + "|".join(map(re.escape, ABSOLUTES)) + r")\b", soften, text, flags=re.IGNORECASE)
    out = SHOUT.sub(lambda m: m.group(0) if m.group(0).upper() in ACRONYMS else m.group(0).lower(), out)
    out = BANGS.sub(".", out).replace("!", ".")
    out = re.sub(r"\b(" + "|".join(sorted(INSULTS)) + r")\b", "[describe what happened]", out, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", re.sub(r"\s+([.,;])", r"\1", out)).strip()


# --- share no more than the colleague needs ---------------------------------------------------

#: special categories of personal data (GDPR art. 9 and 10): words that reveal one, per category
SPECIAL_CATEGORIES: dict[str, tuple[str, ...]] = {
    "health": (
        "health", "illness", "ill", "sick", "sickness", "diagnosis", "diagnosed", "cancer", "depression",
        "depressed", "anxiety", "mental", "pregnant", "pregnancy", "disability", "disabled", "therapy",
        "therapist", "medication", "hospital", "surgery", "adhd", "autism", "autistic", "diabetes", "hiv",
        "burnout", "rehab", "alcoholic", "addiction",
    ),
    "religion or belief": (
        "religion", "religious", "muslim", "christian", "jewish", "hindu", "buddhist", "sikh", "catholic",
        "church", "mosque", "synagogue", "ramadan", "atheist", "faith",
    ),
    "ethnicity": (
        "ethnic", "ethnicity", "racial", "immigrant", "immigrants", "foreigner", "roma",
        "asian", "african", "latino", "hispanic", "arab",
    ),
    "sexual life or orientation": (
        "gay", "lesbian", "bisexual", "transgender", "homosexual", "sexual", "sex", "girlfriend", "boyfriend",
        "affair", "lgbt", "lgbtq",
    ),
    "political opinions": (
        "political", "politics", "socialist", "communist", "republican", "democrat", "leftist", "voted",
        "far-right", "far-left",
    ),
    "trade union membership": ("union", "unions", "unionised", "unionized", "shop steward"),
    "a criminal record": (
        "criminal", "conviction", "convicted", "arrested", "arrest", "prison", "jail", "probation", "felony",
        "offender", "police record",
    ),
}
WHY = "The colleague decides on the facts of the working relationship, not on this; leave it out."
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def _personal_in(field: str, text: str, client_phone: str | None) -> list[ToneWarning]:
    out: list[ToneWarning] = []
    lowered = text.lower()
    for category, words in SPECIAL_CATEGORIES.items():
        for word in words:
            if re.search(rf"\b{re.escape(word)}\b", lowered):
                out.append(ToneWarning(field, "special_category", word,
                                       f"“{word}” may reveal {category}, a special category of personal "
                                       f"data. {WHY}"))
                break  # one warning per category is enough to make the point
    for found in EMAIL.finditer(text):
        out.append(ToneWarning(field, "contact_details", found.group(0),
                               "An email address does not belong here: the colleague receives the client's "
                               "contact details once they accept, and decides on the facts of the working "
                               "relationship."))
    phone = _digits(client_phone or "")
    if len(phone) >= 6 and phone[-6:] in _digits(text):
        out.append(ToneWarning(field, "contact_details", client_phone or "",
                               "The client's phone number does not belong here: the colleague receives it "
                               "once they accept, and decides on the facts of the working relationship."))
    return out


def personal_data(disclosure: str, facts: list[tuple], client_phone: str | None = None) -> list[ToneWarning]:
    """Warnings where the fair warning or a fact shares more than the colleague needs.

    Flags words that may reveal a special category of personal data (health, religion,
    ethnicity, sexual life, politics, union membership, criminal record) and the client's
    contact details (any email address, or the client's phone number however it is written).
    ``facts`` is a list of ``(date, text)`` pairs, as for :func:`check`.
    Only warns, and says why: the colleague decides on the working relationship, not on these.

    >>> [w.kind for w in personal_data("Missed calls while in hospital; call 0612 345 678",
    ...                                [], client_phone="+31 612 345 678")]
    ['special_category', 'contact_details']
    """
    out = _personal_in("disclosure", disclosure, client_phone)
    for i, (_, text) in enumerate(facts):
        out += _personal_in(f"facts.{i}.text", text, client_phone)
    return out
