"""Candidate ranking: which colleagues fit a client a member hands off.

Modules: :mod:`.data` (profiles, client, weights), :mod:`.analysis` (words, the network's
vocabulary, the query), :mod:`.scoring` (hard rules, word and meaning scores, soft points),
:mod:`.explain` (the lines a member reads), :mod:`.ranking` (the brute force, the reference) and
:mod:`.index` (the prepared index); :mod:`referral.domain.clauses` (what a request asks for),
:mod:`referral.domain.semantic` (phrase vectors), :mod:`referral.domain.rules` (hard rules).

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

With the sentence model, two readings of meaning come on top: each specialty phrase against
the request's clauses and the work they ask for (max-sim, which also gates ``S``), and the
colleague's specialties read together (the mean of their vectors) and target clientele against
the whole request (``Weights.request``, ``Weights.request_clientele``). A colleague is a
candidate when the mean of the two specialty readings reaches ``Weights.semantic_floor``, or
``Weights.lexical_floor`` with ``S`` at ``Weights.min_relevance``; once an eligible colleague
fits so, ``Weights.lexical_floor`` alone is enough for the others (the floors decide whether the
network serves the request, then its neighbouring specialists are listed too, said to be loosely
related); without the model, when ``S`` reaches ``Weights.min_relevance``. So an unrelated network yields ``[]``. Text points ``text_points * (1 - exp(-(S + w*C) / scale))``
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

>>> from datetime import date
>>> idx = MatchIndex([Profile(1, "Ana", ("bookkeeping", "payroll"), "tradespeople"),
...                   Profile(2, "Bo", ("wedding photography",))])
>>> ctx = MatchContext(member_id=99, reasons=frozenset({"late_payments"}), today=date(2025, 1, 1),
...                    open_referrals={})
>>> [c.colleague_id for c in idx.rank(ClientNeed("someone to do my books, I'm a roofer"), ctx)]
[1]
"""

from referral.domain.matching.data import Candidate, ClientNeed, MatchContext, Profile, Weights
from referral.domain.matching.index import MatchIndex
from referral.domain.matching.ranking import brute_force_rank
from referral.domain.matching.scoring import hard_rule

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
