from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "cafcases.audit"
    label = "audit"
    verbose_name = _("Journal des accès et historique")

    def ready(self):
        # The idle clock of a session starts at login (signal receiver), before any request loads the middleware.
        from cafcases.audit import middleware  # noqa: F401
