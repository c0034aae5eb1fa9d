"""Server mode: the same build and search code against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.build import build
from index.embedders import create_embedder
from index.engine import Engine, Options
from tests.bench.servers import ChromaServer

pytestmark = [pytest.mark.slow, pytest.mark.server]
CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    with ChromaServer(tmp_path_factory.mktemp("chroma")) as server:
        yield server.url


def test_build_and_search_against_a_chroma_server(tmp_path, chroma_url):
    e5 = create_embedder("e5")
    report = build(tmp_path, CORPUS, e5, chroma_url=chroma_url)
    assert report.built and not (tmp_path / "chroma").exists()  # nothing stored locally
    engine = Engine.open(Options(tmp_path, CORPUS, chroma_url=chroma_url), e5)
    assert engine.search("so nao bo tri kinh phi", 3)[0].clause.path == "III.8"
    assert engine.search("Sở KH&CN phải làm gì", 3)[0].clause.path.startswith("III.1")
    # A rebuild re-uses the server's vectors, publishes a new collection, and keeps only
    # the collections of the generation in service and the one before it.
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    plan = corpus / "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt"
    for n in (1, 2):
        plan.write_text(plan.read_text(encoding="utf-8") + f"\n- Gạch đầu dòng thử nghiệm {n}.\n", encoding="utf-8")
        again = build(tmp_path, corpus, e5, chroma_url=chroma_url)
        assert again.built and again.embedded <= 2 and again.reused >= report.embedded - 1
    import chromadb

    names = {getattr(c, "name", c) for c in chromadb.HttpClient(host="127.0.0.1", port=int(chroma_url.rsplit(":", 1)[1])).list_collections()}
    assert len([n for n in names if n.startswith("clauses-")]) == 2
