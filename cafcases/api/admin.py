"""Partner clients in the admin: the token is shown once, on the page that follows its creation or renewal."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApiClient
from .services import api_client_renew_token, token_assign

TOKEN_TEMPLATE = "api/token_created.html"


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "caisse", "is_active", "token_prefix", "created_at", "last_used_at"]
    list_filter = ["is_active", "caisse__kind"]
    list_select_related = ["caisse"]
    search_fields = ["name"]
    autocomplete_fields = ["caisse"]
    fields = ["name", "caisse", "is_active", "token_prefix", "created_at", "last_used_at"]
    readonly_fields = ["token_prefix", "created_at", "last_used_at"]
    actions = ["renew_token"]

    def save_model(self, request, obj, form, change):
        if not change:
            # Kept on the request for response_add only: the token in clear never reaches the database or a cookie.
            request._api_token = token_assign(obj)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        token = getattr(request, "_api_token", None)
        if token is None:
            return super().response_add(request, obj, post_url_continue)
        return self._token_page(request, obj, token)

    @admin.action(description=gettext_lazy("Renouveler le jeton (l'ancien cesse de fonctionner)"))
    def renew_token(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Renouvelez le jeton d'un seul client à la fois."), messages.ERROR)
            return None
        client, token = api_client_renew_token(client=queryset.get())
        return self._token_page(request, client, token)

    def _token_page(self, request, client, token):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "client": client,
            "token": token,
            "title": _("Jeton du client « %(name)s »") % {"name": client.name},
        }
        # The admin's views send "Cache-Control: no-store": no proxy or disk cache keeps the page with the token.
        return TemplateResponse(request, TOKEN_TEMPLATE, context)
