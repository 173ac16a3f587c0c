"""Authorization matrix: every URL of the resolver × role × caisse (own object, another caisse's object).

The URLs are read from the resolver (the admin's included), so a new URL is covered the day it is added: a URL with
no entry in the registries below fails ``test_every_url_has_an_entry``. What is checked:

- anonymous: sent to the login page (the admin's for the admin), or 401 for the API;
- a role the URL is not for: 403;
- a role it is for: its own caisse's object answers (no 403, 404, 405 or 5xx); another caisse's object answers 404 on
  the workspace, and exactly what a non-existent id answers in the admin (which redirects to its index rather than
  answering 404): in both cases nothing tells that the object exists. National administrators see every caisse.

POST-only views are asked with GET first and POSTed an empty form when they answer 405: refusals come before form
validation, and an allowed user gets a form error (400) or a redirect, which the test accepts.
"""

import dataclasses
import re
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cafcases.models import (
    CaseStatus,
    IdentifierKind,
    ImportJob,
    ImportJobStatus,
    LetterBatch,
    LetterBatchStatus,
    User,
)
from cafcases.services import chase_add, contact_record, note_add
from tests.admin.helpers import RECIPES
from tests.views.helpers import make_world, open_case

ROLES = ["caf_agent", "caf_supervisor", "cpam_agent", "cpam_supervisor", "national_admin"]
STAFF = frozenset(ROLES)
SUPERVISORS = frozenset({"caf_supervisor", "cpam_supervisor", "national_admin"})
# The test case is sent for certification: the CPAM acts (moves, assignment), the CAF watches.
ACTING_SIDE = frozenset({"cpam_agent", "cpam_supervisor", "national_admin"})
MISSING_ID = 987_654_321
REPORT = b"ligne;colonne;motif\n"


# ---------------------------------------------------------------------------------------------------------------------
# The URLs, from the resolver


def walk(patterns, prefix="", namespace=None):
    """(key, route) of every pattern: the key is the namespaced name, or the route for an unnamed pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name or route, route


ALL_URLS = dict(walk(get_resolver().url_patterns))

# Open to anyone by design; each says why. They are fuzzed with hostile input in tests/fuzz/.
PUBLIC = {
    "health": "load balancers' health check, touches no data",
    "": "redirects to the queue, which asks to log in",
    "login": "the login page",
    "logout": "logging out",
    "admin:login": "the admin's login page",
    "admin:logout": "logging out of the admin",
    "api-v1:openapi-json": "the API's public description (no data)",
    "api-v1:api-root": "the API's root (no page: the interactive docs are off)",
    "notifications:delivery_report": "providers' delivery reports, authenticated by their HMAC signature",
    "booking:public_start": "public booking (no account)",
    "booking:set_language": "public booking: language switch",
    "booking:public_motifs": "public booking",
    "booking:public_slots": "public booking",
    "booking:public_book": "public booking",
    "booking:public_confirmation": "public booking: a signed token is the credential",
    "booking:manage": "public booking: a signed token is the credential",
    "booking:manage_move": "public booking: a signed token is the credential",
}


# ---------------------------------------------------------------------------------------------------------------------
# Workspace, agenda, letters, API: one entry per URL


@dataclasses.dataclass(frozen=True)
class Entry:
    """How to ask a URL: its kwargs for an asker and a side (own / other), and who may use it."""

    kwargs: Callable | None = None  # kwargs(objects, asker) -> dict, objects being the own or the other caisse's
    allowed: frozenset = STAFF
    scoped: bool = False  # the kwargs carry a caisse's object: another caisse's answers 404
    api: bool = False  # token-authenticated: 401 for anyone without a token, session or not


def case_kwargs(**extra):
    return lambda objects, asker: {"pk": objects.case.pk, **{key: value(objects) for key, value in extra.items()}}


def by_asker(attribute):
    """The object of the asker's own organisation (sites and letter batches belong to one caisse, CAF or CPAM)."""
    return lambda objects, asker: {"pk": getattr(objects, attribute)[asker]}


ENTRIES = {
    "password_change": Entry(),
    "password_change_done": Entry(),
    "queue": Entry(),
    "take_next": Entry(),
    "bulk_assign": Entry(allowed=SUPERVISORS),
    "search": Entry(),
    "queue_export": Entry(kwargs=lambda objects, asker: {"fmt": "csv"}, allowed=SUPERVISORS),
    "case_detail": Entry(kwargs=case_kwargs(), scoped=True),
    "case_move": Entry(
        kwargs=case_kwargs(move_name=lambda o: "mark_awaiting_country"), allowed=ACTING_SIDE, scoped=True
    ),
    "case_contact": Entry(kwargs=case_kwargs(), scoped=True),
    "case_note": Entry(kwargs=case_kwargs(), scoped=True),
    "case_document": Entry(kwargs=case_kwargs(document_pk=lambda o: o.document.pk), scoped=True),
    "case_chase": Entry(kwargs=case_kwargs(request_pk=lambda o: o.request.pk), scoped=True),
    "case_answer": Entry(kwargs=case_kwargs(request_pk=lambda o: o.request.pk), scoped=True),
    "case_assign": Entry(kwargs=case_kwargs(), allowed=ACTING_SIDE, scoped=True),
    "case_unassign": Entry(kwargs=case_kwargs(), allowed=ACTING_SIDE, scoped=True),
    "case_reveal": Entry(kwargs=case_kwargs(identifier_pk=lambda o: o.identifier.pk), scoped=True),
    "case_letter": Entry(kwargs=case_kwargs(), scoped=True),
    "queue_letters": Entry(allowed=SUPERVISORS),
    "letter_batch": Entry(kwargs=lambda objects, asker: {"batch_id": objects.batches[asker]}, scoped=True),
    "letter_batch_file": Entry(
        kwargs=lambda objects, asker: {"batch_id": objects.batches[asker], "kind": "csv"},
        scoped=True,
    ),
    "dashboard": Entry(allowed=SUPERVISORS),
    "dashboard_export": Entry(kwargs=lambda objects, asker: {"table": "etapes", "fmt": "csv"}, allowed=SUPERVISORS),
    "api-v1:identifiers_resolve": Entry(api=True),
    # The second factor's pages (cafcases.audit): after the password, before the rest.
    "otp_verify": Entry(),
    "otp_enrol": Entry(),
    "booking:agenda": Entry(),
    "booking:to_record": Entry(),
    "booking:site_agenda": Entry(kwargs=by_asker("sites"), scoped=True),
    "booking:appointment": Entry(kwargs=by_asker("appointments"), scoped=True),
    "booking:appointment_attendance": Entry(kwargs=by_asker("appointments"), scoped=True),
    "booking:appointment_cancel": Entry(kwargs=by_asker("appointments"), scoped=True),
    "booking:appointment_link": Entry(kwargs=by_asker("appointments"), scoped=True),
    "booking:book_for_case": Entry(kwargs=case_kwargs(), scoped=True),
    "booking:book_for_person": Entry(kwargs=lambda objects, asker: {"pk": objects.case.person_id}, scoped=True),
}


# ---------------------------------------------------------------------------------------------------------------------
# The admin: generic for every registered model, explicit for the rest

ADMIN_MODEL_VIEWS = {
    # view: (permission the roles must grant, whether it takes an object id)
    "changelist": ("view", False),
    "add": ("add", False),
    "change": ("view", True),  # the change page shows read-only to whoever may view
    "history": ("view", True),
    "delete": ("delete", True),
    "search": (None, False),  # the POST search (cafcases.admin.base): redirects to the changelist
    "move": ("change", True),  # a case's move form (cafcases.admin.case_moves)
    "password_change": ("change", True),  # a user's password (Django's UserAdmin; named auth_user_…)
    "simple_history": ("view", True),  # one past version (django-simple-history): object id and version id
    "report": ("view", True),  # an import job's report (cafcases.admin.imports)
    "confirm": ("add", True),  # confirming an import job (cafcases.admin.imports)
}
# Views whose object id is not called object_id.
ADMIN_ID_KWARG = {"password_change": "id", "report": "job_id", "confirm": "job_id"}
# Caisse-owned models: the admin shows a caisse's staff their caisse's rows only. Each builds the own or the other
# caisse's object for an asker. Models not listed here must be in ADMIN_UNSCOPED (which says why), or the test fails.
ADMIN_SCOPED = {
    "cafcases.person": lambda objects, asker: objects.case.person,
    "cafcases.identifier": lambda objects, asker: objects.identifier,
    "cafcases.case": lambda objects, asker: objects.case,
    "cafcases.caseevent": lambda objects, asker: objects.case.events.first(),
    "cafcases.casedocument": lambda objects, asker: objects.document,
    "cafcases.certificationrequest": lambda objects, asker: objects.request,
    "cafcases.chase": lambda objects, asker: objects.chase,
    "cafcases.contactattempt": lambda objects, asker: objects.contact,
    "cafcases.casenote": lambda objects, asker: objects.note,
    "cafcases.user": lambda objects, asker: objects.colleagues[asker],
    "notifications.message": lambda objects, asker: objects.message,
    "booking.site": lambda objects, asker: objects.site_objects[asker],
    "booking.counter": lambda objects, asker: objects.site_objects[asker].counters.first(),
    "booking.openingperiod": lambda objects, asker: objects.site_objects[asker].periods.first(),
    "booking.closure": lambda objects, asker: objects.closures[asker],
    "booking.appointment": lambda objects, asker: objects.appointment_objects[asker],
    "cafcases.importjob": lambda objects, asker: objects.import_jobs[asker],
}
ADMIN_UNSCOPED = {
    "auth.group": "roles' groups: the same for every caisse",
    "cafcases.country": "INSEE's reference table",
    "cafcases.organisation": "the list of caisses is public knowledge",
    "django_tasks_database.dbtaskresult": "background tasks: superusers only",
    "booking.motif": "appointment reasons are national",
    "audit.accesslog": "national administrators only; its lines name no caisse",
    "api.apiclient": "partner tokens: superusers only",
    "otp_totp.totpdevice": "second-factor devices: superusers only",
}
# Other admin URLs: the site's own pages, open to any staff member once logged in.
ADMIN_SITE_PAGES = {
    "admin:index": lambda objects: {},
    "admin:password_change": lambda objects: {},
    "admin:password_change_done": lambda objects: {},
    "admin:jsi18n": lambda objects: {},
    "admin:autocomplete": lambda objects: {},  # refuses (403) without a model and field in the query string
    "admin:app_list": lambda objects: {"app_label": "cafcases"},
}
ADMIN_OTHER = {
    "admin:view_on_site": "checked in test_admin_view_on_site_reveals_nothing",
    "admin/(?P<url>.*)$": "the admin's catch-all: login for anonymous, 404 otherwise (test_admin_catch_all)",
}
ADMIN_OBJECT_REDIRECT = re.compile(r"^admin/(\w+)/(\w+)/<path:object_id>/$")  # Django's /<id>/ → /<id>/change/


def registered_models():
    return {model._meta.label_lower: model for model in admin.site._registry}


def admin_model_view(key):
    """(model label, view) of an admin URL name such as admin:booking_site_change, else None."""
    if not key.startswith("admin:"):
        return None
    name = key.removeprefix("admin:")
    if name == "auth_user_password_change":
        return settings.AUTH_USER_MODEL.lower(), "password_change"
    for label, model in registered_models().items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix) and name.removeprefix(prefix) in ADMIN_MODEL_VIEWS:
            return label, name.removeprefix(prefix)
    return None


def test_every_url_has_an_entry():
    missing = []
    for key, route in ALL_URLS.items():
        known = (
            key in PUBLIC
            or key in ENTRIES
            or key in ADMIN_SITE_PAGES
            or key in ADMIN_OTHER
            or ADMIN_OBJECT_REDIRECT.match(route)
            or admin_model_view(key)
        )
        if not known:
            missing.append(f"{key} ({route})")
    assert not missing, (
        "URLs without an entry in tests/security/test_authorization_matrix.py (add one to ENTRIES, or to PUBLIC "
        f"with the reason it is open): {missing}"
    )
    models = set(registered_models())
    unlisted = models - set(ADMIN_SCOPED) - set(ADMIN_UNSCOPED)
    assert not unlisted, f"admin models neither in ADMIN_SCOPED nor in ADMIN_UNSCOPED: {sorted(unlisted)}"


def test_the_registries_name_only_existing_urls():
    keys = set(ALL_URLS)
    stale = (set(ENTRIES) | set(PUBLIC) | set(ADMIN_SITE_PAGES)) - keys
    assert not stale, f"entries for URLs that no longer exist: {sorted(stale)}"


# ---------------------------------------------------------------------------------------------------------------------
# The data: two departments, each with a CAF and a CPAM, built once for the module


def organisations_of(world, side):
    """{asker: organisation whose objects are the asker's own (side "own") or another caisse's (side "other")}."""
    caf, cpam = (world.caf, world.cpam) if side == "own" else (world.other_caf, world.other_cpam)
    return {role: cpam if role.startswith("cpam") else caf for role in ROLES}


def build_side(world, side):
    from cafcases.booking.models import Closure
    from cafcases.notifications.models import Message
    from tests.booking.factories import at, make_appointment, make_motif, make_site, next_weekday

    caf = world.caf if side == "own" else world.other_caf
    case = open_case(caf, CaseStatus.SENT_FOR_CERTIFICATION)
    request_ = case.certification_requests.get()
    organisations = organisations_of(world, side)
    by_organisation = {}
    motif = make_motif(public=False)
    day = next_weekday()
    for organisation in set(organisations.values()):
        site = make_site(organisation, counters=1)
        by_organisation[organisation] = SimpleNamespace(
            site=site,
            appointment=make_appointment(site, motif, at(day, 9)),
            closure=Closure.objects.create(site=site, starts_on=day, ends_on=day, reason="Inventaire"),
            batch=LetterBatch.objects.create(
                caisse=organisation,
                status=LetterBatchStatus.DONE,
                letters_total=1,
                letters_done=1,
                csv=ContentFile(b"dossier\n1\n", name="courriers.csv"),
            ),
            colleague=User.objects.create(username=f"collegue-{side}-{organisation.code}", organisation=organisation),
            import_job=ImportJob.objects.create(
                caisse=organisation,
                created_by=world.national_admin,
                file_name="personnes.csv",
                status=ImportJobStatus.DONE,
                file=ContentFile(b"nom_naissance;prenoms\n", name="personnes.csv"),
                report=ContentFile(REPORT, name="rapport.csv"),
            ),
        )
    mine = {role: by_organisation[organisation] for role, organisation in organisations.items()}
    return SimpleNamespace(
        case=case,
        document=case.documents.first(),
        request=request_,
        identifier=case.person.identifiers.get(kind=IdentifierKind.NIA),
        chase=chase_add(request=request_, channel="email", by=None),
        contact=contact_record(case=case, channel="sms", outcome="sent", by=None),
        note=note_add(case=case, text="Vu au guichet", by=None),
        message=Message.objects.create(
            channel="email",
            to="personne@example.org",
            purpose="rappel",
            subject="Rappel",
            body="Rappel",
            dedupe_key=f"matrice:{side}",
            about=case,
            case=case,
            person=case.person,
        ),
        sites={role: objects.site.pk for role, objects in mine.items()},
        site_objects={role: objects.site for role, objects in mine.items()},
        appointments={role: objects.appointment.pk for role, objects in mine.items()},
        appointment_objects={role: objects.appointment for role, objects in mine.items()},
        closures={role: objects.closure for role, objects in mine.items()},
        batches={role: objects.batch.pk for role, objects in mine.items()},
        colleagues={role: objects.colleague for role, objects in mine.items()},
        import_jobs={role: objects.import_job for role, objects in mine.items()},
    )


@pytest.fixture(scope="module")
def module_matrix(django_db_setup, django_db_blocker):
    """Built once inside a transaction around the module (as setUpTestData); each test's own one nests inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = make_world()
        unscoped = {}
        for label, model in registered_models().items():
            if label in ADMIN_UNSCOPED:
                unscoped[label] = RECIPES[model].build(1, 1)
        yield SimpleNamespace(
            world=world,
            users={role: getattr(world, role) for role in ROLES},
            sides={"own": build_side(world, "own"), "other": build_side(world, "other")},
            unscoped=unscoped,
        )
        transaction.set_rollback(True)


@pytest.fixture
def matrix(module_matrix, db):
    # The in-memory file storage is recreated when a test changes a setting: put the files back.
    files = [batch.csv for batch in LetterBatch.objects.exclude(csv="")]
    files += [job.report for job in ImportJob.objects.exclude(report="")]
    for file in files:
        if not file.storage.exists(file.name):
            file.storage.save(file.name, ContentFile(REPORT))
    return module_matrix


def log_in(client, matrix, role):
    client.logout()
    if role != "anonymous":
        client.force_login(User.objects.get(pk=matrix.users[role].pk))
    return client


def ask(client, url):
    """GET, or POST an empty form where the view takes POST only."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def sent_to_login(response, login_url):
    return response.status_code == 302 and response["Location"].startswith(login_url + "?next=")


# ---------------------------------------------------------------------------------------------------------------------
# Workspace, agenda, letters, API

WORKSPACE_KEYS = [key for key in ENTRIES if key in ALL_URLS]


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
@pytest.mark.parametrize("key", WORKSPACE_KEYS)
def test_workspace_matrix(client, matrix, key, role):
    entry = ENTRIES[key]
    log_in(client, matrix, role)
    asker = "caf_agent" if role == "anonymous" else role
    for side in ("own", "other") if entry.scoped else ("own",):
        kwargs = entry.kwargs(matrix.sides[side], asker) if entry.kwargs else {}
        response = ask(client, reverse(key, kwargs=kwargs))
        status = response.status_code
        where = (key, role, side, status)
        if entry.api:
            assert status == 401, where
        elif role == "anonymous":
            assert sent_to_login(response, reverse("login")), where
        elif side == "other" and role != "national_admin":
            assert status == 404, where  # before any 403: a refusal would tell that the object exists
        elif role not in entry.allowed:
            assert status == 403, where
        else:
            assert status not in (403, 404, 405) and status < 500, where


PLAIN_PUBLIC = sorted(
    key for key in PUBLIC if key in ALL_URLS and "<" not in ALL_URLS[key] and "(" not in ALL_URLS[key]
)


@pytest.mark.parametrize("key", PLAIN_PUBLIC)
def test_public_urls_answer_anonymous_without_error(client, matrix, key):
    """The public URLs without parameters; those with a site, a motif or a token are fuzzed in tests/fuzz."""
    response = ask(client, "/" + ALL_URLS[key])
    assert response.status_code < 500, (key, response.status_code)


# ---------------------------------------------------------------------------------------------------------------------
# The admin


def admin_views_by_model():
    """{model label: {view: URL key}} of every admin URL of a registered model."""
    views = {}
    for key in ALL_URLS:
        found = admin_model_view(key)
        if found:
            views.setdefault(found[0], {})[found[1]] = key
    return views


ADMIN_VIEWS = admin_views_by_model()


def admin_url(key, view, obj):
    """The URL of an admin view for an object (None: a non-existent id)."""
    pk = MISSING_ID if obj is None else obj.pk
    if view == "simple_history":
        version = MISSING_ID if obj is None else obj.history.order_by("history_id").first().history_id
        return reverse(key, args=[pk, version])
    if view in ADMIN_ID_KWARG:
        return reverse(key, kwargs={ADMIN_ID_KWARG[view]: pk})
    if view == "move":
        return reverse(key, kwargs={"object_id": pk, "move_name": "mark_awaiting_country"})
    if ADMIN_MODEL_VIEWS[view][1]:
        return reverse(key, kwargs={"object_id": pk})
    return reverse(key)


def may(user, model, permission):
    """What the roles grant (cafcases/roles.py, through the role's group); viewing is implied by changing."""
    if permission is None:
        return True
    opts = model._meta
    granted = user.has_perm(f"{opts.app_label}.{permission}_{opts.model_name}")
    if permission == "view":
        granted = granted or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    return granted


def same_answer(first, second):
    return (first.status_code, first.get("Location")) == (second.status_code, second.get("Location"))


# Known gaps, reported to the owners of the code: each fails the day it is fixed (strict), so the mark goes with it.
KNOWN_GAPS = {
    # (model label, role): "what answers wrongly", e.g. the messages' admin before it scoped its rows to the caisse.
}


def admin_params():
    for label in sorted(ADMIN_VIEWS):
        for role in ["anonymous", *ROLES]:
            gap = KNOWN_GAPS.get((label, role))
            marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
            yield pytest.param(label, role, marks=marks, id=f"{label}-{role}")


@pytest.mark.parametrize(("label", "role"), list(admin_params()))
def test_admin_matrix(client, matrix, label, role):
    model = registered_models()[label]
    log_in(client, matrix, role)
    user = None if role == "anonymous" else User.objects.get(pk=matrix.users[role].pk)
    asker = "caf_agent" if role == "anonymous" else role
    scoped = label in ADMIN_SCOPED
    for view, key in sorted(ADMIN_VIEWS[label].items()):
        permission, takes_object = ADMIN_MODEL_VIEWS[view]
        if not takes_object:
            response = client.get(admin_url(key, view, None))
            where = (key, role, response.status_code)
            if role == "anonymous":
                assert sent_to_login(response, reverse("admin:login")), where
            elif permission is None:
                assert response.status_code < 400, where
            elif may(user, model, permission):
                # The admin may refuse more than the roles (read-only tables), never less.
                assert response.status_code in (200, 403), where
            else:
                assert response.status_code == 403, where
            continue
        own = ADMIN_SCOPED[label](matrix.sides["own"], asker) if scoped else matrix.unscoped[label]
        response = ask(client, admin_url(key, view, own))
        where = (key, role, "own", response.status_code)
        if role == "anonymous":
            assert sent_to_login(response, reverse("admin:login")), where
            continue
        if may(user, model, permission) and (view != "move" or role in ACTING_SIDE):
            # The admin may be stricter than the roles; a POSTed view (confirm) may redirect.
            expected = (200, 302, 403) if response.request["REQUEST_METHOD"] == "POST" else (200, 403)
            assert response.status_code in expected, where
        else:
            assert response.status_code == 403, where
        if not scoped:
            continue
        other = ADMIN_SCOPED[label](matrix.sides["other"], asker)
        foreign = ask(client, admin_url(key, view, other))
        if role == "national_admin":
            assert foreign.status_code == response.status_code, (key, role, "other", foreign.status_code)
        else:
            missing = ask(client, admin_url(key, view, None))
            assert same_answer(foreign, missing), (key, role, "other", foreign.status_code, missing.status_code)


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_admin_site_pages(client, matrix, role):
    log_in(client, matrix, role)
    for key, kwargs in ADMIN_SITE_PAGES.items():
        response = client.get(reverse(key, kwargs=kwargs(matrix)))
        where = (key, role, response.status_code)
        if role == "anonymous":
            assert sent_to_login(response, reverse("admin:login")), where
        else:
            assert response.status_code < 500 and response.status_code != 404, where


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_admin_object_redirects_and_catch_all(client, matrix, role):
    log_in(client, matrix, role)
    case = matrix.sides["own"].case
    redirect = client.get(f"/admin/cafcases/case/{case.pk}/")
    catch_all = client.get("/admin/nulle-part/")
    if role == "anonymous":
        assert sent_to_login(redirect, reverse("admin:login"))
        assert sent_to_login(catch_all, reverse("admin:login"))
    else:
        assert redirect.status_code in (301, 302) and redirect["Location"].endswith(f"/{case.pk}/change/")
        assert catch_all.status_code == 404


@pytest.mark.parametrize("role", ["caf_agent", "cpam_supervisor"])
def test_admin_view_on_site_reveals_nothing(client, matrix, role):
    """Django's "view on site" shortcut: another caisse's case answers as a non-existent one."""
    log_in(client, matrix, role)
    content_type = ContentType.objects.get_for_model(matrix.sides["other"].case)

    def shortcut(pk):
        return client.get(reverse("admin:view_on_site", kwargs={"content_type_id": content_type.pk, "object_id": pk}))

    assert same_answer(shortcut(matrix.sides["other"].case.pk), shortcut(MISSING_ID))
