"""Optional generative phrasing: kept only when every citation and agency checks out.

The OpenAI-compatible endpoint is a small local server written for the tests (users bring
their own endpoint; ``conftest.chat_endpoint``): it answers over real HTTP on 127.0.0.1 with
the text it is given as the model name."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from index.answers.answer import ask
from index.answers.phrase import Phraser
from index.engine import Engine

pytestmark = [pytest.mark.slow, pytest.mark.server]
CORPUS = Path(__file__).parents[1] / "corpus"
REPLIES = {"good": "Sở Tài chính chủ trì, tham mưu bố trí kinh phí [1].",
           "invents": "Sở Y tế bố trí kinh phí [1].",
           "bad-ref": "Sở Tài chính bố trí kinh phí [9]."}


@pytest.fixture
def endpoint(chat_endpoint) -> str:
    return chat_endpoint  # conftest: the reply is chosen by the model name


@pytest.fixture
def engine(plan_engine) -> Engine:
    return plan_engine  # shared session index of corpus/ (conftest)


def test_a_checked_phrasing_replaces_the_extractive_text(engine, chat_endpoint):
    a = ask(engine, "Sở nào bố trí kinh phí?", Phraser(chat_endpoint, REPLIES["good"]))
    assert a.text == REPLIES["good"] and a.agencies[0][0] == "Sở Tài chính"


@pytest.mark.parametrize("model, why", [("invents", "Sở Y tế"), ("bad-ref", "dẫn nguồn không có")])
def test_a_phrasing_that_is_not_backed_by_the_citations_is_dropped(engine, chat_endpoint, model, why):
    a = ask(engine, "Sở nào bố trí kinh phí?", Phraser(chat_endpoint, REPLIES[model]))
    assert a.text.startswith("Sở Tài chính — vai trò") and why in a.notes[-1]


def test_an_unreachable_endpoint_keeps_the_extractive_answer(engine):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    a = ask(engine, "Sở nào bố trí kinh phí?", Phraser(f"http://127.0.0.1:{dead}/v1", "good", timeout=2))
    assert a.text.startswith("Sở Tài chính") and "giữ câu trả lời trích xuất" in a.notes[-1]
