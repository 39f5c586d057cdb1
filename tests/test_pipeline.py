"""Pipeline serialisation: to_disk / load(dir) reproduce the same decisions."""
import pytest

import entnorm
from entnorm.link.policy import Policy
from annotate_support import write_gazetteer

TEXT = "Presiden Rusia tiba di Moskow. Kim Jong Un menyambut."
SPANS = [{"start": 15, "end": 20, "label": "LOC"}, {"start": 23, "end": 29, "label": "LOC"},
         {"start": 31, "end": 42, "label": "PER"}]


def test_round_trip_keeps_gazetteer_and_policy(tmp_path):
    nlp = entnorm.load(gazetteer=[write_gazetteer(tmp_path / "gaz")], ner=False, policy=Policy(min_score=0.5))
    before = nlp(TEXT, entities=SPANS)
    nlp.to_disk(tmp_path / "saved")
    (tmp_path / "gaz" / "seeds.yaml").write_text("- {id: Q1, type: LOC, name: Elsewhere}\n")  # the source changes
    again = entnorm.load(tmp_path / "saved", ner=False)
    assert again.linker.policy == Policy(min_score=0.5)
    assert again(TEXT, entities=SPANS) == before


def test_edited_saved_gazetteer_is_refused(tmp_path):
    nlp = entnorm.load(gazetteer=[write_gazetteer(tmp_path / "gaz")], ner=False)
    nlp.to_disk(tmp_path / "saved")
    saved = next((tmp_path / "saved" / "gazetteer").glob("*.yaml"))
    saved.write_text(saved.read_text() + "- {id: Q9, type: LOC, name: Baru}\n")
    with pytest.raises(ValueError, match="changed since it was saved"):
        entnorm.load(tmp_path / "saved", ner=False)


def test_not_a_saved_pipeline(tmp_path):
    with pytest.raises(FileNotFoundError, match="to_disk"):
        entnorm.load(tmp_path)


@pytest.mark.parametrize("on", [True, False])
def test_round_trip_keeps_context_ranking(tmp_path, on):
    nlp = entnorm.load(gazetteer=[write_gazetteer(tmp_path / "gaz")], ner=False, context_ranking=on)
    assert (nlp.linker.ranker is not None) == on
    nlp.to_disk(tmp_path / "saved")
    assert (entnorm.load(tmp_path / "saved", ner=False).linker.ranker is not None) == on
    # an explicit argument wins over what was saved
    assert (entnorm.load(tmp_path / "saved", ner=False, context_ranking=not on).linker.ranker is not None) == (not on)


def test_saved_before_context_ranking_loads_without_it(tmp_path):
    import json

    entnorm.load(gazetteer=[write_gazetteer(tmp_path / "gaz")], ner=False).to_disk(tmp_path / "saved")
    config = tmp_path / "saved" / "entnorm.json"
    data = json.loads(config.read_text())
    del data["context_ranking"]
    config.write_text(json.dumps(data))
    assert entnorm.load(tmp_path / "saved", ner=False).linker.ranker is None
