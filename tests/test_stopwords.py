"""ingest.stopwords: one base list; each use's set is taken from it, and what the sets do shows."""

from __future__ import annotations

from ingest import stopwords as sw
from ingest.tokens import terms


def test_a_pair_of_function_words_is_no_bigram_term_and_a_pair_with_a_content_word_is():
    bigrams = [t for t in terms("kinh phí của các sở", segment=False) if t.startswith("b:")]
    assert "b:cua_cac" not in bigrams
    assert {"b:kinh_phi", "b:phi_cua", "b:cac_so"} <= set(bigrams)


def test_every_set_a_use_takes_is_drawn_from_the_base_list():
    base = sw.FUNCTION | sw.QUESTION | sw.TASK | sw.TITLE_WORDS
    folded_base = sw.folded_set(base) | sw.ENGLISH
    assert base >= sw.TITLE
    for use in (sw.BIGRAM, sw.TITLE_FOLDED, sw.SAME_TASK, sw.HIGHLIGHT):
        assert use and use <= folded_base


def test_a_title_word_with_marks_is_not_confused_with_its_folded_twin():
    """ "để" is a function word, "đề (án)" a title's: folded, both are "de", so "de" stays."""
    assert "để" in sw.TITLE and "de" not in sw.TITLE_FOLDED
    assert "chinh" in sw.TITLE_FOLDED and "kinh" not in sw.TITLE_FOLDED
