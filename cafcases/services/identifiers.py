"""Issuing numbers: the CAF waiting number generator."""

import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cafcases.identifiers import build_number, parse_number
from cafcases.models import Identifier, IdentifierKind, IdentifierStatus
from cafcases.models.people import FRANCE_CODE

# Concurrent agents pick random free orders, so a retry is rare; this bound only stops a pathological loop.
MAX_ATTEMPTS = 25


def waiting_number_place(person) -> str:
    """The 5-character place of birth of a waiting number: 99 + country abroad, the INSEE commune in France."""
    if person.birth_country_id and person.birth_country_id != FRANCE_CODE:
        return person.birth_country_id
    if person.birth_commune_code:
        return person.birth_commune_code
    raise ValidationError(
        _(
            "Le lieu de naissance est inconnu : renseignez le pays de naissance, ou le code INSEE de la commune "
            "pour une personne née en France, avant d'attribuer un numéro d'attente."
        ),
        code="birth_place",
    )


def _taken_orders(prefix: str) -> set[int]:
    # A range on the unique index (not LIKE), so that PostgreSQL serves it from the index whatever the collation.
    values = Identifier.objects.filter(value__range=(prefix + "00000", prefix + "99999")).values_list(
        "value", flat=True
    )
    return {int(value[10:13]) for value in values}


def identifier_issue_waiting_number(*, person, organisation, by) -> Identifier:
    """Create the person's CAF waiting number: never one already in the registry, never twice the same."""
    low, high = settings.CAF_WAITING_ORDER_RANGE
    place = waiting_number_place(person)
    for _attempt in range(MAX_ATTEMPTS):
        if Identifier.objects.filter(
            person=person, kind=IdentifierKind.CAF_WAITING, status=IdentifierStatus.ACTIVE
        ).exists():
            raise ValidationError(_("Cette personne a déjà un numéro d'attente CAF actif."), code="already_active")
        prefix = build_number(
            sex=person.sex, birth_year=person.birth_year, birth_month=person.birth_month, place=place, order=1
        ).body[:10]
        free = sorted(set(range(low, high + 1)) - _taken_orders(prefix))
        if not free:
            raise ValidationError(
                _(
                    "Plus aucun numéro d'attente libre pour cette date et ce lieu de naissance : "
                    "prévenez l'administrateur national."
                ),
                code="exhausted",
            )
        number = build_number(
            sex=person.sex,
            birth_year=person.birth_year,
            birth_month=person.birth_month,
            place=place,
            order=random.choice(free),
        )
        try:
            # A savepoint, so that losing a race to another agent leaves the caller's transaction usable.
            with transaction.atomic():
                return Identifier.objects.create(
                    person=person,
                    kind=IdentifierKind.CAF_WAITING,
                    value=number.value,
                    issuing_organisation=organisation,
                    issued_on=timezone.localdate(),
                    recorded_by=by,
                )
        except IntegrityError:
            continue
    raise ValidationError(
        _("Le numéro d'attente n'a pas pu être attribué, réessayez dans un instant."), code="contention"
    )


@transaction.atomic
def identifier_record_nir(*, person, nir, by, certified_on=None):
    """Record a certified NIR on the person and supersede their NIA and waiting number.

    Returns ``(identifier, created)``: recording the same NIR again changes nothing. A NIR held by anyone else, or a
    different NIR already certified for this person, is refused with a ValidationError naming the conflict.
    """
    number = parse_number(nir)
    if certified_on is not None and certified_on > timezone.localdate():
        raise ValidationError(_("La date de certification ne peut pas être dans le futur."), code="future")
    if number.is_provisional:
        raise ValidationError(
            _("Un NIR définitif commence par 1 ou 2 ; ce numéro commence par %(digit)s (NIA).")
            % {"digit": number.value[0]},
            code="provisional",
        )
    holder = Identifier.objects.filter(value=number.value).first()
    if holder is not None:
        if holder.person_id != person.pk:
            raise ValidationError(
                _("Conflit : ce NIR est déjà enregistré pour une autre personne (fiche n° %(person)s).")
                % {"person": holder.person_id},
                code="conflict",
            )
        if holder.kind != IdentifierKind.NIR:
            raise ValidationError(
                _("Conflit : ce numéro est déjà le %(kind)s de cette personne, pas un NIR certifié.")
                % {"kind": holder.get_kind_display()},
                code="conflict",
            )
        return holder, False
    if Identifier.objects.filter(person=person, kind=IdentifierKind.NIR, status=IdentifierStatus.ACTIVE).exists():
        raise ValidationError(
            _("Conflit : cette personne a déjà un autre NIR certifié actif."),
            code="conflict",
        )
    now = timezone.now()
    Identifier.objects.filter(
        person=person,
        kind__in=[IdentifierKind.NIA, IdentifierKind.CAF_WAITING],
        status=IdentifierStatus.ACTIVE,
    ).update(status=IdentifierStatus.SUPERSEDED, superseded_at=now)
    try:
        with transaction.atomic():
            identifier = Identifier.objects.create(
                person=person,
                kind=IdentifierKind.NIR,
                value=number.value,
                issued_on=certified_on or timezone.localdate(),
                certified_on=certified_on or timezone.localdate(),
                recorded_by=by,
            )
    except IntegrityError as error:  # another agent recorded the same NIR for someone else at this instant
        raise ValidationError(
            _("Conflit : ce NIR vient d'être enregistré pour une autre personne."), code="conflict"
        ) from error
    return identifier, True
