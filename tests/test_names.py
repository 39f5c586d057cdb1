import pytest

from entnorm.names import abbreviates, aligned_similarity, fold, name_keys, strip_legal_form

SAME = [
    ("Kim Jong Un", "Kim Jong-un"), ("Kim Jong Un", "Kim Jongun"), ("Kim Jong Un", "김정은"),
    ("Kim Jong Un", "Kim Jong-eun"), ("Yoon Suk Yeol", "Yoon Seok-yul"), ("Yoon Suk Yeol", "Yun Suk-yeol"),
    ("Yoon Suk Yeol", "윤석열"), ("Zelensky", "Zelenskyy"), ("Volodymyr Zelenskiy", "Vladimir Zelensky"),
    ("Bashar al-Assad", "Basyar Assad"), ("Soekarno", "Sukarno"), ("Andrei Belousov", "Andrey Beloussov"),
    ("Kharkiv", "Kharkov"), ("Sergei Shoigu", "Sergey Shoygu"), ("Erdoğan", "Erdogan"),
    ("Mohammed bin Salman", "Muhammad bin Salman"), ("Hezbollah", "Hizbullah"), ("Lee Jae-myung", "이재명"),
]
DIFFERENT = [
    ("Kim Jong Un", "Kim Jong Il"), ("Kim Jong Un", "Kim Yo Jong"), ("Kim Jong Un", "Kim Jong Nam"),
    ("Donald Trump", "Donald Tusk"), ("Lee Jae-myung", "Lee Jae-yong"), ("Jawa Barat", "Jawa Timur"),
    ("Korea Utara", "Korea Selatan"), ("Korea", "Korea Utara"), ("Austria", "Australia"),
    ("Slovakia", "Slovenia"), ("Iran", "Irak"), ("Niger", "Nigeria"), ("Park Geun-hye", "Park Chung-hee"),
    ("Kabupaten Bogor", "Kota Bogor"), ("Sudan", "Sudan Selatan"),
]


@pytest.mark.parametrize("a,b", SAME)
def test_variants_align(a, b):
    assert aligned_similarity(name_keys(a), name_keys(b)) >= 0.88


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_confusables_stay_apart(a, b):
    assert aligned_similarity(name_keys(a), name_keys(b)) < 0.88


def test_fold_is_ascii_and_spacing_insensitive():
    assert fold("  Kim  Jong-un ") == "kim jong un"
    assert fold("Андрей Белоусов") == "andrei belousov"
    assert name_keys("Kim Jong-un").key == name_keys("KIM JONGUN").key


def test_particles_are_ignored_but_kept_in_folded():
    keys = name_keys("Bashar al-Assad")
    assert "al" in keys.folded.split() and "al" not in keys.tokens


@pytest.mark.parametrize("text,core", [("PT Telkom Indonesia Tbk", "Telkom Indonesia"), ("PT Pertamina (Persero) Tbk.", "Pertamina"),
                                       ("Samsung Electronics Co., Ltd.", "Samsung Electronics"), ("PT", "PT"),
                                       ("Bank Mandiri", "Bank Mandiri")])
def test_strip_legal_form(text, core):
    assert strip_legal_form(text) == core


@pytest.mark.parametrize("short,long,expected", [
    ("BUMN", "Badan Usaha Milik Negara", True), ("BPOM", "Badan Pengawas Obat dan Makanan", True),
    ("Kemenkeu", "Kementerian Keuangan", True), ("Pemprov", "Pemerintah Provinsi", True),
    ("KPK", "Komisi Pemilihan Umum", False), ("Malaysia", "Malaysia Airlines", False),
    ("Jaksa", "Jaksa Agung", False), ("PBB", "Perserikatan", False)])
def test_abbreviates(short, long, expected):
    assert abbreviates(short, long) is expected
