"""Hypothesis strategies shared by the fuzz tests: numbers, near-numbers and hostile text."""

from hypothesis import strategies as st

from cafcases.identifiers import build_number

# What a hostile or clumsy client sends: SQL and HTML fragments, NUL bytes, bidi overrides, emoji, huge strings.
HOSTILE_STRINGS = [
    "",
    " ",
    "\x00",
    "1 85 03 33 063 123\x0010",
    "' OR '1'='1",
    "'; DROP TABLE cafcases_person; --",
    '" OR ""="',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "\u202e01 321 360 33 30 58 1",
    "١٨٥٠٣٣٣٠٦٣١٢٣١٠",  # Arabic-Indic digits
    "１８５０３３３０６３１２３１０",  # full-width digits
    "2a" * 40,
    "é" * 300,
    "\U0001f4a9" * 50,
    "\ud7ff\ue000\ufffd",
    "A" * 10_000,
    "1" * 100_000,
]

# Characters numbers are typed with, plus the separators parse_number strips and a few that it must refuse.
NUMBERISH = st.text(alphabet="0123456789 .-aAbB\u00a0\u202f\t", max_size=30)


@st.composite
def valid_numbers(draw):
    """A valid number of any kind, born in France, in Corsica, overseas or abroad."""
    place = draw(
        st.one_of(
            st.sampled_from(["33063", "2A004", "2B033", "97411", "75056", "99352", "99212", "99206", "20004"]),
            st.integers(min_value=99100, max_value=99999).map(str),
        )
    )
    return build_number(
        sex=draw(st.sampled_from(["M", "F"])),
        birth_year=draw(st.integers(min_value=1900, max_value=2099)),
        birth_month=draw(st.one_of(st.none(), st.integers(min_value=1, max_value=12))),
        place=place,
        order=draw(st.integers(min_value=1, max_value=999)),
        provisional=draw(st.booleans()),
    )


@st.composite
def near_numbers(draw):
    """A valid number with one character changed, dropped or added: what a typing mistake gives."""
    value = draw(valid_numbers()).value
    position = draw(st.integers(min_value=0, max_value=len(value) - 1))
    char = draw(st.sampled_from("0123456789ABZ "))
    edit = draw(st.sampled_from(["replace", "drop", "insert"]))
    if edit == "replace":
        return value[:position] + char + value[position + 1 :]
    if edit == "drop":
        return value[:position] + value[position + 1 :]
    return value[:position] + char + value[position:]


def hostile_text(max_size=200):
    return st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=max_size))


def echoes(message, value, width=5):
    """Whether the message quotes `width` consecutive characters of value (separators removed)."""
    compact = "".join(char for char in value if char not in " .-\u00a0\u202f\t")
    return any(compact[start : start + width] in message for start in range(len(compact) - width + 1))
