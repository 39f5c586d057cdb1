"""entnorm/ner/precision.py: which precision runs, and the one list of choices."""
import subprocess
import sys

import pytest

from entnorm.cli import build_parser
from entnorm.ner import precision
from entnorm.ner.precision import PRECISIONS, cpu_supports_bf16, resolve_precision


@pytest.fixture
def cpuinfo(tmp_path, monkeypatch):
    """Writes a fake /proc/cpuinfo with the given flags (None: unreadable)."""
    def write(flags):
        path = tmp_path / "cpuinfo"
        if flags is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(f"processor\t: 0\nflags\t\t: {flags}\n")
        monkeypatch.setattr(precision, "Path", lambda _: path)
    return write


@pytest.mark.parametrize("flags, native", [("fpu sse2 avx2 fma", False), ("avx2 avx512f avx512_bf16", True),
                                           ("avx2 amx_tile amx_bf16 amx_int8", True), (None, False)])
def test_cpu_supports_bf16_reads_the_cpu_flags(cpuinfo, flags, native):
    cpuinfo(flags)
    assert cpu_supports_bf16() is native


def test_auto_follows_the_cpu(cpuinfo, monkeypatch):
    monkeypatch.delenv("ENTNORM_PRECISION", raising=False)
    cpuinfo("avx2 amx_bf16")
    assert resolve_precision() == resolve_precision("auto") == "bf16"
    cpuinfo("avx2")
    assert resolve_precision("auto") == "fp32"
    monkeypatch.setenv("ENTNORM_PRECISION", "")  # set but empty: auto
    assert resolve_precision("auto") == "fp32"


def test_environment_then_explicit_argument(monkeypatch):
    monkeypatch.setenv("ENTNORM_PRECISION", "int8")
    assert resolve_precision("auto") == "int8"
    assert resolve_precision("fp32") == "fp32"  # an explicit argument wins over the environment
    for bad in ("fp16", "FP32", ""):
        with pytest.raises(ValueError, match="auto, bf16, fp32, int8"):
            resolve_precision(bad)
    monkeypatch.setenv("ENTNORM_PRECISION", "fp16")
    with pytest.raises(ValueError):
        resolve_precision("auto")


def test_every_concrete_precision_resolves_to_itself():
    assert {resolve_precision(p) for p in PRECISIONS if p != "auto"} == set(PRECISIONS) - {"auto"}


def test_the_cli_offers_exactly_these_choices(capsys):
    parser = build_parser()
    for p in PRECISIONS:
        assert parser.parse_args(["annotate", "-", "--precision", p]).precision == p
    for p in set(PRECISIONS) - {"auto"}:
        assert parser.parse_args(["evaluate", "--precision", p]).precision == p
    with pytest.raises(SystemExit):
        parser.parse_args(["evaluate", "--precision", "auto"])  # evaluate states its precision
    with pytest.raises(SystemExit):
        parser.parse_args(["annotate", "-", "--precision", "fp16"])
    assert "fp16" in capsys.readouterr().err


def test_importing_it_does_not_import_torch():
    """The CLI imports it to build its parser; `entnorm --help` must not pay for torch."""
    code = "import sys, entnorm.ner.precision; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
