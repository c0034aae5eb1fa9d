"""ingest.normalize: one spelling per syllable for search, and an exact way back to the source.

The properties run on random Vietnamese-looking strings that mix what official texts really
contain: precomposed and decomposed letters, Windows-1258 style half-decomposed letters
(``ê`` + combining tone), old-style tone placement (``hoà``, ``thuỷ``, ``UỶ``), NBSP and other
odd spaces, zero-width characters, line breaks and ``·`` bullets.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.normalize import (
    _by_characters,
    collapse_spaces,
    fold,
    folded,
    name_key,
    normalize,
    normalize_text,
    number_key,
)

SETTINGS = settings(max_examples=200, deadline=None)

TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
ODD_SPACES = "\u00a0\u2007\u202f\u2009\u200a\u3000\t\u000b"
WORDS = [
    "Sở", "Tài", "chính", "bố", "trí", "kinh", "phí", "Ủy", "ban", "nhân", "dân", "tỉnh", "Bình",
    "Thuận", "công", "nghệ", "sinh", "học", "đầu", "mối", "phối", "hợp", "ĐẦU", "MỐI", "Nghị",
    "quyết", "36-NQ/TW", "năm", "2024", "nguyễn", "trường", "Đắk", "Nông", "chủ", "trì", "KH&CN",
]
OLD_STYLE = ["hoà", "Hoà", "HOÀ", "thuỷ", "THUỶ", "UỶ", "Uỷ", "uỷ", "khoẻ", "tuỳ", "hoạ", "Thuỵ", "qủa", "loà"]
# Every Vietnamese letter, lower and upper case, precomposed.
_BASES = "aăâeêioôơuưy"
VIET_LETTERS = sorted(
    {unicodedata.normalize("NFC", b + t) for b in _BASES for t in ["", *TONES]}
    | set("bcdđghklmnpqrstvx")
)
VIET_LETTERS += [c.upper() for c in VIET_LETTERS]


def cp1258_style(word: str) -> str:
    """``ế`` → ``ê`` + U+0301: the base letter keeps its hat or horn, the tone is combining."""
    out = []
    for ch in word:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out)


words = st.one_of(
    st.sampled_from(WORDS + OLD_STYLE),
    st.lists(st.sampled_from(VIET_LETTERS), min_size=1, max_size=7).map("".join),
)
spelled = st.one_of(
    words,
    words.map(lambda w: unicodedata.normalize("NFD", w)),
    words.map(cp1258_style),
)
separators = st.sampled_from([" ", " ", "\n", "· ", "- ", ", ", ".", *ZERO_WIDTH, *ODD_SPACES])
vietnamese = st.lists(st.one_of(spelled, separators), max_size=30).map("".join)
# Typing slips: a second tone mark that cannot compose, so one source character becomes two.
slipped = st.tuples(spelled, st.sampled_from(TONES)).map("".join)
messy = st.lists(st.one_of(spelled, slipped, separators), max_size=30).map("".join)

_WORD_CHAR = re.compile(r"\w")


def canon(s: str) -> str:
    """How a source slice should read after normalisation, up to tone placement and case."""
    s = "".join(c for c in s if c not in ZERO_WIDTH)
    s = s.translate(dict.fromkeys(map(ord, ODD_SPACES), " "))
    return fold(unicodedata.normalize("NFC", s))


def cluster_boundaries(n) -> list[int]:
    """Normalised offsets where a new source character (with its combining marks) starts."""
    return [i for i in range(len(n.text) + 1) if i in (0, len(n.text)) or n.offsets[i] != n.offsets[i - 1]]


def word_boundaries(n) -> list[int]:
    """Cluster boundaries that do not cut a word (tone placement is decided per word)."""
    t = n.text
    return [
        i for i in cluster_boundaries(n)
        if i in (0, len(t)) or not (_WORD_CHAR.match(t[i - 1]) and _WORD_CHAR.match(t[i]))
    ]


# --- normalize -------------------------------------------------------------------------------


@SETTINGS
@given(st.one_of(messy, st.text(), st.text(alphabet=st.characters(codec="utf-8"))))
@example("\u212b \u2126 \uf900 \u037e \u2000")  # one-for-one in NFC: Ångström, Ohm, CJK, Greek ";", en quad
@example("hoa\u0300 \u0958 \U0001d400 \u2adc")  # a mark, letters NFC makes two of, one beyond the BMP
def test_the_one_translate_path_gives_what_the_character_loop_gives(s):
    """Most texts skip the loop over characters; whichever path a text takes, the result is
    the loop's, text and offsets."""
    fast, slow = normalize(s), _by_characters(s)
    assert fast.text == slow.text and list(fast.offsets) == list(slow.offsets)


def test_the_analyser_does_not_load_underthesea_pipelines_it_never_calls():
    """underthesea's init imports its translation model's code when transformers is installed
    (the sentence-transformers extra): 3 s and about 250 MB in every process that tokenises."""
    import subprocess
    import sys

    code = ("import sys, ingest.tokens as t; t.terms('Sở Tài chính bố trí kinh phí'); "
            "from underthesea import pos_tag; pos_tag('Sở Tài chính'); "
            "print(sorted(m for m in ('torch', 'transformers', 'underthesea.pipeline.translate') if sys.modules.get(m)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@SETTINGS
@given(messy)
def test_normalize_is_idempotent(s):
    once = normalize(s).text
    assert normalize(once).text == once
    assert normalize_text(once) == once


@SETTINGS
@given(messy)
def test_normalized_text_is_nfc_without_zero_width_or_odd_spaces(s):
    t = normalize(s).text
    assert unicodedata.is_normalized("NFC", t)
    assert not set(t) & set(ZERO_WIDTH + ODD_SPACES)
    assert t.count("\n") == s.count("\n")  # line-based parsing sees the source's lines


@SETTINGS
@given(messy)
def test_offsets_cover_the_whole_source(s):
    n = normalize(s)
    assert len(n.offsets) == len(n.text) + 1
    assert list(n.offsets) == sorted(n.offsets)
    start, end = n.span(0, len(n.text))
    assert end == len(s)
    assert all(c in ZERO_WIDTH for c in s[:start])  # only dropped characters come before
    if not s.strip(ZERO_WIDTH):
        assert n.text == ""


@SETTINGS
@given(messy, st.data())
def test_any_span_maps_back_to_the_same_letters(s, data):
    """Every normalised slice (cut between source characters) comes from a source slice that
    reads the same once folded: the quote a citation shows is the text that was matched."""
    n = normalize(s)
    cuts = cluster_boundaries(n)
    a = data.draw(st.sampled_from(cuts), label="a")
    b = data.draw(st.sampled_from([c for c in cuts if c >= a]), label="b")
    start, end = n.span(a, b)
    assert 0 <= start <= end <= len(s)
    assert canon(s[start:end]) == fold(n.text[a:b])


@SETTINGS
@given(messy, st.data())
def test_spans_at_word_boundaries_normalise_to_exactly_the_slice(s, data):
    n = normalize(s)
    cuts = word_boundaries(n)
    a = data.draw(st.sampled_from(cuts), label="a")
    b = data.draw(st.sampled_from([c for c in cuts if c >= a]), label="b")
    start, end = n.span(a, b)
    assert normalize_text(s[start:end]) == n.text[a:b]


@pytest.mark.parametrize(
    "source, text",
    [
        ("Uy\u0309 ban", "Ủy ban"),  # decomposed, old tone placement
        ("UỶ BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
        ("hoà\u00a0bình", "hòa bình"),
        ("thuỷ\u200b sản", "thủy sản"),
        ("Sơ\u0309 Ta\u0300i chi\u0301nh", "Sở Tài chính"),
    ],
)
def test_span_of_a_known_string(source, text):
    n = normalize(source)
    assert n.text == text
    assert n.span(0, len(text)) == (0, len(source))
    first = text.split()[0]
    s, e = n.span(0, len(first))
    assert normalize_text(source[s:e]) == first


def test_old_and_new_tone_placement_meet():
    assert normalize_text("UỶ BAN") == normalize_text("ỦY BAN") == "ỦY BAN"
    assert normalize_text("hoà") == normalize_text("hòa") == "hòa"
    assert normalize_text("thuỷ sản") == normalize_text("thủy sản")
    assert normalize_text(unicodedata.normalize("NFD", "Ủy ban")) == "Ủy ban"
    assert normalize_text(cp1258_style("Nghị quyết")) == "Nghị quyết"


# --- fold ------------------------------------------------------------------------------------


@SETTINGS
@given(vietnamese)
def test_fold_is_idempotent_length_preserving_and_plain(s):
    t = normalize_text(s)
    f = fold(t)
    assert fold(f) == f
    assert len(f) == len(t)
    assert not any(unicodedata.combining(c) for c in f)
    assert "đ" not in f and "Đ" not in f
    assert f == f.lower()


@SETTINGS
@given(st.text(max_size=40))
def test_fold_is_idempotent_and_length_preserving_on_any_text(s):
    f = fold(s)
    assert len(f) == len(s)
    assert fold(f) == f


def test_fold_strips_vietnamese_marks():
    assert fold("Sở Tài chính bố trí kinh phí") == "so tai chinh bo tri kinh phi"
    assert fold("ĐẦU MỐI Đắk Nông") == "dau moi dak nong"
    assert fold(normalize_text("UỶ BAN")) == fold(normalize_text("Ủy ban").upper()) == "uy ban"
    assert fold("ỰỪỮỬỨ ặẳẵắằ") == "uuuuu aaaaa"


def test_collapse_spaces():
    assert collapse_spaces("  Sở \n  Tài\tchính ") == "Sở Tài chính"


@SETTINGS
@given(messy)
def test_folded_keeps_one_character_for_each_of_the_normalised_text(s):
    assert len(folded(s)) == len(normalize_text(s)) == len(folded(s, hyphens=True))
    assert folded(s) == fold(normalize_text(s))


def test_a_name_written_another_way_has_the_same_key():
    """Capitals, old tone placement, decomposed letters, odd and repeated spaces, line breaks."""
    written = ["Sở Tài chính", "SỞ TÀI CHÍNH", "So\u031b\u0309 Tài\u00a0 chính", "Sở Tài\nchính", " sở tài chính "]
    assert {name_key(w) for w in written} == {"so tai chinh"}
    assert name_key("Ủy ban nhân dân") == name_key("UỶ BAN NHÂN DÂN") != name_key("Ủy ban nhân")
    assert folded("Sở Nội vụ – Sở Tư pháp", hyphens=True) == "so noi vu - so tu phap"


def test_a_document_number_written_with_spaces_has_the_same_key():
    assert number_key("36 - NQ/TW") == number_key("36-nq/tw") == number_key("36-NQ/\nTW") == "36-nq/tw"
    assert number_key("36-NQ/TW") != number_key("37-NQ/TW")
