"""Loading a project into a Corpus and the rules that judge it; pure: no git, no MkDocs."""
