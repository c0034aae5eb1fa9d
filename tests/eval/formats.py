"""``make eval``: the plan's answers when the same text arrives as .docx, .pdf or .md.

Staff add directives in every format; a reader that loses structure in one of them shows
here as a drop against the .txt figures. Each rendering is made from corpus/'s own text at
eval time (python-docx paragraphs; fpdf2 lines wrapped at the page width, as a PDF's text
layer wraps them; Markdown with '##' sections and '**n.**' items) and indexed in a scratch
directory with a catalog pointing at it.

Usage: python -m tests.eval.formats [--data DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import docx
import yaml
from fpdf import FPDF

from index.build.builder import build
from index.engine import Engine, Options
from index.retrieval.embedders import create_embedder
from tests.eval.run import GOLD, answers

CORPUS = Path(__file__).parents[2] / "corpus"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def render(text: str, out: Path) -> None:
    if out.suffix == ".docx":
        d = docx.Document()
        for line in text.splitlines():
            d.add_paragraph(line)
        d.save(out)
    elif out.suffix == ".pdf":
        pdf = FPDF()
        pdf.add_font("DejaVu", "", FONT)
        pdf.set_font("DejaVu", size=11)
        pdf.add_page()
        for line in text.splitlines():
            pdf.multi_cell(0, 6, line.replace("\t", " ") or " ", new_x="LMARGIN", new_y="NEXT")
        pdf.output(str(out))
    else:
        lines = [("## " + ln) if re.match(r"[IVX]+\. ", ln) else re.sub(r"^(\d+\.) ", r"**\1** ", ln)
                 for ln in text.splitlines()]
        out.write_text("\n".join(lines), encoding="utf-8")


def corpus_as(fmt: str, root: Path) -> Path:
    """A copy of corpus/ whose plan is rendered as ``fmt``."""
    plan = next(CORPUS.glob("*.txt"))
    corpus = root / f"corpus-{fmt}"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    shutil.copy(CORPUS / "agencies.yaml", corpus)
    catalog = (CORPUS / "catalog.yaml").read_text(encoding="utf-8")
    (corpus / "catalog.yaml").write_text(catalog.replace(plan.name, f"{plan.stem}.{fmt}"), encoding="utf-8")
    render(plan.read_text(encoding="utf-8"), corpus / f"{plan.stem}.{fmt}")
    return corpus


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("data/eval-formats"))
    args = ap.parse_args()
    questions = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["questions"]
    embedder = create_embedder("e5")
    print("\nThe plan in other formats (answers on the same gold questions):")
    for fmt in ("docx", "pdf", "md"):
        corpus = corpus_as(fmt, args.data)
        build(args.data / fmt, corpus, lambda: embedder)
        engine = Engine.open(Options(args.data / fmt, corpus), embedder)
        a = answers(engine, questions)
        print(f"  .{fmt:5} {len(engine.units):3} units; agency right {a['agency_acc']:.2f} of {a['who']}; "
              f"first citation {a['cite_acc']:.2f} of {len(questions)}; unsupported names {a['unsupported_names']}")


if __name__ == "__main__":
    main()
