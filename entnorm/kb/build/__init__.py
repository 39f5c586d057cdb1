"""The gazetteer builder: `python -m entnorm.kb.build` turns the shared gazetteer sources into
gazetteer/generated/*.yaml (records per `entnorm.kb.schema`).

One module per source family, in build order (pipeline.py runs them):
  countries.py   rigour territories + CLDR/pycountry + mledoze + exonym seed, joined on ISO code
  cities.py      Natural Earth places + GeoNames alternate names + CLDR + exonym seed
  indonesia.py   BPS/Kemendagri provinces, kabupaten/kota, kecamatan
  people.py      EveryPolitician leaders, cabinets, legislators, officials (people_records.py: their records)
  orgs.py        Indonesian DBpedia organisations (and, optionally, persons); attested place names
Shared: records.py (entities, curated-wins merge), aliases.py (alias filters), writer.py (YAML, 8 MB split),
offices.py and person_names.py (office titles, name clean-up), newsstats.py (news text statistics),
tables.py (the hand tables in data/), text.py and sources.py (string helpers, file readers).
"""
from .pipeline import Paths, Result, build

__all__ = ["Paths", "Result", "build"]
