"""Server mode: the same build and search code against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from index.build import build
from index.embedders import create_embedder
from index.engine import Engine, Options

pytestmark = [pytest.mark.slow, pytest.mark.server]
CORPUS = Path(__file__).parents[1] / "corpus"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert exe, "the chroma CLI comes with chromadb"
    port = free_port()
    proc = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path_factory.mktemp("chroma")), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


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
