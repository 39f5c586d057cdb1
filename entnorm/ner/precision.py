"""The tagger's compute precision. No torch import: the CLI reads `PRECISIONS` for its choices.

    "fp32"  the reference
    "bf16"  matmuls in bf16, residual stream and LayerNorm in fp32 (as in training under autocast); fast only on
            CPUs with AMX / AVX-512 BF16, where "auto" picks it
    "int8"  dynamic quantisation, for measurement only: it fails the quality bar (docs/throughput.md)
    "auto"  $ENTNORM_PRECISION if set, else the CPU's choice (`resolve_precision`)
"""
from __future__ import annotations

import os
from pathlib import Path

PRECISIONS = ("auto", "bf16", "fp32", "int8")


def cpu_supports_bf16() -> bool:
    """AMX or AVX-512 BF16 make bf16 matmuls fast; without them bf16 is slower than fp32."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def resolve_precision(precision: str = "auto") -> str:
    """"bf16" | "fp32" | "int8". An explicit argument wins; "auto" defers to $ENTNORM_PRECISION, then to the
    CPU: bf16 where it is native, else fp32. int8 is only for experiments: dynamic quantisation costs this
    model up to 8 F1 points (docs/throughput.md)."""
    if precision == "auto":
        precision = os.environ.get("ENTNORM_PRECISION", "auto") or "auto"
    if precision not in PRECISIONS:
        raise ValueError(f"precision {precision!r} is not one of {', '.join(PRECISIONS)}")
    if precision == "auto":
        return "bf16" if cpu_supports_bf16() else "fp32"
    return precision
