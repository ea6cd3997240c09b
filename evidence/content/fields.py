"""The field types every claim model shares: ids, keys, bounded text and numbers, the word
limit of a quote, the strict base model, and the review block (a claim's and its primary
check's). The models themselves are in `model.py`, `results.py` and `claimkinds.py`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from evidence.content.files import ID_PATTERN, KEY_PATTERN
from evidence.core.textpolicy import BLANK_LOOKALIKES, visible_words

#: At most 30 words as a reader counts them (textpolicy.visible_words), so quotes stay
#: short (fair use, and honest).
QUOTE_MAX_WORDS = 30
#: No statistic a claim carries is this large; bigger is a typo or an attack (10**400 is inf).
MAX_MAGNITUDE = 1e15
_BLANKS = "".join(f"\\u{ord(ch):04x}" for ch in BLANK_LOOKALIKES)  # escaped: same in Python and JS
_GAP = rf"[\s{_BLANKS}]"
#: The word limit for editors (JSON Schema); the model counts with `visible_words`.
QUOTE_PATTERN = rf"^{_GAP}*[^{_GAP[1:-1]}]+({_GAP}+[^{_GAP[1:-1]}]+){{0,{QUOTE_MAX_WORDS - 1}}}{_GAP}*$"


def _finite(number: object) -> object:
    """Refuse inf, NaN and absurd magnitudes before the number is used: JSON has no Infinity,
    and no claim needs 1e300 (a 310-digit integer becomes inf as a float)."""
    if isinstance(number, bool) or not isinstance(number, int | float):
        return number  # the field's own type check names what is wrong
    try:
        size = abs(float(number))
    except OverflowError:
        size = math.inf
    if not size <= MAX_MAGNITUDE:  # NaN compares false
        if isinstance(number, int):
            digits = len(str(abs(number))) if number.bit_length() < 10_000 else "thousands of"
            shown = f"a number of {digits} digits"
        else:
            shown = f"{number:g}" if math.isfinite(number) else f"{number}"
        raise PydanticCustomError(
            "number_out_of_range",
            "{shown} is out of range: a statistic lies between -{limit} and {limit}",
            {"shown": shown, "limit": f"{MAX_MAGNITUDE:g}"},
        )
    return number


def short_quote(text: str) -> str:
    """Count words as a reader sees them: a quote joined with blank look-alikes is many words."""
    words = visible_words(text)
    if words == 0:
        raise PydanticCustomError("string_too_short", "quote has no words")
    if words > QUOTE_MAX_WORDS:
        raise PydanticCustomError(
            "quote_too_long",
            "quote has {words} words; the limit is {limit}",
            {"words": words, "limit": QUOTE_MAX_WORDS},
        )
    return text


ClaimId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Number = Annotated[float, BeforeValidator(_finite)]
BibKey = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
Count = Annotated[int, Field(ge=0, le=100_000_000, strict=True)]


class Strict(BaseModel):
    """Unknown fields are errors: a typo must never silently drop data."""

    # defer_build: validators are built when first needed; a warm build reads cached claims
    # and validates none, so it never pays for (or holds) them
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Review(Strict):
    date: dt.date = Field(description="When an editor last checked this claim against its sources.")
    by: ShortText = Field(description="Who reviewed it.")
