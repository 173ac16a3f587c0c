"""Admin recipe for the people files uploaded in the admin (cafcases.admin.imports)."""

from django.core.files.base import ContentFile

from cafcases.models import ImportJob, ImportJobStatus
from tests.factories import OrganisationFactory, UserFactory


def build_import_jobs(rows, related):
    """`rows` jobs of one caisse, done or checked; the first one keeps `related` problems to show."""
    caisse = OrganisationFactory()
    user = UserFactory(organisation=caisse, supervisor=True)
    jobs = []
    for index in range(rows):
        job = ImportJob(
            caisse=caisse,
            created_by=user,
            confirmed_by=user if index % 2 else None,
            file_name=f"personnes-{index}.csv",
            status=ImportJobStatus.DONE if index % 2 else ImportJobStatus.CHECKED,
            rows_total=100,
            rows_processed=100,
            rows_rejected=related if index == 0 else 0,
            problems=[[line + 2, "", "nia", "Clé invalide."] for line in range(related)] if index == 0 else [],
            problems_count=related if index == 0 else 0,
        )
        job.file.save(job.file_name, ContentFile(b"nom_naissance;prenoms\n"), save=False)
        job.save()
        jobs.append(job)
    return jobs[0]


RECIPES = {ImportJob: (build_import_jobs, ["status__exact=checked", "in_background__exact=0"])}
