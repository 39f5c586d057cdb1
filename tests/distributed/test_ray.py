"""The Ray engine gives the local engine's output byte for byte: link-only corpora with NIL variants across
documents and bad lines in two files, over worker counts, batch sizes and planning windows (blocks); the NER
path on real news; a killed actor; the CLI with --workers 2 on two CPUs."""
import gzip
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import entnorm

pytest.importorskip("ray", reason="the ray extra is not installed (pip install -e '.[test,ray]')")
from entnorm import distributed  # noqa: E402
from entnorm.jsonl import Inputs, encode
from entnorm.stream import Stats, StrictStop, annotate_stream

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from annotate_support import GAZETTEER, NIL_NAMES, cli_env, needs_model, run_cli, write_gazetteer  # noqa: E402

KNOWN = [n for e in GAZETTEER for n in [e["name"], *e.get("aliases", [])]]
NIL_PEOPLE = [*NIL_NAMES, "Hong Min", "Hong Gil-dong", "Hong Gildong", "Budi Santoso", "Santoso", "Budi Santosa"]
LABELS = {n: e["type"] for e in GAZETTEER for n in [e["name"], *e.get("aliases", [])]}
BAD = [b'{"id": "json", "text": "Rusia\n', b"[1, 2]\n", b'{"id": "missing"}\n', b'{"id": "e", "text": "  "}\n',
       b"\xff\xfe not utf-8\n", b"\n", b"   \n"]


def corpus_lines(seed: int, n: int) -> list[bytes]:
    """Link-only records naming gazetteer entities and NIL people (variants across documents), with bad and
    blank lines mixed in."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        if rng.random() < 0.08:
            lines.append(rng.choice(BAD))
            continue
        text, spans = "", []
        for name in rng.sample(KNOWN, 2) + rng.sample(NIL_PEOPLE, rng.randint(1, 3)):
            text += "Kemudian "
            spans.append({"start": len(text), "end": len(text) + len(name), "label": LABELS.get(name, "PER")})
            text += f"{name} berbicara dengan wartawan. "
        rec = {"id": f"{seed}-{i}", "text": text, "entities": spans, "meta": {"x": None, "y": [1.5, "é\u2028"]}}
        lines.append(json.dumps(rec, ensure_ascii=rng.random() < 0.5).encode() + b"\n")
    return lines


@pytest.fixture(scope="module")
def gaz(tmp_path_factory):
    return write_gazetteer(tmp_path_factory.mktemp("gaz"))


@pytest.fixture(scope="module")
def nlp(gaz):
    return entnorm.load(gazetteer=[gaz], ner=False)


@pytest.fixture(scope="module")
def two_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    a, b = d / "a.jsonl", d / "b.jsonl.gz"
    a.write_bytes(b"".join(corpus_lines(1, 120)))
    b.write_bytes(gzip.compress(b"".join(corpus_lines(2, 90))))
    return [str(a), str(b)]


def local_output(nlp, paths, batch_size, text_field="text", link_only=True) -> tuple[bytes, Stats]:
    out = []
    with Inputs(paths, text_field, link_only) as source:
        stats = annotate_stream(nlp, source, lambda obj: out.append(encode(obj)), batch_size=batch_size,
                                link_only=link_only)
    return b"".join(out), stats


def ray_output(paths, batch_size, workers, load_kwargs, link_only=True, blocks=None) -> tuple[bytes, Stats]:
    stats = Stats()
    ds = distributed.read_jsonl(paths, batch_size, link_only=link_only)  # one block per batch
    if blocks:
        ds = ds.repartition(blocks)  # fewer blocks: several batches per block
    out = distributed.annotate_dataset(ds, workers=workers, load_kwargs=load_kwargs, link_only=link_only,
                                       stats=stats)
    return b"".join(bytes(x) for b in out.iter_batches(batch_format="numpy") for x in b["line"]), stats


@pytest.fixture(scope="module")
def expected(nlp, two_files):
    return {bs: local_output(nlp, two_files, bs) for bs in (1, 7, 64)}


@pytest.mark.parametrize("workers,batch_size,blocks", [(1, 64, None), (2, 7, 3), (2, 1, None), (3, 7, None)])
def test_same_bytes_as_the_local_engine(ray_local, gaz, two_files, expected, workers, batch_size, blocks):
    got, stats = ray_output(two_files, batch_size, workers, {"gazetteer": [str(gaz)], "ner": False}, blocks=blocks)
    want, want_stats = expected[batch_size]
    assert got == want
    assert stats == want_stats
    nil_ids = {e["id"] for line in got.splitlines() for e in json.loads(line).get("entities", [])
               if e["id"].startswith("nil:")}
    assert 0 < len(nil_ids) < len(NIL_PEOPLE)  # variants reconciled across documents and files


def test_error_records_name_their_file_and_line(ray_local, gaz, two_files, expected):
    got, _ = ray_output(two_files, 7, 2, {"gazetteer": [str(gaz)], "ner": False})
    errors = [json.loads(line)["error"] for line in got.splitlines() if b'"error"' in line]
    for path in two_files:
        raw = (gzip.decompress if path.endswith(".gz") else bytes)(Path(path).read_bytes()).split(b"\n")
        bad = {n for n, line in enumerate(raw, 1) if line + b"\n" in BAD and line.strip()}
        mine = {e["line"] for e in errors if e["file"] == path}
        assert mine == bad and bad, path


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch_size=st.integers(1, 40), workers=st.integers(1, 3), blocks=st.sampled_from([None, 1, 2, 5]),
       seed=st.integers(0, 99))
def test_nil_ids_do_not_depend_on_partitioning(ray_local, gaz, nlp, tmp_path_factory, batch_size, workers, blocks,
                                               seed):
    path = tmp_path_factory.mktemp("prop") / "c.jsonl"
    path.write_bytes(b"".join(corpus_lines(seed, 50)))
    got, _ = ray_output([str(path)], batch_size, workers, {"gazetteer": [str(gaz)], "ner": False}, blocks=blocks)
    assert got == local_output(nlp, [str(path)], 64)[0]  # link-only output does not depend on the batches


def test_a_killed_actor_is_replaced_and_the_output_is_complete(ray_local, gaz, nlp, tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"".join(corpus_lines(5, 400)))
    for f in Path(ray_local).iterdir():
        f.unlink()
    result, killed = {}, []

    def run():
        result["out"] = ray_output([str(path)], 1, 2, {"gazetteer": [str(gaz)], "ner": False})[0]

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while not killed and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
        pids = sorted(Path(ray_local).iterdir(), key=lambda f: f.stat().st_mtime)
        if pids:
            time.sleep(0.3)  # let it take batches
            os.kill(int(pids[0].name), signal.SIGKILL)
            killed.append(int(pids[0].name))
    assert killed and thread.is_alive(), "the run ended before an actor could be killed"
    thread.join(200)
    assert result["out"] == local_output(nlp, [str(path)], 1)[0]
    assert len(list(Path(ray_local).iterdir())) >= 3  # two actors plus the one that replaced the killed one


@needs_model
def test_ner_output_is_the_local_engines(ray_local, tmp_path):
    """With NER the output depends on each batch's company; the plan reproduces the local batches."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from throughput import corpus

    try:
        docs = corpus(24)
    except OSError as e:
        pytest.skip(f"throughput corpus not found ({e}); set ENTNORM_DATA")
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps({"n": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(docs)))
    nlp = entnorm.load()
    want = local_output(nlp, [str(path)], 5, link_only=False)[0]
    got = ray_output([str(path)], 5, 2, {}, link_only=False)[0]
    assert got == want


def test_cli_two_workers_on_two_cpus(tmp_path, gaz, two_files, expected):
    """A fresh local Ray from the CLI (its own process): --workers 2 on a 2-CPU Ray finishes (does not starve
    its own tasks), writes a directory of parts with a manifest, and equals the local engine's file output."""
    ray_tmp = tempfile.mkdtemp(prefix="entnorm-ray-", dir="/tmp")  # short: Ray's socket paths are limited
    env = dict(cli_env(), RAY_AUTH_MODE="disabled", RAY_TMPDIR=ray_tmp)
    env.pop("ENTNORM_RAY_PIDS", None)
    common = [*two_files, "--link-only", "--gazetteer", gaz, "--batch-size", "7", "--quiet"]
    local = run_cli("annotate", *common, "-o", tmp_path / "local.jsonl", timeout=200)
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "entnorm.cli", "annotate", *map(str, common), "--engine", "ray",
                           "--workers", "2", "-o", f"{tmp_path}/out/"], capture_output=True,
                          env=dict(env, ENTNORM_RAY_CPUS="2"), timeout=200)
    assert local.returncode == proc.returncode == 1, proc.stderr.decode()[-3000:]  # bad lines: exit 1
    assert proc.stdout == b""
    assert (tmp_path / "out" / "manifest.json").is_file(), (sorted(tmp_path.rglob("*"))[:20], proc.stderr.decode()[-2000:])
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    parts = b"".join((tmp_path / "out" / p["name"]).read_bytes() for p in manifest["parts"])
    assert parts == (tmp_path / "local.jsonl").read_bytes() == expected[7][0]
    assert manifest["records"] == parts.count(b"\n")
    assert not [f for f in tmp_path.iterdir() if f.name.startswith(".")]  # no temp output left
    shutil.rmtree(ray_tmp, ignore_errors=True)


def test_strict_stops_at_the_first_failure_in_input_order(ray_local, gaz, two_files):
    ds = distributed.read_jsonl(two_files, 7, link_only=True)
    with pytest.raises(StrictStop) as stop:
        distributed.annotate_dataset(ds, workers=2, load_kwargs={"gazetteer": [str(gaz)], "ner": False},
                                     link_only=True, strict=True)
    raw = Path(two_files[0]).read_bytes().split(b"\n")
    first_bad = next(n for n, line in enumerate(raw, 1) if line + b"\n" in BAD and line.strip())
    assert (stop.value.source, stop.value.line) == (two_files[0], first_bad)


def test_a_pipeline_that_cannot_load_fails_the_run_instead_of_retrying_forever(ray_local, two_files, tmp_path):
    ds = distributed.read_jsonl(two_files, 64, link_only=True)
    with pytest.raises(Exception, match="missing"):
        distributed.annotate_dataset(ds, workers=1, link_only=True,
                                     load_kwargs={"gazetteer": [str(tmp_path / "missing.yaml")], "ner": False})
