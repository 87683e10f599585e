"""Stored phrase vectors: every distinct specialty and clientele phrase is embedded once per model.

:func:`store_vectors` is called when colleagues are created, changed or imported (per batch),
inside the caller's transaction: it embeds only the phrases not stored yet, so a 100,000-row
import whose colleagues share a few thousand phrases embeds those few thousand. A restart
reads them back (:class:`StoredEncoder`) instead of running the model again.

The model is loaded once per process, on first use (:func:`referral.adapters.embedding.shared_encoder`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

import numpy as np
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from referral.adapters import orm
from referral.adapters.embedding import MODEL_ID, shared_encoder
from referral.domain.semantic import Encoder, phrase_key

__all__ = ["StoredEncoder", "store_vectors"]

V = orm.phrase_vectors
_CHUNK = 500  # keys per IN (...) query


def _key(model_id: str, phrase: str) -> str:
    return hashlib.sha256(f"{model_id}\n{phrase}".encode()).hexdigest()


def _texts(colleague) -> tuple[str, ...]:
    """A colleague's phrases, from an entity or a row as a mapping (the bulk import's)."""
    if isinstance(colleague, Mapping):
        return (*colleague["specialties"], colleague.get("target_clientele") or "")
    return (*colleague.specialties, colleague.target_clientele or "")


def _phrases(colleagues: Iterable) -> set[str]:
    return {phrase_key(t) for c in colleagues for t in _texts(c) if t and t.strip()}


def _stored(session, keys: list[str]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start: start + _CHUNK]
        out.update((k, v) for k, v in session.execute(select(V.c.key, V.c.vector).where(V.c.key.in_(chunk))))
    return out


def store_vectors(session, colleagues: Iterable, encoder: Encoder | None = None,
                  known: set[str] | None = None) -> int:
    """Embed and store the phrases of these colleagues (entities, or rows as mappings, with
    ``specialties`` and ``target_clientele``) that are not stored yet; returns how many were new.

    ``known``, when given, holds phrases already stored (by an earlier batch of the same
    import): they are not looked up again, and this call adds the ones it stores or finds.
    Runs in the caller's transaction; two processes storing one phrase at once is harmless
    (the second insert is skipped). Raises :class:`referral.adapters.embedding.ModelMissing`
    if the model package is not installed.
    """
    phrases = _phrases(colleagues)
    if known is not None:
        phrases -= known
        known |= phrases  # stored below, or already
    if not phrases:
        return 0
    model_id = encoder.model_id if encoder is not None else MODEL_ID  # the model loads only if a phrase is new
    keys = {_key(model_id, p): p for p in sorted(phrases)}
    stored = set(_stored(session, list(keys)))
    new = [(k, p) for k, p in keys.items() if k not in stored]
    if not new:
        return 0
    encoder = encoder or shared_encoder()
    vectors = np.asarray(encoder.encode([p for _, p in new]), dtype="<f4")
    rows = [{"key": k, "model": encoder.model_id, "phrase": p, "vector": v.tobytes()} for (k, p), v in zip(new, vectors)]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(V).on_conflict_do_nothing(index_elements=["key"]), rows)
    return len(rows)


class StoredEncoder:
    """The encoder the matching index uses: stored vectors first, the model for anything else.

    :meth:`load` reads the stored vectors of given colleagues into a short-lived cache;
    :meth:`encode` answers from it and embeds the rest (the request's clauses, or a phrase
    stored by no one yet); :meth:`forget` empties the cache once the index holds the vectors.
    """

    def __init__(self, model: Encoder | None = None) -> None:
        self._model = model
        self._cache: dict[str, np.ndarray] = {}

    @property
    def model(self) -> Encoder:
        if self._model is None:
            self._model = shared_encoder()
        return self._model

    @property
    def model_id(self) -> str:
        return self._model.model_id if self._model is not None else MODEL_ID

    def load(self, session, colleagues: Iterable) -> None:
        """Read the stored vectors of these colleagues' phrases (missing ones are embedded later)."""
        keys = {_key(self.model_id, p): p for p in _phrases(colleagues)}
        for key, blob in _stored(session, list(keys)).items():
            self._cache[keys[key]] = np.frombuffer(blob, dtype="<f4")

    def forget(self) -> None:
        self._cache = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of the texts: stored ones as stored, the others from the model."""
        keys = [phrase_key(t) for t in texts]
        missing = sorted({k for k in keys if k not in self._cache})
        fresh = dict(zip(missing, self.model.encode(missing))) if missing else {}
        return np.stack([self._cache[k] if k in self._cache else fresh[k] for k in keys]) if keys \
            else np.zeros((0, 1), dtype=np.float32)
