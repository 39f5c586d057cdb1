"""Constrained BIO decoding: the best label path in which every I-X continues a B-X or I-X."""
from __future__ import annotations

import numpy as np

from .labels import BIO_LABELS

_NEG = -1e9


def _allowed(labels=BIO_LABELS) -> tuple[np.ndarray, np.ndarray]:
    n = len(labels)
    trans = np.zeros((n, n), dtype=np.float32)
    start = np.zeros(n, dtype=np.float32)
    for j, to in enumerate(labels):
        if to.startswith("I-"):
            start[j] = _NEG
            for i, frm in enumerate(labels):
                if frm[2:] != to[2:]:
                    trans[i, j] = _NEG
    return start, trans


START, TRANSITIONS = _allowed()


def viterbi(logprobs: np.ndarray) -> list[int]:
    """logprobs: (words, labels) -> label index per word."""
    if len(logprobs) == 0:
        return []
    score = START + logprobs[0]
    back = np.zeros(logprobs.shape, dtype=np.int64)
    for t in range(1, len(logprobs)):
        cand = score[:, None] + TRANSITIONS
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logprobs[t]
    path = [int(score.argmax())]
    for t in range(len(logprobs) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def best_path(logprobs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Constrained BIO path and its per-word probabilities. When the per-word argmax already obeys the
    constraints it is the Viterbi path (transitions are 0 or -inf), so Viterbi runs only where it does not."""
    best = logprobs.argmax(axis=1)
    if len(best):
        ok = START[best[0]] == 0 and not (TRANSITIONS[best[:-1], best[1:]] != 0).any()
        if not ok:
            best = np.asarray(viterbi(logprobs), dtype=np.int64)
    return best, np.exp(logprobs[np.arange(len(best)), best])
