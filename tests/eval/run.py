"""``make eval``: retrieval and answer quality on the project's own gold set.

Builds (or re-uses) an index of corpus/ in a scratch data dir, then prints:
- hit@1, recall@5 and MRR@10 at the numbered-item level for lexical, dense and hybrid
  retrieval, per question kind, for the questions as written and with diacritics stripped;
- for ``ask``: responsible agency accuracy on questions that ask who, first-citation
  item accuracy, and the count of answers naming an agency absent from their citations.

Usage: python -m tests.eval.run [--data DIR]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import yaml

from index.answers.answer import ask
from index.build.builder import build
from index.build.units import item_of
from index.engine import Engine, Options
from index.retrieval.embedders import create_embedder
from ingest.normalize import fold, folded

GOLD = Path(__file__).with_name("gold.yaml")
MODES = ("lexical", "dense", "hybrid")


def strip_marks(q: str) -> str:
    """The question as typed on a keyboard without Vietnamese input."""
    return folded(q)


def expected_items(q: dict) -> set[str]:
    return {q["item"], *q.get("also", [])}


def retrieval(engine: Engine, questions: list[dict], transform=lambda s: s) -> dict:
    """{mode: {kind: [hit1, recall5, rr10]}} averaged; kind 'all' included."""
    acc: dict = {m: defaultdict(lambda: [0.0, 0.0, 0.0, 0]) for m in MODES}
    for q in questions:
        want = expected_items(q)
        for mode in MODES:
            hits = engine.search(transform(q["q"]), 10, mode=mode)
            items = [item_of(h.clause.path) for h in hits]
            rank = next((i for i, it in enumerate(items, 1) if it in want), None)
            for kind in (q["kind"], "all"):
                a = acc[mode][kind]
                a[0] += rank == 1
                a[1] += rank is not None and rank <= 5
                a[2] += 1 / rank if rank else 0
                a[3] += 1
    return {m: {k: [v[0] / v[3], v[1] / v[3], v[2] / v[3], v[3]] for k, v in kinds.items()} for m, kinds in acc.items()}


def _same_agency(engine: Engine, got: str, want: str) -> bool:
    a, b = engine.registry.resolve(got), engine.registry.resolve(want)
    return (a is not None and b is not None and a.id == b.id) or fold(got) == fold(want)


def answers(engine: Engine, questions: list[dict]) -> dict:
    who = [q for q in questions if q.get("agency")]
    right_agency = right_cite = unsupported_names = 0
    misses = []
    for q in questions:
        a = ask(engine, q["q"])
        cited = " ".join(fold(c.quote + " " + c.heading) for c in a.citations)
        for name, _ in a.agencies:
            if folded(name) not in cited:
                unsupported_names += 1
        first = item_of(a.citations[0].clause.path) if a.citations else None
        right_cite += first in expected_items(q)
        if q.get("agency"):
            ok = bool(a.agencies) and _same_agency(engine, a.agencies[0][0], q["agency"])
            right_agency += ok
            if not ok:
                misses.append((q["q"], q["agency"], a.agencies[:1], first))
    return {
        "who": len(who), "agency_acc": right_agency / max(1, len(who)),
        "cite_acc": right_cite / len(questions), "unsupported_names": unsupported_names, "misses": misses,
    }


FIXTURES = Path(__file__).parents[1] / "fixtures"
ALIGN_DOCS = ("fixture-nghi-quyet-bo-chinh-tri-mau", "fixture-nghi-quyet-chinh-phu-mau")


def alignment(data: Path, corpus: Path, embedder) -> dict:
    """Precision/recall of plan II.n → fixture clause links on the labelled pairs.

    The fixtures are invented documents in the formats of a Politburo resolution and a
    Government resolution (tests/fixtures); they are indexed in a scratch data dir."""
    from index.answers.crossref import alignments

    build(data, corpus, embedder, paths=[corpus, *(FIXTURES / f"{d}.txt" for d in ALIGN_DOCS)])
    engine = Engine.open(Options(data, corpus), embedder)
    labels = yaml.safe_load((FIXTURES / "fixture-alignment-labels.yaml").read_text(encoding="utf-8"))
    out = {}
    for name, key in (("items", "pairs"), ("table rows", "row_pairs")):
        gold = {(p["plan"], p["doc"], p["clause"]) for p in labels[key]}
        kind = "row" if key == "row_pairs" else "item"
        got = {(a.source.path, a.target.doc_id, a.target.path)
               for a in alignments(engine, "kh-ubnd-2024-cnsh", [engine.documents[d] for d in ALIGN_DOCS])
               if a.target.kind == kind}
        tp = len(got & gold)
        out[name] = (tp / max(1, len(got)), tp / max(1, len(gold)), len(gold))
    return out


def _says_not_loaded(engine: Engine, q: dict) -> bool:
    a = ask(engine, q["q"])
    return "chưa được nạp" in a.text and any(item_of(c.clause.path) == q["cites_item"] for c in a.citations)


def _table(title: str, res: dict) -> None:
    kinds = sorted(res["hybrid"], key=lambda k: (k == "all", k))
    print(f"\n{title}")
    print(f"{'kind':12} {'n':>3}  " + "  ".join(f"{m:^20}" for m in MODES))
    print(f"{'':12} {'':>3}  " + "  ".join(f"{'hit@1 rec@5 MRR':^20}" for _ in MODES))
    for k in kinds:
        n = res["hybrid"][k][3]
        cells = "  ".join(f"{res[m][k][0]:.2f}  {res[m][k][1]:.2f}  {res[m][k][2]:.2f}  " for m in MODES)
        print(f"{k:12} {n:>3}  {cells}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("data/eval"))
    ap.add_argument("--corpus", type=Path, default=Path("corpus"))
    ap.add_argument("--misses", action="store_true", help="list the questions answered wrongly")
    args = ap.parse_args()
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    questions = gold["questions"]
    t = time.perf_counter()
    build(args.data, args.corpus, lambda: create_embedder("e5"))
    engine = Engine.open(Options(args.data, args.corpus))
    print(f"index ready in {time.perf_counter() - t:.1f} s; {len(engine.units)} units; {len(questions)} questions")

    as_written = retrieval(engine, questions)
    _table("Retrieval, questions as written (numbered-item level)", as_written)
    unmarked = retrieval(engine, questions, strip_marks)
    _table("Retrieval, the same questions with diacritics stripped", unmarked)
    gap = as_written["hybrid"]["all"][0] - unmarked["hybrid"]["all"][0]
    print(f"\nhybrid hit@1 gap, with vs without diacritics: {gap * 100:+.1f} points")

    a = answers(engine, questions)
    print(f"\nAnswers (ask): agency right on {a['agency_acc']:.2f} of {a['who']} who-questions; "
          f"first citation in the right item on {a['cite_acc']:.2f} of {len(questions)}; "
          f"answers naming an agency absent from their citations: {a['unsupported_names']}")
    succ = gold.get("succession", [])
    full = sum(set(q["items"]) <= {item_of(c.clause.path) for c in ask(engine, q["q"]).citations} for q in succ)
    print(f"Successor agencies: all predecessor items cited for {full} of {len(succ)} questions")
    nl = gold.get("not_loaded", [])
    ok = sum(_says_not_loaded(engine, q) for q in nl)
    print(f"Documents without text: said so and cited the plan's reference for {ok} of {len(nl)} questions")
    print("\nClause alignment, plan II.n → fixture resolutions (labelled pairs):")
    for name, (p, r, n) in alignment(args.data.with_name(args.data.name + "-align"), args.corpus, engine.embedder).items():
        print(f"  {name:10} precision {p:.2f}  recall {r:.2f}  ({n} pairs)")
    if args.misses:
        for m in a["misses"]:
            print("  miss:", m)
        for q in questions:
            hits = engine.search(q["q"], 3)
            if not hits or item_of(hits[0].clause.path) not in expected_items(q):
                print("  search miss:", q["q"], "→", [h.clause.path for h in hits], "want", q["item"])


if __name__ == "__main__":
    main()
