"""The fixes a claim's schema errors carry: per kind of pydantic error, per claim-wide rule
of the model (placed at the field to change), and the characters that break an id.

`loader._problem` turns each validation error into a located problem with these.
"""

from __future__ import annotations

import re
import unicodedata

#: Claim-wide rules (the model's `_retirement_matches_status` and `_kind_has_its_fields`):
#: the fields each is placed at (the first present, else the last), the fix, and its rule id
#: when it is not `schema-invalid`.
WHOLE_CLAIM: dict[
    str, tuple[tuple[tuple[str, ...], ...], str] | tuple[tuple[tuple[str, ...], ...], str, str]
] = {
    "a finding needs a 'certainty'": (
        (("kind",), ("evidence",)),
        "add `certainty:` with `level:` and `reasons:`, or set `kind: definition` for a definition "
        "or description",
        "claim-kind-fields",
    ),
    "a recommendation carries no 'certainty'": (
        (("certainty",),),
        "delete the `certainty:` block; put the guideline's own grading in `recommendation.certainty`",
        "claim-kind-fields",
    ),
    "a definition carries no 'certainty'": (
        (("certainty",),),
        "delete the `certainty:` block: a definition or description is shown without a rating",
        "claim-kind-fields",
    ),
    "a recommendation needs": (
        (("kind",),),
        "add `recommendation:` with `body:`, `year:`, `direction: for|against` and `strength:`",
        "claim-kind-fields",
    ),
    "'recommendation' is set but": (
        (("recommendation",),),
        "set `kind: recommendation`, or delete the `recommendation:` block",
        "claim-kind-fields",
    ),
    "a definition carries no 'result'": (
        (("result",),),
        "delete `result:`, or make the claim a finding (delete `kind: definition`, add a certainty)",
        "claim-kind-fields",
    ),
    "a claim read in another document": (
        (("reported_in",),),
        "add `primary_check:` with `verdict: not-yet-checked`, or the verdict of your reading "
        "of the source (confirms, qualifies, contradicts, not-found)",
        "primary-check-missing",
    ),
    "'primary_check' is set but": (
        (("primary_check",),),
        "delete `primary_check:`: the claim was read in its source itself",
        "primary-check-missing",
    ),
    "a retired claim needs": (
        (("status",),),
        "add under the claim: `retired:` with `reason: <why>` and `date: YYYY-MM-DD`"
        " (and `superseded_by: <id>` if a claim replaces it), or set `status: active`",
    ),
    "'retired' is set but": ((("retired",),), "set `status: retired`, or delete the `retired:` block"),
    "'reported_in' equals": ((("reported_in",),), "delete the `reported_in:` line"),
}


def odd_characters(value: object) -> str:
    """Name the characters that break an id, so a look-alike (Cyrillic 'а') is visible."""
    if not isinstance(value, str):
        return ""
    odd = [ch for ch in dict.fromkeys(value) if not re.match(r"[a-z0-9-]", ch)]
    named = [f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')})" for ch in odd[:3]]
    return "; found " + ", ".join(named) if named else ""


HINTS = {
    "float_parsing": "write a plain number such as 37 or 2.5",
    "int_parsing": "write a whole number such as 2013",
    "int_type": "write a whole number (no decimals, no quotes)",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "enum": "use one of the values listed in the message",
    "string_type": "put the text in quotes",
    "bool_type": "write true or false",
    "literal_error": "use one of the values listed in the message",
}
