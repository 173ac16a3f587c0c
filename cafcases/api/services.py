"""Partner tokens (created, renewed, checked) and the resolution of a number for a partner system."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from cafcases.identifiers import SocialNumber
from cafcases.models import Case, CaseStatus, Identifier, IdentifierKind, IdentifierStatus

from .models import ApiClient

TOKEN_SCHEME = "cafc"  # a recognisable start lets secret scanners spot a leaked token
_PREFIX_BYTES = 6
_SECRET_BYTES = 32


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    """(prefix, token): the token carries 256 random bits, so one SHA-256 is enough (no salt, no slow hash)."""
    prefix = secrets.token_hex(_PREFIX_BYTES)
    return prefix, f"{TOKEN_SCHEME}_{prefix}.{secrets.token_urlsafe(_SECRET_BYTES)}"


def token_assign(client) -> str:
    """Give the client (saved or not) a new token's prefix and digest; return the token in clear, stored nowhere."""
    prefix, token = _new_token()
    client.token_prefix, client.token_hash = prefix, _digest(token)
    return token


@transaction.atomic
def api_client_create(*, name, caisse=None, is_active=True) -> tuple[ApiClient, str]:
    """Create a client and return it with its token in clear: show it once."""
    client = ApiClient(name=name, caisse=caisse, is_active=is_active)
    token = token_assign(client)
    client.save()
    return client, token


@transaction.atomic
def api_client_renew_token(*, client) -> tuple[ApiClient, str]:
    """Replace the client's token (the old one stops working at once) and return the new one in clear."""
    token = token_assign(client)
    client.save(update_fields=["token_prefix", "token_hash"])
    return client, token


def api_client_authenticate(token: str) -> ApiClient | None:
    """The active client holding this token, else None; records when it was last used."""
    scheme, _sep, rest = (token or "").partition("_")
    prefix, dot, _secret = rest.partition(".")
    if scheme != TOKEN_SCHEME or not dot or len(prefix) != _PREFIX_BYTES * 2:
        return None
    client = ApiClient.objects.active().select_related("caisse").filter(token_prefix=prefix).first()
    # Constant-time comparison of the digests, so that timing does not tell how much of a guess was right.
    if client is None or not hmac.compare_digest(client.token_hash, _digest(token)):
        return None
    client.last_used_at = timezone.now()
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=client.last_used_at)
    return client


@dataclass(frozen=True)
class Resolution:
    identifier: Identifier
    use_number: str | None
    case_status: str | None


def _use_number(identifiers) -> str | None:
    """What the person logs in with now: the certified NIR, else the active CAF waiting number."""
    for kind in (IdentifierKind.NIR, IdentifierKind.CAF_WAITING):
        for identifier in identifiers:
            if identifier.kind == kind and identifier.status == IdentifierStatus.ACTIVE:
                return identifier.value
    return None


def _case_status(person_id) -> str | None:
    """The status of the person's open case, else of their latest one, else None."""
    closed_last = models.Case(models.When(status=CaseStatus.CLOSED, then=1), default=0)
    return (
        Case.objects.filter(person_id=person_id)
        .order_by(closed_last, "-opened_at", "-pk")
        .values_list("status", flat=True)
        .first()
    )


def identifier_resolve(*, number: SocialNumber, client: ApiClient) -> Resolution | None:
    """Find the number among those the client may see (None otherwise: unknown and out of scope look the same)."""
    # One query brings every number of the person holding this one, the queried one among them.
    queryset = Identifier.objects.filter(person__identifiers__value=number.value)
    if not client.is_national:
        queryset = queryset.filter(person__in=client.visible_people())
    identifiers = list(queryset.select_related("person").order_by("-created_at", "-pk"))
    queried = next((identifier for identifier in identifiers if identifier.value == number.value), None)
    if queried is None:
        return None
    return Resolution(
        identifier=queried, use_number=_use_number(identifiers), case_status=_case_status(queried.person_id)
    )
