"""``make eval``: article retrieval on real laws, decrees and circulars ("Điều N").

A drafter loads the legal texts a plan rests on and asks questions that one article answers.
``legal-questions.jsonl`` holds such questions, written for this set, each labelled with a file
of the real corpus kept beside the project (``../shared/corpus``, by name) and the article that
answers it (``also``: another article that answers it as well). No text of those documents is
kept here: the runner reads them from the corpus archive (or an unpacked folder), builds a
scratch index with the product's embedder (e5) and prints, per way of retrieving:

- **search**: ``/api/search`` (``Engine.search``, the hybrid ranking);
- **scoped**: the clauses an answer rests on (``index.answers.evidence.hits``: a question that
  names a document by number is answered from it, the documents it points to are boosted);
- **answer**: the first citation of ``/api/ask`` (hit@1 only);

article hit@1, hit@5 and MRR@10 overall, per document and per question form (named or not,
without diacritics, in English). A result hits when it is a clause of the labelled document
inside the labelled article (its path's "Điều N" ancestor).

Usage: python -m tests.eval.legal [--docs DIR | --archive TAR] [--data DIR] [--set MODULE.NAME=VALUE] [--no-scope]
[--misses]

First figures (05/12/2026, e5, 21 documents, 6,068 units, 207 questions): scoped article hit@1
0.744, hit@5 0.860, MRR 0.792 (search 0.734 / 0.850 / 0.786); named 0.737, unnamed 0.745,
without diacritics 0.762, English 0.158 (English questions counted as unmarked Vietnamese: their
dense ranking weighed 0.5). Since English questions are embedded as written and their dense
ranking leads (``DENSE_WEIGHT_ENGLISH``), English hit@5 is 0.632 (0.211 before) and hit@1 still
0.158: e5-small's reading of an English question against Vietnamese articles finds the document
and the neighbourhood, rarely the article. The 320-character query cut changed none of the 4 long questions; dense
weights 0.6 and 1.5 moved hit@1 by at most one question on the 122 measured.

``--set`` changes one module constant for the run (``index.retrieval.search.DENSE_WEIGHT=0.6``,
``index.build.units.NEAREST_CHARS=400``): how each suspect of a ranking change is measured.
The index is kept in ``--data`` (default ``data/eval-legal``): the first run embeds about
6,000 clauses (2.1 million characters, about 12 minutes of one core for e5), later runs only
check the files. Query-side settings need no new build; a setting of ``index.build.units``
needs its own folder (its units are made again, vectors of unchanged text re-used).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import re
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path

QUESTIONS = Path(__file__).with_name("legal-questions.jsonl")
ARCHIVE = Path(__file__).parents[2] / ".." / "shared" / "corpus" / "directives-2025.tar.xz"
K = 10
FORMS = ("named", "unnamed", "nodiac", "en")
WAYS = ("search", "scoped", "answer")


def load(path: Path = QUESTIONS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def article_of(path: str) -> str | None:
    """The article a clause path lies in.

    >>> article_of("Điều 12.3.b"), article_of("Điều 7"), article_of("Chương II"), article_of("III.2")
    ('Điều 12', 'Điều 7', None, None)
    """
    m = re.match(r"Điều \d+(?![\d])", path)
    return m.group(0) if m else None


def wanted(q: dict) -> set[str]:
    return {q["article"], *q.get("also", [])}


def forms(q: dict) -> list[str]:
    """The forms a question counts under: named or unnamed, and nodiac / en when it is so."""
    tags = q.get("forms", [])
    return ["named" if "named" in tags else "unnamed", *(t for t in tags if t in ("nodiac", "en"))]


def rank_of(q: dict, results: list[tuple[str, str]]) -> int | None:
    """1-based rank of the first (file, clause path) result inside the labelled article."""
    want = wanted(q)
    return next((i for i, (f, p) in enumerate(results, 1) if f == q["file"] and article_of(p) in want), None)


def fetch_docs(files: set[str], docs: Path | None, archive: Path, into: Path) -> list[Path]:
    """The labelled files, from an unpacked folder or extracted from the corpus archive."""
    if docs is not None:
        return [docs / f for f in sorted(files)]
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if Path(m.name).name in files]
        for m in members:
            (into / Path(m.name).name).write_bytes(tar.extractfile(m).read())
    return [into / f for f in sorted(files) if (into / f).exists()]


def apply_settings(pairs: list[str]) -> None:
    """``module.NAME=value`` for each pair: the constant set before anything is built or asked."""
    for pair in pairs:
        target, value = pair.split("=", 1)
        module, name = target.rsplit(".", 1)
        mod = importlib.import_module(module)
        if not hasattr(mod, name):
            raise SystemExit(f"{module} has no {name}")
        setattr(mod, name, ast.literal_eval(value))
    if any(p.startswith("index.build.units.") for p in pairs):
        # What units hold changed: the build must make every unit again (vectors of unchanged
        # embedded text are still re-used), as it does when units.py itself changes.
        from index.build import builder

        snapshot = builder.snapshot
        builder.snapshot = lambda corpus, out: {**snapshot(corpus, out), "eval settings": " ".join(sorted(pairs))}


def without_scope() -> None:
    """Answers read no document from the question: none named, pointed to or of a place."""
    from index.answers import answer
    from index.retrieval import scope

    answer.scope_of = scope.scope_of = lambda engine, text: scope.Scope(named=scope.numbers_named(text))


def rankings(engine, q: dict, answers: bool = True) -> dict[str, list[tuple[str, str]]]:
    """(file, clause path) results of each way of retrieving, best first (``answers``: ask too)."""
    from index.answers.answer import ask, within_named
    from index.answers.evidence import hits
    from index.retrieval import scope
    from index.retrieval.query import analyze

    def pairs(found) -> list[tuple[str, str]]:
        return [(Path(h.doc.file or "").name, h.clause.path) for h in found]

    query = analyze(q["q"])
    cited = ask(engine, q["q"]).citations[:1] if answers else []
    named = scope.scope_of(engine, query.text)
    return {
        "search": pairs(engine.search(query, K)),
        # as answers rank a document the question names: by what it asks, not the words naming it
        "scoped": pairs(hits(engine, within_named(engine, query, named), named, None, K)),
        "answer": [(Path(engine.documents[c.clause.doc_id].file or "").name, c.clause.path) for c in cited],
    }


def figures(ranks: list[int | None]) -> tuple[float, float, float]:
    n = max(1, len(ranks))
    return (sum(r == 1 for r in ranks) / n, sum(r is not None and r <= 5 for r in ranks) / n,
            sum(1 / r for r in ranks if r) / n)


def report(questions: list[dict], ranks: dict[str, list[int | None]], titles: dict[str, str], answers: bool = True) -> str:
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, q in enumerate(questions):
        keys = ["all", *(f"form {f}" for f in forms(q)), f"doc {q['file']}"]
        for key in keys:
            for way in WAYS:
                groups[key][way].append(ranks[way][i])
    order = ["all", *(f"form {f}" for f in FORMS)] + sorted(k for k in groups if k.startswith("doc "))
    lines = [f"{'':44} {'n':>3}   {'search hit@1 hit@5 MRR':>23}   {'scoped hit@1 hit@5 MRR':>23}   answer@1"]
    for key in order:
        if key not in groups:
            continue
        g = groups[key]
        label = key if not key.startswith("doc ") else f"{key[4:20]} {titles.get(key[4:], '')}"
        cells = "   ".join("       {:.3f} {:.3f} {:.3f}".format(*figures(g[w])) for w in ("search", "scoped"))
        first = f"{figures(g['answer'])[0]:.3f}" if answers else "–"
        lines.append(f"{label[:44]:44} {len(g['search']):>3}   {cells}   {first}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=Path, default=QUESTIONS)
    ap.add_argument("--docs", type=Path, help="an unpacked folder of the corpus's files")
    ap.add_argument("--archive", type=Path, default=ARCHIVE)
    ap.add_argument("--corpus", type=Path, default=Path("corpus"), help="catalog and registry")
    ap.add_argument("--data", "--keep", dest="keep", type=Path, default=Path("data/eval-legal"),
                    help="index folder, kept between runs (an unchanged set is not embedded again)")
    ap.add_argument("--set", action="append", default=[], metavar="MODULE.NAME=VALUE")
    ap.add_argument("--no-scope", action="store_true", help="answers ignore the documents a question names")
    ap.add_argument("--no-answers", action="store_true", help="rank only, without asking (faster)")
    ap.add_argument("--ranks", type=Path, help="write each question's rank per way here (JSON lines)")
    ap.add_argument("--misses", action="store_true", help="list the questions whose first result is wrong")
    args = ap.parse_args(argv)
    if args.docs is None and not args.archive.exists():
        print(f"({args.archive} not found: legal article set skipped)")
        return 0
    apply_settings(args.set)
    if args.no_scope:
        without_scope()

    from index.build.builder import build
    from index.engine import Engine, Options
    from index.retrieval.embedders import create_embedder

    questions = load(args.questions)
    with tempfile.TemporaryDirectory(prefix="tracuu-legal-") as tmp:
        paths = fetch_docs({q["file"] for q in questions}, args.docs, args.archive, Path(tmp) / "docs")
        data = args.keep or Path(tmp) / "data"
        t = time.perf_counter()
        embedder = create_embedder("e5")
        built = build(data, args.corpus, embedder, paths=paths)
        engine = Engine.open(Options(data, args.corpus), embedder)
        print(f"legal set: {len(paths)} documents, {len(engine.units)} units (index {time.perf_counter() - t:.0f} s), "
              f"{len(questions)} questions" + (f"; settings {', '.join(args.set)}" if args.set else ""))
        for f in built.failed:
            print(f"  failed: {f.error}")
        titles = {Path(d.file or "").name: d.header.number or "" for d in engine.documents.values()}
        ranks: dict[str, list[int | None]] = {w: [] for w in WAYS}
        misses = []
        t = time.perf_counter()
        for q in questions:
            got = rankings(engine, q, not args.no_answers)
            for way in WAYS:
                ranks[way].append(rank_of(q, got[way]))
            if args.ranks:
                with args.ranks.open("a", encoding="utf-8") as f:
                    f.write(json.dumps({"id": q["id"], **{w: ranks[w][-1] for w in WAYS}, "top": got["scoped"][:3]},
                                       ensure_ascii=False) + "\n")
            if ranks["scoped"][-1] != 1:
                misses.append((q, got["scoped"][:3]))
        print(f"({len(questions)} questions in {time.perf_counter() - t:.0f} s)")
        print(report(questions, ranks, titles, not args.no_answers))
        if args.misses:
            for q, top in misses:
                print(f"  ✗ {q['id']} want {q['file'][:8]} {sorted(wanted(q))}: {q['q'][:90]}")
                print(f"      got {[f'{f[:8]} {p}' for f, p in top]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
