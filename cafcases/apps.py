from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CafcasesConfig(AppConfig):
    name = "cafcases"
    verbose_name = _("Régularisation des numéros de sécurité sociale")
