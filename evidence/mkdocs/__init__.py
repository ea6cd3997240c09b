"""The MkDocs plugin and its options, declared once (the CLI reads the same declaration)."""
