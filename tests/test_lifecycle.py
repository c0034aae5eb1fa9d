"""The engine's life in a server: one per app, re-opened beside the one in service when a
new generation is published, an empty one before any index exists; and one process per
embedded data dir, with ``tracuu ingest`` handing its build to the server that holds it.

In process (ASGI clients over apps built from settings) for what the app decides; real
``tracuu serve`` and ``tracuu ingest`` processes for what only processes show."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build.builder import build
from index.build.store import write_json_atomic

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "fixture-utf8-bom.txt"
ALIAS = "Sở Ngân khố Mẫu"  # an alias invented for the test


def empty_corpus(root: Path, settings) -> object:
    """Settings of a fresh install: a corpus with its catalog and registry, no document, no index."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name in ("catalog.yaml", "agencies.yaml"):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    return settings.model_copy(update={"data_dir": root / "data", "corpus_dir": corpus})


def upload(c, path: Path, token: str):
    return c.post("/api/documents", files={"file": (path.name, path.read_bytes())}, headers={"Authorization": f"Bearer {token}"})


def wait_for(check, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while not (got := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
    return got


def test_two_apps_in_one_process_serve_their_own_index(client, app_factory, plan_settings, tmp_path):
    other = app_factory(empty_corpus(tmp_path, plan_settings))
    assert client.get("/healthz").json()["documents"] == 1
    assert other.get("/healthz").json()["documents"] == 0
    assert client.get("/api/search", params={"q": "kinh phí"}).json()["results"]
    assert other.get("/api/search", params={"q": "kinh phí"}).json()["results"] == []


def test_a_fresh_install_serves_and_takes_its_first_upload(app_factory, plan_settings, tmp_path, admin_token):
    c = app_factory(empty_corpus(tmp_path, plan_settings))
    health = c.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "empty" and "nạp văn bản" in health.json()["detail"]
    assert c.get("/api/search", params={"q": "thư viện số"}).json()["results"] == []
    assert c.get("/api/ask", params={"q": "Sở nào bố trí kinh phí?"}).status_code == 200
    for page in ("/", "/?q=kinh+ph%C3%AD", "/agencies", "/documents", "/admin/upload"):
        assert c.get(page).status_code == 200, page
    r = upload(c, FIXTURE, admin_token)
    assert r.status_code == 200 and r.json()["built"], r.text
    assert c.get("/healthz").json() | {"generation": None} == {"status": "ok", "generation": None, "documents": 1, "clauses": 7}
    assert c.get("/api/search", params={"q": "thư viện số"}).json()["results"][0]["doc_id"] == "fixture-utf8-bom"
    assert {d["id"] for d in c.get("/api/documents").json()} >= {"fixture-utf8-bom", "nq-36-tw-2023"}


def test_an_empty_corpus_makes_an_index_that_opens(app_factory, plan_settings, tmp_path, e5):
    settings = empty_corpus(tmp_path, plan_settings)
    assert build(settings.data_dir, settings.corpus_dir, e5).built
    c = app_factory(settings)
    assert c.get("/healthz").json()["status"] == "empty"
    assert c.get("/api/search", params={"q": "kinh phí", "section": "I"}).json()["results"] == []
    docs = c.get("/api/documents").json()  # the catalog's documents, none with its text yet
    assert len(docs) == 4 and not any(d["loaded"] for d in docs)


def test_requests_keep_the_engine_in_service_while_a_new_generation_opens(index_copy, app_factory, e5):
    settings = index_copy("reopen")
    c = app_factory(settings)
    before = c.get("/healthz").json()["generation"]
    shutil.copy(FIXTURE, settings.corpus_dir / FIXTURE.name)
    report = build(settings.data_dir, settings.corpus_dir, e5)  # published by another builder
    # The first request after the swap does not wait for the open: the engine in service answers it.
    assert c.get("/healthz").json()["generation"] == before
    wait_for(lambda: c.get("/healthz").json()["generation"] == report.generation)
    assert c.get("/api/search", params={"q": "thư viện số dùng chung"}).json()["results"][0]["doc_id"] == "fixture-utf8-bom"


def test_a_generation_that_cannot_be_opened_leaves_the_previous_one_serving(index_copy, app_factory):
    settings = index_copy("mismatch")
    c = app_factory(settings)
    before = c.get("/healthz").json()
    manifest = json.loads((settings.data_dir / "manifest.json").read_text(encoding="utf-8"))
    # As published by an ingest configured with another model.
    write_json_atomic(settings.data_dir / "manifest.json", manifest | {"generation": "khac", "embedder": "sbert:khac"})
    health = wait_for(lambda: (h := c.get("/healthz").json()).get("reload_error") and h)
    assert health["generation"] == before["generation"] and "tracuu ingest" in health["reload_error"]
    assert c.get("/api/search", params={"q": "kinh phí"}).json()["results"][0]["section"] == "III.8"


# --- real processes ---------------------------------------------------------------------------


def ingest(settings, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACUU_")}
    env |= {"TRACUU_DATA_DIR": str(settings.data_dir), "TRACUU_CORPUS_DIR": str(settings.corpus_dir),
            "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "service.cli", "ingest", *args], env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.server
def test_ingest_hands_its_build_to_the_server_that_holds_the_data_dir(server_factory, index_copy):
    """While a server runs on embedded Chroma, the records officer runs `tracuu ingest`: a
    file added to the corpus, then an alias added to the registry. Each build is done by the
    server (the one process on the data dir), which serves the result when the command ends."""
    settings = index_copy("hand-over")
    server = server_factory(settings)
    with server.client(timeout=120) as c:
        before = c.get("/healthz").json()
        shutil.copy(FIXTURE, settings.corpus_dir / FIXTURE.name)
        run = ingest(settings)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "giao cho máy chủ" in run.stderr and "+ fixture-utf8-bom.txt" in run.stdout
        assert c.get("/healthz").json()["documents"] == before["documents"] + 1
        assert c.get("/api/search", params={"q": "thư viện số dùng chung"}).json()["results"][0]["doc_id"] == "fixture-utf8-bom"
        assert c.get("/api/search", params={"q": "kinh phí", "agency": ALIAS}).status_code == 404

        registry = settings.corpus_dir / "agencies.yaml"
        registry.write_text(registry.read_text(encoding="utf-8").replace(
            "aliases: [STC, Department of Finance,", f"aliases: [{ALIAS}, STC, Department of Finance,"), encoding="utf-8")
        run = ingest(settings)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Đọc lại mọi văn bản vì đã thay đổi: agencies.yaml." in run.stdout and "nhúng 0," in run.stdout
        r = c.get("/api/search", params={"q": "kinh phí", "agency": ALIAS})
        assert r.status_code == 200 and r.json()["results"][0]["section"] == "III.8"
        assert ALIAS in [s["text"] for s in c.get("/api/suggest", params={"q": "ngan kho"}).json()["suggestions"]]
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=30)
    assert not (settings.data_dir / "serve.json").exists()  # it let go of the data dir when it stopped


@pytest.mark.server
def test_a_second_server_on_one_embedded_data_dir_refuses_to_start(live_server, server_factory):
    second = server_factory(live_server.settings, wait=False)
    assert second.process.wait(timeout=120) != 0
    assert "đang giữ thư mục dữ liệu" in second.log_text()
    with live_server.client() as c:
        assert c.get("/healthz").json()["status"] == "ok"
