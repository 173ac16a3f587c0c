"""Uploading a people file in the admin: checked first with the rejected rows shown, imported on confirmation;
big files in the background with their progress; scoped to the user's caisse."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cafcases.imports.jobs import JobProgress
from cafcases.models import Case, ImportJob, ImportJobStatus, Person, Role
from tests.factories import OrganisationFactory, UserFactory

from .conftest import DATA

pytestmark = pytest.mark.django_db
ADD = reverse("admin:cafcases_importjob_add")


def upload(client, caisse, path=DATA / "people_invalid.csv"):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv"), "caisse": caisse.pk}
    return client.post(ADD, data)


@pytest.fixture
def supervisor(caf):
    return UserFactory(organisation=caf, role=Role.SUPERVISOR)


def test_upload_shows_the_errors_then_confirm_imports(client, caf, supervisor):
    client.force_login(supervisor)

    response = upload(client, caf)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:cafcases_importjob_change", args=[job.pk])
    assert job.status == ImportJobStatus.CHECKED and not job.in_background
    assert job.rows_rejected > 0 and job.problems and not Person.objects.exists()  # checked, nothing written
    page = client.get(response.url).content.decode()
    line, _key, column, reason = job.problems[0]
    assert f"<td>{line}</td>" in page and f"<td>{column}</td>" in page
    assert reverse("admin:cafcases_importjob_report", args=[job.pk]) in page
    assert reverse("admin:cafcases_importjob_confirm", args=[job.pk]) in page
    report = client.get(reverse("admin:cafcases_importjob_report", args=[job.pk]))
    report_lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert report_lines[0] == "ligne;numero_allocataire;colonne;motif"
    assert len(report_lines) == job.problems_count + 1

    response = client.post(reverse("admin:cafcases_importjob_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportJobStatus.DONE and job.confirmed_by == supervisor
    assert job.rows_imported == Person.objects.count() == Case.objects.filter(caf=caf).count() > 0
    assert job.rows_processed == job.rows_total
    assert job.started_at and job.finished_at
    # Confirming twice does not import twice.
    client.post(reverse("admin:cafcases_importjob_confirm", args=[job.pk]))
    assert Person.objects.count() == job.rows_imported


def test_the_same_people_as_the_command(client, caf, supervisor, tmp_path):
    client.force_login(supervisor)
    upload(client, caf, DATA / "people_valid.csv")
    job = ImportJob.objects.get()

    client.post(reverse("admin:cafcases_importjob_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert (job.rows_total, job.rows_imported, job.rows_rejected, job.problems) == (6, 6, 0, [])
    assert Case.objects.filter(caf=caf).count() == 6
    assert "Import du fichier « people_valid.csv »." in Case.objects.first().events.get().comment


def test_a_big_file_runs_in_the_background(client, caf, supervisor, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_ROWS = 2
    client.force_login(supervisor)

    with django_capture_on_commit_callbacks(execute=True) as checks:
        upload(client, caf, DATA / "people_valid.csv")
    job = ImportJob.objects.get()
    assert len(checks) == 1 and job.in_background
    assert job.status == ImportJobStatus.CHECKED and job.rows_processed == job.rows_total == 6

    with django_capture_on_commit_callbacks(execute=True) as imports:
        client.post(reverse("admin:cafcases_importjob_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert len(imports) == 1
    assert job.status == ImportJobStatus.DONE and job.rows_imported == 6
    assert Person.objects.count() == 6


def test_a_queued_job_page_refreshes_and_shows_the_progress(client, caf, supervisor, settings):
    settings.IMPORT_INLINE_MAX_ROWS = 2
    client.force_login(supervisor)
    upload(client, caf, DATA / "people_valid.csv")  # queued: the task runs only after the commit
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.CHECKING, rows_processed=3, rows_total=6)

    page = client.get(reverse("admin:cafcases_importjob_change", args=[job.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="3">' in page
    assert '<progress class="import-job__bar" max="100" value="50">' in page


def test_progress_is_written_on_the_job(caf, supervisor):
    job = ImportJob.objects.create(caisse=caf, created_by=supervisor, status=ImportJobStatus.IMPORTING)
    progress = JobProgress(job, 68000)
    progress.update(1000)
    progress.finish(68000)
    # Through a side connection on PostgreSQL (visible to the page during the run), nothing elsewhere: either way
    # the run stores its final counts itself.
    job.refresh_from_db()
    assert job.rows_processed in (0, 68000)


def test_a_file_that_cannot_be_read_fails_with_its_reason(client, caf, supervisor):
    client.force_login(supervisor)

    upload(client, caf, DATA / "people_latin1.csv")

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert "UTF-8" in job.message
    assert reverse("admin:cafcases_importjob_confirm", args=[job.pk]) not in client.get(
        reverse("admin:cafcases_importjob_change", args=[job.pk])
    ).content.decode("utf-8")


def test_another_caisse_is_refused(client, caf, supervisor):
    other = OrganisationFactory()
    OrganisationFactory(cpam=True, department=other.department)
    client.force_login(supervisor)

    response = upload(client, other)

    assert response.status_code == 200  # the form again, with the error
    assert "caisse" in response.context["adminform"].form.errors
    assert not ImportJob.objects.exists()


def test_another_caisse_job_is_out_of_reach(client, caf, supervisor):
    client.force_login(supervisor)
    upload(client, caf)
    job = ImportJob.objects.get()
    other = OrganisationFactory()
    client.force_login(UserFactory(organisation=other, role=Role.SUPERVISOR))

    assert client.get(reverse("admin:cafcases_importjob_change", args=[job.pk])).status_code == 302
    assert client.post(reverse("admin:cafcases_importjob_confirm", args=[job.pk])).status_code == 404
    assert client.get(reverse("admin:cafcases_importjob_report", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CHECKED


def test_a_national_admin_imports_into_any_caf(client, caf):
    client.force_login(UserFactory(national_admin=True))

    upload(client, caf, DATA / "people_valid.csv")

    assert ImportJob.objects.get().status == ImportJobStatus.CHECKED


def test_agents_cannot_upload(client, caf):
    client.force_login(UserFactory(organisation=caf))

    assert client.get(ADD).status_code == 403
    assert upload(client, caf).status_code == 403
    assert not ImportJob.objects.exists()
