"""`python -m evidence`: the commands and what they print or write; no MkDocs."""
