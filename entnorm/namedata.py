"""Language data for name matching, kept apart from the algorithms in `names.py`. Plain tables; edit freely.

Every rule here maps spellings of one sound or name onto one form. Rules are applied to ASCII-folded,
lower-cased tokens, in the order listed.
"""

# Indonesian spelling before 1972 (EYD): Soekarno -> Sukarno, Djakarta -> Jakarta, Tjipto -> Cipto.
OLD_INDONESIAN = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"))

# Consonant conventions that differ between Indonesian, English and romanisation systems
# (Basyar/Bashar, Kharkiv/Harkiv, Zhytomyr/Zytomyr, Wladimir/Vladimir, -ow/-ov).
CONSONANTS = (("sch", "s"), ("sh", "s"), ("sy", "s"), ("zh", "z"), ("kh", "h"), ("ch", "c"), ("ph", "f"),
              ("th", "t"), ("dh", "d"), ("ck", "k"), ("q", "k"), ("x", "ks"), ("w", "v"))

# Vowel conventions: Korean (Yoon/Yun, Seok/Suk, Eun/Un, Lee/Li), Russian/Ukrainian y/i/j (Zelenskyy,
# Zelenskiy), English oo/ou.
VOWELS = (("ee", "i"), ("oo", "u"), ("ou", "u"), ("eo", "o"), ("eu", "u"), ("ae", "e"), ("y", "i"))

# Word-final endings: -off/-ov (Smirnoff), -skiy/-sky already meet through y->i and doubled letters.
ENDINGS = (("of", "ov"),)

# Regnal and generational numbers: compared literally, never respelled.
ROMAN_NUMERALS = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"})

# Tokens ignored when comparing names: Arabic article and name particles (Bashar al-Assad = Bashar Assad).
PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "an", "at", "az", "van", "von", "der", "de", "da", "di",
                       "bin", "binti", "ibn"})

# Tokens that distinguish entities and must match exactly (Jawa Barat != Jawa Timur, Korea Utara != Korea).
DISTINCTIVE = frozenset({
    "utara", "selatan", "barat", "timur", "tengah", "tenggara", "laut", "daya",
    "north", "south", "east", "west", "central", "new", "baru", "lama", "old", "raya", "besar", "kecil",
    "kota", "kabupaten", "provinsi", "city", "county", "state", "negara", "bagian",
    "jr", "sr", "junior", "senior"}) | ROMAN_NUMERALS

# Given names and place names that are one name across languages (first form is the canonical key).
NAME_EQUIVALENTS = (
    ("vladimir", "volodymyr", "wladimir", "wlodzimierz", "volodimir"),
    ("aleksandr", "oleksandr", "alexander", "alexandr", "aleksander", "alexandre", "olexandr"),
    ("andrei", "andriy", "andrii", "andrey", "andrij"),
    ("sergei", "serhiy", "serhii", "sergey", "sergiy", "sergii"),
    ("dmitri", "dmytro", "dmitry", "dmitriy", "dmitrii"),
    ("nikolai", "mykola", "nikolay", "nicolai"),
    ("mikhail", "mykhailo", "michail", "mikhael"),
    ("yuri", "yuriy", "yury", "iouri", "jurij", "yurii"),
    ("aleksei", "oleksiy", "oleksii", "alexei", "alexey", "aleksey"),
    ("pyotr", "petro", "petr"),
    ("pavel", "pavlo"),
    ("vasily", "vasyl", "vasili", "vasiliy"),
    ("gennady", "hennadiy", "gennadiy", "hennadii"),
    ("vitaly", "vitaliy", "vitalii"),
    ("anatoly", "anatoliy", "anatolii"),
    ("evgeny", "yevgeny", "yevgeniy", "yevhen", "evgeniy", "yevgeni"),
    ("kiev", "kyiv", "kiyv", "kyjiw", "kiew"),
    ("kharkov", "kharkiv"),
    ("odessa", "odesa"),
    ("lvov", "lviv"),
    ("nikolaev", "mykolaiv"),
    ("zaporozhye", "zaporizhzhia", "zaporizhia", "zaporozhie"),
    ("muhammad", "mohammed", "mohamed", "muhammed", "mohammad", "mohamad", "muhamad", "mohamud", "mehmet"),
    ("ahmad", "ahmed"),
    ("mahmud", "mahmoud"),
    ("husein", "hussein", "husain", "hussain", "husayn", "hussien"),
    ("hasan", "hassan"),
    ("abdul", "abdel", "abd"),
    ("abdullah", "abdallah", "abdulla"),
    ("umar", "omar"),
    ("usman", "utsman", "osman", "othman"),
    ("yusuf", "youssef", "yousef", "yousuf"),
    ("ibrahim", "ebrahim"),
    ("khalid", "khaled"),
    ("nasrallah", "nasrullah"),
)

# Conventional romanisation of Korean family names (Hangul input: 김 -> Kim, not Revised "Gim").
KOREAN_SURNAMES = {
    "김": "kim", "이": "lee", "박": "park", "최": "choi", "정": "jung", "강": "kang", "조": "cho", "윤": "yoon",
    "장": "jang", "임": "lim", "한": "han", "오": "oh", "서": "seo", "신": "shin", "권": "kwon", "황": "hwang",
    "안": "ahn", "송": "song", "류": "ryu", "유": "yoo", "홍": "hong", "전": "jeon", "고": "ko", "문": "moon",
    "양": "yang", "손": "son", "배": "bae", "백": "baek", "허": "heo", "남": "nam", "심": "shim", "노": "roh",
    "하": "ha", "곽": "kwak", "성": "sung", "차": "cha", "주": "joo", "우": "woo", "구": "koo", "민": "min",
    "나": "na", "진": "jin", "지": "ji", "엄": "eom", "채": "chae", "원": "won", "천": "cheon", "방": "bang",
    "공": "kong", "현": "hyun", "함": "ham", "변": "byun", "염": "yeom", "여": "yeo", "추": "choo", "도": "do",
    "소": "so", "석": "seok", "선": "sun", "설": "seol", "마": "ma", "길": "gil", "연": "yeon", "위": "wi",
    "표": "pyo", "명": "myung", "기": "ki", "반": "ban", "왕": "wang", "금": "keum", "옥": "ok", "육": "yook",
    "인": "in", "맹": "maeng", "제": "je", "모": "mo", "탁": "tak", "국": "kook", "어": "eo", "은": "eun",
    "편": "pyeon", "용": "yong", "예": "ye", "경": "kyung", "봉": "bong", "사": "sa", "부": "bu", "황보": "hwangbo",
    "남궁": "namgoong", "제갈": "jegal", "선우": "sunwoo"}

# Company legal forms and group words, not part of the name news uses (PT Telkom Indonesia Tbk = Telkom Indonesia,
# PT Angkasa Pura II (Persero) = Angkasa Pura II). LEADING ones are stripped at the start, TRAILING at the end.
LEGAL_FORMS_LEADING = frozenset({"pt", "cv", "perum", "pd", "ud"})
LEGAL_FORMS_TRAILING = frozenset({"tbk", "persero", "co", "inc", "corp", "corporation", "ltd", "limited", "plc", "llc",
                                  "gmbh", "ag", "nv", "bv", "bhd", "berhad", "group", "grup", "holding", "holdings",
                                  "company", "incorporated"})

# Words an acronym skips (Badan Pengawas Obat dan Makanan = BPOM).
ACRONYM_STOPWORDS = frozenset({"dan", "untuk", "dari", "di", "ke", "of", "the", "and", "for", "yang", "atau", "&"})

# Indonesian administrative head words and the record kinds the rest of the name must then be: "Provinsi Sulsel"
# is the province Sulsel names, "Kabupaten Bogor" the regency (never the city), "Kecamatan Bulak" the district.
ADMIN_HEAD_KINDS = {
    "provinsi": frozenset({"province"}), "propinsi": frozenset({"province"}), "prov": frozenset({"province"}),
    "kabupaten": frozenset({"regency"}), "kab": frozenset({"regency"}),
    "kota": frozenset({"city_id"}), "kotamadya": frozenset({"city_id"}), "kecamatan": frozenset({"district"}),
}

# Head words naming what kind of place or institution follows: the word after them is a name of its own
# (Sungai Amazon is not Amazon, Bengawan Solo is not Solo, Universitas Indonesia is not Indonesia).
CLASS_WORDS = frozenset({
    "sungai", "bengawan", "kali", "gunung", "pegunungan", "pulau", "kepulauan", "danau", "teluk", "selat", "laut",
    "samudra", "samudera", "pantai", "tanjung", "lembah", "jalan", "jl", "kota", "kabupaten", "kecamatan", "desa",
    "kelurahan", "provinsi", "propinsi", "universitas", "institut", "sekolah", "stadion", "bandara", "pelabuhan",
    "stasiun", "terminal", "masjid", "gereja", "candi", "pura", "istana", "museum", "hotel", "rumah", "rs", "taman",
    "river", "mount", "lake", "island", "university", "stadium", "airport", "port", "hotel", "museum", "bay"})
