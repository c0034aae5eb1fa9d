"""Server mode: the same build and search code against a real `chroma run` on 127.0.0.1.
The engines here search the server's HNSW index (``exact_up_to=0``), as an index above
``EXACT_UP_TO`` clauses does, not the generation's own vectors.

The builds and searches of the first test embed with the hashing embedder of
``tests/bench/hashing.py``: what is checked is where vectors are stored, reused and found, and
a fresh build of the plan is seconds of e5 (the plan and the new bullets are found by their
words here too). The two server processes of the second serve the e5 index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.build.builder import build
from index.engine import Engine, Options
from index.errors import IndexMismatch
from tests.bench.hashing import HashEmbedder
from tests.bench.servers import ChromaServer

pytestmark = [pytest.mark.slow, pytest.mark.server]
CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    with ChromaServer(tmp_path_factory.mktemp("chroma")) as server:
        yield server.url


def test_build_and_search_against_a_chroma_server(tmp_path, chroma_url, hashing_index_copy, hashing_plan_settings):
    embedder = HashEmbedder()
    units = len(Engine.open(hashing_plan_settings.options(), embedder).units)
    embedded = hashing_index_copy("embedded").data_dir  # the plan, indexed on embedded Chroma
    with pytest.raises(IndexMismatch, match="TRACUU_CHROMA_URL"):  # built embedded, opened for a server
        Engine.open(Options(embedded, CORPUS, chroma_url=chroma_url, exact_up_to=0), embedder)
    # Moving the same data dir to the server re-embeds nothing: the generation's vectors are kept beside it.
    moved = build(embedded, CORPUS, embedder, chroma_url=chroma_url)
    assert moved.built and moved.embedded == 0 and moved.reused == units
    assert Engine.open(Options(embedded, CORPUS, chroma_url=chroma_url, exact_up_to=0), embedder).search("so nao bo tri kinh phi", 3)[0].clause.path == "III.8"

    report = build(tmp_path, CORPUS, embedder, chroma_url=chroma_url)
    assert report.built and not (tmp_path / "chroma").exists()  # nothing stored locally
    engine = Engine.open(Options(tmp_path, CORPUS, chroma_url=chroma_url, exact_up_to=0), embedder)
    assert engine.search("so nao bo tri kinh phi", 3)[0].clause.path == "III.8"
    assert engine.search("Sở KH&CN phải làm gì", 3)[0].clause.path.startswith("III.1")
    # A rebuild re-uses the vectors and stores only the texts that are new; the index keeps one
    # collection on the server, holding each text of the generation in service once.
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    plan = corpus / "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt"
    for n in (1, 2):
        plan.write_text(plan.read_text(encoding="utf-8") + f"\n- Gạch đầu dòng thử nghiệm {n}.\n", encoding="utf-8")
        again = build(tmp_path, corpus, embedder, chroma_url=chroma_url)
        assert again.built and again.embedded <= 2 and again.reused >= report.embedded - 1 and again.stored == again.embedded
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=int(chroma_url.rsplit(":", 1)[1]))
    ours = [c for c in client.list_collections() if c.metadata.get("index_id") == (tmp_path / "index-id").read_text()]
    served = Engine.open(Options(tmp_path, corpus, chroma_url=chroma_url, exact_up_to=0), embedder)
    assert len(ours) == 1 and ours[0].count() == len({u["hash"] for u in served.units})
    top = {h.clause.text for h in served.search("gạch đầu dòng thử nghiệm", 2, mode="dense")}  # the new one is stored
    assert top == {"- Gạch đầu dòng thử nghiệm 1.", "- Gạch đầu dòng thử nghiệm 2."}
    # The other index on the same server kept its collection through these three builds.
    assert Engine.open(Options(embedded, CORPUS, chroma_url=chroma_url, exact_up_to=0), embedder).search("Sở KH&CN phải làm gì", 3)


def test_two_server_processes_share_one_chroma_server(index_copy, chroma_url, e5):
    """`tracuu serve --workers 2` with TRACUU_CHROMA_URL: both processes answer."""
    import httpx

    from tests.bench.servers import Server

    settings = index_copy("workers")
    assert build(settings.data_dir, settings.corpus_dir, e5, chroma_url=chroma_url).embedded == 0  # moved to the server
    env = {"TRACUU_CHROMA_URL": chroma_url, "TRACUU_EXACT_UP_TO": "0"}  # every search asks the server's HNSW index
    with Server(settings.data_dir, settings.corpus_dir, env, workers=2) as srv:
        with httpx.Client(base_url=srv.url, timeout=30) as c:  # a new connection per request spreads them
            answers = [c.get("/api/search", params={"q": "Sở nào bố trí kinh phí?"}, headers={"Connection": "close"})
                       for _ in range(6)]
        assert all(r.status_code == 200 and r.json()["results"][0]["section"] == "III.8" for r in answers)
        assert len(Path(f"/proc/{srv.proc.pid}/task/{srv.proc.pid}/children").read_text().split()) >= 2
