"""Parsers for the values of an import row: each returns the clean value or raises ValueError with a French reason.

They run once per row of files of tens of thousands of rows, so the slow libraries get a fast path that gives the
same answer: French phone numbers are checked against phonenumbers' own metadata for France with one compiled
pattern (phonenumbers itself for anything else), and the domain half of an e-mail address is checked once per domain.
"""

import datetime
import functools
import re

import phonenumbers
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from cafcases.models import Benefit

MIN_BIRTH_YEAR = 1890  # the Person model's lower bound

_BIRTH_DATE = re.compile(r"(?:(?:([0-9]{1,2})/)?([0-9]{1,2})/)?([0-9]{4})")
_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def parse_birth_date(value, today):
    """``JJ/MM/AAAA``, ``MM/AAAA`` or ``AAAA`` → (year, month or None, day or None); no impossible or future date."""
    match = _BIRTH_DATE.fullmatch(value)
    if match is None:
        raise ValueError(
            _("Date de naissance « %(value)s » illisible : JJ/MM/AAAA, MM/AAAA ou AAAA attendu.") % {"value": value}
        )
    day, month, year = (int(part) if part else None for part in match.groups())
    if year < MIN_BIRTH_YEAR:
        raise ValueError(_("Année de naissance %(year)s antérieure à %(min)s.") % {"year": year, "min": MIN_BIRTH_YEAR})
    if month is not None and not 1 <= month <= 12:
        raise ValueError(_("La date de naissance « %(value)s » n'existe pas.") % {"value": value})
    if day is not None:
        try:
            full = datetime.date(year, month, day)
        except ValueError:
            raise ValueError(_("La date de naissance « %(value)s » n'existe pas.") % {"value": value}) from None
        future = full > today
    else:
        future = (year, month or 0) > (today.year, today.month if month else 0)
    if future:
        raise ValueError(_("La date de naissance « %(value)s » est dans le futur.") % {"value": value})
    return year, month, day


def parse_date(value, today):
    """``JJ/MM/AAAA`` → a date, not in the future."""
    match = _DATE.fullmatch(value)
    if match is None:
        raise ValueError(_("Date « %(value)s » illisible : JJ/MM/AAAA attendu.") % {"value": value})
    day, month, year = (int(part) for part in match.groups())
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        raise ValueError(_("La date « %(value)s » n'existe pas.") % {"value": value}) from None
    if date > today:
        raise ValueError(_("La date « %(value)s » est dans le futur.") % {"value": value})
    return date


def _french_pattern():
    """phonenumbers' validity rule for France as one pattern on the 9-digit national number.

    ``is_valid_number`` accepts a French national number that matches the general description and one of the
    number types (``_number_type_helper``); every French type has the single possible length 9, checked by the
    shape below.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("FR")
    types = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail")
    types += ("fixed_line", "mobile")
    patterns = [getattr(metadata, name) for name in types]
    alternatives = "|".join(f"(?:{desc.national_number_pattern})" for desc in patterns if desc is not None)
    general = metadata.general_desc.national_number_pattern
    return re.compile(f"(?=(?:{general})$)(?:{alternatives})")


_FRENCH_VALID = _french_pattern()
_PHONE_SEPARATORS = re.compile(r"[\s.\-]+")
# 0X XX XX XX XX, +33 X XX XX XX XX or 0033 X XX XX XX XX: the shapes of nearly every number in a CAF file.
_FRENCH_SHAPE = re.compile(r"(?:0|\+33|0033)([1-9][0-9]{8})")


@functools.lru_cache(maxsize=4096)
def _parse_other_phone(value):
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_phone(value):
    """A French or foreign phone number (region FR) → E.164, the storage format of the Person model."""
    match = _FRENCH_SHAPE.fullmatch(_PHONE_SEPARATORS.sub("", value))
    if match is not None:
        national = match.group(1)
        if _FRENCH_VALID.fullmatch(national):
            return "+33" + national
        raise ValueError(_("Téléphone invalide."))
    parsed = _parse_other_phone(value)
    if parsed is None:
        raise ValueError(_("Téléphone invalide."))
    return parsed


_EMAIL = EmailValidator()


@functools.lru_cache(maxsize=4096)
def _email_domain_is_valid(domain):
    return domain in _EMAIL.domain_allowlist or _EMAIL.validate_domain_part(domain)


def parse_email(value, max_length):
    """Django's EmailValidator, domain checked once per domain; the model field's maximum length too."""
    if len(value) > max_length or len(value) > 320 or "@" not in value:
        raise ValueError(_("Adresse électronique invalide."))
    user, domain = value.rsplit("@", 1)
    if not _EMAIL.user_regex.match(user) or not _email_domain_is_valid(domain):
        raise ValueError(_("Adresse électronique invalide."))
    return value


BENEFIT_CODES = frozenset(Benefit.values)


@functools.lru_cache(maxsize=1024)
def parse_benefits(value):
    """Comma-separated benefit codes → a sorted tuple of distinct codes; an unknown code is refused."""
    codes = {code.strip().lower() for code in value.split(",")} - {""}
    unknown = codes - BENEFIT_CODES
    if unknown:
        raise ValueError(
            _("Prestation(s) inconnue(s) : %(codes)s (codes admis : %(known)s).")
            % {"codes": ", ".join(sorted(unknown)), "known": ", ".join(Benefit.values)}
        )
    return tuple(sorted(codes))
