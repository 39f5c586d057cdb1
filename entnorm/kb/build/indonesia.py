"""Indonesian administrative areas: provinces, kabupaten/kota, kecamatan, with BPS and Kemendagri codes.

Reads (under gazetteer-sources/): `indonesia-wilayah-bps-kemendagri/{provinsi,kabkota,kecamatan}.csv`,
`every-politician/cabinets/indonesia-ministers/sources/governors/wikidata.csv` (province QIDs), and
data/indonesia_names.yaml. Writes: entities with file `indonesia` (provinces, kabupaten, kota; a kota merges
into the Natural Earth city of the same name) and `kecamatan`; ids are QIDs or `loc:id-bps-<code>`.
"""
from __future__ import annotations

import collections
import re

from ...names import fold
from .aliases import risky
from .context import Build
from .records import Entity
from .sources import read_csv
from .tables import yaml_table
from .text import title_id

NAMES = yaml_table("indonesia_names.yaml")
BPS = "indonesia-wilayah-bps-kemendagri"
GOVERNORS = "every-politician/cabinets/indonesia-ministers/sources/governors/wikidata.csv"


def add_regions(b: Build) -> None:
    provinces = add_provinces(b)
    kabkota = add_kabkota(b, provinces)
    add_kecamatan(b, provinces, kabkota)


def add_provinces(b: Build) -> dict[str, str]:
    """Province records; returns BPS code -> display name."""
    gov = read_csv(b.src / GOVERNORS)
    prov_qid = {fold(r["provinceLabel"].replace("Sumatra", "Sumatera")): r["province"] for r in gov}
    prov_qid[fold("DKI Jakarta")] = prov_qid.get(fold("Jakarta"), "")
    names: dict[str, str] = {}
    for r in read_csv(b.src / BPS / "provinsi.csv"):
        code = r["kode_bps"]
        name = title_id(r["nama_bps"])
        qid = prov_qid.get(fold(name)) or prov_qid.get(fold(name.replace("DI ", "Daerah Istimewa ")))
        eid = qid or f"loc:id-bps-{code}"
        existed = eid in b.store.by_id
        e = b.store.get(eid, "LOC")
        e.src("bps-kemendagri")
        if qid:
            e.src("every-politician")
        if not existed:
            e.kind = "province"
            e.file = "indonesia"
        e.country = "ID"
        disp = NAMES["province_display"].get(name, name)
        if not existed:
            e.name = disp
        for a in (name, disp, f"Provinsi {name}"):
            e.add(a, protect=True)
        if name != disp:
            e.add(f"Provinsi {disp}", protect=True)
        for a in NAMES["province_aliases"].get(code, []):
            e.add(a, protect=True)
        if "Sumatera" in name:
            e.add(name.replace("Sumatera", "Sumatra"), protect=True)
        e.refs["bps"] = code
        e.refs["kemendagri"] = r["kode_dagri"]
        e.prior = max(e.prior, 0.8)
        e.description = "Provinsi di Indonesia" if not existed else "Ibu kota Indonesia; Provinsi DKI Jakarta"
        names[code] = disp
    return names


def add_kabkota(b: Build, provinces: dict[str, str]) -> dict[str, str]:
    """Kabupaten and kota records; returns BPS code -> full name (`Kabupaten X`, `Kota X`)."""
    ne_id = collections.defaultdict(list)  # fold of one of the first three aliases -> Indonesian NE cities
    for e in b.store.by_id.values():
        if e.type == "LOC" and e.country == "ID" and e.kind in ("city", "capital") and e.id.startswith("Q"):
            for k in e.keys(3):
                ne_id[k].append(e)
    rows = read_csv(b.src / BPS / "kabkota.csv")
    base_count = collections.Counter(title_id(r["nama_bps"]) for r in rows)
    names: dict[str, str] = {}
    n_merge = 0
    for r in rows:
        code = r["kode_bps"]
        is_kota = int(code[2:]) >= 71
        basen = title_id(r["nama_bps"])
        full = ("Kota " if is_kota else "Kabupaten ") + basen
        cands = ne_id.get(fold(basen), []) if is_kota else []
        target = cands[0] if len(cands) == 1 and cands[0].kind == "city" else None
        if target is not None and target.id not in b.curated_ids:
            e = target
            n_merge += 1
            e.name = basen if base_count[basen] == 1 else full
        else:
            e = b.store.get(f"loc:id-bps-{code}", "LOC")
            e.name = full
            e.prior = 0.6 if is_kota else 0.5
        e.src("bps-kemendagri")
        e.kind = "city_id" if is_kota else "regency"
        e.file = "indonesia"
        e.country = "ID"
        _kabkota_aliases(b, e, r, basen, full, is_kota)
        e.refs["bps"] = f"{code[:2]}.{code[2:]}"
        e.refs["kemendagri"] = f"{r['kode_dagri'][:2]}.{r['kode_dagri'][2:]}"
        e.prior = max(e.prior, 0.6 if is_kota else 0.5)
        e.description = ("Kota" if is_kota else "Kabupaten") + f" di Provinsi {provinces.get(code[:2], '')}"
        names[code] = full
    b.log(f"indonesia: {len(provinces)} provinces, {len(rows)} kab/kota ({n_merge} merged with Natural Earth cities)")
    return names


def _kabkota_aliases(b: Build, e: Entity, r: dict, basen: str, full: str, is_kota: bool) -> None:
    kind_word = "Kota " if is_kota else "Kabupaten "
    dagri = title_id(re.sub(r"^(KAB\.|KOTA ADM\.|KOTA)\s*", "", r["nama_dagri"]))
    e.add(full, protect=True)
    e.add(basen, protect=not risky(basen, b.news))
    if dagri != basen:
        e.add(dagri)
        e.add(kind_word + dagri, protect=True)
    if is_kota:
        e.add(f"Kotamadya {basen}", protect=True)
        e.add(f"Kota Administrasi {basen}" if r["kode_bps"].startswith("31") else f"Pemkot {basen}", protect=True)
        for a in NAMES["kota_aliases"].get(basen, []):
            e.add(a, protect=True)
    else:
        e.add(f"Kab. {basen}", protect=True)
        e.add(f"Kab {basen}", protect=True)


def add_kecamatan(b: Build, provinces: dict[str, str], kabkota: dict[str, str]) -> None:
    n = 0
    for r in read_csv(b.src / BPS / "kecamatan.csv"):
        code = r["kode_bps"]
        basen = title_id(r["nama_bps"])
        e = b.store.get(f"loc:id-bps-{code}", "LOC")
        e.src("bps-kemendagri")
        e.kind = "district"
        e.file = "kecamatan"
        e.country = "ID"
        e.name = f"Kecamatan {basen}"
        e.add(e.name, protect=True)
        e.add(basen)
        if title_id(r["nama_dagri"]) != basen:
            e.add(title_id(r["nama_dagri"]))
        e.refs["bps"] = f"{code[:2]}.{code[2:4]}.{code[4:]}"
        d = r["kode_dagri"]
        e.refs["kemendagri"] = f"{d[:2]}.{d[2:4]}.{d[4:]}"
        e.prior = 0.15
        e.description = f"Kecamatan di {kabkota.get(code[:4], '')}, {provinces.get(code[:2], '')}".strip(", ")
        n += 1
    b.log(f"indonesia: {n} kecamatan")
