"""The partner API (django-ninja): resolve any number a person ever held to what they should log in with now.

Numbers travel in request bodies only, never in URLs (they would end up in access logs). Every authenticated call is
written to the access log (décret 2019-341): who asked, for which person, and the outcome, never the number itself.
"""

import logging
import math

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from cafcases.audit.services import access_log_record
from cafcases.identifiers import parse_number
from cafcases.models import CaseStatus, IdentifierKind, IdentifierStatus

from .models import ApiClient
from .services import api_client_authenticate, identifier_resolve

logger = logging.getLogger(__name__)

LOG_ACTION = "api"
LOG_PURPOSE = "resolution"
NUMBER_MAX_LENGTH = 64  # a 15-character number with generous separators; longer is not a number


class ClientToken(HttpBearer):
    """Authorization: Bearer <token>, checked against the stored digests (cafcases.api.services)."""

    def authenticate(self, request, token):
        return api_client_authenticate(token)


class ClientRateThrottle(SimpleRateThrottle):
    """At most settings.API_RATE_LIMIT calls per client (e.g. "120/m"), counted in the default cache."""

    scope = "api_client"

    def __init__(self):
        super().__init__(rate=settings.API_RATE_LIMIT)

    def allow_request(self, request):
        # Read again on every call: the API object lives as long as the process, the setting may be overridden.
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        client = getattr(request, "auth", None)
        if not isinstance(client, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}


api = NinjaAPI(
    title="cafcases — API des partenaires",
    version="1",
    description=(
        "Résolution des numéros de sécurité sociale (NIA, numéro d'attente CAF, NIR) pour les systèmes partenaires, "
        "par exemple le portail de connexion de la CAF. Un jeton par client, créé dans l'administration, envoyé dans "
        "l'en-tête `Authorization: Bearer <jeton>`. Les numéros voyagent dans le corps des requêtes, jamais dans "
        "l'adresse. Chaque appel est inscrit au journal des accès."
    ),
    urls_namespace="api-v1",
    auth=ClientToken(),
    throttle=[ClientRateThrottle()],
    docs_url=None,  # the interactive page loads scripts from a CDN, which the CSP refuses; the schema is enough
)


class ResolveIn(Schema):
    number: str = Field(
        ...,
        max_length=NUMBER_MAX_LENGTH,
        description="Un NIA, un numéro d'attente CAF ou un NIR : 13 caractères (sans clé) ou 15 (avec la clé), "
        "espaces, points et tirets acceptés, 2A/2B en minuscules ou majuscules.",
        examples=["1 85 03 33 063 123 10"],
    )


class ResolveOut(Schema):
    number: str = Field(
        ...,
        description="Le numéro demandé sous sa forme canonique : 15 caractères sans séparateur, clé incluse, "
        "2A/2B en majuscules (par exemple 185033306312310).",
        examples=["185033306312310"],
    )
    kind: IdentifierKind = Field(..., description="NIA, CAF_WAITING (numéro d'attente CAF) ou NIR (définitif).")
    status: IdentifierStatus = Field(..., description="active, superseded (remplacé) ou revoked (révoqué).")
    use_number: str | None = Field(
        ...,
        description="Le numéro avec lequel la personne doit se connecter maintenant, forme canonique : son NIR "
        "certifié, sinon son numéro d'attente CAF actif, sinon null.",
    )
    case_status: CaseStatus | None = Field(
        ...,
        description="L'étape (Case.status) du dossier ouvert de la personne, sinon de son dernier dossier, sinon null.",
    )


class ErrorOut(Schema):
    detail: str = Field(..., description="Message en français ; il ne contient jamais le numéro.")


def _log(request, *, detail, person=None):
    """Write the call to the access log, when a client is known (an unknown token has nobody to account for)."""
    client = getattr(request, "auth", None)
    if isinstance(client, ApiClient):
        access_log_record(
            action=LOG_ACTION,
            purpose=LOG_PURPOSE,
            request=request,
            api_client_name=client.name,
            person=person,
            detail=detail,
        )


def _error(request, status, message):
    return api.create_response(request, {"detail": str(message)}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    logger.warning("Appel de l'API refusé : jeton absent, inconnu ou désactivé.")
    response = _error(
        request, 401, _("Jeton absent, inconnu ou désactivé : envoyez « Authorization: Bearer <jeton> ».")
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def _throttled(request, exc):
    wait = max(1, math.ceil(exc.wait or 1))
    _log(request, detail="refusé : trop de requêtes")
    message = _("Trop de requêtes pour ce client : réessayez dans %(seconds)s secondes.") % {"seconds": wait}
    response = _error(request, 429, message)
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(ValidationError)
def _invalid_body(request, exc):
    # ninja's own messages would quote the input: a number, in the worst case. Ours says what is expected.
    _log(request, detail="refusé : corps de requête invalide")
    return _error(request, 400, _('Corps de requête invalide : un objet JSON {"number": "…"} est attendu.'))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400:  # ninja could not read the body as JSON
        return _invalid_body(request, exc)
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, _("Adresse inconnue."))


@api.post(
    "/identifiers/resolve",
    response={200: ResolveOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Résoudre un numéro",
    description=(
        "Quel numéro cette personne doit-elle utiliser ? Pour tout numéro qu'elle a détenu (NIA, numéro d'attente CAF "
        "ou NIR, même remplacé), répond le numéro sous forme canonique, son type, son statut, le numéro de connexion "
        "à utiliser maintenant et l'étape de son dossier. 404 si le numéro est inconnu ou hors du périmètre de la "
        "caisse du client (les deux cas ne se distinguent pas) ; 400 si le numéro est mal formé ; 401 sans jeton "
        "valide ; 429 au-delà du débit permis."
    ),
    operation_id="identifiers_resolve",
    tags=["numéros"],
)
def identifiers_resolve(request, payload: ResolveIn):
    client = request.auth
    try:
        number = parse_number(payload.number)
    except DjangoValidationError as error:
        _log(request, detail="refusé : numéro mal formé")
        return Status(400, {"detail": " ".join(error.messages)})
    resolution = identifier_resolve(number=number, client=client)
    if resolution is None:
        _log(request, detail="inconnu ou hors périmètre")
        return Status(404, {"detail": _("Numéro inconnu.")})
    identifier = resolution.identifier
    _log(request, detail="résolu", person=identifier.person)
    return Status(
        200,
        {
            "number": identifier.value,
            "kind": identifier.kind,
            "status": identifier.status,
            "use_number": resolution.use_number,
            "case_status": resolution.case_status,
        },
    )
