"""A small, strict YAML reader for untrusted claim files, with a line for every value.

Built on PyYAML's event stream (its C parser where available) rather than a loader,
so nothing can construct objects: tags, anchors and aliases are refused, duplicate keys
are errors (PyYAML keeps the last one silently), and scalars follow the YAML 1.2 core
schema (``NO`` stays a string, ``0123`` is not octal). Dates stay strings; the schema
parses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

import yaml

from evidence.core import textpolicy

try:  # the C parser is several times faster; same events either way
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset(
    {
        "yaml-alias",
        "yaml-ambiguous-number",
        "yaml-anchor",
        "yaml-comment-in-text",
        "yaml-complex-key",
        "yaml-control-character",
        "yaml-directive",
        "yaml-duplicate-key",
        "yaml-invisible-character",
        "yaml-multiple-documents",
        "yaml-syntax",
        "yaml-tag",
        "yaml-too-deep",
        "yaml-too-large",
        "yaml-too-long",
    }
)

MAX_BYTES = 64 * 1024
MAX_DEPTH = 8
MAX_STRING = 4000

Path = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what PyYAML counts as a line break
#: What may follow a value on its line: ' # note' (blank, '#', a space) is a comment; '#1'
#: right after a closing quote or ' #1 cause' after plain text looks like text YAML cuts.
_COMMENT_AFTER = re.compile(r"[ \t]*#")
_REAL_COMMENT = re.compile(r"[ \t]+#([ \t].*)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class YamlProblem(Exception):
    """A YAML file that cannot be read safely; line and column are 1-based."""

    def __init__(self, message: str, line: int, col: int, rule: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.col, self.rule, self.hint = message, line, col, rule, hint


@dataclass
class Document:
    """Plain data plus where each value and key stands in the file."""

    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of the value at `path` (or its key), else of its nearest parent."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _scalar(event: yaml.ScalarEvent) -> Any:
    """YAML 1.2 core schema for plain scalars; quoted scalars are always strings."""
    text = event.value
    if len(text) > MAX_STRING:
        line, col = _pos(event.start_mark)
        raise YamlProblem(
            f"text is {len(text)} characters long; the limit is {MAX_STRING}",
            line,
            col,
            "yaml-too-long",
            "shorten it: claims carry a short statement, not an article",
        )
    bad = textpolicy.first_bad_character(text)
    if bad is not None:
        line, col = _pos(event.start_mark)
        raise YamlProblem(
            f"text contains {bad.describe()}",
            line,
            col,
            "yaml-invisible-character",
            textpolicy.HINT,
        )
    if not event.implicit[0] or event.tag == "!":  # quoted, block or '!'-tagged: text
        return text
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        digits = text.lstrip("+-")
        if len(digits) > 1 and digits.startswith("0"):
            line, col = _pos(event.start_mark)
            raise YamlProblem(
                f"'{text}' has a leading zero, which YAML versions read differently",
                line,
                col,
                "yaml-ambiguous-number",
                f'quote it ("{text}") if it is text, or drop the zero if it is a number',
            )
        return int(text)
    if _FLOAT.match(text) and any(ch.isdigit() for ch in text):
        if "e" in text.lower():  # YAML 1.1 reads 1e3 as text, YAML 1.2 as 1000.0
            line, col = _pos(event.start_mark)
            raise YamlProblem(
                f"'{text}' is a number to some YAML readers and text to others",
                line,
                col,
                "yaml-ambiguous-number",
                f'write the number out in digits, or quote it ("{text}") if it is text',
            )
        return float(text)
    return text


def _refuse_cut_text(event: yaml.ScalarEvent, lines: list[str]) -> None:
    """Text followed on its line by '#1' (or by '#' right after a closing quote): YAML drops
    the rest of the line as a comment, so the text is published cut short."""
    line, col = event.end_mark.line, event.end_mark.column
    text = lines[line] if line < len(lines) else ""
    if _COMMENT_AFTER.match(text, col) and not _REAL_COMMENT.match(text, col):  # no slice: O(1) per value
        _cut(line, text.index("#", col), text[col:])


def _comments_below(lines: list[str]) -> list[tuple[int, int]]:
    """For each line, (indent, line) of the most indented comment line in the run of comment
    and blank lines right below it ((-1, -1) when there is none): one pass, read per value."""
    below: list[tuple[int, int]] = [(-1, -1)] * len(lines)
    best = (-1, -1)
    for i in range(len(lines) - 1, -1, -1):
        below[i] = best
        stripped = lines[i].strip()
        if stripped.startswith("#"):
            if _indent(lines[i]) >= best[0]:  # ties: the upper line
                best = (_indent(lines[i]), i)
        elif stripped:
            best = (-1, -1)
    return below


def _refuse_cut_continuation(
    text: yaml.ScalarEvent, following: Any, lines: list[str], below: list[tuple[int, int]]
) -> None:
    """Plain text followed, before the next value, by a comment indented like a continuation
    of it (`#1 cause` on the next line): YAML ends the text there and drops the comment."""
    end, start = text.end_mark.line, text.start_mark.line
    deepest, at = below[end] if end < len(lines) else (-1, -1)
    if deepest < 0:  # the usual case: no comment right below
        return
    indent = _indent(lines[start])
    if deepest > indent and at < following.start_mark.line:
        _cut(at, deepest, lines[at])


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


def _cut(line: int, at: int, rest: str) -> None:
    """Raise for the comment at 0-based `line`, `at` its '#'."""
    dropped = rest.strip()[:40]
    raise YamlProblem(
        f"the text stops at '#': YAML reads '{dropped}' as a comment and drops it",
        line + 1,
        at + 1,
        "yaml-comment-in-text",
        "quote the whole text if the '#' belongs to it; a comment goes on a line of its own, "
        "indented no deeper than its key, as '# note'",
    )


def _refuse(event: Any, what: str, rule: str, hint: str) -> YamlProblem:
    line, col = _pos(event.start_mark)
    return YamlProblem(what, line, col, rule, hint)


def too_large(size: int) -> YamlProblem | None:
    """The refusal of a file of `size` bytes, if over the limit (the loader asks before
    reading a file, `read` after: one rule, one message)."""
    if size <= MAX_BYTES:
        return None
    return YamlProblem(
        f"file is {size} bytes; the limit is {MAX_BYTES}",
        1,
        1,
        "yaml-too-large",
        "a claim file holds one claim; split or shorten it",
    )


def read(text: str) -> Document:
    """Parse `text` into plain dicts, lists and scalars, or raise YamlProblem."""
    refused = too_large(len(text.encode("utf-8", "surrogatepass")))
    if refused is not None:
        raise refused
    doc = Document(data=None)
    lines = _BREAKS.split(text)
    below = _comments_below(lines)
    plain: yaml.ScalarEvent | None = None  # the last plain text value, until the next event
    # Stack entries: [container, path, pending key or None, key position]
    stack: list[list[Any]] = []
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if plain is not None:
                _refuse_cut_continuation(plain, event, lines, below)
                plain = None
            if isinstance(event, yaml.DocumentStartEvent):
                if event.version or event.tags:
                    raise _refuse(
                        event,
                        "YAML directives (%YAML, %TAG) are not allowed",
                        "yaml-directive",
                        "delete the line starting with '%': claim files are read as YAML 1.2",
                    )
                documents += 1
                if documents > 1:
                    raise _refuse(
                        event,
                        "more than one YAML document in the file",
                        "yaml-multiple-documents",
                        "remove the '---' separator: one claim per file",
                    )
                continue
            if isinstance(event, yaml.AliasEvent):
                raise _refuse(
                    event,
                    "YAML aliases (*name) are not allowed",
                    "yaml-alias",
                    "write the value out in full",
                )
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if event.anchor is not None:
                    raise _refuse(
                        event,
                        f"YAML anchors (&{event.anchor}) are not allowed",
                        "yaml-anchor",
                        "remove the anchor and write values out in full",
                    )
                explicit_tag = event.tag is not None and not (
                    isinstance(event, yaml.ScalarEvent) and event.implicit[0]
                )
                if explicit_tag and event.tag not in ("!", "tag:yaml.org,2002:str"):
                    raise _refuse(
                        event,
                        f"YAML tag '{event.tag}' is not allowed",
                        "yaml-tag",
                        "remove the tag; claim files hold plain text, numbers and dates",
                    )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    raise _refuse(
                        event,
                        "a key must be plain text, not a list or mapping",
                        "yaml-complex-key",
                        "write `name: value`; remove the '?' or the brackets around the key",
                    )
                if len(stack) >= MAX_DEPTH:
                    raise _refuse(
                        event,
                        f"nesting deeper than {MAX_DEPTH} levels",
                        "yaml-too-deep",
                        "claim files are at most a few levels deep; flatten the structure",
                    )
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                path = _attach(doc, stack, container, event)
                stack.append([container, path, None, None])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                top = stack[-1] if stack else None
                if top is not None and isinstance(top[0], dict) and top[2] is None:
                    _scalar(event)  # same limits as values
                    _refuse_cut_text(event, lines)
                    key = event.value  # as written: `null:` is the field 'null', not 'None'
                    if key in top[0]:
                        raise _refuse(
                            event,
                            f"duplicate key '{key}'",
                            "yaml-duplicate-key",
                            "each field appears once; delete or merge the repeated one",
                        )
                    top[2], top[3] = key, _pos(event.start_mark)
                    top[0][key] = None  # reserve, so a later duplicate is seen
                    continue
                value = _scalar(event)
                _refuse_cut_text(event, lines)
                if not event.style and event.value:
                    plain = event
                _attach(doc, stack, value, event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(
            f"YAML syntax error: {exc.problem or exc.context}",
            line,
            col,
            "yaml-syntax",
            "check indentation and quoting near this line; text with ': ' or '#' needs quotes",
        ) from None
    except yaml.reader.ReaderError as exc:  # characters YAML does not allow anywhere
        at = text.find(chr(exc.character))  # exc.position counts bytes with the C parser
        before = _BREAKS.split(text[: max(at, 0)])
        raise YamlProblem(
            f"the file contains the control character U+{exc.character:04X}",
            len(before),
            len(before[-1]) + 1,
            "yaml-control-character",
            "delete it: claim files hold printable text only",
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every other error carries a mark
        raise YamlProblem(f"cannot read YAML: {exc}", 1, 1, "yaml-syntax") from None
    return doc


def _attach(doc: Document, stack: list[list[Any]], value: Any, event: Any) -> Path:
    pos = _pos(event.start_mark)
    if not stack:
        doc.data = value
        doc.values[()] = pos
        return ()
    container, parent_path = stack[-1][0], stack[-1][1]
    if isinstance(container, dict):
        key = stack[-1][2]
        path = (*parent_path, key)
        container[key] = value
        doc.keys[path] = stack[-1][3]
        stack[-1][2] = None
    else:
        path = (*parent_path, len(container))
        container.append(value)
    doc.values[path] = pos
    return path
