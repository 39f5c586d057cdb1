"""Build the linking evaluation files from the _src_*.py sources and verify them.

    python tests/data/linking/build_linking_data.py            # write the JSONL files
    python tests/data/linking/build_linking_data.py --review   # also list capitalised words left unannotated

Writes (next to this script): variant_pairs.jsonl, confusable_pairs.jsonl, documents.jsonl, document_entities.jsonl.
Edit the _src_*.py files, never the JSONL by hand, then re-run this script.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _src_confusables import CONFUSABLES  # noqa: E402
from _src_documents import DOC_ENTITIES, DOCUMENTS  # noqa: E402
from _src_entities import QIDS  # noqa: E402
from _src_variants import VARIANTS  # noqa: E402

LABELS = {"PER", "LOC", "ORG"}
MARKUP = re.compile(r"\{\{([^{}|]+)\|([^{}|]+)\}\}")


def pair_key(a: str, b: str) -> frozenset:
    return frozenset({a.casefold(), b.casefold()}) if a.casefold() != b.casefold() else frozenset({a.casefold()})


def build_variants() -> list[dict]:
    out, seen = [], set()
    for a, b, typ, entity, why in VARIANTS:
        assert typ in LABELS, (a, b, typ)
        assert a != b, f"variant pair with identical strings: {a!r}"
        k = frozenset({a, b})
        assert k not in seen, f"duplicate variant pair: {a!r} / {b!r}"
        seen.add(k)
        out.append({"a": a, "b": b, "type": typ, "entity": entity, "qid": QIDS.get(entity), "why": why})
    return out


def build_confusables() -> list[dict]:
    out, seen = [], set()
    for row in CONFUSABLES:
        a, b, ta, tb, ea, eb, why = row[:7]
        context = row[7] if len(row) > 7 else None
        assert ta in LABELS and tb in LABELS, row
        assert ea != eb, f"confusable pair names the same entity: {row}"
        if a.casefold() == b.casefold():
            assert context, f"identical surface forms need a context: {row}"
        if context:
            assert set(context) == {"a", "b"}, row
            assert a in context["a"] and b in context["b"], f"context must contain the surface forms: {row}"
        k = (frozenset({a, b}), frozenset({ea, eb}))
        assert k not in seen, f"duplicate confusable pair: {a!r} / {b!r}"
        seen.add(k)
        rec = {"a": a, "b": b, "type": ta if ta == tb else "MIXED", "a_type": ta, "b_type": tb,
               "a_entity": ea, "b_entity": eb, "a_qid": QIDS.get(ea), "b_qid": QIDS.get(eb), "why": why}
        if context:
            rec["context"] = context
        out.append(rec)
    return out


def parse_document(doc_id: str, marked: str) -> dict:
    """Strip {{surface|key}} markup; offsets are positions of the surface text in the clean text."""
    text_parts, mentions, pos, clean_len = [], [], 0, 0
    for m in MARKUP.finditer(marked):
        before = marked[pos:m.start()]
        assert "{{" not in before and "}}" not in before, f"{doc_id}: broken markup near {before[-40:]!r}"
        text_parts.append(before)
        clean_len += len(before)
        surface, key = m.group(1), m.group(2)
        assert key in DOC_ENTITIES, f"{doc_id}: unknown entity key {key!r}"
        assert surface == surface.strip() and surface, f"{doc_id}: bad surface {surface!r}"
        mentions.append({"start": clean_len, "end": clean_len + len(surface), "text": surface,
                         "label": DOC_ENTITIES[key][1], "entity": key})
        text_parts.append(surface)
        clean_len += len(surface)
        pos = m.end()
    rest = marked[pos:]
    assert "{{" not in rest and "}}" not in rest, f"{doc_id}: broken markup at the end"
    text_parts.append(rest)
    text = "".join(text_parts)
    return {"id": doc_id, "text": text, "mentions": mentions}


def verify_document(doc: dict) -> None:
    """Round-trip every offset, and re-derive it by searching each mention's text in order (whole words)."""
    text, cursor = doc["text"], 0
    for m in doc["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"], (doc["id"], m)
        hit = re.compile(r"(?<!\w)" + re.escape(m["text"]) + r"(?!\w)").search(text, cursor)
        assert hit and hit.start() == m["start"], f"{doc['id']}: in-order search disagrees for {m}"
        cursor = m["end"]
    sentences = [s for s in re.split(r"(?<=[.!?\"])\s+(?=[A-Z\"])|\n", text) if s.strip()]
    assert 3 <= len(sentences) <= 10, (doc["id"], len(sentences))


STOP = set("""Presiden Menteri Perdana Wakil Mantan Ketua Umum Juru Bicara Kepala Sekretaris Jenderal Gubernur Wali Kota
Pemimpin Putra Putri Adik Direktur Utama Panglima Duta Besar Raja Ratu Pangeran Pemerintah Militer Pasukan Partai
Kantor Kami Ini Kita Ia Ribuan Puluhan Ratusan Sebagian Sementara Menurut Sayap Seusai Pada Di Dalam Kepada Untuk
Keduanya Kandidat Pertemuan Penyeberangan Gelombang Pembangkit Serangan Sidang Secara Draf Sengketa Kontrak
Pesawat Pencarian Kabut Warga Politikus Harian Peringatan Kunjungan Penambahan Pendaftaran Kawasan Operator Polisi
Baca Kamis Senin Maret Agustus Lebaran Angin Bapak Anak Orang Para Perusahaan Fasilitas Forum Keberangkatan Kelompok
Petani Sejarawan Rumah Kini Prakirawan Negara Partai Aktivis Analis Pejabat Junta Perbatasan Badan Jemaah Putra
Mahkota Usulan Sejumlah Keluarga Makam Wisatawan Longsor Tiga Ekspor Harga Otoritas Peneliti Pemkab Dinas Provinsi
Konvensi Genosida Hari Matahari Tetap Meski Cuaca Buruk Ramai Peziarah Jelang Haul Gelar Latihan Besar Kunjungi
Bahas Kerja Sama Industri Pertahanan Buka Pusat Data Baru Naik Persen Keluhkan Kelangkaan Pupuk Tertimbun Rumah
Angkatan Bersenjata Jalan Pulau Kota Kabupaten Distrik Sungai Laut Bukit Istana Bandara Pelabuhan Universitas KTT
Jenderal Nasional Selancar Keluhkan MH370 Rp Arab Pendiri Delegasi Operasi Satu Dua Sekitar
Ketua Majelis Tinggi Anggota Dalam Keduanya Penyidik Para Tersangka Perwakilan Pertemuan Menurut""".split())


def review(docs: list[dict]) -> None:
    """Print capitalised words that are not inside any mention (to spot missed annotations by eye)."""
    for d in docs:
        covered = [(m["start"], m["end"]) for m in d["mentions"]]
        flagged = []
        for w in re.finditer(r"[A-Z][\w'’-]*", d["text"]):
            if any(s <= w.start() < e for s, e in covered):
                continue
            if w.group() in STOP:
                continue
            flagged.append(w.group())
        if flagged:
            print(f"{d['id']}: {' '.join(flagged)}")


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def build() -> dict[str, list[dict]]:
    """All four files' rows, verified. Raises AssertionError on any inconsistency."""
    variants = build_variants()
    confusables = build_confusables()
    vkeys = {pair_key(r["a"], r["b"]) for r in variants}
    for r in confusables:
        assert pair_key(r["a"], r["b"]) not in vkeys, f"pair in both files: {r['a']!r} / {r['b']!r}"

    docs = [parse_document(i, t) for i, t in DOCUMENTS]
    assert len({d["id"] for d in docs}) == len(docs)
    for d in docs:
        verify_document(d)
    used = {m["entity"] for d in docs for m in d["mentions"]}
    unused = sorted(set(DOC_ENTITIES) - used)
    assert not unused, f"registry entries never used in a document: {unused}"
    entities = [{"entity": k, "name": n, "label": lab, "qid": QIDS.get(n), "nil": nil}
                for k, (n, lab, nil) in sorted(DOC_ENTITIES.items())]
    for e in entities:
        assert not (e["nil"] and e["qid"]), e
    return {"variant_pairs.jsonl": variants, "confusable_pairs.jsonl": confusables,
            "documents.jsonl": docs, "document_entities.jsonl": entities}


def main() -> None:
    files = build()
    for name, rows in files.items():
        write_jsonl(HERE / name, rows)
    docs = files["documents.jsonl"]
    n_mentions = sum(len(d["mentions"]) for d in docs)
    n_clusters = len({m["entity"] for d in docs for m in d["mentions"]})
    print(f"variant pairs: {len(files['variant_pairs.jsonl'])}  "
          f"confusable pairs: {len(files['confusable_pairs.jsonl'])}  documents: {len(docs)}  "
          f"mentions: {n_mentions}  gold clusters: {n_clusters}")
    if "--review" in sys.argv:
        review(docs)


if __name__ == "__main__":
    main()
