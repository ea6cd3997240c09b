"""Evidence: cited, reviewable, versioned evidence summaries.

The domain package: claims, references, validation, rendering of fragments, diff and
export. It knows nothing of MkDocs except in `plugin.py`, the thin build glue.
"""
