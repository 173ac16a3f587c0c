"""The access log in the admin: national administrators browse it; nobody adds, changes or deletes a line."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from cafcases.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "purpose", "who", "person", "count", "ip_address"]
    list_filter = ["action", "purpose", "created_at"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "person"]
    search_fields = ["user__username", "api_client_name"]
    show_full_result_count = False
    fields = [
        "created_at",
        "action",
        "purpose",
        "user",
        "api_client_name",
        "person",
        "count",
        "ip_address",
        "detail",
    ]
    readonly_fields = fields

    @admin.display(description=_("par"))
    def who(self, obj):
        if obj.user_id:
            return obj.user.get_full_name() or obj.user.username
        return _("API : %(client)s") % {"client": obj.api_client_name}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdminMixin(SimpleHistoryAdmin):
    """The change history of an object (django-simple-history) behind the admin's "Historique" button, read-only.

    Reverting to an old version is refused: it would bypass the services, the workflow and their timeline.
    """

    object_history_list_template = "admin/audit/object_history_list.html"

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        # simple_history falls back on the last version of an object the user's queryset does not hold: an object
        # out of the user's caisse must stay out of reach, its past included.
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # as Django's own view
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise PermissionDenied


# django-otp's own admin shows the secret key and a QR code to whoever may change a device: replaced by a list where
# a superuser removes a lost device (its owner enrols again at the next login) and nobody reads a key.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
