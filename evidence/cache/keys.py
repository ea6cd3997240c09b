"""What makes a cache file current and trustworthy: the code version and this machine's secret.

`cache.py` unpickles only files whose HMAC-SHA256, under a secret kept outside every
project (the user's cache folder), matches: a commit cannot supply one (see its docstring).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import sys
import zlib
from importlib import metadata
from pathlib import Path

import platformdirs

#: Every pickle file ends with the HMAC-SHA256 of its name and bytes, then this marker
#: (at the end, so the file still opens with the pickle: tests read shards with pickle.load).
SEAL = b"evidence-hmac-sha256 1\n"
TAG = 32
#: Parsed claims are kept in this many files, by a hash of their path: an edit to one claim
#: rewrites one of them (0.15 MB for 10,000 claims), not all (9 MB, half a second).
CLAIM_SHARDS = 64
_LIBRARIES = ("pybtex", "latexcodec", "pydantic", "pydantic-core", "PyYAML", "Jinja2", "MarkupSafe")


def code_version() -> str:
    """Changes whenever this package's code or a library that parses or formats changes."""
    digest = hashlib.blake2b(digest_size=8)
    package = Path(__file__).resolve().parents[1]  # the evidence package, every subpackage
    for rel in source_files(package):
        data = (package / rel).read_bytes()
        digest.update(f"{rel}\0{len(data)}\0".encode() + data)
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:  # pragma: no cover - all are dependencies
            digest.update(name.encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def source_files(package: Path) -> list[str]:
    """Every file of the package (modules in sub-packages, templates, assets, schemas), wherever
    it lives, bar compiled bytecode: sorted relative paths."""
    found = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted({p.relative_to(package).as_posix() for p in found if p.suffix not in (".pyc", ".pyo")})


def secret_path() -> Path:
    """Where this machine's secret is kept: the user's cache folder, never a project."""
    return Path(platformdirs.user_cache_dir("evidence", appauthor=False)) / "secret"


def machine_secret() -> bytes | None:
    """The key of every cache file's HMAC, made on first use; None if it cannot be kept.

    Created 0600 and linked into place (two processes starting at once agree on one);
    a secret that is not a regular file of ours, private and 32 bytes, is not used.
    """
    path = secret_path()  # read again by each Cache (one small file): no process-wide memo
    try:
        return _read_secret(path)
    except FileNotFoundError:
        return _create_secret(path)
    except OSError:
        return None


def _read_secret(path: Path) -> bytes | None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        private = not info.st_mode & 0o077 and info.st_uid == getattr(os, "getuid", lambda: info.st_uid)()
        data = os.read(fd, TAG + 1)
    finally:
        os.close(fd)
    return data if stat.S_ISREG(info.st_mode) and private and len(data) == TAG else None


def _create_secret(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        scratch = path.with_name(f".secret-{os.getpid()}-{os.urandom(4).hex()}")
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, os.urandom(TAG))
        finally:
            os.close(fd)
        try:
            os.link(scratch, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(scratch)
        return _read_secret(path)
    except OSError:  # no writable home: no cache, but a build all the same
        return None


def seal(secret: bytes, name: str, payload: bytes) -> bytes:
    return hmac.digest(secret, name.encode() + b"\0" + payload, "sha256")


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file, never through a link (a FIFO or /dev/zero would hang)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError(f"{path} is not a regular file")
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    finally:
        os.close(fd)


def shard_name(number: int) -> str:
    return f"claims-{number:02x}"


def shard(display: str) -> str:
    """The file that keeps this claim file's entry: the same in every run."""
    return shard_name(zlib.crc32(display.encode("utf-8", "surrogateescape")) % CLAIM_SHARDS)
