"""Optional generative phrasing: kept only when every citation and agency checks out.

The OpenAI-compatible endpoint is a small local server written for this test (users bring
their own endpoint); it answers over real HTTP on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from index.answer import ask
from index.engine import Engine
from index.phrase import Phraser

pytestmark = [pytest.mark.slow, pytest.mark.server]
CORPUS = Path(__file__).parents[1] / "corpus"
REPLIES = {"good": "Sở Tài chính chủ trì, tham mưu bố trí kinh phí [1].",
           "invents": "Sở Y tế bố trí kinh phí [1].",
           "bad-ref": "Sở Tài chính bố trí kinh phí [9]."}


@pytest.fixture(scope="module")
def endpoint():
    app = FastAPI()

    @app.post("/v1/chat/completions")
    def chat(body: dict):
        return {"choices": [{"message": {"role": "assistant", "content": REPLIES[body["model"]]}}]}

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v1"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def engine(plan_engine) -> Engine:
    return plan_engine  # shared session index of corpus/ (conftest)


def test_a_checked_phrasing_replaces_the_extractive_text(engine, endpoint):
    a = ask(engine, "Sở nào bố trí kinh phí?", Phraser(endpoint, "good"))
    assert a.text == REPLIES["good"] and a.agencies[0][0] == "Sở Tài chính"


@pytest.mark.parametrize("model, why", [("invents", "Sở Y tế"), ("bad-ref", "dẫn nguồn không có")])
def test_a_phrasing_that_is_not_backed_by_the_citations_is_dropped(engine, endpoint, model, why):
    a = ask(engine, "Sở nào bố trí kinh phí?", Phraser(endpoint, model))
    assert a.text.startswith("Sở Tài chính — vai trò") and why in a.notes[-1]


def test_an_unreachable_endpoint_keeps_the_extractive_answer(engine):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    a = ask(engine, "Sở nào bố trí kinh phí?", Phraser(f"http://127.0.0.1:{dead}/v1", "good", timeout=2))
    assert a.text.startswith("Sở Tài chính") and "giữ câu trả lời trích xuất" in a.notes[-1]
