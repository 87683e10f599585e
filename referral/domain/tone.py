"""A tone check for what a colleague will read: imagine it read aloud in a courtroom.

It flags insults, absolute words ("always", "never"), shouting (words in capitals,
"!!") and opinions with no dated fact behind them, and suggests a calmer wording.
Given the client's name, email and phone it also flags them in the fair warning: the
colleague reads it before accepting, when the client is meant to stay anonymous.
It only warns: the member may still submit.

Examples
--------
>>> [w.kind for w in check("He ALWAYS pays late!!!", facts=[])]
['absolute', 'shouting', 'shouting']
>>> calmer("He ALWAYS pays late!!!")
'He often pays late.'
>>> client = Client("Quentin Gallardo", "q@bistro.example", "+351 912 000 111")
>>> [w.excerpt for w in check("Quentin paid late; call 912 000 111.", facts=[], client=client)]
['Quentin', '912 000 111']
>>> calmer("Quentin Gallardo paid late.", client)
'The client paid late.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SPECIAL_CATEGORIES", "Client", "ToneWarning", "calmer", "check", "check_handoff", "personal_data"]

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
TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "dame"}
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


@dataclass(frozen=True)
class Client:
    """Who the fair warning must not name: the client's name, email and phone (each may be empty)."""

    name: str = ""
    email: str = ""
    phone: str = ""

    def _name_pattern(self) -> re.Pattern | None:
        """The full name, then each part of it (titles and initials left out), as whole words."""
        parts = [p for p in re.findall(r"[^\W\d_][\w'’-]*", self.name) if len(p) > 1 and p.lower() not in TITLES]
        options = ([re.escape(self.name.strip())] if len(parts) > 1 else []) + [re.escape(p) for p in parts]
        return re.compile(r"(?<!\w)(" + "|".join(options) + r")(?!\w)") if options else None

    def mentions(self, text: str) -> list[tuple[str, str]]:
        """``(what, excerpt)`` for each place ``text`` gives the client away, in order of appearance."""
        found: list[tuple[int, str, str]] = []
        pattern = self._name_pattern()
        if pattern:
            found += [(m.start(), "name", m.group(0)) for m in pattern.finditer(text)]
        if self.email.strip():
            found += [(m.start(), "email", m.group(0))
                      for m in re.finditer(re.escape(self.email.strip()), text, re.IGNORECASE)]
        digits = re.sub(r"\D", "", self.phone)
        if len(digits) >= 6:
            # the same number written another way (spaces, dashes, without the country code) still counts
            for m in re.finditer(r"\+?\d[\d\s().-]{4,}\d", text):
                typed = re.sub(r"\D", "", m.group(0))
                if len(typed) >= 6 and (digits.endswith(typed) or typed.endswith(digits[-7:])):
                    found.append((m.start(), "phone number", m.group(0)))
        return [(what, excerpt) for _, what, excerpt in sorted(found)]

    def replace(self, text: str) -> str:
        """``text`` with every mention of the client turned into "the client"."""
        for _, excerpt in sorted(self.mentions(text), key=lambda m: -len(m[1])):
            text = text.replace(excerpt, "the client")
        text = re.sub(r"\bthe client(?: the client)+\b", "the client", text)
        return re.sub(r"(^|[.!?]\s+)the client", lambda m: m.group(1) + "The client", text)


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


def check(disclosure: str, facts: list[tuple], client: Client | None = None) -> list[ToneWarning]:
    """Warnings for the disclosure and each fact's text.

    ``facts`` is a list of ``(date, text)`` pairs; an opinion in the disclosure only
    warns when there is no dated fact at all. With ``client``, each mention of the
    client's name, email or phone in the disclosure is an ``identity`` warning.
    """
    texts = [text for _, text in facts]
    out = [ToneWarning("disclosure", "identity", excerpt,
                       f"“{excerpt}” is the client's {what}; the colleague reads the fair warning before they "
                       "know who the client is, so write “the client”.")
           for what, excerpt in (client.mentions(disclosure) if client else [])]
    out += _check_text("disclosure", disclosure, has_facts=bool(texts))
    for i, text in enumerate(texts):
        out += [w for w in _check_text(f"facts.{i}.text", text, has_facts=True)]
    return out


def check_handoff(data: dict) -> list[ToneWarning]:
    """Every warning for a handoff as the API and the form submit it (``client``, ``disclosure``, ``facts``).

    :func:`check` (tone, and the client's name in the fair warning) and :func:`personal_data`
    (special categories, and contact details: any email address, the client's phone), each
    mention warned once.
    """
    c = data.get("client") or {}
    facts = [(f["date"], f["text"]) for f in data.get("facts", [])]
    warnings = check(data["disclosure"], facts, Client(c.get("name") or "", c.get("email") or "", c.get("phone") or ""))
    said = {(w.field, w.excerpt.strip()) for w in warnings}
    return warnings + [w for w in personal_data(data["disclosure"], facts, c.get("phone"))
                       if (w.field, w.excerpt.strip()) not in said]


def calmer(text: str, client: Client | None = None) -> str:
    """The same text with absolutes softened, capitals lowered, insults marked and "!!!" as ".";
    with ``client``, the client's name, email and phone become "the client".

    Only a suggestion: the member decides what to send.
    """
    if client is not None:
        text = client.replace(text)
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
