"""The semantic side of matching: phrase vectors shared across the network, and the request's clauses.

Every distinct specialty phrase and target-clientele text of the network is embedded once
(by an :class:`Encoder`: anything with ``encode(list[str]) -> float32 array of unit rows``;
the service layer gives one that reads stored vectors first, see
:mod:`referral.services.vectors`) and kept as one row of a float32 matrix, shared by every
colleague who uses the phrase ("bookkeeping" appears thousands of times in a big network, it
is stored once).

A request is embedded clause by clause (:mod:`referral.domain.clauses`). A specialty's
semantic score is the best over clauses of ``clause weight x cosine``; a colleague's is the best
over their specialties (max-sim), so "someone to read my novel draft" meets "manuscript
critique" without a shared word, and a negated clause ("we don't need a plumber") hardly
counts. The clientele score compares the client's situation (industry, company, who they
say they are) and the request's clauses with the colleague's target clientele.

Cost: one matrix product (distinct phrases x 384) x (clauses x 384) per request, then one
gather and max over a (colleagues x specialties) table of phrase ids.

>>> class Letters:  # a toy encoder: one dimension per first letter
...     model_id = "letters"
...     def encode(self, texts):
...         out = np.zeros((len(texts), 26), dtype=np.float32)
...         for i, t in enumerate(texts):
...             out[i, ord(t[0].lower()) - 97] = 1.0
...         return out
>>> store = PhraseVectors(Letters())
>>> ids = store.add(["apples", "bananas", "apples"])
>>> ids[0] == ids[2], len(store)
(True, 2)
>>> scores = store.scores(np.asarray(Letters().encode(["avocado"])), np.array([1.0]))
>>> [float(scores[i]) for i in ids[:2]]
[1.0, 0.0]
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

__all__ = ["Encoder", "PhraseVectors", "phrase_key"]


class Encoder(Protocol):
    """Turns texts into unit vectors (float32 rows); ``model_id`` names the model."""

    @property
    def model_id(self) -> str: ...  # read-only: a plain attribute or a property both fit

    def encode(self, texts: list[str]) -> np.ndarray: ...


def phrase_key(text: str) -> str:
    """The form a phrase is stored under: blanks collapsed, case kept (the model ignores case anyway)."""
    return " ".join(text.split())


class PhraseVectors:
    """Distinct phrases -> rows of one float32 matrix, reference-counted so edits free rows.

    Row 0 is a zero vector for "no phrase": its score is 0.
    """

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self._ids: dict[str, int] = {}
        self._refs: list[int] = [1 << 30]
        self._keys: list[str] = [""]
        self._free: list[int] = []
        self._matrix = np.zeros((64, 0), dtype=np.float32)
        self._size = 1
        self.version = 0  # grows whenever the set of phrases changes (for caches of what they say)

    def __len__(self) -> int:
        return len(self._ids)

    def phrases(self) -> list[str]:
        """The distinct phrases held, in no particular order."""
        return list(self._ids)

    def add(self, texts: list[str], counts: list[int] | None = None) -> list[int]:
        """Row ids of the texts (blank -> 0), embedding the new distinct ones in one batch.

        Each text gains one reference, or ``counts[i]`` (a whole network's users of a phrase at once).
        """
        keys = [phrase_key(t) for t in texts]
        new = sorted({k for k in keys if k and k not in self._ids})
        if new:
            vectors = np.asarray(self.encoder.encode(new), dtype=np.float32)
            if self._matrix.shape[1] == 0:
                self._matrix = np.zeros((max(64, 2 * len(new)), vectors.shape[1]), dtype=np.float32)
            for key, vector in zip(new, vectors):
                row = self._free.pop() if self._free else self._grow()
                self._matrix[row] = vector
                self._ids[key] = row
                self._keys[row] = key
            self.version += 1
        out = []
        for i, key in enumerate(keys):
            row = self._ids.get(key, 0) if key else 0
            if row:
                self._refs[row] += 1 if counts is None else counts[i]
            out.append(row)
        return out

    def release(self, ids) -> None:
        """Drop one reference to each row; a row nobody uses any more is freed."""
        for row in ids:
            if row:
                self._refs[row] -= 1
                if self._refs[row] == 0:
                    del self._ids[self._keys[row]]
                    self.version += 1
                    self._matrix[row] = 0.0
                    self._free.append(row)

    def _grow(self) -> int:
        row = self._size
        self._size += 1
        self._refs.append(0)
        self._keys.append("")
        if row >= self._matrix.shape[0]:
            grown = np.zeros((2 * self._matrix.shape[0], self._matrix.shape[1]), dtype=np.float32)
            grown[: self._matrix.shape[0]] = self._matrix
            self._matrix = grown
        return row

    def scores(self, queries: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Per phrase row: the best over queries of ``weight x cosine`` (0 for row 0 and free rows).

        Rounded to 1e-5 so that the same phrase scores identically however it is computed.
        """
        if self._matrix.shape[1] == 0 or queries.shape[0] == 0:
            return np.zeros(max(self._size, 1))
        sims = self._matrix[: self._size] @ queries.T.astype(np.float32)
        best = (sims.astype(np.float64) * weights[None, :]).max(axis=1)
        best[0] = 0.0
        return np.round(np.maximum(best, 0.0), 5)

    def cosines(self, query: np.ndarray) -> np.ndarray:
        """Per phrase row: the cosine with one query vector, at least 0 (0 for row 0 and free rows),
        rounded to 1e-5 like :meth:`scores`."""
        if self._matrix.shape[1] == 0:
            return np.zeros(max(self._size, 1))
        sims = (self._matrix[: self._size] @ query.astype(np.float32)).astype(np.float64)
        sims[0] = 0.0
        return np.round(np.maximum(sims, 0.0), 5)

    @property
    def dim(self) -> int:
        """Width of the vectors (0 before the first phrase is added)."""
        return self._matrix.shape[1]

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """The vectors of phrase rows, as float64 (row 0: zeros)."""
        return self._matrix[rows].astype(np.float64)

    def sum_norm(self, rows) -> float:
        """Length of the sum of some phrase rows' vectors (1.0 for none): dividing a sum of their
        cosines by it gives the cosine with their mean, the colleague's specialties read together."""
        if self._matrix.shape[1] == 0 or not len(rows):
            return 1.0
        norm = float(np.linalg.norm(self._matrix[np.asarray(rows, dtype=np.int64)].astype(np.float64).sum(axis=0)))
        return norm if norm > 0 else 1.0

    def best_query(self, row: int, queries: np.ndarray, weights: np.ndarray) -> tuple[int, float]:
        """Which query (index) gives a phrase row its score, and the plain cosine (for explanations)."""
        sims = queries.astype(np.float32) @ self._matrix[row]
        i = int(np.argmax(sims.astype(np.float64) * weights))
        return i, float(sims[i])
