"""Which characters contributor text may hold, for every input (YAML, BibTeX, file names).

One policy, so a claim title, a `reviewed.by`, a BibTeX field and a file name refuse the
same things: controls and characters that hide, reverse or disguise what a reader sees
("Trojan Source" bidi controls, zero-width and tag characters, blank look-alikes). A few
invisible characters that real text needs are allowed by name (`ALLOWED_INVISIBLE`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Invisible characters that real text needs: joiners inside emoji sequences and in
#: Persian or Indic scripts. Everything else that renders as nothing is refused.
ALLOWED_INVISIBLE = frozenset({"\u200c", "\u200d"})  # ZERO WIDTH NON-JOINER, ZERO WIDTH JOINER

#: Characters that show as blank although they are not white space (a quote "joined" with
#: them would look like 50 words and count as one).
BLANK_LOOKALIKES = "\u115f\u1160\u2800\u3164\uffa0"

_FORBIDDEN = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (tab and newline aside), DEL, C1
    "\u00ad\u034f\u061c\u180e"  # soft hyphen, grapheme joiner, Arabic letter mark, Mongolian vowel sep.
    "\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"  # zero width, bidi marks/controls
    "\ufeff\ufff9-\ufffb"  # BOM inside text, interlinear annotation
    "\U000e0000-\U000e007f"  # tag characters
    "\ud800-\udfff"  # lone surrogates (XML 1.0 cannot carry them either)
    "\ufdd0-\ufdef"  # noncharacters; then U+xFFFE and U+xFFFF of every plane (U+FFFF is not XML)
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + BLANK_LOOKALIKES
    + "]"
)
_WORD_GAP = re.compile(rf"[\s{BLANK_LOOKALIKES}]+")


@dataclass(frozen=True)
class BadCharacter:
    """A refused character and where it stands in the text (0-based index)."""

    index: int
    char: str

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def name(self) -> str:
        return unicodedata.name(self.char, "unnamed control or format character")

    def describe(self) -> str:
        """`U+202E RIGHT-TO-LEFT OVERRIDE at character 12`: enough to find and delete it."""
        return f"{self.code} {self.name} at character {self.index + 1}"


def first_bad_character(text: str) -> BadCharacter | None:
    """The first character of `text` that the policy refuses, or None.

    Beyond the explicit list, any other format character (Unicode category Cf) is refused
    too, so a new invisible character in a later Unicode version is not let through.
    """
    found = _FORBIDDEN.search(text)
    first = found.start() if found else len(text)
    if text.isascii():
        return BadCharacter(first, text[first]) if found else None
    for i, ch in enumerate(text[:first]):
        if ch >= "\u0600" and ch not in ALLOWED_INVISIBLE and unicodedata.category(ch) == "Cf":
            return BadCharacter(i, ch)
    return BadCharacter(first, text[first]) if found else None


HINT = "delete it: control, invisible and text-direction characters can hide or disguise what readers see"


def visible_words(text: str) -> int:
    """Words as a reader counts them: runs of visible characters between gaps."""
    return len([w for w in _WORD_GAP.split(text) if w])


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` safe to print in a terminal or CI log: every character Python does not call
    printable (C0 and C1 controls such as ESC and BEL, line and paragraph separators, bidi
    and other format characters, surrogates, private-use and unassigned code points) is
    shown as a visible escape (`\\u001b`, `\\u202e`), so a file name can neither split a line
    nor move the cursor, recolour the terminal or reverse what follows. See `log_line`."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


#: What GitHub's runner reads as a workflow command or log marker at the start of a line,
#: after leading white space (`::error …`, `::add-mask::…`, `##[group]`).
_COMMAND_START = re.compile(r"^( *+)(::|##\[)", re.MULTILINE)  # after `printable`: no other blank


def log_line(text: str) -> str:
    """A whole line (or lines) we print, made from contributor text: `printable` applied to
    everything, then a line that would begin with `::` or `##[` (a GitHub Actions workflow
    command) gets a visible prefix, `\\ `, so it is shown rather than obeyed.

    Only for text that holds no line break of our own; `Problem.format` calls it per line."""
    return _COMMAND_START.sub(r"\1\\ \2", printable(text))


_JSON_UNPRINTABLE = re.compile(r"[^\n\x20-\x7e]")


def printable_json(text: str) -> str:
    """JSON text (as `json.dumps` writes it) with every character `printable` would escape
    written as a JSON `\\uXXXX` escape (a surrogate pair above U+FFFF): the same data for a
    JSON reader, nothing a terminal obeys for a person reading it."""

    def escape(match: re.Match[str]) -> str:
        ch = match.group()
        if ch.isprintable():
            return ch
        code = ord(ch)
        if code < 0x10000:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 | code >> 10:04x}\\u{0xDC00 | code & 0x3FF:04x}"

    return _JSON_UNPRINTABLE.sub(escape, text)


#: Letters of other scripts that look like Latin ones (Cyrillic, Greek): a key spelled only
#: in them reads as a Latin key it is not.
_LATIN_LOOKALIKES = frozenset(
    "аеорсухіјѕԁԛԝһӏԍвкмнтАВЕКМНОРСТХІЈЅԌԚԜ"  # Cyrillic
    "αοικνρτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"  # Greek
)
#: Scripts that are written together (Japanese, Chinese, Korean with Latin), as Unicode's
#: "highly restrictive" profile (UTS #39) allows.
_MIXABLE = frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"})


def _script(ch: str) -> str:
    return unicodedata.name(ch, "UNNAMED").split()[0]


def _named(ch: str) -> str:
    return f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')})"


def lookalike(text: str) -> str | None:
    """Why `text` (an identifier: a BibTeX key) could pass for another, or None. Claim ids
    are ASCII by their pattern; a key may use any script, but not a compatibility form
    (`ａ`, `𝐚`, `ﬁ`), letters of two scripts that are not written together (a Cyrillic `е`
    in a Latin key), or only Cyrillic or Greek letters that all look Latin (`ерос`)."""
    if text.isascii():
        return None
    for ch in text:
        if ch.isascii():
            continue
        if (plain := unicodedata.normalize("NFKC", ch)) != ch:
            return f"uses {_named(ch)}, a compatibility form of '{plain}'"
    letters = [ch for ch in text if ch.isalpha()]
    scripts = dict.fromkeys(_script(ch) for ch in letters)
    odd = [s for s in scripts if s not in _MIXABLE]
    if odd and len(scripts) > 1:
        first = next(ch for ch in letters if _script(ch) == odd[0])
        return f"mixes {' and '.join(s.title() for s in scripts)} letters: {_named(first)}"
    if odd and all(ch in _LATIN_LOOKALIKES for ch in letters):
        return f"is spelled only in {odd[0].title()} letters that look Latin: {_named(letters[0])}"
    return None
