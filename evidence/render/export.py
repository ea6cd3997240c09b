"""The downloadable data: claims as JSON and CSV, the claim JSON Schema, references as BibTeX and CSL-JSON.

One function makes the bytes of every file; `python -m evidence export` writes them to a
folder and the build publishes them under data/ (plugin.on_files), so both are identical.
Nothing in them depends on the clock, the machine or the output folder: same sources,
same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from evidence.bib.csl import csl_item
from evidence.content.model import Claim, flat_fields
from evidence.content.schema import SCHEMA_DIR
from evidence.core import safepath
from evidence.load.corpus import BIB_FILE, Corpus

#: Published file names, in the order the Data page lists them.
CLAIMS_JSON = "claims.json"
CLAIM_SCHEMA = "claim.schema.json"
CLAIMS_CSV = "claims.csv"
REFERENCES_BIB = "references.bib"
REFERENCES_CSL = "references.csl.json"
FILES = (CLAIMS_JSON, CLAIM_SCHEMA, CLAIMS_CSV, REFERENCES_BIB, REFERENCES_CSL)

#: Where the build publishes them (a folder of the site).
SITE_DIR = "data"

#: Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_files(corpus: Corpus) -> dict[str, bytes]:
    """Every download, name → bytes. CSL-JSON holds the references claims cite; the .bib, all."""
    claims = [lc.claim for _, lc in sorted(corpus.loaded.items())]
    cited = sorted({key for claim in claims for key in claim.keys if key in corpus.library})
    files = {
        CLAIMS_JSON: _json([claim.model_dump(mode="json") for claim in claims]),
        CLAIM_SCHEMA: _schema_bytes(corpus),
        CLAIMS_CSV: claims_csv(claims),
        REFERENCES_BIB: (corpus.root / BIB_FILE).read_bytes(),
        REFERENCES_CSL: _json([csl_item(corpus.library[key]) for key in cited]),
    }
    return files


@dataclass(frozen=True)
class Download:
    """One published file: its bytes in memory, or kept in a file (see `downloads`)."""

    name: str
    size: int
    data: bytes | None = None
    path: Path | None = None


def downloads(corpus: Corpus, keep: Path | None = None) -> list[Download]:
    """Every download, in `FILES` order; with `keep`, the bytes stay on disk, not in memory.

    `keep` is a folder named for the corpus's inputs (`Corpus.inputs`): files found there
    were made from exactly these inputs by this code, so they are not made again. The
    build hands MkDocs the paths, so 10,000 claims' JSON and CSV are not held in memory.
    """
    if keep is not None and all((keep / name).is_file() for name in FILES) and _same_schema(corpus, keep):
        return [Download(name, (keep / name).stat().st_size, path=keep / name) for name in FILES]
    files = export_files(corpus)
    if keep is None or not _keep(files, keep):
        return [Download(name, len(files[name]), data=files[name]) for name in FILES]
    return [Download(name, len(files[name]), path=keep / name) for name in FILES]


def _same_schema(corpus: Corpus, keep: Path) -> bool:
    """The published schema is read again (8 KB): content/schema may be a linked folder,
    whose files the inputs' fingerprint does not follow."""
    try:
        return (keep / CLAIM_SCHEMA).read_bytes() == _schema_bytes(corpus)
    except OSError:
        return False


def _schema_bytes(corpus: Corpus) -> bytes:
    """The published schema, never through a link that leaves the project (`safepath.UnsafePath`)."""
    return safepath.resolve(corpus.root, f"{SCHEMA_DIR}/{CLAIM_SCHEMA}").read_bytes()


def _keep(files: dict[str, bytes], folder: Path) -> bool:
    """Write every file into `folder` atomically (a folder, complete or absent); False if not possible."""
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)  # incomplete: made again
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        for other in folder.parent.iterdir():  # downloads of earlier inputs are not read again
            if other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
        scratch = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
        for name, data in files.items():
            (scratch / name).write_bytes(data)
        os.replace(scratch, folder)
    except OSError:  # a read-only checkout still builds, holding the bytes in memory
        return False
    return True


def write(corpus: Corpus, out: Path) -> list[Path]:
    """Write every download into `out`; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in export_files(corpus).items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


# -- CSV ------------------------------------------------------------------------------


def columns(model: type[BaseModel] = Claim, prefix: str = "") -> Iterator[str]:
    """Flat column names from the model, nested fields joined by '_' (statistic_value)."""
    for name, info in model.model_fields.items():
        nested = next(
            (a for a in (info.annotation, *getattr(info.annotation, "__args__", ())) if _is_model(a)), None
        )
        if nested is not None and getattr(info.annotation, "__origin__", None) is not list:  # list: 1 cell
            yield from columns(nested, f"{prefix}{name}_")
        else:
            yield prefix + name


def _is_model(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


#: How a list (caveats, certainty reasons) is joined in its one CSV cell; claims.json keeps lists.
LIST_SEPARATOR = " · "


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, list):
        # one line per cell: Excel and most readers show a line break in a cell badly
        value = LIST_SEPARATOR.join(
            ": ".join(map(str, v.values())) if isinstance(v, dict) else str(v) for v in value
        )
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def claims_csv(claims: list[Claim]) -> bytes:
    """One row per claim; caveats joined on one line; text never starts a formula. UTF-8 with
    a BOM: without it Excel reads the file as the local code page (’ becomes â€™)."""
    names = list(columns())
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for claim in claims:
        flat = flat_fields(claim, sep="_")
        writer.writerow([_cell(flat.get(name)) for name in names])
    return buffer.getvalue().encode("utf-8-sig")


# -- CSL-JSON: evidence.bib.csl (the data model's fields as CSL variables) ----------------
