"""Text folding for searches: accent- and case-insensitive keys that a plain B-tree index can serve."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def search_key(value: str) -> str:
    """Fold a name to lower-case ASCII words separated by single spaces ("Éléonore-Ça" → "eleonore ca")."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_ALNUM.sub(" ", ascii_only.casefold().replace("ß", "ss").replace("œ", "oe").replace("æ", "ae")).strip()
