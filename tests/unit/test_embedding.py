"""The sentence model as ONNX Runtime runs it: the vectors stored so far stay valid, and a forked
web worker embeds with a session of its own."""

from __future__ import annotations

import os

import numpy as np

from referral.adapters.embedding import shared_encoder

TEXTS = ["bookkeeping", "someone to do my books", "wedding photography",
         "Could someone read my novel draft and tell me honestly what isn't working?"]


def test_vectors_are_those_the_numpy_encoder_stored():
    # phrase_vectors rows written by the numpy encoder (until 2026-12-02) are compared with new
    # requests' vectors: the ONNX Runtime graph must give the same numbers
    v = shared_encoder().encode(TEXTS)
    assert np.allclose(v[0, :4], [-0.019210, 0.033590, -0.035505, 0.038467], atol=1e-5)
    assert np.allclose(v[0] @ v.T, [1.0, 0.48899, 0.15620, 0.25330], atol=1e-4)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-6)


def test_texts_packed_together_embed_as_they_do_alone():
    enc = shared_encoder()
    together = enc.encode(TEXTS)
    alone = np.stack([enc.encode([t])[0] for t in TEXTS])
    assert np.abs(together - alone).max() < 1e-5


def test_a_forked_process_embeds_with_a_session_of_its_own():
    enc = shared_encoder()
    expected = enc.encode(TEXTS[:1])[0]  # the parent's session is open before the fork, as in gunicorn's master
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: embed, report, leave without running the parent's cleanup
        try:
            os.write(write, enc.encode(TEXTS[:1])[0].astype("<f4").tobytes())
        finally:
            os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 4096):
        data += chunk
    os.close(read)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert np.allclose(np.frombuffer(data, "<f4"), expected, atol=1e-6)
