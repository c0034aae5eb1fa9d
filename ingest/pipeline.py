"""One file → one ``Document``: read, parse, take the id and header from the catalog.

Pure (bytes in, document out). Storing and indexing happen in ``index.build.builder``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.assign import assign
from ingest.body_vocab import Gazetteer
from ingest.capture import metadata
from ingest.catalog import Catalog, slug
from ingest.errors import EmptyDocument
from ingest.identity import complete
from ingest.limits import Limits
from ingest.models import Document
from ingest.normalize import normalize
from ingest.outline import parse
from ingest.readers import read_bytes


def identify(doc: Document) -> Document:
    """Complete the header the text gave with a page capture's metadata block and the
    jurisdiction (``ingest.identity``)."""
    text = normalize(doc.source).text
    doc.header = complete(doc.header, text, metadata(text))
    return doc


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_bytes(data: bytes, name: str, catalog: Catalog | None = None, gazetteer: Gazetteer | None = None,
                limits: Limits | None = None) -> Document:
    """Parse a file's bytes. ``name`` is the file name (its extension picks the reader);
    ``gazetteer`` holds the names of known bodies (the registry's), read as such in the text;
    ``limits`` caps what the file may unpack into (default ``Limits()``).

    Raises an ``IngestError`` subclass with a message naming the file.
    """
    src = read_bytes(data, name, limits)
    entry = catalog.by_file(Path(name).name) if catalog else None
    doc = identify(parse(src.text, entry.id if entry else slug(name)))
    if entry is None and catalog is not None and doc.header.number:
        match = catalog.by_number(doc.header.number)
        if match is not None and match.file is None:
            # The official text of a catalog-only document: it takes the catalog's id.
            doc = identify(parse(src.text, match.id))
    if not doc.clauses:
        raise EmptyDocument(name, "không tìm thấy nội dung nào để lập chỉ mục (no text to index)")
    doc.file = Path(name).name
    doc.sha256 = sha256(data)
    doc.warnings = src.warnings + doc.warnings
    doc.assignments = assign(doc, gazetteer, doc.wrapped)
    return doc
