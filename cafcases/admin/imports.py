"""Uploading a people file in the admin: the add page uploads and checks it, the job's page shows the rejected rows
and the progress, and a button imports the checked file (cafcases.imports.jobs)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cafcases.imports.jobs import import_job_confirm, import_job_create
from cafcases.models import ImportJob, ImportJobStatus, Organisation

from .base import user_is_national

SHOWN_FIELDS = (
    "file_name",
    "caisse",
    "status",
    "in_background",
    "rows_total",
    "rows_processed",
    "rows_imported",
    "rows_present",
    "numbers_attached",
    "cases_opened",
    "rows_rejected",
    "problems_count",
    "message",
    "created_by",
    "created_at",
    "confirmed_by",
    "started_at",
    "finished_at",
)


class ImportJobForm(forms.ModelForm):
    class Meta:
        model = ImportJob
        fields = ["file", "caisse"]
        help_texts = {
            "file": gettext_lazy(
                "CSV en UTF-8, séparateur « ; » ou « , », avec la ligne des noms de colonnes (nom_naissance, prenoms, "
                "sexe, date_naissance, pays_naissance, nia…). Le fichier est d'abord vérifié : rien n'est importé "
                "avant votre confirmation."
            )
        }

    def clean_caisse(self):
        caisse = self.cleaned_data["caisse"]
        if caisse is not None and Organisation.objects.cpam_for_department(caisse.department) is None:
            raise forms.ValidationError(
                _("Aucune CPAM n'est enregistrée pour le département %(department)s.")
                % {"department": caisse.department}
            )
        return caisse


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    form = ImportJobForm
    list_display = ("created_at", "file_name", "caisse", "status", "rows_total", "rows_imported", "rows_rejected")
    list_filter = ("status", "in_background")
    list_select_related = ("caisse",)
    date_hierarchy = None
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("caisse", "created_by", "confirmed_by")
        if user_is_national(request.user):
            return queryset
        return queryset.filter(caisse_id=request.user.organisation_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "caisse":
            cafs = Organisation.objects.cafs()
            if not user_is_national(request.user):
                cafs = cafs.filter(pk=request.user.organisation_id)
            kwargs["queryset"] = cafs
            kwargs["initial"] = request.user.organisation_id
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        return ["file", "caisse"] if obj is None else list(SHOWN_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else SHOWN_FIELDS

    def has_change_permission(self, request, obj=None):
        return False  # a job is a record of what was imported: only its own actions move it

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        job = import_job_create(file=form.cleaned_data["file"], caisse=form.cleaned_data["caisse"], by=request.user)
        obj.pk = job.pk
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        if obj.status == ImportJobStatus.CHECKED:
            messages.info(request, _("Fichier vérifié : lisez les lignes rejetées, puis confirmez l'import."))
        elif obj.in_background:
            messages.info(
                request, _("Le fichier est long : il est vérifié en tâche de fond, cette page se met à jour.")
            )
        return HttpResponseRedirect(reverse("admin:cafcases_importjob_change", args=[obj.pk]))

    def get_urls(self):
        return [
            path(
                "<int:job_id>/confirmer/",
                self.admin_site.admin_view(self.confirm_view),
                name="cafcases_importjob_confirm",
            ),
            path(
                "<int:job_id>/rapport/", self.admin_site.admin_view(self.report_view), name="cafcases_importjob_report"
            ),
            *super().get_urls(),
        ]

    def _job(self, request, job_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = self.get_queryset(request).filter(pk=job_id).first()
        if job is None:
            raise Http404
        return job

    def confirm_view(self, request, job_id):
        return require_POST(self._confirm)(request, job_id)

    def _confirm(self, request, job_id):
        job = self._job(request, job_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if job.status != ImportJobStatus.CHECKED:
            messages.error(request, _("Ce fichier n'est pas (ou plus) en attente de confirmation."))
        else:
            job = import_job_confirm(job=job, by=request.user)
            if job.status == ImportJobStatus.DONE:
                messages.success(
                    request,
                    _("Import terminé : %(created)s personne(s) créée(s), %(rejected)s ligne(s) rejetée(s).")
                    % {"created": job.rows_imported, "rejected": job.rows_rejected},
                )
            elif job.status == ImportJobStatus.FAILED:
                messages.error(request, job.message)
            else:
                messages.info(request, _("Import lancé en tâche de fond : cette page se met à jour."))
        return HttpResponseRedirect(reverse("admin:cafcases_importjob_change", args=[job.pk]))

    def report_view(self, request, job_id):
        job = self._job(request, job_id)
        if not job.report:
            raise Http404
        return FileResponse(
            job.report.open("rb"),
            as_attachment=True,
            filename=f"rapport-import-{job.pk}.csv",
            content_type="text/csv; charset=utf-8",
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["job"] = obj
            context["may_confirm"] = obj.status == ImportJobStatus.CHECKED and self.has_add_permission(request)
        return super().render_change_form(request, context, add, change, form_url, obj)
