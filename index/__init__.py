"""Stores, retrieval and answers over the documents that ``ingest`` parses.

Nothing here imports ``service``; settings arrive as plain arguments.
"""
