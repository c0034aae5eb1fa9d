"""Named errors for files that cannot become documents.

Each carries the file name and a message a records officer can act on; the CLI
prints it and moves on to the next file, the API maps it to HTTP 422.
"""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested. ``str(err)`` names the file and the reason."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):  # raised in the process that reads an upload, re-raised in the server
        return type(self), (self.path, self.reason)


class UnsupportedFormat(IngestError):
    """The file's extension is not one we read."""


class UndecodableText(IngestError):
    """A text file in none of the encodings we accept."""


class EmptyDocument(IngestError):
    """The file holds no text at all."""


class CorruptFile(IngestError):
    """A .docx/.pdf whose container cannot be opened."""


class NeedsOCR(IngestError):
    """A PDF without a text layer (a scan)."""


class TooLarge(IngestError):
    """Beyond a cap: unpacked size, parts, paragraphs, lines, pages, characters or memory."""


class TookTooLong(IngestError):
    """Reading the file took longer than the time an upload is given."""
