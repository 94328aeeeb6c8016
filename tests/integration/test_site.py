from tests.pages import PageClient


def test_health_check_answers(client: PageClient) -> None:
    page = client.get("/healthz")
    assert page.status == 200
    assert page.response.json == {"status": "ok"}


def test_accessibility_statement_and_privacy_notice_are_public(client: PageClient) -> None:
    accessibility = client.get("/accessibility")
    assert accessibility.status == 200
    assert accessibility.h1.startswith("Accessibility statement")
    assert "WCAG 2.2" in accessibility.text
    privacy = client.get("/privacy")
    assert privacy.status == 200
    assert "Privacy" in privacy.h1
    assert "Information Commissioner" in privacy.text or "ICO" in privacy.text


def test_footer_links_to_both_and_there_is_no_crown(client: PageClient) -> None:
    page = client.get("/login")
    footer = page.soup.select_one("footer")
    assert footer is not None
    assert {a["href"] for a in footer.select("a")} >= {"/accessibility", "/privacy"}
    html = page.response.get_data(as_text=True)
    assert "crown" not in html.lower()
    assert "GOV.UK" not in html
    assert page.soup.select_one(".heard-header__service").get_text(strip=True) == "Heard"


def test_security_headers(client: PageClient) -> None:
    response = client.get("/login").response
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_one_inline_script_carries_the_policy_nonce(client: PageClient) -> None:
    page = client.get("/login")
    nonce = page.response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    inline = [s for s in page.soup.find_all("script") if not s.get("src")]
    assert len(inline) == 1
    assert inline[0]["nonce"] == nonce


def test_unknown_page_gets_a_helpful_404(client: PageClient) -> None:
    page = client.get("/no-such-page")
    assert page.status == 404
    assert page.h1 == "Page not found"


def test_css_uses_arial_and_never_gds_transport(client: PageClient) -> None:
    css = client.get("/static/govuk/heard.min.css").response.get_data(as_text=True)
    assert "arial" in css.lower()
    assert "gds transport" not in css.lower()
    assert "@font-face" not in css


def test_an_id_too_big_for_the_database_is_simply_not_found(signed_in) -> None:
    from portal.models import Role

    client = signed_in(Role.COORDINATOR)
    assert client.get("/conferences/99999999999999999999").status == 404
    assert signed_in(Role.ADMIN).get("/admin/audit/?record_id=99999999999999999999").status == 200
