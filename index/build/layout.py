"""Where an index's files are: every file name of a data dir and of a generation, in one place.

::

    data/
      manifest.json              the generation in service, its embedder, documents and inputs
      index-id                   names this index's collections on a shared Chroma server
      .build.lock                held by the one build running on this data dir
      chroma/                    embedded Chroma (absent in server mode; index.retrieval.vector)
      gen/<generation>/
        docs/<doc id>.json       one JSON document tree per document (a kept one linked from the last generation)
        units.json               one record per unit (clause id, path, context, text, hash)
        vectors.npy              the units' vectors, row for row (re-used by the next build)
        matrix.json              the responsibility matrix's rows, per document (index.build.rows)
        restore.json             the corpus's spellings, for queries typed without marks
        lexical/                 the units' terms as ids and BM25 over them (index.retrieval.lexical)
        catalog.yaml, agencies.yaml   the copies it was built with (index.build.inputs)

The builder writes these files and the engine reads them; both ask this module where they
are, so a name is spelled once. What is inside each file belongs to the module that reads
and writes it (named above).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"
CATALOG, AGENCIES = "catalog.yaml", "agencies.yaml"  # also the keys of their hashes in the manifest's inputs


@dataclass(frozen=True)
class LexicalFiles:
    """The lexical index of a generation: term ids of all units in one array with offsets,
    the vocabulary (term → id), and bm25s's own folder."""

    folder: Path

    @property
    def indptr(self) -> Path:
        return self.folder / "terms.indptr.npy"

    @property
    def ids(self) -> Path:
        return self.folder / "terms.ids.npy"

    @property
    def vocab(self) -> Path:
        return self.folder / "vocab.json"

    @property
    def bm25(self) -> Path:
        return self.folder / "bm25"


@dataclass(frozen=True)
class Generation:
    """One generation's folder and its files.

    >>> g = Generation(Path("data/gen/g1"))
    >>> g.doc("kh-1").as_posix(), g.units.name, g.lexical.vocab.as_posix()
    ('data/gen/g1/docs/kh-1.json', 'units.json', 'data/gen/g1/lexical/vocab.json')
    """

    folder: Path

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def docs(self) -> Path:
        return self.folder / "docs"

    def doc(self, doc_id: str) -> Path:
        return self.docs / f"{doc_id}.json"

    @property
    def units(self) -> Path:
        return self.folder / "units.json"

    @property
    def vectors(self) -> Path:
        return self.folder / "vectors.npy"

    @property
    def matrix(self) -> Path:
        return self.folder / "matrix.json"

    @property
    def restore(self) -> Path:
        return self.folder / "restore.json"

    @property
    def lexical(self) -> LexicalFiles:
        return LexicalFiles(self.folder / "lexical")

    @property
    def catalog(self) -> Path:
        return self.folder / CATALOG

    @property
    def agencies(self) -> Path:
        return self.folder / AGENCIES


@dataclass(frozen=True)
class DataDir:
    """A data dir: the manifest, the index's id, the build lock and the generations.

    >>> d = DataDir(Path("data"))
    >>> d.manifest.as_posix(), d.generation("g1").units.as_posix()
    ('data/manifest.json', 'data/gen/g1/units.json')
    """

    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST

    @property
    def index_id(self) -> Path:
        return self.root / "index-id"

    @property
    def lock(self) -> Path:
        return self.root / ".build.lock"

    @property
    def chroma(self) -> Path:
        """Embedded Chroma's folder (``index.retrieval.vector.open_client``)."""
        return self.root / "chroma"

    @property
    def generations(self) -> Path:
        return self.root / "gen"

    def generation(self, name: str) -> Generation:
        return Generation(self.generations / name)
