"""How a corpus becomes an index generation.

``builder`` reads changed files (through ``ingest``), makes the units (``units``), the matrix
rows (``rows``) and the fingerprint of everything they depend on (``inputs``), embeds what is
new, and publishes the generation whose files ``store`` names and reads back.
"""
