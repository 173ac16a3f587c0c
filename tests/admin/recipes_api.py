"""Admin recipes for the partner API: {model: (build(rows, related), [changelist filter query strings])}."""

import itertools

from cafcases.api.models import ApiClient
from cafcases.api.services import api_client_create
from tests.factories import OrganisationFactory

_names = itertools.count(1)


def build_api_clients(rows, related):
    """`rows` clients, national and of CAF and CPAM caisses."""
    clients = [
        api_client_create(
            name=f"Portail {next(_names)}",
            caisse=None if index % 3 == 0 else OrganisationFactory(cpam=index % 3 == 2),
            is_active=index % 4 != 3,
        )[0]
        for index in range(rows)
    ]
    return clients[0]


RECIPES = {
    ApiClient: (build_api_clients, ["is_active__exact=1", "caisse__kind__exact=CAF&q=Portail"]),
}
