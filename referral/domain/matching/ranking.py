"""Ranking by scoring every profile in turn (the reference), and the exact final scoring shared with the index."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from referral.domain.matching.analysis import (
    _make_doc,
    _make_query,
    _Query,
    _Vocabulary,
)
from referral.domain.matching.data import (
    DEFAULT_WEIGHTS,
    Candidate,
    ClientNeed,
    MatchContext,
    Profile,
    Weights,
)
from referral.domain.matching.explain import _text_reasons
from referral.domain.matching.scoring import (
    _closeness,
    _relevant,
    _score,
    _Scored,
    _served,
    _soft,
    _text_points,
    hard_rule,
)
from referral.domain.semantic import Encoder, PhraseVectors


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
                     weights: Weights = DEFAULT_WEIGHTS, encoder: Encoder | None = None) -> list[Candidate]:
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
    eligible = [_score(doc, query, vocab, spec_ids, cli_id) for doc, (spec_ids, cli_id) in zip(docs, ids)
                if hard_rule(doc.profile, client, ctx) is None]
    with_meaning = query.meaning is not None
    served = with_meaning and _served(eligible, weights)
    scored = [r for r in eligible if _relevant(r.s, r.ss, with_meaning, weights, _closeness(r), served, r.c)]
    return _finish(scored, query, client, ctx, vocab, {d.profile.id: d.profile.name for d in docs}, limit)


def _phrase_ids(phrases: PhraseVectors | None, profile: Profile) -> tuple[tuple[int, ...], int]:
    """Phrase rows of a profile's specialties and of its target clientele (adds them to ``phrases``)."""
    if phrases is None:
        return (), 0
    *spec, cli = phrases.add([*profile.specialties, profile.target_clientele])
    return tuple(spec), cli
