"""/docs and /redoc in Debian's Chromium with the internet cut off: every asset comes from the
app itself, Swagger UI's "Try it out" runs a generation, ReDoc renders the operations."""

from playwright.sync_api import expect

from tests.browser.conftest import Offline, save_screenshot
from tests.servers import Server

TIMEOUT_MS = 30_000
# ReDoc's "API docs by Redocly" footer asks its CDN for a logo and hides it when that fails;
# the only outside request either page makes, and nothing depends on it.
REDOC_FOOTER_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_swagger_ui_works_offline_and_try_it_out_generates_a_routine(
    server: Server, offline: Offline
) -> None:
    page = offline.context.new_page()
    page.goto(f"{server.url}/", wait_until="networkidle")  # `/` lands on the docs
    assert page.url == f"{server.url}/docs"
    operation = page.locator("#operations-routines-routines-generate")
    expect(operation).to_be_visible(timeout=TIMEOUT_MS)

    operation.locator(".opblock-summary").first.click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200", timeout=TIMEOUT_MS)
    body = operation.locator(".live-responses-table tbody .response-col_description pre").first
    expect(body).to_contain_text('"exercises"')
    status.scroll_into_view_if_needed()
    path = save_screenshot(page.screenshot(full_page=False), "docs-try-it-out.png")
    print(f"screenshot: {path}")
    assert offline.blocked == [], f"the page asked for outside addresses: {offline.blocked}"


def test_redoc_renders_the_operations_offline(server: Server, offline: Offline) -> None:
    page = offline.context.new_page()
    page.goto(f"{server.url}/redoc", wait_until="networkidle")
    expect(page.locator("h1").first).to_contain_text("Legwork", timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Generate").first).to_be_visible()
    fonts = page.evaluate("() => document.fonts.check('16px Montserrat')")
    assert fonts, "ReDoc's Montserrat font did not load from the app"
    path = save_screenshot(page.screenshot(full_page=False), "redoc.png")
    print(f"screenshot: {path}")
    outside = [url for url in offline.blocked if url != REDOC_FOOTER_LOGO]
    assert outside == [], f"the page asked for outside addresses: {outside}"
