"""The quality gate: the plan's gold set (tests/eval/gold.yaml) answered as `make eval` answers it.

A change that loses answers cannot land. Figures are counted in questions, not shares, so a
threshold reads as "at most one question of this kind lost since the figures below were
taken" (2026-12-05, real e5, the plan alone). Raise a figure when a change wins questions
for good; lower one only with a note saying which questions were given up and why.

The fixture documents' questions (tests/eval/fixture-questions.jsonl) are their own gate:
each is a test in tests/test_who_does_what.py.
"""

from __future__ import annotations

import pytest
import yaml

from tests.eval.run import GOLD, answers, retrieval, strip_marks

pytestmark = pytest.mark.slow

QUESTIONS = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["questions"]

# Hybrid retrieval, numbered-item level: questions whose first result is in the right item,
# per kind (as measured; each kind may lose one), and over all questions (may lose two).
HIT1_TODAY = {"who": 33, "what-agency": 13, "topic": 22, "nodiac": 14, "abbr": 13, "english": 8, "docnum": 4}
HIT1_ALL_TODAY = 107
HIT1_FOLDED_ALL_TODAY = 105  # the same questions typed without diacritics
RECALL5_ALL_MIN = 0.97  # 0.99 today: the right item among the first five
AGENCY_TODAY, CITE_TODAY = 46, 109  # answers: agency right of 47 who-questions; first citation right of 114


def _count(share: float, n: int) -> int:
    return round(share * n)


@pytest.fixture(scope="module")
def written(plan_engine):
    return retrieval(plan_engine, QUESTIONS)["hybrid"]


def test_the_gold_set_is_the_one_the_figures_were_taken_on():
    by_kind = {k: sum(q["kind"] == k for q in QUESTIONS) for k in HIT1_TODAY}
    assert len(QUESTIONS) == 114 and by_kind["who"] == 34 and by_kind["docnum"] == 6, by_kind


@pytest.mark.parametrize("kind", sorted(HIT1_TODAY))
def test_hybrid_first_result_per_kind(written, kind):
    hit1, _, _, n = written[kind]
    assert _count(hit1, n) >= HIT1_TODAY[kind] - 1, f"{kind}: {_count(hit1, n)} of {n} right first"


def test_questions_in_english_are_read_as_english(written):
    """An English question is embedded as written (e5 is multilingual), not read as Vietnamese
    typed without marks, whose restored diacritics garble it: 7 of 9 right first before, 8 now."""
    from index.retrieval.query import analyze

    english = [q["q"] for q in QUESTIONS if q["kind"] == "english"]
    assert english and all(analyze(q).english for q in english)
    assert not any(analyze(q["q"]).english for q in QUESTIONS if q["kind"] != "english")
    hit1, _, _, n = written["english"]
    assert _count(hit1, n) >= HIT1_TODAY["english"], f"{_count(hit1, n)} of {n} right first"


def test_hybrid_first_result_and_recall_over_all_questions(written):
    hit1, recall5, _, n = written["all"]
    assert _count(hit1, n) >= HIT1_ALL_TODAY - 2, f"{_count(hit1, n)} of {n} right first"
    assert recall5 >= RECALL5_ALL_MIN


def test_questions_typed_without_diacritics(plan_engine):
    hit1, _, _, n = retrieval(plan_engine, QUESTIONS, strip_marks)["hybrid"]["all"]
    assert _count(hit1, n) >= HIT1_FOLDED_ALL_TODAY - 2, f"{_count(hit1, n)} of {n} right first"


def test_answers_name_the_agency_and_cite_the_item(plan_engine):
    a = answers(plan_engine, QUESTIONS)
    assert _count(a["agency_acc"], a["who"]) >= AGENCY_TODAY - 1, a["misses"]
    assert _count(a["cite_acc"], len(QUESTIONS)) >= CITE_TODAY - 2
    assert a["unsupported_names"] <= 1  # an agency named in an answer is in its citations
