"""references.bib: reading it, its characters, formatting references, and the packed form the cache keeps."""
