"""The trade thesaurus and abbreviation table used by matching, read from ``vocabulary.json``.

``TRADES`` and ``CLIENTELES`` map a readable concept label to the phrases that mean it. Matching turns every
phrase found in a text (after the same tokenising and stemming as everything else) into the
concept, so "do my books" and "bookkeeping" meet on *bookkeeping*, and "the little symbol,
the colours and the fonts" and "logo design" meet on *brand identity*. A phrase of several
words matches when its words appear in order with at most two other words between them.
Trades (what someone does) are matched between needs and specialties, clienteles (whom they
serve) between the client's situation and target clientele; both sides of a match use the same
table, so a concept only needs its phrases listed once.

``ABBREVIATIONS`` expands shorthand before phrases are found ("CPA" -> "certified public
accountant"). Abbreviations that are also ordinary words ("IT", "PR", "SAT") only count when
written in capitals (``CAPITALS_ONLY``).
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["ABBREVIATIONS", "CAPITALS_ONLY", "CLIENTELES", "TRADES"]

# data, not code: the vocabulary grows by editing the JSON file beside this module
_DATA = json.loads((Path(__file__).with_name("vocabulary.json")).read_text(encoding="utf-8"))

#: Shorthand -> the words it stands for.
ABBREVIATIONS: dict[str, str] = _DATA["abbreviations"]
#: Abbreviations that are also everyday words: only expanded when written in capitals.
CAPITALS_ONLY: frozenset[str] = frozenset(_DATA["capitals_only"])
#: What people do: matched between the client's needs and a colleague's specialties.
TRADES: dict[str, str] = _DATA["trades"]
#: Whom they serve: matched between the client's situation and a colleague's target clientele.
CLIENTELES: dict[str, str] = _DATA["clienteles"]
