"""Parsing, validation and display of French social-security numbers.

The definitive NIR, the NIA (provisional number issued by the CPAM, first digit 7 or 8) and the CAF waiting number share
one format, ``S YY MM DD CCC OOO KK`` (DOMAIN.md, section "Number format"). python-stdnum's ``stdnum.fr.nir`` computes
the key correctly (2A/2B included) but accepts any first digit, any month and order 000: this module wraps it with the
stricter checks. It is pure Python: no database, no models.

Decisions:

- First digit 3 or 4 (the legacy "being registered" value) is refused: such numbers are never issued any more and none
  of our three kinds (NIR, NIA, CAF waiting number) uses them, so a 3 or a 4 is a typing mistake, not a number to store.
- Department 20 is accepted as the legacy code of Corsica: people born in Corsica before the 1976 split into 2A/2B may
  still carry 20. The year has no century, so "born before 1976" cannot be checked: 20 is accepted for any year.
- Overseas (97x/98x): the third digit is not checked against a list, because the list of overseas departments and
  collectivities has changed over time and old numbers must stay valid. With department 99 an unknown country code is
  not an error either (countries that no longer exist, such as the USSR, are missing from INSEE's current table).
- Masking (``SocialNumber.masked``, which is also what ``str()`` and ``repr()`` show): the sex/kind digit and the birth
  year stay visible, everything else is hidden, e.g. ``7 98 •• •• ••• ••• ••``. Together with the name this is enough
  for an agent to tell two numbers apart at a glance (and to see an NIA), while the hidden part — birth month, place of
  birth and order — is what identifies a person; the key is hidden too since it is derived from them. The mask has the
  same shape for every number, so it does not reveal an overseas birth through the grouping.

Errors raise ``django.core.exceptions.ValidationError`` with a French message and one of the codes ``length``,
``character``, ``sex``, ``month``, ``department``, ``order``, ``key``. Messages name the faulty field and its value but
never the whole number, because they may end up in logs.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.fr import nir

__all__ = [
    "SocialNumber",
    "build_number",
    "compute_key",
    "looks_like_number",
    "normalise_input",
    "parse_number",
]

# Whitespace of any kind (\s covers tabs, non-breaking and narrow non-breaking spaces), dots, and the hyphens and dashes
# that word processors substitute when a number is copied from a letter.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015]+")
# ASCII digits only: str.isdigit() would also accept "²" or Arabic-Indic digits, which int() or stdnum would mishandle.
_DIGITS = frozenset("0123456789")
_SHAPE = re.compile(r"[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}(?:[0-9]{2})?")
_SEX_BY_DIGIT = {"1": "M", "2": "F", "7": "M", "8": "F"}
_PROVISIONAL_DIGITS = frozenset("78")
_CORSICA = frozenset({"2A", "2B"})
_OVERSEAS = frozenset({"97", "98"})
_ABROAD = "99"
_FICTIVE_MONTH = "20"
# Same shape for every number, so that the grouping does not reveal an overseas birth.
_MASK = "•• •• ••• ••• ••"


def _is_digits(text: str) -> bool:
    """Tell whether text is made of ASCII digits only."""
    return bool(text) and all(char in _DIGITS for char in text)


def _month_is_valid(month: int) -> bool:
    """Tell whether a two-digit month field is a real, fictive (20–30, 50–99) or pseudo-fictive (31–42) month."""
    return 1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99


def _split_place(body: str) -> tuple[str, str]:
    """Return (department, commune) of a body: overseas departments take one digit from the commune."""
    head = body[5:7]
    if head in _OVERSEAS:
        return body[5:8], body[8:10]
    return head, body[7:10]


def _length_error(count: int, expected: str) -> ValidationError:
    """Build the error for a number of the wrong length."""
    message = _("Le numéro doit comporter %(expected)s caractères (ici %(count)s).")
    return ValidationError(message % {"expected": expected, "count": count}, code="length")


def _month_error(value: object) -> ValidationError:
    """Build the error for a month that does not exist."""
    return ValidationError(_("Le mois de naissance « %(value)s » n'existe pas.") % {"value": value}, code="month")


def _order_error(value: object) -> ValidationError:
    """Build the error for an order number out of range."""
    message = _("Le numéro d'ordre « %(value)s » n'est pas valide : il doit être compris entre 001 et 999.")
    return ValidationError(message % {"value": value}, code="order")


def _check_characters(number: str) -> None:
    """Refuse anything but digits, except 2A/2B in the department position."""
    for position, char in enumerate(number):
        if position in (5, 6):
            continue
        if char not in _DIGITS:
            message = _("Le caractère « %(char)s » en position %(position)s n'est pas un chiffre.")
            raise ValidationError(message % {"char": char, "position": position + 1}, code="character")
    department = number[5:7]
    if department not in _CORSICA and not _is_digits(department):
        message = _("Le département « %(value)s » n'est pas valide : seuls 2A et 2B peuvent contenir une lettre.")
        raise ValidationError(message % {"value": department}, code="character")


def _canonical(number: str) -> str:
    """Validate a normalised 13- or 15-character number and return it with its key."""
    if len(number) not in (13, 15):
        raise _length_error(len(number), "13 ou 15")
    _check_characters(number)
    body = number[:13]
    if body[0] not in _SEX_BY_DIGIT:
        message = _("Le premier chiffre doit être 1, 2, 7 ou 8 (ici %(value)s).")
        raise ValidationError(message % {"value": body[0]}, code="sex")
    if not _month_is_valid(int(body[3:5])):
        raise _month_error(body[3:5])
    head = body[5:7]
    # Characters are checked already: besides 01–95 and 2A/2B, 97/98 (overseas) and 99 (abroad) are valid; 00, 96 not.
    if head in ("00", "96"):
        message = _("Le département de naissance « %(value)s » n'existe pas.")
        raise ValidationError(message % {"value": head}, code="department")
    if body[10:13] == "000":
        raise _order_error(body[10:13])
    key = nir.calc_check_digits(body)
    if len(number) == 15 and number[13:] != key:
        message = _("La clé ne correspond pas au numéro (clé attendue : %(key)s).")
        raise ValidationError(message % {"key": key}, code="key")
    return body + key


def normalise_input(value: str) -> str:
    """Remove separators (spaces, tabs, non-breaking spaces, dots, hyphens) and upper-case, without validating."""
    return _SEPARATORS.sub("", value).upper()


def looks_like_number(value: str) -> bool:
    """Tell whether a search string has the shape of a number (13 or 15 characters) rather than of a name."""
    return _SHAPE.fullmatch(normalise_input(value)) is not None


def compute_key(body: str) -> str:
    """Return the 2-digit key of a 13-character body (2A/2B allowed, in either case)."""
    body = normalise_input(body)
    if len(body) != 13:
        raise _length_error(len(body), "13")
    _check_characters(body)
    return nir.calc_check_digits(body)


@dataclass(frozen=True, slots=True, repr=False)
class SocialNumber:
    """A validated NIR, NIA or CAF waiting number; build it with parse_number() or build_number()."""

    value: str  # canonical: 15 characters, key included, upper-case 2A/2B
    # The decoded parts are stored fields rather than properties: assigning any of them then raises
    # FrozenInstanceError (on Python 3.11 a frozen slotted dataclass raises a bare TypeError for non-field names).
    body: str = field(init=False, compare=False)
    key: str = field(init=False, compare=False)
    is_provisional: bool = field(init=False, compare=False)
    sex: str = field(init=False, compare=False)
    birth_year: str = field(init=False, compare=False)
    birth_month: int | None = field(init=False, compare=False)  # 1–12, None when the month is fictive
    department: str = field(init=False, compare=False)  # "33", "2A", "974", or "99" when born abroad
    country_code: str | None = field(init=False, compare=False)  # "99xxx" when born abroad
    commune: str = field(init=False, compare=False)  # 3 digits, 2 overseas, the country digits abroad
    order: str = field(init=False, compare=False)
    formatted: str = field(init=False, compare=False)
    masked: str = field(init=False, compare=False)  # see the module docstring for what it hides and why

    def __post_init__(self) -> None:
        # Direct construction (e.g. from a stored value) is validated too, so that no instance holds an invalid number.
        if _canonical(self.value) != self.value:
            raise ValueError("SocialNumber expects the canonical 15-character value: use parse_number().")
        self._decode()

    @classmethod
    def _of_canonical(cls, value: str) -> "SocialNumber":
        """The instance of a value ``_canonical()`` has just returned, without validating it a second time."""
        number = object.__new__(cls)
        object.__setattr__(number, "value", value)
        number._decode()
        return number

    def _decode(self) -> None:
        value = self.value
        month = int(value[3:5])
        department, commune = _split_place(value)
        parts = {
            "body": value[:13],
            "key": value[13:],
            "is_provisional": value[0] in _PROVISIONAL_DIGITS,
            "sex": _SEX_BY_DIGIT[value[0]],
            "birth_year": value[1:3],
            # Pseudo-fictive months 31–42 still encode the real month; fictive ones (20–30, 50–99) mean "unknown".
            "birth_month": month if month <= 12 else month - 30 if 31 <= month <= 42 else None,
            "department": department,
            "country_code": _ABROAD + commune if department == _ABROAD else None,
            "commune": commune,
            "order": value[10:13],
            "formatted": " ".join((value[0], value[1:3], value[3:5], department, commune, value[10:13], value[13:])),
            "masked": f"{value[0]} {value[1:3]} {_MASK}",
        }
        for name, part in parts.items():
            object.__setattr__(self, name, part)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"<SocialNumber {self.masked}>"


def parse_number(value: str) -> SocialNumber:
    """Validate a 15-character number or a 13-character body (separators and lower-case 2a/2b allowed)."""
    if not isinstance(value, str):
        raise TypeError("parse_number expects a str.")
    return SocialNumber._of_canonical(_canonical(normalise_input(value)))


def build_number(
    *,
    sex: str,
    birth_year: int,
    birth_month: int | None,
    place: str,
    order: int,
    provisional: bool = False,
) -> SocialNumber:
    """Build and validate a number from its parts (used by the CAF waiting-number generator)."""
    digits = {"M": ("1", "7"), "F": ("2", "8")}.get(sex)
    if digits is None:
        raise ValidationError(_("Le sexe doit être « M » ou « F » (ici « %(value)s »).") % {"value": sex}, code="sex")
    if birth_month is None:
        month = _FICTIVE_MONTH  # the first fictive month: the month of birth is unknown
    elif 1 <= birth_month <= 12:
        month = f"{birth_month:02d}"
    else:
        raise _month_error(birth_month)
    place = normalise_input(place)
    if len(place) != 5:
        message = _("Le lieu de naissance doit comporter 5 caractères (ici %(count)s).")
        raise ValidationError(message % {"count": len(place)}, code="department")
    if not 1 <= order <= 999:
        raise _order_error(order)
    kind = digits[1] if provisional else digits[0]
    return parse_number(f"{kind}{birth_year % 100:02d}{month}{place}{order:03d}")
