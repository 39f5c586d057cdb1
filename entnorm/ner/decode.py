"""Constrained BIO decoding: the best label path in which every I-X continues a B-X or I-X."""
from __future__ import annotations

import numpy as np

from .corpora import LABELS

_NEG = -1e9


def _allowed(labels=LABELS) -> tuple[np.ndarray, np.ndarray]:
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
