"""Links in the reader's text: a mention of a known document ("Kế hoạch số 12/KH-UBND",
"Nghị quyết 36-NQ/TW") becomes a link to that document's page.

The mentions are the references ingest found (``Document.references``, each with the
innermost clause it sits in), resolved as the document graph resolves them
(``index.answers.graph``): a reference that names no known document, or more than one, stays
plain text. The clause's text is escaped first and the links put in after, as the search
page's highlighting is.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from index.answers.citation import doc_name
from index.answers.graph import mentions
from ingest.models import Document
from ingest.normalize import collapse_spaces


def reader_links(engine, doc: Document) -> dict[str, list[tuple[str, str, str]]]:
    """Per clause id: (the mention's words, the page it links to, the document's name)."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for ref, target in mentions(engine, doc):
        if ref.clause_id is None:
            continue
        words = collapse_spaces(doc.source[ref.start:ref.end]).strip()
        link = (words, f"/documents/{target}", doc_name(engine, target))
        if words and link not in out.setdefault(ref.clause_id, []):
            out[ref.clause_id].append(link)
    return out


def linked(text: str, links: list[tuple[str, str, str]]) -> Markup:
    """Escaped ``text`` with every mention in ``links`` made a link (a line break or spaces
    inside a mention are matched as any white space).

    >>> str(linked("theo Kế hoạch số 12/KH-UBND <b>", [("Kế hoạch số 12/KH-UBND", "/documents/kh-12", "Kế hoạch 12")]))
    'theo <a class="doc-link" href="/documents/kh-12" title="Kế hoạch 12">Kế hoạch số 12/KH-UBND</a> &lt;b&gt;'
    """
    if not links:
        return Markup(escape(text))
    by_words = {re.sub(r"\s+", " ", w): (url, title) for w, url, title in links}
    pattern = re.compile("|".join(r"\s+".join(map(re.escape, w.split(" ")))
                                  for w in sorted(by_words, key=len, reverse=True)))
    out, pos = [], 0
    for m in pattern.finditer(text):
        url, title = by_words[re.sub(r"\s+", " ", m.group())]
        out += [escape(text[pos:m.start()]), Markup('<a class="doc-link" href="{}" title="{}">{}</a>').format(
            url, title, m.group())]
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)
