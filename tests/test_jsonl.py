"""entnorm.jsonl: every kind of bad input line becomes exactly one record with a clear reason; output is atomic."""
import gzip
import io
import json
import os

import pytest

from entnorm.jsonl import AtomicOutput, Input, Record, encode, parse_line


def parsed(line: bytes, **kw) -> Record:
    rec = parse_line(line, 7, **kw)
    assert rec is not None
    return rec


def test_good_line():
    rec = parsed(b'{"id": 1, "text": "Rusia dan Korea Utara", "extra": [1, {"a": null}]}\n')
    assert rec.error is None and rec.text == "Rusia dan Korea Utara" and rec.item() == rec.text
    out = rec.annotated([{"start": 0}])
    assert out == {"id": 1, "text": "Rusia dan Korea Utara", "extra": [1, {"a": None}], "entities": [{"start": 0}]}


@pytest.mark.parametrize("line, reason", [
    (b'{"id": 1, "text": "unterminated', "invalid JSON: Unterminated string"),
    (b'{"id": 1,, "text": "x"}', "invalid JSON: Expecting property name"),
    (b"[1, 2]", "not a JSON object (got an array)"),
    (b'"just a string"', "not a JSON object (got a string)"),
    (b"42", "not a JSON object (got a number)"),
    (b"null", "not a JSON object (got null)"),
    (b'{"id": 1}', "missing text field 'text'"),
    (b'{"text": 5}', "text field 'text' is a number, not a string"),
    (b'{"text": null}', "text field 'text' is null, not a string"),
    (b'{"text": ["a"]}', "text field 'text' is an array, not a string"),
    (b'{"text": ""}', "empty text in field 'text'"),
    (b'{"text": " \\n\\t "}', "empty text in field 'text'"),
    (b"[" * 100_000, "invalid JSON"),
])
def test_bad_lines_name_the_problem(line, reason):
    rec = parsed(line)
    assert rec.error.startswith(reason), rec.error
    out = rec.failed()
    assert out["error"] == {"line": 7, "reason": rec.error}
    if rec.obj is None:
        assert out["_raw"] == line.decode()
    else:
        assert {k: v for k, v in out.items() if k != "error"} == rec.obj  # every input field kept
    assert encode(out).count(b"\n") == 1


def test_invalid_utf8_keeps_the_bytes_visible():
    rec = parsed(b'{"text": "Jakarta \xff\xfe caf\xc3"}\n')
    assert rec.error == "invalid UTF-8: byte 0xff at byte offset 18"
    assert rec.failed()["_raw"] == '{"text": "Jakarta \\xff\\xfe caf\\xc3"}'
    json.loads(encode(rec.failed()))


def test_bom_crlf_and_control_characters():
    clean = parsed(b'{"text": "Rusia"}')
    assert parsed(b'\xef\xbb\xbf{"text": "Rusia"}\r\n') == clean
    assert parsed('\ufeff{"text": "Rusia"}\n'.encode()) == clean
    raw_ctrl = parsed(b'{"text": "Ru\x01sia\x00 \x1b[0m\tdan\rKorea"}')  # raw control chars inside a string
    assert raw_ctrl.error is None and raw_ctrl.text == "Ru\x01sia\x00 \x1b[0m\tdan\rKorea"
    escaped = parsed(b'{"text": "Ru\\u0001sia\\u0000"}')
    assert escaped.text == "Ru\x01sia\x00"
    line = encode(raw_ctrl.annotated([]))
    assert line.count(b"\n") == 1 and b"\x01" not in line and json.loads(line)["text"] == raw_ctrl.text


def test_lone_surrogates_are_written_as_escapes():
    rec = parsed(b'{"text": "a \\ud800 b"}')
    line = encode(rec.annotated([]))
    assert b"\\ud800" in line and json.loads(line)["text"] == "a \ud800 b"


@pytest.mark.parametrize("line", [b"", b"\n", b"\r\n", b"   \t \r\n", b"\xef\xbb\xbf\n"])
def test_blank_lines_are_skipped(line):
    assert parse_line(line, 1) is None


def test_other_text_field_and_link_only():
    rec = parsed(b'{"body": "Rusia", "entities": [{"start": 0, "end": 5, "label": "LOC"}]}', text_field="body",
                 link_only=True)
    assert rec.item() == {"text": "Rusia", "entities": [{"start": 0, "end": 5, "label": "LOC"}]}
    assert parsed(b'{"body": "Rusia"}', text_field="body", link_only=True).error.startswith("no 'entities' field")
    assert parsed(b'{"text": "Rusia", "entities": {}}', link_only=True).error.startswith("'entities' is an object")
    assert parsed(b'{"text": "Rusia", "entities": "x"}').error is None  # NER mode: old entities are replaced


def test_five_megabyte_line():
    text = ("Menteri Pertahanan Rusia Andrei Belousov tiba di Pyongyang. " * 90_000)[:5_000_000]
    rec = parsed(json.dumps({"text": text}).encode() + b"\n")
    assert rec.error is None and len(rec.text) == 5_000_000


def test_input_numbers_physical_lines_and_counts_blanks(tmp_path):
    data = b'\xef\xbb\xbf{"text": "a"}\r\n\r\n{"text": ""}\n   \n[1]\n{"text": "b"}'  # no final newline
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    with Input(path) as source:
        recs = list(source)
        assert source.size == len(data) and source.position() == len(data)
    assert [(r.line, r.error is None) for r in recs] == [(1, True), (3, False), (5, False), (6, True)]
    assert source.blank == 2 and source.lines == 6


def test_input_reads_gzip_by_content(tmp_path):
    path = tmp_path / "in.jsonl"  # no .gz suffix: detected from the magic bytes
    path.write_bytes(gzip.compress(b'{"text": "a"}\n{"text": "b"}\n'))
    with Input(path) as source:
        assert [r.text for r in source] == ["a", "b"]


def test_input_from_a_stream_without_peek(monkeypatch):
    class Stdin:
        buffer = io.BytesIO(b'{"text": "a"}\n')

    monkeypatch.setattr("sys.stdin", Stdin)
    with Input("-") as source:
        assert [r.text for r in source] == ["a"]


def test_atomic_output_commits_on_success(tmp_path):
    target = tmp_path / "out.jsonl.gz"
    with AtomicOutput(target) as out:
        out.write(b'{"a": 1}\n')
        assert not target.exists()  # nothing visible until the block completes
    assert gzip.decompress(target.read_bytes()) == b'{"a": 1}\n'
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # the usual mode, not mkstemp's 0600
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl.gz"]


def test_atomic_output_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"previous\n")
    with pytest.raises(RuntimeError):
        with AtomicOutput(target) as out:
            out.write(b'{"a": 1}\n')
            raise RuntimeError("interrupted")
    assert target.read_bytes() == b"previous\n"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # no temp file left
