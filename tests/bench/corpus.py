"""The real corpus at scale, for ``make bench``: prints numbers, asserts nothing.

The 521 real documents of ``../shared/corpus/directives-2025.tar.xz`` (page captures of the
national law portal), with the plan:
- parsing: documents, clauses, seconds per document (median, 95th percentile, slowest) and
  the files refused, each with its message;
- an index of all of them embedded with ``tests.bench.hashing`` (e5 would take hours on 2
  cores; open time, memory and search cost depend on how many vectors there are): build
  seconds, then open time, server RSS and search / ask p50 and p95 in a child process that
  loads what a server loads, against the same figures for the plan alone;
- with ``--e5-sample N``: one real e5 build of N of the documents, against e5 alone on the
  texts as the build embeds them (clause + short headings: the floor the heading context
  sets; see ``tests.bench.scale.ingest_ratio``).

Usage: python -m tests.bench.corpus [--keep bench-data] [--e5-sample 300]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tarfile
import tempfile
import time
from pathlib import Path

from tests.bench.scale import PLAN, ROOT, ingest_ratio, open_figures, pct

TARBALL = ROOT.parent / "shared" / "corpus" / "directives-2025.tar.xz"


def unpack(root: Path) -> Path:
    """The documents with the plan, the catalog and the registry, in ``root/corpus-521``."""
    folder = root / "corpus-521"
    if not folder.is_dir():
        with tempfile.TemporaryDirectory(dir=root) as tmp, tarfile.open(TARBALL) as tar:
            tar.extractall(tmp, filter="data")
            files = sorted(Path(tmp).rglob("*.md"))
            folder.mkdir()
            for f in files:
                shutil.move(f, folder / f.name)
    for f in (PLAN, ROOT / "corpus" / "catalog.yaml", ROOT / "corpus" / "agencies.yaml"):
        shutil.copy(f, folder / f.name)
    return folder


def parse_all(folder: Path) -> dict:
    from ingest.errors import IngestError
    from ingest.pipeline import parse_bytes

    seconds, clauses, refused = [], 0, []
    for f in sorted(p for p in folder.iterdir() if p.suffix in (".md", ".txt")):
        t = time.perf_counter()
        try:
            clauses += len(parse_bytes(f.read_bytes(), f.name).clauses)
        except IngestError as e:
            refused.append(f"{f.name}: {e}")
        seconds.append(time.perf_counter() - t)
    return {"documents": len(seconds), "clauses": clauses, "refused": refused, "median_s": statistics.median(seconds),
            "p95_s": pct(seconds, 95), "max_s": max(seconds), "total_s": sum(seconds)}


def hashing_index(folder: Path, data: Path) -> float | None:
    """Build seconds, or None when a kept index was already up to date."""
    from index.build.builder import build
    from tests.bench.hashing import HashEmbedder

    t = time.perf_counter()
    report = build(data, folder, HashEmbedder())
    return time.perf_counter() - t if report.built else None


def e5_sample(folder: Path, work: Path, n: int) -> dict:
    sample = work / f"sample-{n}"
    shutil.rmtree(sample, ignore_errors=True)
    sample.mkdir(parents=True)
    docs = sorted(p for p in folder.iterdir() if p.suffix == ".md")
    for f in random.Random(20251205).sample(docs, min(n, len(docs))):
        shutil.copy(f, sample / f.name)
    return ingest_ratio(work, sample)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="keep the unpacked corpus and its index here")
    ap.add_argument("--e5-sample", type=int, default=0, help="also build N documents with e5 (about 10 s a document)")
    args = ap.parse_args()
    if not TARBALL.is_file():
        print(f"({TARBALL} not found: the real-corpus figures are skipped)")
        return
    root = args.keep or Path(tempfile.mkdtemp(prefix="tracuu-corpus-"))
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tracuu-corpus-work-"))
    folder = unpack(root)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  the real corpus ({TARBALL.name}) with the plan")
    p = parse_all(folder)
    print(f"parse: {p['documents']} documents, {p['clauses']:,} clauses in {p['total_s']:.0f} s; per document "
          f"median {p['median_s'] * 1000:.0f} ms, p95 {p['p95_s'] * 1000:.0f} ms, slowest {p['max_s']:.1f} s; "
          f"refused {len(p['refused'])}")
    for line in p["refused"]:
        print(f"  refused: {line}")
    data = root / "corpus-521-hashing"
    built = hashing_index(folder, data)
    print(f"index (hashing embedder): build {'kept' if built is None else f'{built:.0f} s'}")
    plan_dir = work / "plan"
    plan_dir.mkdir()
    shutil.copy(PLAN, plan_dir / PLAN.name)
    hashing_index(plan_dir, work / "plan-hashing")
    print(f"\n{'index':>12} {'units':>7} {'open s':>7} {'RSS open MB':>11} {'search p50':>10} {'p95':>7} "
          f"{'ask p50':>8} {'p95':>7}")
    for name, d in (("plan alone", work / "plan-hashing"), ("521 + plan", data)):
        f = open_figures(d)
        print(f"{name:>12} {f['units']:>7} {f['open_s']:>7.2f} {f['rss_open_mb']:>11.0f} {f['p50_ms']:>10.2f} "
              f"{f['p95_ms']:>7.2f} {f['ask_p50_ms']:>8.1f} {f['ask_p95_ms']:>7.1f}", flush=True)
    if args.e5_sample:
        r = e5_sample(folder, work, args.e5_sample)
        print(f"\ne5 on {args.e5_sample} of the documents: {r['clauses']:,} clauses, build {r['ingest_s']:.0f} s; "
              f"e5 alone on the texts as embedded {r['embed_s']:.0f} s; ratio {r['ingest_s'] / r['embed_s']:.2f} "
              f"(against each character once: {r['ratio']:.2f})")
    shutil.rmtree(work, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
