"""Admin plumbing for services: a refused change is shown on the form and nothing is saved."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from cafcases.services.cases import StaleCaseError

from .base import user_is_national


def may_supervise(user):
    """Supervisors and national administrators reassign cases and change their CPAM."""
    return user_is_national(user) or getattr(user, "is_supervisor", False)


def scope_to_cases(queryset, user, path="case"):
    """Rows of the cases the user's caisse sees (both caisses of a case see it throughout)."""
    if user_is_national(user):
        return queryset
    organisation = user.organisation
    if organisation is None:
        return queryset.none()
    side = "caf" if organisation.is_caf else "cpam"
    return queryset.filter(**{f"{path}__{side}": organisation.pk})


# --- Service errors shown on the form -----------------------------------------------------------------------------


class ServiceRefused(Exception):  # noqa: N818 (not an error of the code: a refusal to show to the agent)
    """A service refused a change while the admin saved: carries its ValidationError and the form it belongs to."""

    def __init__(self, error, prefix=None):
        super().__init__(error)
        self.errors = {prefix: error}


def with_refusals(form_class, request):
    """The form class, made to show the refusal the previous attempt at saving met (if any) as its own error."""
    refusals = getattr(request, "_cafcases_refusals", None)
    if not refusals:
        return form_class

    class RefusedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            error = refusals.get(self.prefix)
            if isinstance(error, StaleCaseError) and self.is_bound and "loaded_version" in self.fields:
                # The page now shows the case as it is: saving again applies the typed values to it.
                self.data = self.data.copy()
                self.data[self.add_prefix("loaded_version")] = str(self.instance.version)

        def clean(self):
            cleaned_data = super().clean()
            error = refusals.get(self.prefix)
            if error is not None:
                raise ValidationError(error.messages)
            return cleaned_data

    RefusedForm.__name__ = form_class.__name__
    return RefusedForm


class ServiceFormsMixin:
    """Saves through services; a service's refusal is shown on the form instead of a server error.

    The admin's change view runs in one transaction: a refusal raised while saving rolls back everything the save did,
    then the view runs again on the same POST, with the refusal attached to the form it concerns.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            request._cafcases_refusals = refused.errors
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form = type(form.__name__, (form,), {"user": request.user})
        return with_refusals(form, request)

    def save_related(self, request, form, formsets, change):
        # No many-to-many fields here: each inline saves through its service (or is read-only).
        for formset in formsets:
            formset.save_with_services(request)


class ServiceFormSet(BaseInlineFormSet):
    """An inline formset that never saves rows itself: ``save_row`` calls the service (read-only by default)."""

    def save_with_services(self, request):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.forms:
            if not form.has_changed() or (self.can_delete and self._should_delete_form(form)):
                continue
            try:
                saved = self.save_row(request, form)
            except ValidationError as error:
                raise ServiceRefused(error, form.prefix) from error
            if form.instance.pk and form in self.initial_forms:
                self.changed_objects.append((saved, form.changed_data))
            else:
                self.new_objects.append(saved)

    def save_row(self, request, form):
        raise NotImplementedError("read-only inline")


class ServiceInline(admin.TabularInline):
    extra = 0
    can_delete = False
    formset = ServiceFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_refusals(formset.form, request)
        return formset


class AddOnlyInline(ServiceInline):
    """Existing rows read-only, new rows saved by the service."""

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ServiceInline):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Inlines of the case ------------------------------------------------------------------------------------------
