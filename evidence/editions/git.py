"""The one way this package runs git, with one failure rule.

Git runs without a shell, with each argument passed as one, never prompting and in the C
locale. Every failure (git missing, not a repository, a bad revision, a timeout) raises
`GitError` carrying git's own stderr; a caller for which no git means "no history" (the
edition of a build) catches it, explicitly, where that is the right answer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

TIMEOUT = 120


class GitError(Exception):
    """Git is missing, the folder is not a repository, or a command failed; `stderr` is git's."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


def executable() -> str:
    """The git program; GitError when there is none (a message of its own, not 'not a repository')."""
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed (or not on PATH)")
    return exe


def run_bytes(args: Sequence[str], cwd: Path) -> bytes:
    """git's stdout for `git -C cwd <args>`, as bytes (an archive); GitError on any failure."""
    exe = executable()
    command = " ".join(args)
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run([exe, "-C", str(cwd), *args], capture_output=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise GitError(f"`git {command}` took longer than {TIMEOUT} s") from None
    except OSError as exc:
        raise GitError(f"`git {command}` could not run: {exc}") from None
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace").strip()
        last = stderr.splitlines()[-1] if stderr else "no message"
        raise GitError(f"`git {command}` failed: {last}", stderr)
    return done.stdout


def run(args: Sequence[str], cwd: Path) -> str:
    """git's stdout as text, exactly as printed (callers strip what they need)."""
    return run_bytes(args, cwd).decode("utf-8", "replace")


def attempt(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`git -C cwd <args>` whose failure the caller reads itself (returncode, stdout, stderr as
    text); GitError only when git is missing or cannot start."""
    exe = executable()
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(
            [exe, "-C", str(cwd), *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"`git {' '.join(args)}` took longer than {TIMEOUT} s") from None
    except OSError as exc:
        raise GitError(f"`git {' '.join(args)}` could not run: {exc}") from None


def shown(args: Sequence[str], cwd: Path) -> int:
    """`git -C cwd <args>` printing to this terminal (a push, which may ask for credentials);
    its exit status. GitError only when git is missing or cannot start."""
    exe = executable()
    try:
        return subprocess.run([exe, "-C", str(cwd), *args], check=False).returncode
    except OSError as exc:
        raise GitError(f"`git {' '.join(args)}` could not run: {exc}") from None
