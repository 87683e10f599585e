"""The prepared index: postings, numpy columns and phrase ids, updated per colleague; equal in results to the brute force."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Literal

import numpy as np

from referral.domain.matching.analysis import (
    _clientele_terms,
    _Doc,
    _Group,
    _make_doc,
    _make_query,
    _Meaning,
    _Query,
    _specialty_terms,
    _Vocabulary,
    _words,
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
    _closeness,
    _fit,
    _gate,
    _ramp,
    _relevant,
    _score,
    _Scored,
    _served,
)
from referral.domain.semantic import Encoder, PhraseVectors
from referral.domain.text import place_key, places_match


class _Names(Mapping[int, str]):
    """Colleague id -> name, read from the index's rows."""

    def __init__(self, index: MatchIndex) -> None:
        self._index = index

    def __getitem__(self, key: int) -> str:
        return self._index._names[self._index._rows[key]]

    def __iter__(self):
        return iter(self._index._rows)

    def __len__(self) -> int:
        return len(self._index._rows)


# bound on the difference between vectorised and exact scores (only summation order differs)
_SLACK = 1e-4

_Key = tuple[str, str]  # (field, term): "s" specialties, "c" target clientele

# edits kept beside the block before it is made again, at least (else a quarter of the rows)
_COMPACT_MIN = 1024

# a ranking reads every row's phrase ids column by column (_best_phrase_score): stored column-major
_ORDER: dict[str, Literal["C", "F"]] = {"_spec_phr": "F"}

# colleague ids below this are found through an array (database ids are dense); larger ones through a dict
_DIRECT = 1 << 24


class MatchIndex:
    """Colleagues prepared for fast ranking; equal in results to :func:`brute_force_rank`.

    Parameters
    ----------
    profiles : iterable of Profile
        Initial network (ids unique; if not, the last profile of an id counts).
    weights : Weights
        Weights and thresholds.
    encoder : Encoder or None
        Turns phrases and clauses into unit vectors (the service gives one that reads stored
        vectors first); None ranks on words only.

    Notes
    -----
    Storage is numpy arrays, so that forked workers share it page for page (a Python object
    read after the fork has its reference count written, which copies its page):

    * per colleague *row* (rows of removed colleagues are reused): id, capacity, pause,
      remote, place and dealbreaker columns, and the profile's texts as ids into one table of
      distinct texts (a big network repeats the same specialties and clienteles), from which
      :meth:`_profile` rebuilds a :class:`Profile` for the few colleagues scored exactly;
    * postings ``(field, term) -> rows, weights, phrase rows`` as one CSR block built at
      construction: each distinct specialty and clientele text is analysed once and the
      per-colleague terms are computed with array operations (:meth:`_load`);
    * edits after construction (``upsert``/``remove``, from the change feed) mark the row's
      block postings void and keep its new postings in small per-term dicts; a term's arrays
      are re-assembled (block minus void rows, plus edits) the first time a query needs them.
      Once the edits reach a quarter of the network (at least ``_COMPACT_MIN``) they are folded
      into a new block made from the stored rows, so an edit costs a constant, amortised.

    Meaning: every distinct specialty and clientele phrase is one float32 row of a shared
    :class:`PhraseVectors` matrix; a colleague row holds only phrase row ids (``int32``).
    """

    def __init__(self, profiles: Iterable[Profile] = (), weights: Weights = DEFAULT_WEIGHTS,
                 encoder: Encoder | None = None) -> None:
        self.weights = weights
        self._phrases = PhraseVectors(encoder) if encoder is not None else None
        self._vocab = _Vocabulary(weights)
        self._postings = self._vocab.df  # the (field, term) keys that have postings, with their count
        self._rows: dict[int, int] = {}  # colleague id -> row
        self._size = 0  # rows handed out
        self._free: list[int] = []
        self._names: list[str] = []  # row -> name
        self._texts: dict[str, int] = {}  # distinct specialty, clientele and place texts -> id
        self._text: list[str] = []  # text id -> text
        self._spec_txt = np.zeros((0, 1), dtype=np.int32)  # row -> text ids of its specialties
        self._nspec = np.zeros(0, dtype=np.int32)  # row -> number of specialties
        self._cli_txt = np.zeros(0, dtype=np.int32)  # row -> text id of its target clientele
        self._loc_txt = np.zeros(0, dtype=np.int32)  # row -> text id of its location, -1 = none
        self._spec_phr = np.zeros((0, 1), dtype=np.int32)  # row -> phrase rows of its specialties (0: none)
        self._cli_phr = np.zeros(0, dtype=np.int32)  # row -> phrase row of its target clientele
        self._spec_norm = np.ones(0)  # row -> length of the sum of its specialty vectors
        self._ids = np.zeros(0, dtype=np.int64)  # row -> colleague id
        self._row_of = np.zeros(0, dtype=np.int32)  # colleague id -> row + 1 (0: none), for ids below _DIRECT
        self._capacity = np.zeros(0, dtype=np.int64)
        self._paused = np.zeros(0, dtype=np.int64)  # date ordinal, 0 = not paused
        self._remote = np.zeros(0, dtype=bool)
        self._place = np.zeros(0, dtype=np.int64)  # place id, -1 = none
        self._dealbreakers: dict[str, np.ndarray] = {}
        self._places: dict[str, int] = {}
        self._places_by_word: dict[str, list[str]] = {}
        self._place_of: dict[str | None, int] = {}  # location as written -> place id
        # postings: the block built at construction, and the edits since
        self._block: dict[_Key, tuple[int, int]] = {}  # key -> its slice of the block arrays
        self._block_rows = np.zeros(0, dtype=np.int32)
        # a posting's weight is one of few values (a specialty's: its head or modifier weight times
        # the length norm of a list of n specialties), so it is stored as a code into a table
        self._block_weights = np.zeros(0, dtype=np.float64)
        self._block_codes = np.zeros(0, dtype=np.uint8)
        self._block_spec = np.zeros(0, dtype=np.uint8)  # specialty postings: which of the row's specialties
        self._void = np.zeros(0, dtype=bool)  # row -> its block postings no longer count (edited or freed)
        self._any_void = False
        self._edited = 0  # upserts and removes since the block was made
        self._edits: dict[_Key, dict[int, tuple[float, int]]] = {}  # key -> row -> (weight, phrase row)
        self._arrays: dict[_Key, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._load(list({p.id: p for p in profiles}.values()))

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, colleague_id: object) -> bool:
        return colleague_id in self._rows

    # -- storage ----------------------------------------------------------------------------------

    def _text_id(self, text: str) -> int:
        found = self._texts.get(text)
        if found is None:
            found = self._texts[text] = len(self._text)
            self._text.append(text)
        return found

    def _put(self, row: int, profile: Profile, spec_txt: list[int]) -> None:
        """Store a profile's columns in ``row`` (its postings are kept elsewhere)."""
        if len(spec_txt) > self._spec_txt.shape[1]:
            self._spec_txt = _widen(self._spec_txt, len(spec_txt), -1)
            self._spec_phr = _widen(self._spec_phr, len(spec_txt), 0, _ORDER["_spec_phr"])
        self._rows[profile.id] = row
        if 0 <= profile.id < _DIRECT:
            if profile.id >= len(self._row_of):
                grown = np.zeros(max(profile.id + 1, 2 * len(self._row_of)), dtype=np.int32)
                grown[: len(self._row_of)] = self._row_of
                self._row_of = grown
            self._row_of[profile.id] = row + 1
        self._ids[row] = profile.id
        self._names[row] = profile.name
        self._spec_txt[row] = -1
        self._spec_txt[row, : len(spec_txt)] = spec_txt
        self._nspec[row] = len(spec_txt)
        self._cli_txt[row] = self._text_id(profile.target_clientele)
        self._loc_txt[row] = -1 if profile.location is None else self._text_id(profile.location)
        self._capacity[row] = profile.capacity
        self._paused[row] = profile.paused_until.toordinal() if profile.paused_until else 0
        self._remote[row] = profile.remote
        self._place[row] = self._place_id(profile.location)
        for code in profile.dealbreakers:
            if code not in self._dealbreakers:
                self._dealbreakers[code] = np.zeros(len(self._capacity), dtype=bool)
            self._dealbreakers[code][row] = True

    def _profile(self, row: int) -> Profile:
        """The profile stored in ``row``, as it was given."""
        location = int(self._loc_txt[row])
        paused = int(self._paused[row])
        return Profile(
            id=int(self._ids[row]), name=self._names[row],
            specialties=tuple(self._text[t] for t in self._spec_txt[row, : self._nspec[row]].tolist()),
            target_clientele=self._text[self._cli_txt[row]],
            location=None if location < 0 else self._text[location], remote=bool(self._remote[row]),
            capacity=int(self._capacity[row]),
            dealbreakers=frozenset(code for code, column in self._dealbreakers.items() if column[row]),
            paused_until=date.fromordinal(paused) if paused else None)

    def _doc(self, row: int) -> _Doc:
        """The analysed profile of ``row``, made again (phrase analysis is cached, so this is cheap)."""
        return _make_doc(self._profile(row), self.weights)

    def _load(self, profiles: list[Profile]) -> None:
        """Fill an empty index with ``profiles`` (distinct ids): their rows, their phrases' vectors
        (each distinct phrase embedded once), then the postings (:meth:`_index`)."""
        n = len(profiles)
        if n == 0:
            return
        self._grow_to(n)
        for row, profile in enumerate(profiles):
            self._put(row, profile, [self._text_id(s) for s in profile.specialties])
        self._size = n
        occ_row, occ_pos, occ_txt, cli_txt = self._occurrences(np.arange(n))
        if self._phrases is not None:  # embed every distinct phrase in one batch; count its users
            counts = np.bincount(np.concatenate([occ_txt, cli_txt]))
            used = np.flatnonzero(counts)
            counts = counts[used]
            vec = np.zeros(len(self._text), dtype=np.int32)
            vec[used] = self._phrases.add([self._text[t] for t in used.tolist()], counts.tolist())
            self._spec_phr[occ_row, occ_pos] = vec[occ_txt]
            self._cli_phr[:n] = vec[cli_txt]
            self._spec_norm[:n] = self._sum_norms(self._phrases, n)
        else:
            self._spec_norm[:n] = 1.0
        self._index(np.arange(n))

    def _sum_norms(self, phrases: PhraseVectors, n: int, chunk: int = 4096) -> np.ndarray:
        """:meth:`PhraseVectors.sum_norm` of the specialties of rows ``0..n-1``, in chunks of rows."""
        out = np.ones(n)
        for start in range(0, n, chunk):
            ids = self._spec_phr[start: min(n, start + chunk)]
            total = np.zeros((len(ids), phrases.dim))
            for j in range(ids.shape[1]):  # in specialty order, as sum_norm adds them
                total += phrases.vectors(ids[:, j])
            norm = np.linalg.norm(total, axis=1)
            out[start: start + len(ids)] = np.where(norm > 0, norm, 1.0)
        return out

    def _occurrences(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For ``rows``: one entry per (row, specialty): row, position, text id; and each row's clientele text."""
        nspec = self._nspec[rows].astype(np.int64)
        occ_row = np.repeat(rows, nspec)
        occ_pos = np.arange(len(occ_row)) - np.repeat(np.cumsum(nspec) - nspec, nspec)
        return occ_row, occ_pos, self._spec_txt[occ_row, occ_pos].astype(np.int64), self._cli_txt[rows].astype(np.int64)

    def _index(self, live: np.ndarray) -> None:
        """Make the postings block, document frequencies and known words of the ``live`` rows
        (ascending) from their stored texts, each distinct text analysed once.

        Gives the same postings, document frequencies and known words as :meth:`upsert` of each
        profile in turn, computed with array operations instead of per-colleague dictionaries.
        """
        w, n = self.weights, self._size
        occ_row, occ_pos, occ_txt, cli_txt = self._occurrences(live)
        nspec = self._nspec[:n].astype(np.int64)
        # each distinct text analysed once: its terms (key ids) and weights, and its words
        keys: dict[_Key, int] = {}
        words: dict[str, int] = {}
        spec_ids, cli_ids = (np.flatnonzero(np.bincount(t, minlength=1)).tolist() for t in (occ_txt, cli_txt))
        clienteles = {self._text[t]: _clientele_terms(self._text[t], w) for t in cli_ids}
        spec_terms = _Table(self._text, spec_ids, lambda text: _specialty_terms(text, w), "s", keys)
        cli_terms = _Table(self._text, cli_ids, lambda text: clienteles[text][0], "c", keys)
        spec_words = _Table(self._text, spec_ids, lambda text: [(x, 1.0) for x in _words(text)], "", words)
        cli_words = _Table(self._text, cli_ids, lambda text: [(x, 1.0) for x in clienteles[text][1]], "", words)

        # specialty postings: per (colleague, term) the best weight, from the first specialty with it
        s_occ, s_key, s_base = spec_terms.expand(occ_txt)
        s_row, s_pos = occ_row[s_occ], occ_pos[s_occ]
        bases = np.unique(spec_terms.weights)
        base_rank = len(bases) - 1 - np.searchsorted(bases, s_base)  # 0 = highest weight
        order = np.argsort((s_key * n + s_row) * len(bases) + base_rank, kind="stable")  # stable: first specialty first
        s_key, s_row, s_pos, s_base = s_key[order], s_row[order], s_pos[order], s_base[order]
        first = np.ones(len(s_key), dtype=bool)
        first[1:] = (s_key[1:] != s_key[:-1]) | (s_row[1:] != s_row[:-1])
        s_key, s_row, s_pos, s_base = s_key[first], s_row[first], s_pos[first], s_base[first]
        norm = 1.0 / (1.0 - w.length_norm + w.length_norm * np.maximum(nspec, 1) / w.length_ref)
        s_value = norm[s_row] * s_base

        # clientele postings: the clientele text's terms
        c_occ, c_key, c_value = cli_terms.expand(cli_txt)
        c_row = live[c_occ]  # one clientele per colleague
        order = np.argsort(c_key * n + c_row, kind="stable")
        c_key, c_row, c_value = c_key[order], c_row[order], c_value[order]

        all_key = np.concatenate([s_key, c_key])
        order = np.argsort(all_key, kind="stable")  # rows stay ascending within a key
        all_key = all_key[order]
        self._block_rows = np.concatenate([s_row, c_row]).astype(np.int32)[order]
        self._block_weights, codes = np.unique(np.concatenate([s_value, c_value]), return_inverse=True)
        self._block_codes = codes.astype(np.min_scalar_type(len(self._block_weights)))[order]
        spec = np.concatenate([s_pos, np.zeros(len(c_key), dtype=np.int64)])[order]
        self._block_spec = spec.astype(np.min_scalar_type(max(1, self._spec_txt.shape[1])))
        counts = np.bincount(all_key, minlength=len(keys))
        ends = np.cumsum(counts)
        names = list(keys)
        self._block = {names[k]: (int(ends[k] - counts[k]), int(ends[k])) for k in np.flatnonzero(counts).tolist()}

        # document frequencies and the words the network knows (each colleague counted once)
        self._vocab.n += len(live)
        self._vocab.df.update({names[k]: int(counts[k]) for k in np.flatnonzero(counts).tolist()})
        w_occ, w_id, _ = spec_words.expand(occ_txt)
        v_occ, v_id, _ = cli_words.expand(cli_txt)
        pairs = np.sort(np.concatenate([occ_row[w_occ], live[v_occ]]) * max(1, len(words))
                        + np.concatenate([w_id, v_id]))
        pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])] if len(pairs) else pairs
        per_word = np.bincount(pairs % max(1, len(words)), minlength=len(words))
        self._vocab.words.update(dict(zip(words, per_word.tolist())))
        self._vocab._choices, self._vocab._corrections = None, {}

    def _compact(self) -> None:
        """Fold the edits into a new block, from the stored rows (rows and phrase ids stay as they are)."""
        self._vocab.n = 0
        self._vocab.df.clear()
        self._vocab.words.clear()
        self._edits.clear()
        self._arrays.clear()
        self._void[:] = False
        self._any_void = False
        self._edited = 0
        self._index(np.sort(np.fromiter(self._rows.values(), np.int64, len(self._rows))))

    def _count_edit(self) -> None:
        # edits live in per-term dicts and are re-assembled per query; once they reach a quarter
        # of the network they are folded into a new block: a constant cost per edit, amortised
        self._edited += 1
        if self._edited > max(_COMPACT_MIN, len(self._rows) // 4):
            self._compact()

    def upsert(self, profile: Profile) -> None:
        """Add a colleague or replace the one with the same id."""
        self._drop(profile.id)
        doc = _make_doc(profile, self.weights)
        row = self._free.pop() if self._free else self._grow()
        self._put(row, profile, [self._text_id(s) for s in profile.specialties])
        self._vocab.add(doc)
        spec_ids, cli_id = _phrase_ids(self._phrases, profile)
        self._spec_phr[row] = 0
        self._spec_phr[row, : len(spec_ids)] = spec_ids
        self._cli_phr[row] = cli_id
        self._spec_norm[row] = self._phrases.sum_norm(spec_ids) if self._phrases is not None else 1.0
        self._void[row] = self._any_void = True  # its postings are the edits' from now on
        for fld, terms in (("s", doc.spec_weights), ("c", doc.cli)):
            for term, value in terms.items():
                phrase = int(self._spec_phr[row, doc.spec[term]]) if fld == "s" else 0
                self._edits.setdefault((fld, term), {})[row] = (value, phrase)
                self._arrays.pop((fld, term), None)
        self._count_edit()

    def remove(self, colleague_id: int) -> None:
        """Forget a colleague (no error if unknown)."""
        if self._drop(colleague_id) is not None:
            self._count_edit()

    def _drop(self, colleague_id: int) -> int | None:
        """Remove a colleague's postings and free their row; the row, or None if unknown."""
        row = self._rows.pop(colleague_id, None)
        if row is None:
            return None
        if 0 <= colleague_id < _DIRECT:
            self._row_of[colleague_id] = 0
        doc = self._doc(row)
        self._vocab.add(doc, -1)
        for fld, terms in (("s", doc.spec), ("c", doc.cli)):
            for term in terms:
                edits = self._edits.get((fld, term))
                if edits is not None and edits.pop(row, None) is not None and not edits:
                    del self._edits[(fld, term)]
                self._arrays.pop((fld, term), None)
        self._void[row] = self._any_void = True
        for code in doc.profile.dealbreakers:
            self._dealbreakers[code][row] = False
        if self._phrases is not None:
            self._phrases.release([*self._spec_phr[row].tolist(), int(self._cli_phr[row])])
        self._spec_phr[row] = 0  # a free row has no meaning: it can never be relevant
        self._cli_phr[row] = 0
        self._free.append(row)
        return row

    def _grow(self) -> int:
        row = self._size
        self._grow_to(row + 1)
        self._size += 1
        return row

    def _grow_to(self, rows: int) -> None:
        """Make room for ``rows`` rows in every column (doubling, so appends are amortised)."""
        if rows <= len(self._capacity):
            return
        size = max(64, 2 * len(self._capacity), rows)
        for name in ("_ids", "_capacity", "_paused", "_remote", "_place", "_cli_phr", "_cli_txt", "_loc_txt",
                     "_nspec", "_void", "_spec_phr", "_spec_txt", "_spec_norm"):
            old = getattr(self, name)
            grown = np.zeros((size, *old.shape[1:]), dtype=old.dtype, order=_ORDER.get(name, "C"))
            grown[: len(old)] = old
            setattr(self, name, grown)
        for code, column in self._dealbreakers.items():
            grown = np.zeros(size, dtype=bool)
            grown[: len(column)] = column
            self._dealbreakers[code] = grown
        self._names.extend([""] * (size - len(self._names)))

    def _place_id(self, location: str | None) -> int:
        found = self._place_of.get(location)
        if found is None:
            found = self._place_of[location] = self._new_place_id(location)
        return found

    def _new_place_id(self, location: str | None) -> int:
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
        found = self._arrays.get(key)
        if found is None:
            start, end = self._block.get(key, (0, 0))
            rows = self._block_rows[start:end]
            codes, spec = self._block_codes[start:end], self._block_spec[start:end]
            if self._any_void and end > start:
                keep = ~self._void[rows]
                rows, codes, spec = rows[keep], codes[keep], spec[keep]
            values = self._block_weights[codes]
            phrases = self._spec_phr[rows, spec] if fld == "s" else np.zeros(len(rows), dtype=np.int32)
            edits = self._edits.get(key)
            if edits:
                rows = np.concatenate([rows, np.fromiter(edits.keys(), np.int32, len(edits))])
                values = np.concatenate([values, np.fromiter((v for v, _ in edits.values()), np.float64, len(edits))])
                phrases = np.concatenate([phrases, np.fromiter((p for _, p in edits.values()), np.int32, len(edits))])
            found = self._arrays[key] = (rows, values, phrases)
        return found

    # -- ranking ----------------------------------------------------------------------------------

    def _accumulate(self, fld: str, groups: tuple[_Group, ...], meaning: _Meaning | None = None) -> np.ndarray:
        """Vectorised :func:`_text_scores` for one field over all rows (``meaning``: gate specialty words)."""
        r = self.weights.reinforce
        total = np.zeros(self._size)
        scratch = np.zeros(self._size)
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
                for rows, _ in parts:  # each row once: the first part that has it takes and clears it
                    total[rows] += (1.0 - r) * scratch[rows]
                    scratch[rows] = 0.0
        return total

    def _column(self, values: Mapping[int, int], rows: np.ndarray | None = None) -> np.ndarray:
        """A per-row array from a colleague id -> number mapping (0 where absent; with ``rows``,
        filled only there, which is quicker when the mapping is the larger)."""
        column = np.zeros(self._size, dtype=np.float64)
        if values and rows is not None and len(rows) < len(values):
            column[rows] = [values.get(i, 0) for i in self._ids[rows].tolist()]
        elif values:
            rows = self._rows_of(np.fromiter(values.keys(), np.int64, len(values)))
            found = rows >= 0
            column[rows[found]] = np.fromiter(values.values(), np.float64, len(values))[found]
        return column

    def _rows_of(self, ids: np.ndarray) -> np.ndarray:
        """Rows of colleague ids, -1 where unknown (a table lookup; a dict one for very large ids)."""
        direct = (ids >= 0) & (ids < len(self._row_of))
        rows = np.full(len(ids), -1, dtype=np.int64)
        rows[direct] = self._row_of[ids[direct]].astype(np.int64) - 1
        far = np.flatnonzero(ids >= _DIRECT)
        if far.size:
            rows[far] = [self._rows.get(i, -1) for i in ids[far].tolist()]
        return rows

    def _best_phrase_score(self, scores: np.ndarray) -> np.ndarray:
        """Per row: the best of ``scores`` (indexed by phrase row) over its specialties.

        Column by column: numpy reduces a short last axis slowly, a long contiguous one fast.
        """
        best = np.zeros(self._size)
        for j in range(self._spec_phr.shape[1]):
            np.maximum(best, scores[self._spec_phr[: self._size, j]], out=best)
        return best

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
        blocked = np.zeros(self._size, dtype=bool)
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

    def _whole(self, m: _Meaning) -> np.ndarray:
        """Per row: the specialties read together (the mean of their vectors) against the whole
        request; summed column by column in specialty order, as :func:`_score` sums them."""
        total = np.zeros(self._size)
        for i in range(self._spec_phr.shape[1]):
            total += m.whole[self._spec_phr[: self._size, i]]
        return total / self._spec_norm[: self._size]

    def _exact(self, row: int, query: _Query) -> _Scored:
        """The row scored by the same Python code as :func:`brute_force_rank`."""
        doc = self._doc(row)
        n = len(doc.profile.specialties)
        spec_ids = tuple(self._spec_phr[row, :n].tolist()) if query.meaning is not None else ()
        return _score(doc, query, self._vocab, spec_ids, int(self._cli_phr[row]))

    def _serves(self, rows: np.ndarray, close: np.ndarray, query: _Query) -> bool:
        """Whether one of ``rows`` (eligible, passing the strict tests with slack) fits exactly,
        as :func:`_served` decides for the brute force; the closest is tried first."""
        if rows.size == 0:
            return False
        first = int(rows[np.argmax(close[rows])])
        if _served([self._exact(first, query)], self.weights):
            return True
        return _served((self._exact(row, query) for row in rows.tolist() if row != first), self.weights)

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
        size = self._size
        ss = self._best_phrase_score(m.spec_scores) if m is not None else np.zeros(size)
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
        size = self._size
        ss = self._best_phrase_score(m.spec_scores) if m is not None else np.zeros(size)
        # the slack keeps borderline rows; the exact test below decides
        whole = self._whole(m) if m is not None else np.zeros(size)
        close = (ss + whole) / 2
        if m is None:
            rows = np.flatnonzero(_relevant(spec + _SLACK, ss, False, w))
        else:  # everyone loosely related, for now: whether that is enough is decided once eligible
            rows = np.flatnonzero(close + _SLACK >= w.lexical_floor)
        open_now, near = self._column(ctx.open_referrals, rows), self._near(client.location)
        rows = rows[self._eligible(rows, client, ctx, open_now, near)]
        served = False
        cli_all = self._accumulate("c", query.cli)
        if m is not None:
            strict = _relevant(spec[rows] + _SLACK, ss[rows] + _SLACK, True, w, close[rows] + _SLACK,
                               clientele=cli_all[rows] + _SLACK)
            served = self._serves(rows[strict], close, query)
            if not served:
                rows = rows[strict]
        if rows.size == 0:
            return []
        cli = cli_all[rows]
        if m is None:
            total = spec[rows] + w.clientele * cli
        else:
            fit = _fit(ss[rows], whole[rows], w)
            total = spec[rows] + w.semantic * _ramp(ss[rows], w) + w.clientele * fit * (
                cli + w.semantic_clientele * _ramp(m.cli_scores[self._cli_phr[rows]], w))
        points = w.text_points * (1.0 - np.exp(-total / w.scale))
        if m is not None:
            cli_row = self._cli_phr[rows]
            points += w.text_points * (w.request * whole[rows] + w.request_clientele * fit * m.whole[cli_row])
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
            r = self._exact(row, query)
            if _relevant(r.s, r.ss, m is not None, w, _closeness(r), served, r.c):
                scored.append(r)
        return _finish(scored, query, client, ctx, self._vocab, _Names(self), limit)


def _widen(table: np.ndarray, width: int, fill: int, order: Literal["C", "F"] = "C") -> np.ndarray:
    """``table`` with ``width`` columns, the new ones ``fill``."""
    wider = np.full((table.shape[0], width), fill, dtype=table.dtype, order=order)
    wider[:, : table.shape[1]] = table
    return wider


class _Table:
    """Distinct texts -> their terms (as key ids) and weights, flat; expands text occurrences.

    ``analyse(text)`` gives ``(term, weight)`` pairs; ``keys`` numbers the keys ``(field, term)``
    (or plain terms when ``field`` is empty) across tables.
    """

    def __init__(self, texts: list[str], ids: list[int], analyse: Callable[[str], Iterable[tuple[str, float]]],
                 field: str, keys: dict) -> None:
        size = max(ids, default=-1) + 1
        self.count = np.zeros(size, dtype=np.int64)
        self.start = np.zeros(size, dtype=np.int64)
        flat_keys: list[int] = []
        flat_weights: list[float] = []
        for t in ids:
            self.start[t] = len(flat_keys)
            for term, weight in analyse(texts[t]):
                flat_keys.append(keys.setdefault((field, term) if field else term, len(keys)))
                flat_weights.append(weight)
            self.count[t] = len(flat_keys) - self.start[t]
        self.keys = np.array(flat_keys, dtype=np.int64)
        self.weights = np.array(flat_weights, dtype=np.float64)

    def expand(self, occurrences: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For text ids ``occurrences``: one entry per (occurrence, term): occurrence index, key id, weight."""
        count = self.count[occurrences]
        occ = np.repeat(np.arange(len(occurrences)), count)
        at = np.repeat(self.start[occurrences] - (np.cumsum(count) - count), count) + np.arange(len(occ))
        return occ, self.keys[at], self.weights[at]
