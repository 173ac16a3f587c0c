from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import cases, casework, countries, imports, organisations, people  # noqa: F401  (registers the ModelAdmins)

admin.site.site_header = _("cafcases — administration")
admin.site.site_title = _("cafcases")
admin.site.index_title = _("Administration des dossiers")
