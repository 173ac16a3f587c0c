"""The Content-Security-Policy forbids inline scripts and styles: the admin and the workspace still work under it
(Chromium reports every refused inline script, style or attribute on its console)."""

import pytest

from cafcases.audit.services import access_log_record
from cafcases.services.access import RevealPurpose
from tests.factories import DEMO_PASSWORD, CaseFactory, UserFactory
from tests.views.helpers import ensure_reference_data


def test_the_policy_header_refuses_inline_code(client, db):
    policy = client.get("/connexion/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


@pytest.mark.browser
def test_admin_and_workspace_pages_raise_no_csp_violation(live_server, page, transactional_db):
    ensure_reference_data()
    case = CaseFactory()
    admin_user = UserFactory(national_admin=True, is_superuser=True, username="admin-csp")
    agent = UserFactory(organisation=case.caf, username="agent-csp")
    access_log_record(action="reveal", purpose=RevealPurpose.LETTER, user=agent, person=case.person)
    violations = []
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    # Browsers ask for /favicon.ico on their own: not a page's resource.
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    admin_pages = [
        "/admin/",
        "/admin/cafcases/case/",
        f"/admin/cafcases/case/{case.pk}/change/",
        "/admin/cafcases/person/",
        f"/admin/cafcases/person/{case.person.pk}/change/",
        f"/admin/cafcases/person/{case.person.pk}/history/",
        "/admin/cafcases/person/add/",
        "/admin/audit/accesslog/",
        "/admin/cafcases/user/",
    ]
    for path in admin_pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # The admin's own scripts ran: the change form's collapsible fieldsets and the date shortcuts are there.
    page.goto(f"{live_server.url}/admin/cafcases/person/add/")
    assert page.locator(".datetimeshortcuts, .calendarbox, #id_birth_name").count() > 0

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", agent.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dossiers/")
    for path in ["/dossiers/", f"/dossiers/{case.pk}/"]:
        assert page.goto(f"{live_server.url}{path}").status == 200, path

    assert violations == []
    assert [url for url in missing if not url.endswith("/favicon.ico")] == []


@pytest.mark.browser
def test_the_enrolment_qr_code_shows_under_the_policy(live_server, page, transactional_db, settings, tmp_path):
    settings.OTP_REQUIRED = True
    ensure_reference_data()
    supervisor = UserFactory(supervisor=True, username="superviseur-csp")
    violations = []
    page.on("console", lambda message: violations.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", supervisor.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/connexion/double-authentification/**")
    qr_code = page.locator("img[src^='data:image/svg+xml']")
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    page.screenshot(path=tmp_path / "otp-enrol.png", full_page=True)
    assert [text for text in violations if not text.startswith("Failed to load resource")] == []
