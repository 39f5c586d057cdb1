"""`entnorm annotate` end to end, through a subprocess: seed articles, a file of bad lines, exit codes, error
fields, counts in = counts out, atomic output, gzip, stdin/stdout. Link-only runs use a small gazetteer written
by the test and spans found by string search; the NER runs use the shipped model."""
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from entnorm.stream import MAX_BATCH_CHARS

from annotate_support import (PROJECT_DIR, check_entities, cli_env, find_spans, needs_model, needs_seeds,
                              read_jsonl, run_cli, seed_records, write_gazetteer, write_jsonl)


@pytest.fixture(scope="module")
def gaz(tmp_path_factory):
    return write_gazetteer(tmp_path_factory.mktemp("gazetteer"))


@pytest.fixture(scope="module")
def seeds_with_spans():
    pytest.importorskip("yaml")
    return [dict(r, entities=find_spans(r["text"])) for r in seed_records()]


def annotate(*args, stdin=None):
    proc = run_cli("annotate", *args, stdin=stdin)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


# -- link-only (no NER model needed) -------------------------------------------------------------------------
@needs_seeds
def test_seeds_link_only(tmp_path, gaz, seeds_with_spans):
    src = write_jsonl(tmp_path / "seeds.jsonl", seeds_with_spans)
    rc, _, err = annotate(src, "-o", tmp_path / "out.jsonl", "--link-only", "--gazetteer", gaz)
    assert rc == 0, err
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in out] == [r["id"] for r in seeds_with_spans]  # order and count kept
    for rec_in, rec_out in zip(seeds_with_spans, out):
        assert rec_out["text"] == rec_in["text"]
        assert [(e["start"], e["end"], e["label"]) for e in rec_out["entities"]] == \
               [(s["start"], s["end"], s["label"]) for s in rec_in["entities"]]
        check_entities(rec_out)
    ents = [e for r in out for e in r["entities"]]
    by_text = {}
    for e in ents:
        by_text.setdefault(e["text"], set()).add(e["id"])
    assert by_text["Kim Jong-un"] == by_text["Kim Jong Un"] == {"Q56226"}
    assert by_text["Kiev"] == by_text["Kyiv"] == {"Q1899"}
    assert by_text["Moskow"] == by_text["Moskwa"] == {"Q649"}
    belousov = {e["id"] for e in ents if "Belous" in e["text"]}  # NIL, in every article: one id for the run
    assert len(belousov) == 1 and belousov.pop().startswith("nil:per:")
    assert "5 records" in err and "0 failed" in err and "\r" not in err  # summary; no progress bar off a TTY


def test_nil_entities_are_reconciled_across_documents(tmp_path, gaz):
    texts = ["Presiden Yoon Suk Yeol berbicara.", "Yoon Seok-yul tiba. Yoon Seok-yul pergi.", "Rusia."]
    recs = [{"n": i, "text": t, "entities": find_spans(t)} for i, t in enumerate(texts)]
    rc, out, err = annotate(write_jsonl(tmp_path / "in.jsonl", recs), "--link-only", "--gazetteer", gaz)
    assert rc == 0, err
    out = read_jsonl(out)
    ids = {(e["text"], e["id"], e["name"]) for r in out[:2] for e in r["entities"]}
    assert len({i for _, i, _ in ids}) == 1 and len({n for _, _, n in ids}) == 1, ids  # one NIL entity
    assert out[2]["entities"][0]["id"] == "Q159"
    assert "3 NIL -> 1 NIL ids" in err


def bad_lines(long_text: bool = True, link_only: bool = True) -> tuple[bytes, dict]:
    """A file of every bad-input kind; returns the bytes and {line: expected reason prefix or None (annotated)}.
    Without `link_only`, given spans are ignored (NER finds its own), so span problems are no failures."""
    ok = '{"id": "%s", "text": "Rusia dan Korea Utara", "entities": [{"start": 0, "end": 5, "label": "LOC"}]}'
    five_mb = "Pasukan Korea Utara tiba di Rusia. " * 150_000  # 5.25 MB
    lines = [
        (b"\xef\xbb\xbf" + (ok % "bom").encode() + b"\r\n", None),
        ((ok % "crlf").encode() + b"\r\n", None),
        (b"\n", "blank"),
        (b'{"id": "json", "text": "Rusia\n', "invalid JSON"),
        (b"[1, 2, 3]\n", "not a JSON object (got an array)"),
        (b'{"id": "missing"}\n', "missing text field 'text'"),
        (b'{"id": "number", "text": 12}\n', "text field 'text' is a number, not a string"),
        (b'{"id": "empty", "text": "", "entities": []}\n', "empty text"),
        (b'{"id": "utf8", "text": "Rusia \xc3\x28", "entities": []}\n', "invalid UTF-8"),
        (b'{"id": "ctrl", "text": "Rusia\x01\x07 dan\x00 Ukraina", "entities": '
         b'[{"start": 0, "end": 5, "label": "LOC"}]}\n', None),
        (b'{"id": "outside", "text": "Rusia", "entities": [{"start": 3, "end": 9, "label": "LOC"}]}\n',
         "inconsistent entities: entity 0: span [3, 9) is outside the text (length 5)"),
        (b'{"id": "overlap", "text": "Korea Utara", "entities": [{"start": 0, "end": 5, "label": "LOC"}, '
         b'{"start": 3, "end": 11, "label": "LOC"}]}\n', "inconsistent entities: entities [0, 5) and [3, 11)"),
        (b'{"id": "label", "text": "Rusia", "entities": [{"start": 0, "end": 5, "label": "GPE"}]}\n',
         "inconsistent entities: entity 0: label 'GPE'"),
        (b'{"id": "type", "text": "Rusia", "entities": [{"start": "0", "end": 5, "label": "LOC"}]}\n',
         "inconsistent entities: entity 0: start and end must be integers"),
        (b'{"id": "bool", "text": "Rusia", "entities": [{"start": 0, "end": true, "label": "LOC"}]}\n',
         "inconsistent entities: entity 0: start and end must be integers, got 0, True"),
        (b'{"id": "nospans", "text": "Rusia"}\n', "no 'entities' field"),
        (json.dumps({"id": "5mb", "text": five_mb,
                     "entities": [{"start": 8, "end": 19, "label": "LOC"}]}).encode() + b"\n", None) if long_text
        else (b"", "blank"),
        ((ok % "last").encode(), None),  # no final newline
    ]
    lines = [(line, None if not link_only and reason and reason.startswith(("inconsistent", "no 'entities'"))
              else reason) for line, reason in lines if line]
    expected = {n: reason for n, (_, reason) in enumerate(lines, 1) if reason != "blank"}
    return b"".join(line for line, _ in lines), expected


def check_bad_output(out: list[dict], expected: dict) -> None:
    assert len(out) == len(expected)  # one output line per non-blank input line, in order
    for rec, (line, reason) in zip(out, expected.items()):
        if reason is None:
            assert "error" not in rec and rec["entities"], rec.get("error")
            check_entities(rec)
        else:
            assert rec["error"]["line"] == line and rec["error"]["reason"].startswith(reason), rec["error"]


def test_bad_lines_link_only(tmp_path, gaz):
    data, expected = bad_lines()
    (tmp_path / "bad.jsonl").write_bytes(data)
    rc, _, err = annotate(tmp_path / "bad.jsonl", "-o", tmp_path / "out.jsonl", "--link-only", "--gazetteer", gaz)
    assert rc == 1, err
    out = read_jsonl(tmp_path / "out.jsonl")
    check_bad_output(out, expected)
    assert out[0]["id"] == "bom" and out[0]["entities"][0]["id"] == "Q159"
    (utf8,) = [r for r in out if r.get("error", {}).get("reason", "").startswith("invalid UTF-8")]
    assert utf8["_raw"] == '{"id": "utf8", "text": "Rusia \\xc3(", "entities": []}'
    failed = sum(r is not None for r in expected.values())
    assert f"{len(expected)} records" in err and f"{failed} failed" in err and "1 blank lines skipped" in err
    assert "failed: line 4: invalid JSON" in err


def test_strict_stops_and_writes_nothing(tmp_path, gaz):
    data, _ = bad_lines()
    (tmp_path / "bad.jsonl").write_bytes(data)
    (tmp_path / "out.jsonl").write_text("previous run\n")
    rc, _, err = annotate(tmp_path / "bad.jsonl", "-o", tmp_path / "out.jsonl", "--link-only", "--strict",
                          "--gazetteer", gaz)
    assert rc == 2 and "line 4: invalid JSON" in err
    assert (tmp_path / "out.jsonl").read_text() == "previous run\n"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "out.jsonl"]  # no temp files left
    rc, stdout, err = annotate(tmp_path / "bad.jsonl", "--link-only", "--strict", "--gazetteer", gaz)
    assert rc == 2 and stdout == b""  # stdout: nothing written either


def test_gzip_round_trip_and_stdin_stdout(tmp_path, gaz):
    recs = [{"id": i, "text": t, "entities": find_spans(t)}
            for i, t in enumerate(["Kim Jong-un di Pyongyang.", "NATO dan Rusia.", "Kiev, Kyiv, Moskow."] * 20)]
    plain = write_jsonl(tmp_path / "in.jsonl", recs)
    (tmp_path / "in.jsonl.gz").write_bytes(gzip.compress(plain.read_bytes()))
    common = ["--link-only", "--gazetteer", gaz, "--batch-size", "7", "--quiet"]
    rc, _, err = annotate(plain, "-o", tmp_path / "out.jsonl", *common)
    assert rc == 0 and err == ""  # --quiet: no summary
    expected = (tmp_path / "out.jsonl").read_bytes()
    assert len(read_jsonl(expected)) == 60
    rc, _, err = annotate(tmp_path / "in.jsonl.gz", "-o", tmp_path / "out.jsonl.gz", *common)
    assert rc == 0, err
    assert gzip.decompress((tmp_path / "out.jsonl.gz").read_bytes()) == expected
    rc, stdout, err = annotate("-", *common, stdin=(tmp_path / "in.jsonl.gz").read_bytes())
    assert rc == 0 and stdout == expected, err
    rc, stdout, err = annotate("-", "-o", "-", *common, stdin=plain.read_bytes())
    assert rc == 0 and stdout == expected, err


def test_text_field_option(tmp_path, gaz):
    src = write_jsonl(tmp_path / "in.jsonl", [{"body": "Rusia", "text": 1,
                                               "entities": [{"start": 0, "end": 5, "label": "LOC"}]}])
    rc, stdout, err = annotate(src, "--text-field", "body", "--link-only", "--gazetteer", gaz)
    assert rc == 0, err
    (rec,) = read_jsonl(stdout)
    assert rec["text"] == 1 and rec["entities"][0]["id"] == "Q159"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc for peak memory")
def test_streams_without_holding_the_corpus(tmp_path, gaz):
    """Peak memory hardly grows with the input: 100 vs 3,000 records of 5 kB (15 MB of text)."""
    filler = "Kerja sama militer kedua negara terus berkembang di berbagai sektor, termasuk sektor pertahanan. "
    rec = {"text": "Menteri Pertahanan Rusia Andrei Belousov tiba di Pyongyang. " + filler * 52}
    rec["entities"] = find_spans(rec["text"])

    def peak_rss_kb(n: int) -> int:
        src = write_jsonl(tmp_path / f"in{n}.jsonl", ({"n": i, **rec} for i in range(n)))
        # VmHWM: peak RSS of this process image (ru_maxrss would include the forking parent's).
        code = ("import re, sys; from entnorm.cli import main; rc = main(sys.argv[1:]); sys.stderr.write("
                "re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); sys.exit(rc)")
        proc = subprocess.run([sys.executable, "-c", code, "annotate", src, "-o", tmp_path / "out.jsonl",
                               "--link-only", "--quiet", "--gazetteer", gaz], capture_output=True, env=cli_env(),
                              cwd=PROJECT_DIR, timeout=600)
        assert proc.returncode == 0, proc.stderr
        return int(proc.stderr.split()[-1])

    small, large = peak_rss_kb(100), peak_rss_kb(3000)
    assert (tmp_path / "in3000.jsonl").stat().st_size > 15_000_000
    assert large - small < 10_000, (small, large)  # holding the texts alone would add > 15 MB


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_only_on_a_terminal(tmp_path, gaz):
    import os
    import pty

    recs = [{"text": "Kim Jong-un di Pyongyang.", "entities": find_spans("Kim Jong-un di Pyongyang.")}] * 30_000
    src = write_jsonl(tmp_path / "in.jsonl", recs)

    def stderr_on_tty(*extra):
        controller, terminal = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "entnorm.cli", "annotate", str(src), "-o",
                                 str(tmp_path / "out.jsonl"), "--link-only", "--gazetteer", str(gaz),
                                 "--batch-size", "16", *extra], stderr=terminal, env=cli_env(), cwd=PROJECT_DIR)
        os.close(terminal)
        out = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            out += chunk
        assert proc.wait(timeout=300) == 0
        os.close(controller)
        return out.decode()

    err = stderr_on_tty()
    assert "records" in err and "rec/s" in err and "ETA" in err and "30,000 records in" in err
    assert stderr_on_tty("--quiet") == ""


def test_several_inputs_are_one_corpus_and_a_directory_output_gets_parts_and_a_manifest(tmp_path, gaz):
    texts = ["Presiden Yoon Suk Yeol berbicara.", "Yoon Seok-yul tiba di Rusia."]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "a.jsonl", [{"n": 0, "text": texts[0], "entities": find_spans(texts[0])}])
    (corpus / "b.jsonl.gz").write_bytes(gzip.compress(b"\n[1]\n" + json.dumps(
        {"n": 1, "text": texts[1], "entities": find_spans(texts[1])}).encode() + b"\n"))
    (corpus / "notes.txt").write_text("not an input")
    rc, _, err = annotate(corpus, "-o", f"{tmp_path}/out/", "--link-only", "--gazetteer", gaz)
    assert rc == 1, err  # the array on line 2 of b.jsonl.gz
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["records"] == 3 and [p["name"] for p in manifest["parts"]] == ["part-00000.jsonl"]
    assert manifest["inputs"] == [str(corpus / "a.jsonl"), str(corpus / "b.jsonl.gz")]
    out = read_jsonl(tmp_path / "out" / "part-00000.jsonl")
    assert out[1]["error"] == {"file": str(corpus / "b.jsonl.gz"), "line": 2,
                               "reason": "not a JSON object (got an array)"}
    nil = {e["id"] for r in (out[0], out[2]) for e in r["entities"] if e["label"] == "PER"}
    assert len(nil) == 1  # one NIL person across the two files
    rc, _, err = annotate(corpus / "a.jsonl", "-o", f"{tmp_path}/out/", "--link-only", "--gazetteer", gaz)
    assert rc == 2 and "not an empty directory" in err  # never written over
    rc, one, _ = annotate(corpus / "b.jsonl.gz", "--link-only", "--gazetteer", gaz)
    assert read_jsonl(one)[0]["error"] == {"line": 2, "reason": "not a JSON object (got an array)"}  # one file


def test_import_is_light():
    code = "import sys, entnorm; entnorm.__version__; assert 'torch' not in sys.modules; print(entnorm.__version__)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=cli_env(), cwd=PROJECT_DIR)
    assert proc.returncode == 0 and proc.stdout.strip(), proc.stderr


def test_fatal_errors(tmp_path, gaz):
    rc, _, err = annotate(tmp_path / "missing.jsonl", "--link-only", "--gazetteer", gaz)
    assert rc == 2 and "cannot read" in err
    write_jsonl(tmp_path / "in.jsonl", [{"text": "Rusia"}])
    rc, _, err = annotate(tmp_path / "in.jsonl", "-o", tmp_path / "no" / "out.jsonl", "--link-only")
    assert rc == 2 and "does not exist" in err
    rc, _, err = annotate(tmp_path / "in.jsonl", "--model", tmp_path / "nomodel", "--gazetteer", gaz)
    assert rc == 2 and "cannot load the pipeline" in err
    data = gzip.compress(b"".join(b'{"n": %d, "text": "Rusia %d"}\n' % (i, i * i) for i in range(5000)))
    (tmp_path / "trunc.jsonl.gz").write_bytes(data[: len(data) // 2])
    rc, _, err = annotate(tmp_path / "trunc.jsonl.gz", "-o", tmp_path / "x.jsonl", "--link-only", "--gazetteer", gaz)
    assert rc == 2 and "cannot read" in err and not (tmp_path / "x.jsonl").exists()
    rc, _, err = annotate(tmp_path / "in.jsonl", "--batch-size", "0")
    assert rc == 2 and "at least 1" in err


# -- the shipped model ----------------------------------------------------------------------------------------
@needs_model
@needs_seeds
def test_seeds_with_ner_and_project_gazetteer(tmp_path):
    src = write_jsonl(tmp_path / "seeds.jsonl", seed_records())
    rc, _, err = annotate(src, "-o", tmp_path / "out.jsonl", "--workers", "2")
    assert rc == 0, err
    out = read_jsonl(tmp_path / "out.jsonl")
    assert len(out) == 5 and "5 records" in err and "0 failed" in err
    for rec in out:
        check_entities(rec)
        assert rec["entities"], rec["id"]
    ents = [e for r in out for e in r["entities"]]
    assert {"PER", "LOC", "ORG"} <= {e["label"] for e in ents}
    assert sum(not e["id"].startswith("nil:") for e in ents) > len(ents) / 2  # most mentions reach the gazetteer
    kim = {e["id"] for e in ents if e["text"] in ("Kim Jong Un", "Kim Jong-un")}
    assert len(kim) == 1 and not kim.pop().startswith("nil:")


@needs_model
def test_bad_lines_with_ner(tmp_path, gaz):
    data, expected = bad_lines(long_text=False, link_only=False)
    (tmp_path / "bad.jsonl").write_bytes(data)
    rc, _, err = annotate(tmp_path / "bad.jsonl", "-o", tmp_path / "out.jsonl", "--gazetteer", gaz)
    assert rc == 1, err
    out = read_jsonl(tmp_path / "out.jsonl")
    assert len(out) == len(expected)
    for rec, (line, reason) in zip(out, expected.items()):
        if reason is None:  # NER mode ignores given spans: these records are annotated
            assert "error" not in rec, rec["error"]
            check_entities(rec)
        else:
            assert rec["error"]["line"] == line and rec["error"]["reason"].startswith(reason), rec["error"]


@pytest.mark.slow
@needs_model
def test_megabyte_text_with_ner(tmp_path, gaz):
    """An article longer than a whole batch's text budget between two short ones: annotated to its last sentence,
    offsets exact. (5 MB goes through the link-only path in `bad_lines`; with NER it takes 15+ min on an AVX2-only
    CPU, and 1.2 MB runs the same code: windows over the whole text, a batch closed by its size.)"""
    text = ("Menteri Pertahanan Rusia Andrei Belousov bertemu Kim Jong Un di Pyongyang. "
            "Ia menyatakan kerja sama militer dengan Korea Utara terus berkembang.\n") * 8_000
    assert len(text) > MAX_BATCH_CHARS
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Rusia dan Ukraina."}, {"id": "big", "text": text},
                                              {"id": "b", "text": "Kim Jong Un di Pyongyang."}])
    rc, _, err = annotate(src, "-o", tmp_path / "out.jsonl", "--gazetteer", gaz)
    assert rc == 0, err
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in out] == ["a", "big", "b"]
    for rec in out:
        check_entities(rec)
    big = out[1]["entities"]
    assert big[-1]["end"] > len(text) - 200  # nothing truncated
    assert sum(e["id"] == "Q56226" for e in big) >= 7_000


@needs_model
def test_a_failing_record_does_not_fail_its_batch(tmp_path, gaz):
    """A 3,000-letter 'word' (a base64 blob, say) is more subwords than the encoder takes: the tagger raises for
    it. Its batch is redone record by record, so only that record fails (or none, once the tagger splits it)."""
    recs = [{"id": "a", "text": "Kim Jong Un di Pyongyang."}, {"id": "blob", "text": "Rusia " + "a" * 3000},
            {"id": "b", "text": "Rusia dan Ukraina."}]
    rc, stdout, err = annotate(write_jsonl(tmp_path / "in.jsonl", recs), "--gazetteer", gaz)
    out = read_jsonl(stdout)
    assert [r["id"] for r in out] == ["a", "blob", "b"]
    assert "error" not in out[0] and "error" not in out[2] and out[0]["entities"] and out[2]["entities"]
    if "error" in out[1]:
        assert rc == 1 and out[1]["error"]["line"] == 2
        assert out[1]["error"]["reason"].startswith("annotation failed: ValueError")
    else:
        assert rc == 0
        check_entities(out[1])


def test_context_ranking_flag_reaches_load_on_both_engines():
    from entnorm.cli import build_parser, pipeline_options

    parse = build_parser().parse_args
    assert pipeline_options(parse(["annotate", "in.jsonl", "--context-ranking"]))["context_ranking"] is True
    assert pipeline_options(parse(["annotate", "in.jsonl", "--no-context-ranking"]))["context_ranking"] is False
    # without the flag: None, so entnorm.load keeps its default (or what a saved pipeline recorded)
    assert pipeline_options(parse(["annotate", "in.jsonl", "--link-only"]))["context_ranking"] is None
