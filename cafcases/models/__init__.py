from .countries import Country
from .organisations import Organisation, OrganisationKind, Role, User
from .people import (
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Language,
    Person,
    ProtectionStatus,
    Sex,
)

__all__ = [
    "Country",
    "Identifier",
    "IdentifierKind",
    "IdentifierStatus",
    "Language",
    "Organisation",
    "OrganisationKind",
    "Person",
    "ProtectionStatus",
    "Role",
    "Sex",
    "User",
]
