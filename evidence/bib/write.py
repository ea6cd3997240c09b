"""Plain text as BibTeX field values that read back as exactly that text.

BibTeX (and pybtex) count braces whatever precedes them: `\\}` ends a field as surely as
`}` does, so a title `x} , url = {https://evil.example/}` written with `\\}` becomes two
fields. Here no brace of the text is ever written as a brace: `{` and `}` are
`\\textbraceleft{}` and `\\textbraceright{}`, so every value we write is balanced by
construction, whatever it holds. The other characters LaTeX reads as markup are written as
the commands for themselves, and the ligatures a LaTeX reader would join (`--`, ``` `` ```,
`''`, `!``, `?``) are split by an empty group, so `evidence.bib.latex.convert` (and LaTeX)
read the value back as the text, white space runs aside (one space, as BibTeX shows them).
"""

from __future__ import annotations

import re
from urllib.parse import quote

#: LaTeX special characters and how a BibTeX value spells them (contributor text is data).
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    '"': '{"}',  # babel's shorthand character in German and other languages
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX))
#: Ligatures: `--`/`---` (dashes), quote pairs, Spanish `!``/`?``; an empty group splits them.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)")


def latex_escape(text: str) -> str:
    """Plain text as a BibTeX field value that reads back as the same text (white space
    runs as one space). The value has balanced braces whatever `text` holds."""
    plain = " ".join(text.split())
    return _LIGATURE.sub("{}", _LATEX_RE.sub(lambda m: _LATEX[m.group()], plain))


#: What a URL field holds as itself; the rest (braces, which BibTeX counts, `\`, `"`,
#: white space, anything not printable ASCII) is percent-encoded.
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


def url_value(url: str) -> str:
    """A URL for a `url` field (biblatex reads it verbatim): braces, backslash, quotes, white
    space and non-ASCII percent-encoded (UTF-8), an existing `%XX` kept as written."""
    return quote(url, safe=_URL_SAFE, errors="backslashreplace")
