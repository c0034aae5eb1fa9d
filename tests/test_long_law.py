"""A whole law, longer than an upload may be, loaded as a drafter loads it: ``tracuu ingest`` on a
corpus folder, then ``tracuu search`` and ``tracuu ask`` with a question one article answers.

The law is invented (``tests.test_readers.long_law``: an article per topic, each with three
clauses), generated here to over 300,000 characters. Real e5 embedder, real subprocesses.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.test_ingest_cli import CORPUS, ROOT, SUMMARY
from tests.test_readers import long_law

pytestmark = pytest.mark.slow

ARTICLES = 230
# (question as a staff member would type it, the article that answers it)
QUESTIONS = [
    ("Việc quản lý trạm bơm ở khu công nghiệp được quy định thế nào?", "Điều 161"),
    ("quan ly cho phien vung cao nguyen", "Điều 98"),
]


def _run(tmp, *args: str) -> str:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACUU_")}
    env.update(TRACUU_DATA_DIR=str(tmp / "data"), TRACUU_CORPUS_DIR=str(tmp / "corpus"), HF_HUB_OFFLINE="1",
               ANONYMIZED_TELEMETRY="False",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    proc = subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=tmp, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=3600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc.stdout


def test_a_long_law_loads_through_ingest_and_questions_land_on_their_article(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("catalog.yaml", "agencies.yaml"):
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    text = long_law(ARTICLES)
    assert len(text) >= 300_000
    (corpus / "fixture-luat-mau-dai.txt").write_text(text, encoding="utf-8")

    out = _run(tmp_path, "ingest")
    m = SUMMARY.search(out)
    assert m and (int(m["docs"]), int(m["failed"])) == (1, 0), out
    assert int(m["clauses"]) >= ARTICLES * 4, out  # every article and its three clauses

    for question, article in QUESTIONS:
        results = json.loads(_run(tmp_path, "search", question, "-k", "5", "--json"))["results"]
        assert results, question
        first = results[0]
        assert re.match(rf"{article}(\.|$)", first["section"]), (question, [r["section"] for r in results])
        answer = json.loads(_run(tmp_path, "ask", question, "--json"))
        assert answer["citations"], (question, answer["text"])
        cited = answer["citations"][0]
        assert re.match(rf"{article}(\.|$)", cited["section"]), (question, cited)
