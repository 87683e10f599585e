"""Explanations a member would sign: the client's words and the colleague's words that meet."""

from __future__ import annotations

from referral.domain.clauses import said_briefly
from referral.domain.matching.analysis import (
    _Hit,
    _Query,
    _Vocabulary,
)
from referral.domain.matching.data import Weights
from referral.domain.matching.scoring import (
    _closeness,
    _matches,
    _Scored,
    _sense,
)


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
    close = _closeness(r) if m is not None and m.clauses and r.spec_ids else 0.0
    # a colleague listed only beside a clear fit (see ``_served``) is said to be loosely related
    if close >= w.semantic_floor or (close >= w.lexical_floor and not groups):
        index = max(range(len(r.spec_ids)), key=lambda i: (closeness(i), -i))
        if index not in groups and m is not None:
            clause = m.texts[m.phrases.best_query(r.spec_ids[index], m.vectors[: m.clauses], m.weights[: m.clauses])[0]]
            how = "close in meaning" if close >= w.semantic_floor else "loosely related in meaning"
            lines.append(f'"{said_briefly(clause)}" is {how} to specialty "{doc.profile.specialties[index]}"')
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
