"""Problems found in content: collected, sorted and reported together, never one at a time."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

from evidence.core.textpolicy import log_line, printable


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file, and how to fix it."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    rule: str
    hint: str = ""

    def format(self) -> str:
        """`path:line:col: error: message [rule]`, then the hint; each one line, whatever the
        path or the message quotes (a file name holding a newline cannot forge a line), with
        no control character, and never starting with `::` (`textpolicy.log_line`)."""
        where = f"{self.path}:{self.line}:{self.col}"
        text = log_line(f"{where}: {self.severity.value}: {self.message} [{self.rule}]")
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def error(path: str, line: int, col: int, message: str, rule: str, hint: str = "") -> Problem:
    return Problem(path, line, col, Severity.error, message, rule, hint)


def warning(path: str, line: int, col: int, message: str, rule: str, hint: str = "") -> Problem:
    return Problem(path, line, col, Severity.warning, message, rule, hint)
