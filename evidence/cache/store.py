"""What one build can hand the next: parsed references.bib, formatted entries, parsed claims.

Formatting a reference with pybtex costs milliseconds and parsing a large .bib seconds,
while a contributor rebuilds after every small edit. The cache lives in
`<project>/.cache/evidence/<version>/` (ignored by git, outside site/, safe to delete at
any time). Nothing in it can be stale:

- every value is keyed by the bytes it was made from: the whole references.bib for the
  parsed library, each claim file's bytes and path for its parsed claim, and each
  entry's fields, names and the style for its formatted text (see `bib.Reference.fingerprint`);
- `<version>` is a hash of this package's source and of the libraries that parse and
  format, so a change of code empties the cache. Formatted entries are kept beside it
  (`formatted.pickle`), as their keys already name the style's code and pybtex's version;
- the memo of a whole check (`checked.pickle`) is keyed by `corpus.fingerprint`: the
  settings and the path and bytes of every file load_corpus reads.

Files are pickles written atomically; one that cannot be read is ignored and rewritten.
The parsed library (`library.entries`) is an index followed by each entry packed on its
own: a build reads only the entries its pages show (1,000 of a shared 20,000).
This module imports pybtex and the models only when it parses: a memoised check needs neither.

Unpickling runs code, and `.cache/` can arrive in a commit (`git add -f`). So every file
ends with an HMAC-SHA256 under a secret of this machine's user kept outside any project
(`cachekeys.secret_path()`: the user cache folder, XDG_CACHE_HOME honoured, made 0600),
checked before `pickle.loads` sees a byte: a commit cannot make a file that passes.
Pickle stays because it makes a warm check fast (benchmarks/PROFILE.md) and the HMAC is
cheap (some 30 ms over the 9 MB of 10,000 claims); the cache stays in the project, where
deleting it is obvious. A file that fails is deleted, reported (`Cache.untrusted`) and
written again. `library.entries` seals its header, which holds each packed entry's
SHA-256, checked as the entry is read; the downloads' folder is named by an HMAC (a
commit cannot guess it); nothing is used when `.cache/evidence` or a folder in it is a link.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import shutil
import stat
import tempfile
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from evidence.cache.keys import CLAIM_SHARDS, SEAL, TAG, code_version, machine_secret, read_regular, seal
from evidence.cache.keys import shard as _shard
from evidence.cache.keys import shard_name as _shard_name
from evidence.cache.pickles import unpickle
from evidence.content import yamlsafe
from evidence.core.digest import file_digest
from evidence.core.problems import Problem, Severity, warning

if TYPE_CHECKING:
    from evidence.bib.library import Library
    from evidence.content.model import Claim
    from evidence.load.loader import LoadedClaim, Positions

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"cache-untrusted"})
CACHE_DIR = ".cache/evidence"
#: references.bib parsed: an index, then each entry packed, read only when a page needs it
LIBRARY_FILE = "library.entries"
_LIBRARY_MAGIC = b"evidence-library 2\n"
UNTRUSTED = "ignored: not written by this machine's evidence cache; delete it and remove it from git"
#: Unpickled values by file, while the file is unchanged: one Cache's own, unless the
#: plugin hands one build's to the next of the same project (`mkdocs serve`).
Memory = dict[Path, tuple[tuple[int, int], Any]]

ClaimResult = tuple["LoadedClaim | None", "yamlsafe.Document | None", list[Problem]]
#: What is kept per claim file: the valid claim (its positions are re-read on demand, see
#: `LoadedClaim.where`) or, for an invalid one, its data (for `loader.raw_keys`); and the problems.
Saved = tuple["Claim | None", "yamlsafe.Document | None", list[Problem]]


class Cache:
    """One project's cache; `load_corpus(..., cache=Cache(root))` reads and refreshes it.

    `freeze=True` is for a process that exits after one check (the command line): what it
    unpickles is never scanned by the cyclic garbage collector (half the time of a check
    whose memo missed). Not for `mkdocs serve`: what is alive when a later build unpickles
    would be frozen too, and never collected once it is garbage.
    """

    def __init__(self, root: Path, *, freeze: bool = False, memory: Memory | None = None) -> None:
        self.freeze = freeze
        self.memory: Memory = {} if memory is None else memory
        self.root = root
        self.base = root / CACHE_DIR
        self.dir = self.base / code_version()
        self._claims_old: dict[str, tuple[str, Saved]] = {}
        self._claims_new: dict[str, tuple[str, Saved]] = {}
        self._formatted: dict[str, dict[str, Any]] = {}
        self._claims_changed: set[str] = set()  # files parsed in this run
        self._plain_known = 0
        #: Files found in the cache that this machine did not write (a commit's), as warnings.
        self.untrusted: list[Problem] = []
        self._secret = machine_secret()
        self._enabled = self._secret is not None and self._no_links(self.dir)

    # -- files -----------------------------------------------------------------
    def _no_links(self, folder: Path) -> bool:
        """No folder from .cache down to `folder` is a link (a committed `.cache/evidence ->
        ~` would make `_prune` empty the home folder); one that is is reported."""
        path = self.root
        for name in folder.relative_to(self.root).parts:
            path = path / name
            if path.is_symlink():
                self._reject(path, "is a symbolic link; the cache is not used")
                return False
        return True

    def _reject(self, path: Path, why: str = UNTRUSTED) -> None:
        rel = path.relative_to(self.root).as_posix()
        if not any(p.path == rel for p in self.untrusted):
            hint = "`git rm -r --cached .cache` if git tracks it; the cache is rebuilt by itself"
            self.untrusted.append(warning(rel, 1, 1, why, "cache-untrusted", hint))

    def _path(self, name: str) -> Path:
        return (self.base if name in ("formatted", "plain") else self.dir) / f"{name}.pickle"

    def load(self, name: str) -> Any:
        """The value saved under `name`, or None if there is none or it cannot be trusted.

        The HMAC is checked before unpickling; a file that fails is deleted and reported.
        """
        if not self._enabled or self._secret is None:
            return None
        path = self._path(name)
        try:
            info = path.lstat()
            stamp = (info.st_mtime_ns, info.st_size)
            remembered = self.memory.get(path)
            if remembered is not None and remembered[0] == stamp:
                return remembered[1]
            data = memoryview(read_regular(path))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):  # a link, a FIFO, a folder: not ours
            self._distrust(path)
            return None
        end = len(data) - len(SEAL) - TAG
        tag = data[end : end + TAG]
        if (
            end < 0
            or data[end + TAG :] != SEAL
            or not hmac.compare_digest(tag, seal(self._secret, path.name, data[:end]))
        ):
            self._distrust(path)
            return None
        try:
            value = unpickle(data[:end], freeze=self.freeze)
        except Exception:  # ours, from an older shape of the code: rebuild it
            return None
        self.memory[path] = (stamp, value)
        return value

    def _distrust(self, path: Path) -> None:
        self._reject(path)
        with contextlib.suppress(OSError):
            path.unlink()  # written again when needed; never read again

    def save(self, name: str, value: Any) -> None:
        """Write atomically (a build running beside us never reads half a file), sealed."""
        if not self._enabled or self._secret is None:
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            self._prune()
            path = self._path(name)
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
                handle.write(payload)
                handle.write(seal(self._secret, path.name, payload) + SEAL)
            os.replace(handle.name, path)
            info = path.stat()
            self.memory[path] = ((info.st_mtime_ns, info.st_size), value)
        except OSError:  # a read-only checkout still builds, only slower
            return

    def folder(self, kind: str, inputs: str) -> Path | None:
        """Where files made from exactly `inputs` (a `corpus.fingerprint`) are kept, such as the
        downloads; the caller writes it whole and removes other inputs' folders.

        Its name is an HMAC of `inputs`: a commit cannot lay a folder there for us to publish.
        None when the cache is off or a folder on the way is a link.
        """
        if not self._enabled or self._secret is None:
            return None
        name = hmac.digest(self._secret, f"{kind}\0{inputs}".encode(), "sha256").hex()[:40]
        folder = self.dir / kind / name
        return folder if self._no_links(folder.parent) else None

    def _prune(self) -> None:
        """Caches of other code versions are never read again."""
        for other in self.base.iterdir():
            if other.is_dir() and not other.is_symlink() and other != self.dir:
                shutil.rmtree(other, ignore_errors=True)

    # -- references.bib -----------------------------------------------------------
    def library(
        self, path: Path, display: str, *, format_all: bool = True, style: str = "ama"
    ) -> tuple[Library, list[Problem]]:
        """`bib.load_library`, unless this exact file was parsed before (with these options)."""
        from evidence.bib import library as bib

        self._formatted = self.load("formatted") or {}
        plain = self.load("plain")
        known = plain["memo"] if isinstance(plain, dict) and plain.get("style") == bib.STYLE_KEY else {}
        # this build's memo: cited entries formatted before are not formatted again
        memo = bib.Memo(reuse=self._formatted, plain=dict(known), style=style)
        self._plain_known = len(memo.plain)
        try:
            if path.stat().st_size > bib.MAX_BYTES:
                return bib.load_library(path, display, format_all=format_all, memo=memo)
            options = f"\0{display}\0{format_all}\0{style}".encode()
            key = file_digest(path.read_bytes() + options)
        except OSError:
            return bib.load_library(path, display, format_all=format_all, memo=memo)
        found = self._read_library(key, memo)
        if found is not None:
            return found
        library, problems = bib.load_library(path, display, format_all=format_all, memo=memo)
        if file_digest(path.read_bytes() + options) == key:  # unchanged meanwhile
            self._write_library(key, library, problems)
        return library, problems

    def _read_library(self, key: str, memo: Any) -> tuple[Library, list[Problem]] | None:
        """The library kept for `key`: the index now, each entry when a page first reads it.

        The header (with each entry's SHA-256) is checked against its HMAC before it is
        unpickled, and each entry against its SHA-256 before bib unpickles it. The file
        stays open until the library is gone, so a build running beside us that replaces
        it (or someone deleting .cache/) changes nothing this build reads.
        """
        from evidence.bib import library as bib

        if not self._enabled or self._secret is None:
            return None
        path = self.dir / LIBRARY_FILE
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            return None
        except OSError:  # a link or a folder: not ours
            self._distrust(path)
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ValueError("not a regular file")
            with os.fdopen(os.dup(fd), "rb") as handle:
                if handle.read(len(_LIBRARY_MAGIC)) != _LIBRARY_MAGIC:
                    raise ValueError("not a library file")
                tag = handle.read(TAG)
                size_bytes = handle.read(8)
                size = int.from_bytes(size_bytes, "big")
                raw = handle.read(size)
            if len(raw) != size or not hmac.compare_digest(
                tag, seal(self._secret, LIBRARY_FILE, size_bytes + raw)
            ):
                raise ValueError("not sealed by this machine")
        except (OSError, ValueError):
            os.close(fd)
            self._distrust(path)
            return None
        try:
            head = pickle.loads(raw)
            if head["key"] != key:
                raise ValueError("another references.bib")
        except Exception:  # ours, for another file or of another shape: parse again
            os.close(fd)
            return None
        base = len(_LIBRARY_MAGIC) + TAG + 8 + size
        index: dict[str, tuple[int, int, bytes]] = head["index"]

        def read(ref_key: str) -> bytes:
            offset, length, digest = index[ref_key]
            os.lseek(fd, base + offset, os.SEEK_SET)  # one build reads on one thread
            data = os.read(fd, length)
            if len(data) != length or hashlib.sha256(data).digest() != digest:
                raise OSError(
                    f"{LIBRARY_FILE} in {CACHE_DIR} is truncated or altered; "
                    f"delete {CACHE_DIR} and build again"
                )
            return data

        library, problems = bib.library_from_cache(head["data"], index, read, memo)
        weakref.finalize(library.references, os.close, fd)
        return library, problems

    def _write_library(self, key: str, library: Library, problems: list[Problem]) -> None:
        """One file: a sealed header with the index, then every entry packed (see `_read_library`)."""
        from evidence.bib import library as bib

        if not self._enabled or self._secret is None:
            return
        data, entries = bib.library_to_cache(library, problems)
        index, offset = {}, 0
        for ref_key, packed in entries:
            index[ref_key] = (offset, len(packed), hashlib.sha256(packed).digest())
            offset += len(packed)
        head = pickle.dumps({"key": key, "data": data, "index": index}, protocol=pickle.HIGHEST_PROTOCOL)
        size = len(head).to_bytes(8, "big")
        tag = seal(self._secret, LIBRARY_FILE, size + head)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            self._prune()
            with tempfile.NamedTemporaryFile("wb", dir=self.dir, delete=False, suffix=".tmp") as handle:
                handle.write(_LIBRARY_MAGIC + tag + size + head)
                for _key, packed in entries:
                    handle.write(packed)
            os.replace(handle.name, self.dir / LIBRARY_FILE)
        except OSError:  # a read-only checkout still builds, only slower
            return

    def remember_formatted(self, library: Library) -> None:
        """Keep what was formatted for the entries of this library (and drop the rest)."""
        from evidence.bib import library as bib

        fresh = bib.derived(library)
        merged = {fp: {**self._formatted.get(fp, {}), **values} for fp, values in fresh.items()}
        if merged != self._formatted:
            self._formatted = merged
            library.memo.reuse = merged
            self.save("formatted", merged)
        plain = library.memo.plain
        if len(plain) != self._plain_known:  # LaTeX decoded this run, for the next
            self._plain_known = len(plain)
            self.save("plain", {"style": bib.STYLE_KEY, "memo": plain})

    # -- claim files ---------------------------------------------------------------
    def claim(
        self, file: str, display: str, digest: str | None = None, positions: Positions | None = None
    ) -> ClaimResult:
        """`loader.load_claim`, unless this file had exactly these bytes before.

        `digest`: the `file_digest` of the file's bytes when the caller has just read them;
        `positions`: the load's memo for `LoadedClaim.where`.
        """
        from evidence.load import loader

        if not self._claims_old and not self._claims_new:
            for number in range(CLAIM_SHARDS):
                shard = self.load(_shard_name(number))
                if isinstance(shard, dict):
                    self._claims_old.update(shard)
        saved = self._claims_old.get(display)
        if digest is None or saved is None or saved[0] != digest:
            try:
                if os.stat(file).st_size > yamlsafe.MAX_BYTES:
                    return loader.load_claim(Path(file), display, positions)
                with open(file, "rb") as handle:
                    raw = handle.read()
            except OSError:
                return loader.load_claim(Path(file), display, positions)
            digest = file_digest(raw)
            if saved is None or saved[0] != digest:
                loaded, doc, problems = loader.claim_from_bytes(raw, file, display, positions)
                if doc is not None:  # an invalid claim: only its data is needed (what it cites)
                    doc = yamlsafe.Document(data=doc.data)
                saved = (digest, (loaded.claim if loaded else None, doc, problems))
                self._claims_changed.add(display)
        self._claims_new[display] = saved
        claim, doc, problems = saved[1]
        if claim is None:
            return None, doc, problems
        loaded = loader.LoadedClaim(claim, display, file=file, digest=digest, positions=positions)
        return loaded, None, problems

    def save_claims(self) -> None:
        """Keep the claims read in this run: rewrite each file that gained, changed or lost one."""
        gone = self._claims_old.keys() - self._claims_new.keys()
        stale = {_shard(display) for display in self._claims_changed | gone}
        if stale:
            shards: dict[str, dict[str, tuple[str, Saved]]] = {name: {} for name in stale}
            for display, saved in self._claims_new.items():
                shard = shards.get(_shard(display))
                if shard is not None:
                    shard[display] = saved
            for name, claims in sorted(shards.items()):
                self.save(name, claims)
        self._claims_old, self._claims_new, self._claims_changed = self._claims_new, {}, set()

    # -- the checked result of an unchanged project ---------------------------------
    def checked(self, fingerprint: str) -> tuple[list[Problem], set[str]] | None:
        """The problems and claim file ids a full load of inputs with this fingerprint found."""
        saved = self.load("checked")
        if not isinstance(saved, dict) or saved.get("fingerprint") != fingerprint:
            return None
        problems = [Problem(*row[:3], Severity(row[3]), *row[4:]) for row in saved["problems"]]
        return problems, set(saved["present"])

    def remember_checked(self, fingerprint: str, problems: list[Problem], present: set[str]) -> None:
        """Keep what `load_corpus` found (plain tuples: fast to read back) for `checked`."""
        rows = [(p.path, p.line, p.col, p.severity.value, p.message, p.rule, p.hint) for p in problems]
        self.save("checked", {"fingerprint": fingerprint, "problems": rows, "present": sorted(present)})
