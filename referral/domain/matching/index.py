"""The prepared index: postings, numpy columns and phrase ids, updated per colleague; equal in results to the brute force."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

import numpy as np

from referral.domain.matching.analysis import (
    _Doc,
    _Group,
    _make_doc,
    _make_query,
    _Meaning,
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
from referral.domain.matching.ranking import _finish, _phrase_ids
from referral.domain.matching.scoring import (
    _fit,
    _gate,
    _ramp,
    _relevant,
    _score,
)
from referral.domain.semantic import Encoder, PhraseVectors
from referral.domain.text import place_key, places_match


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
_SLACK = 1e-4


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

    def __init__(self, profiles: Iterable[Profile] = (), weights: Weights = DEFAULT_WEIGHTS,
                 encoder: Encoder | None = None) -> None:
        self.weights = weights
        self._phrases = PhraseVectors(encoder) if encoder is not None else None
        self._spec_phr = np.zeros((0, 4), dtype=np.int32)  # row -> phrase rows of its specialties (0: none)
        self._cli_phr = np.zeros(0, dtype=np.int32)  # row -> phrase row of its target clientele
        self._spec_norm = np.ones(0)  # row -> length of the sum of its specialty vectors
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
        self._spec_norm[row] = self._phrases.sum_norm(spec_ids) if self._phrases is not None else 1.0
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
            self._spec_norm = np.resize(self._spec_norm, size)
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
        if m is not None:
            n = len(self._spec_phr[0]) if len(self._spec_phr) else 0
            whole = sum(m.whole[self._spec_phr[rows, i]] for i in range(n)) / self._spec_norm[rows]
            cli_row = self._cli_phr[rows]
            points += w.text_points * (w.request * whole + w.request_clientele * _fit(ss[rows], w) * m.whole[cli_row])
            points /= 1.0 + w.request + w.request_clientele
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
