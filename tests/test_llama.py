"""tracuu inside LlamaIndex applications (``service.llama``), against real llama-index-core, the
real e5 index of corpus/ (in this process) and a real ``tracuu serve`` process: nodes are verbatim
clauses at their offsets, filters restrict, the query engine says what ``/api/ask`` says, LlamaIndex's
``RetrieverEvaluator`` agrees with our own figures, and a LlamaIndex router calls the tool.
No language model anywhere, and nothing leaves this machine (connections beyond loopback fail).
The base install never imports llama-index."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
import yaml

# The test install has the extra (make install-dev: .[st,test,llama]); without it this module fails to import.
from llama_index.core import Settings as LlamaSettings
from llama_index.core.embeddings import MockEmbedding
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RouterQueryEngine
from llama_index.core.schema import NodeRelationship
from llama_index.core.selectors import EmbeddingSingleSelector
from llama_index.core.tools import QueryEngineTool
from llama_index.core.vector_stores.types import FilterCondition, FilterOperator, MetadataFilter, MetadataFilters

from index.errors import NotFound
from service.evaluate import Question, ranking_figures, retrieval, retrieval_cases, retrieval_line
from service.llama import TracuuQueryEngine, TracuuRetriever, UnsupportedFilter, evaluate_retriever

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PLAN_ID = "kh-ubnd-2024-cnsh"
PLAN_FILE = "ke-hoach-ubnd-binh-thuan-2024-cong-nghe-sinh-hoc.txt"
BUDGET = "Sở nào bố trí kinh phí thực hiện kế hoạch?"
QUESTIONS = [BUDGET, "Ai chủ trì tuyên truyền về công nghệ sinh học?", "Sở KH&CN phải làm gì?",
             "so nao phoi hop dao tao nhan luc cong nghe sinh hoc"]


def only(**kw) -> MetadataFilters:
    return MetadataFilters(filters=[MetadataFilter(key=k, value=v) for k, v in kw.items()])


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Connections go to loopback only (the test server); anything else fails the test."""
    connect = socket.socket.connect

    def loopback_only(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and self.family != socket.AF_UNIX:
            raise AssertionError(f"network access to {address!r}")
        return connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)


@pytest.fixture
def llama_settings():
    """LlamaIndex's globals set explicitly (no default model to reach for), restored afterwards."""
    saved = LlamaSettings._llm, LlamaSettings._embed_model
    LlamaSettings.llm = MockLLM()
    LlamaSettings.embed_model = MockEmbedding(embed_dim=8)
    yield LlamaSettings
    LlamaSettings._llm, LlamaSettings._embed_model = saved


# --- nodes --------------------------------------------------------------------------------------


def test_nodes_are_the_clauses_verbatim_at_their_offsets(plan_engine):
    nodes = TracuuRetriever(plan_engine, similarity_top_k=5).retrieve(BUDGET)
    assert len(nodes) == 5
    doc = plan_engine.documents[PLAN_ID]
    for n in nodes:
        node = n.node
        clause = plan_engine.clause(node.id_)
        assert doc.source[node.start_char_idx:node.end_char_idx] == node.text == clause.text
        assert node.metadata["section"] == clause.path and node.metadata["label"] == clause.label
        assert node.metadata["doc_type"] == "Kế hoạch" and node.metadata["issuer"] == "Ủy ban nhân dân tỉnh Bình Thuận"
        assert node.metadata["doc_number"] == doc.header.number and node.metadata["date"] == doc.header.date
        assert node.relationships[NodeRelationship.SOURCE].node_id == PLAN_ID
        parent = node.relationships.get(NodeRelationship.PARENT)
        assert (parent.node_id if parent else None) == clause.parent
    assert [n.score for n in nodes] == sorted((n.score for n in nodes), reverse=True)
    first = nodes[0].node
    assert first.metadata["heading"] == "Sở Tài chính"
    assert {"name": "Sở Tài chính", "role": "chủ trì"}.items() <= first.metadata["agencies"][0].items()
    assert first.metadata["url"] == f"/documents/{PLAN_ID}#{first.metadata['section']}"
    assert any(NodeRelationship.PARENT in n.node.relationships for n in nodes)  # bullets under an item


def test_similarity_top_k_is_honoured(plan_engine):
    one = TracuuRetriever(plan_engine, similarity_top_k=1).retrieve(BUDGET)
    seven = TracuuRetriever(plan_engine, similarity_top_k=7).retrieve(BUDGET)
    assert len(one) == 1 and len(seven) == 7 and one[0].node.id_ == seven[0].node.id_
    with pytest.raises(ValueError, match="50"):
        TracuuRetriever(url="http://127.0.0.1:9", similarity_top_k=51)


def test_deadlines_travel_with_their_clause(plan_engine):
    dated = {r.clause_id: r.deadlines for r in plan_engine.matrix.rows if r.deadlines}
    assert dated, "the plan states deadlines"
    clause_id, deadlines = next(iter(dated.items()))
    clause = plan_engine.clause(clause_id)
    nodes = TracuuRetriever(plan_engine, similarity_top_k=50).retrieve(clause.text[:300])
    node = next(n.node for n in nodes if n.node.id_ == clause_id)
    assert set(deadlines) <= set(node.metadata["deadlines"])


# --- filters --------------------------------------------------------------------------------------


def test_filters_restrict_the_results(plan_engine):
    q = "kinh phí thực hiện"
    everything = [n.node for n in TracuuRetriever(plan_engine, similarity_top_k=20).retrieve(q)]
    assert any(not n.metadata["section"].startswith("III") for n in everything)
    in_iii = TracuuRetriever(plan_engine, similarity_top_k=20, filters=only(section="III")).retrieve(q)
    assert in_iii and all(n.node.metadata["section"].startswith("III") for n in in_iii)

    tasks = {r.clause_id for r, _ in plan_engine.matrix.for_agency("so-tai-chinh")}
    assert any(n.id_ not in tasks for n in everything)
    finance = TracuuRetriever(plan_engine, similarity_top_k=20, filters=only(agency="Sở Tài chính")).retrieve(q)
    assert finance and {n.node.id_ for n in finance} <= tasks

    both = TracuuRetriever(plan_engine, filters=only(doc_id=PLAN_ID, section="I")).retrieve(q)
    assert both and all(n.node.metadata["section"].split(".")[0].split("/")[0] == "I" for n in both)
    with pytest.raises(NotFound):
        TracuuRetriever(plan_engine, filters=only(doc_id="khong-co-van-ban-nay")).retrieve(q)


@pytest.mark.parametrize("filters, words", [
    (MetadataFilters(filters=[MetadataFilter(key="section", value="III", operator=FilterOperator.GT)]), "'=='"),
    (MetadataFilters(filters=[MetadataFilter(key="year", value="2024")]), "doc_id, section, agency"),
    (MetadataFilters(filters=[MetadataFilter(key="section", value="I"), MetadataFilter(key="section", value="II")],
                     condition=FilterCondition.OR), "AND"),
    (MetadataFilters(filters=[MetadataFilters(filters=[MetadataFilter(key="section", value="I")])]), "lồng nhau"),
])
def test_a_filter_without_meaning_here_is_refused_clearly(plan_engine, filters, words):
    with pytest.raises(UnsupportedFilter, match=words):
        TracuuRetriever(plan_engine, filters=filters)
    with pytest.raises(UnsupportedFilter, match=words):
        TracuuQueryEngine(plan_engine, filters=filters)


# --- over a running server ----------------------------------------------------------------------


@pytest.mark.server
def test_over_a_server_the_nodes_are_the_same_clauses(live_server, plan_engine):
    doc = plan_engine.documents[PLAN_ID]
    for q in QUESTIONS[:2]:
        remote = TracuuRetriever(url=live_server.url, similarity_top_k=6).retrieve(q)
        local = TracuuRetriever(plan_engine, similarity_top_k=6).retrieve(q)
        api = httpx.get(f"{live_server.url}/api/search", params={"q": q, "k": 6}, timeout=60).json()["results"]
        assert [n.node.id_ for n in remote] == [r["id"] for r in api] == [n.node.id_ for n in local]
        for n, r in zip(remote, api):
            assert doc.source[n.node.start_char_idx:n.node.end_char_idx] == n.node.text == r["text"]
            assert n.score == r["score"] and n.node.metadata["label"] == r["label"]
            assert [a["name"] for a in n.node.metadata["agencies"]] == r["agencies"]
        same = ("doc_number", "issuer", "doc_type", "date", "section", "label", "heading", "url")
        assert [[n.node.metadata[m] for m in same] for n in remote] == [[n.node.metadata[m] for m in same] for n in local]
        assert [n.score for n in remote] == [n.score for n in local]
    filtered = TracuuRetriever(url=live_server.url, similarity_top_k=10, filters=only(section="II")).retrieve(BUDGET)
    assert filtered and all(n.node.metadata["section"].split(".")[0].split("/")[0] == "II" for n in filtered)


@pytest.mark.server
def test_over_a_server_the_query_engine_says_what_api_ask_says(live_server):
    engine = TracuuQueryEngine(url=live_server.url, token="khong-can-cho-doc")
    for q in QUESTIONS:
        body = httpx.get(f"{live_server.url}/api/ask", params={"q": q}, timeout=60).json()
        assert_same_answer(engine.query(q), body)


def test_in_process_the_query_engine_says_what_api_ask_says(plan_engine, client):
    engine = TracuuQueryEngine(plan_engine)
    for q in QUESTIONS:
        assert_same_answer(engine.query(q), client.get("/api/ask", params={"q": q}).json())
    scoped = TracuuQueryEngine(plan_engine, filters=only(section="III.8")).query("kinh phí")
    assert scoped.source_nodes and all(n.node.metadata["section"].startswith("III.8") for n in scoped.source_nodes)


def assert_same_answer(response, body: dict) -> None:
    assert body["citations"], body
    assert response.response == body["answer"]
    assert [(n.node.text, n.node.start_char_idx, n.node.end_char_idx, n.node.metadata["section"], n.node.metadata["doc_id"])
            for n in response.source_nodes] == \
        [(c["quote"], c["start"], c["end"], c["section"], c["doc_id"]) for c in body["citations"]]
    assert response.metadata["agency"] == (body["agencies"][0]["name"] if body["agencies"] else None)
    assert response.metadata["role"] == (body["agencies"][0]["role"] if body["agencies"] else None)


def test_the_budget_answer_names_the_finance_department(plan_engine):
    r = TracuuQueryEngine(plan_engine).query(BUDGET)
    assert r.metadata["agency"] == "Sở Tài chính" and r.metadata["role"] == "chủ trì"
    assert r.source_nodes[0].node.metadata["section"] == "III.8" and "kinh phí" in r.source_nodes[0].node.text


# --- LlamaIndex components -------------------------------------------------------------------------


def test_a_llamaindex_router_calls_the_tool(plan_engine, llama_settings):
    tool = QueryEngineTool.from_defaults(TracuuQueryEngine(plan_engine), name="tracuu",
                                         description="Cơ quan nào làm gì, vai trò, thời hạn, theo văn bản chỉ đạo")
    expected = TracuuQueryEngine(plan_engine).query(BUDGET)

    called = tool.call(BUDGET)
    assert called.content == expected.response and called.tool_name == "tracuu"
    assert called.raw_output.metadata["agency"] == "Sở Tài chính"

    # The selector compares embeddings (a mock one): no language model chooses or writes anything.
    router = RouterQueryEngine(selector=EmbeddingSingleSelector.from_defaults(embed_model=MockEmbedding(embed_dim=8)),
                               query_engine_tools=[tool], llm=MockLLM())
    routed = router.query(BUDGET)
    assert routed.response == expected.response
    assert [n.node.id_ for n in routed.source_nodes] == [n.node.id_ for n in expected.source_nodes]
    assert routed.metadata["agency"] == "Sở Tài chính"


# --- evaluation ---------------------------------------------------------------------------------------


def gold_questions(engine) -> list[Question]:
    """The gold set's questions, each anchored on the own text of the clause that answers it."""
    doc = engine.documents[PLAN_ID]
    out = []
    for i, g in enumerate(yaml.safe_load((ROOT / "tests/eval/gold.yaml").read_text(encoding="utf-8"))["questions"]):
        clause = engine.clauses.get(f"{PLAN_ID}#{g['clause']}")
        if clause is not None:
            out.append(Question(id=str(i), file=PLAN_FILE, q=g["q"], anchor=doc.source[clause.start:clause.own_end].strip()))
    return out


def test_retriever_evaluator_agrees_with_our_figures(plan_engine):
    questions = gold_questions(plan_engine)
    cases = retrieval_cases(plan_engine, questions)
    assert len(cases) >= 100
    ours = ranking_figures(plan_engine, cases, 5)
    theirs = evaluate_retriever(plan_engine, cases, 5)
    assert theirs["per_question"] == ours["per_question"]
    assert (theirs["hit_rate"], theirs["mrr"]) == (ours["hit_rate"], ours["mrr"])
    assert 0 < ours["mrr"] < ours["hit_rate"] <= 1  # some answering clause ranks below first: a real measure

    both = retrieval(plan_engine, questions, 5)
    assert both["ours"] == both["llamaindex"] == {k: v for k, v in ours.items() if k != "per_question"}
    line = retrieval_line(both)
    assert f"hit rate {ours['hit_rate']:.2f}, MRR {ours['mrr']:.2f}; LlamaIndex RetrieverEvaluator: " \
           f"hit rate {ours['hit_rate']:.2f}, MRR {ours['mrr']:.2f}" in line


# --- the base install ------------------------------------------------------------------------------------


BLOCK_LLAMA = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "llama_index":
            raise ImportError("No module named 'llama_index'")
sys.meta_path.insert(0, Block())
"""


def test_without_the_extra_the_integration_says_what_to_install():
    code = BLOCK_LLAMA + textwrap.dedent("""
        from index.errors import MissingExtra
        from service.evaluate import retrieval_line
        try:
            import service.llama
        except MissingExtra as e:
            print(e)
        print(retrieval_line({"k": 10, "without_clause": 0, "ours": {"n": 3, "hit_rate": 1.0, "mrr": 0.5},
                              "llamaindex": None}))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert "pip install 'tracuu[llama]'" in out.stdout.splitlines()[0], out.stderr
    assert "hit rate 1.00, MRR 0.50; LlamaIndex: chưa cài" in out.stdout


def test_the_service_starts_and_answers_without_importing_llama_index(index_copy):
    """What ``tracuu serve`` runs (the CLI, the app factory, its lifespan, a search and an answer)
    leaves llama-index unimported: the base install's memory and start time do not carry it."""
    settings = index_copy()
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        import service.cli
        from fastapi.testclient import TestClient
        from service.app import create_app
        from service.settings import Settings
        s = Settings(_env_file=None, data_dir=Path({str(settings.data_dir)!r}), corpus_dir=Path({str(settings.corpus_dir)!r}),
                     allowed_hosts="testserver")
        with TestClient(create_app(s)) as c:
            assert c.get("/api/ask", params={{"q": "Sở nào bố trí kinh phí?"}}).json()["agencies"]
            assert c.get("/api/search", params={{"q": "kinh phí"}}).json()["results"]
        print(sorted(m for m in sys.modules if m.split(".")[0] == "llama_index"))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
