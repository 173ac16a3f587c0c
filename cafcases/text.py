"""Text folding for searches: accent- and case-insensitive keys that a plain B-tree index can serve."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSABLE = str.maketrans(
    {"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t", "ð": "d", "þ": "th", "ß": "ss", "œ": "oe", "æ": "ae"}
)


def search_key(value: str) -> str:
    """Fold a name to lower-case ASCII words separated by single spaces ("Éléonore-Ça" → "eleonore ca")."""
    decomposed = unicodedata.normalize("NFKD", (value or "").casefold().translate(_UNDECOMPOSABLE))
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_ALNUM.sub(" ", ascii_only).strip()
