"""Letters from the screens: the case page's button, the queue's selection (at once or in the background)."""

import pytest
from django.urls import reverse

from cafcases.letters.services import letter_batch_create, letter_batch_run
from cafcases.models import Case, ContactAttempt, Language, LetterBatch, LetterBatchStatus, Role
from tests.factories import UserFactory

from .conftest import addressed_case, pdf_pages

pytestmark = pytest.mark.django_db


def download(client, batch, kind):
    response = client.get(reverse("letter_batch_file", args=[batch.pk, kind]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_case_page_offers_a_letter_and_the_button_produces_it(client, caf):
    case = addressed_case(caf, birth_name="Benali", first_names="Amina", language=Language.ENGLISH)
    agent = UserFactory(organisation=caf)
    client.force_login(agent)

    page = client.get(reverse("case_detail", args=[case.pk]))
    assert reverse("case_letter", args=[case.pk]) in page.content.decode()
    response = client.post(reverse("case_letter", args=[case.pk]))

    batch = LetterBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("letter_batch", args=[batch.pk])
    assert (batch.status, batch.letters_done, batch.created_by) == (LetterBatchStatus.DONE, 1, agent)
    pages = pdf_pages(download(client, batch, "pdf"))
    assert len(pages) == 1 and "Ms Amina BENALI" in pages[0] and "Book an appointment" in pages[0]
    assert download(client, batch, "csv").decode("utf-8-sig").splitlines()[1].startswith(f"{case.pk};")
    contact = ContactAttempt.objects.get(case=case)
    assert (contact.channel, contact.outcome, contact.by) == ("letter", "sent", agent)
    shown = client.get(response.url)
    assert "Télécharger les courriers (PDF)" in shown.content.decode()
    assert "Refresh" not in shown


def test_no_letter_for_another_caisse_case(client, caf):
    case = addressed_case(caf)
    client.force_login(UserFactory())

    assert client.post(reverse("case_letter", args=[case.pk])).status_code == 404
    assert not LetterBatch.objects.exists()


def test_a_batch_of_another_caisse_is_out_of_reach(client, caf):
    case = addressed_case(caf)
    batch = letter_batch_run(
        batch=letter_batch_create(caisse=caf, by=None, cases=Case.objects.filter(pk=case.pk), description="x")
    )
    client.force_login(UserFactory())

    assert client.get(reverse("letter_batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("letter_batch_file", args=[batch.pk, "pdf"])).status_code == 404


def test_a_case_without_address_gets_no_letter(client, caf):
    case = addressed_case(caf, address="")
    client.force_login(UserFactory(organisation=caf))

    response = client.post(reverse("case_letter", args=[case.pk]), follow=True)

    assert "n'a d'adresse postale" in " ".join(str(message) for message in response.context["messages"])
    assert not ContactAttempt.objects.exists() and not LetterBatch.objects.exists()


def test_letters_to_the_queue_selection_at_once(client, caf):
    cases = [addressed_case(caf) for _ in range(3)]
    Case.objects.filter(pk=cases[0].pk).update(status="documents_requested")
    client.force_login(UserFactory(organisation=caf, role=Role.SUPERVISOR))

    response = client.post(reverse("queue_letters") + "?onglet=tous&statut=nia_only")

    batch = LetterBatch.objects.get()
    assert response.url == reverse("letter_batch", args=[batch.pk])
    assert not batch.in_background and batch.status == LetterBatchStatus.DONE
    assert sorted(batch.case_ids) == sorted(case.pk for case in cases[1:])
    assert len(pdf_pages(download(client, batch, "pdf"))) == 2
    assert ContactAttempt.objects.filter(channel="letter").count() == 2


def test_a_big_selection_runs_in_the_background(client, caf, settings, django_capture_on_commit_callbacks):
    settings.LETTERS_INLINE_MAX = 2
    cases = [addressed_case(caf) for _ in range(4)]
    client.force_login(UserFactory(organisation=caf, role=Role.SUPERVISOR))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("queue_letters") + "?onglet=tous")

    assert len(callbacks) == 1  # the task, queued once the batch is saved
    batch = LetterBatch.objects.get()
    assert batch.in_background
    assert (batch.status, batch.letters_total, batch.letters_done) == (LetterBatchStatus.DONE, 4, 4)
    assert batch.started_at and batch.finished_at
    assert len(pdf_pages(download(client, batch, "pdf"))) == len(cases)


def test_a_running_batch_page_refreshes_itself(client, caf):
    case = addressed_case(caf)
    batch = letter_batch_create(caisse=caf, by=None, cases=Case.objects.filter(pk=case.pk), description="x")
    client.force_login(UserFactory(organisation=caf))

    response = client.get(reverse("letter_batch", args=[batch.pk]))

    assert response["Refresh"] == "3"
    assert "<progress" in response.content.decode()


def test_agents_cannot_write_to_a_whole_selection(client, caf):
    addressed_case(caf)
    client.force_login(UserFactory(organisation=caf))

    assert client.post(reverse("queue_letters") + "?onglet=tous").status_code == 403


def test_running_a_batch_twice_writes_once(caf):
    case = addressed_case(caf)
    batch = letter_batch_create(caisse=caf, by=None, cases=Case.objects.filter(pk=case.pk), description="x")

    letter_batch_run(batch=batch)
    letter_batch_run(batch=batch)

    assert ContactAttempt.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("letters", [1, 5])
def test_the_batch_page_queries_do_not_grow(client, caf, django_assert_max_num_queries, letters):
    cases = Case.objects.filter(pk__in=[addressed_case(caf).pk for _ in range(letters)])
    batch = letter_batch_run(batch=letter_batch_create(caisse=caf, by=None, cases=cases, description="x"))
    client.force_login(UserFactory(organisation=caf))

    with django_assert_max_num_queries(7):
        assert client.get(reverse("letter_batch", args=[batch.pk])).status_code == 200
