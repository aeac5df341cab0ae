"""Swagger UI at `/docs` and ReDoc at `/redoc`, from assets the app serves itself.

FastAPI's pages load Swagger UI, ReDoc and ReDoc's fonts from CDNs, so on a machine without
internet they are blank. Here the same pages load the builds shipped by `fastapi-offline` and
the Roboto and Montserrat fonts shipped by `fontpkg-roboto` / `fontpkg-montserrat` (the ones
FastAPI asks Google Fonts for), all under `/docs/assets/`: nothing is fetched from elsewhere,
and the pages look as they did. Upgrading a package upgrades the assets; none live in the repo.
"""

from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"


def _package_folder(package: str, folder: str) -> Path:
    return Path(str(files(package) / folder))


UI_ASSETS = _package_folder("fastapi_offline", "static")
FONTS = {  # family → (directory of its files, upright variable font file)
    "Roboto": (_package_folder("fontpkg_roboto", "files"), "Roboto[wdth,wght].ttf"),
    "Montserrat": (_package_folder("fontpkg_montserrat", "files"), "Montserrat[wght].ttf"),
}
# Swagger UI's validator badge would send the document to validator.swagger.io.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}


def _font_faces() -> str:
    """@font-face rules for ReDoc's fonts (variable fonts: every weight from one file)."""
    return "".join(
        f"@font-face{{font-family:'{family}';font-style:normal;font-weight:100 900;"
        f"font-display:swap;src:url('{ASSETS}/fonts/{family.lower()}/{quote(file)}') "
        "format('truetype');}"
        for family, (_, file) in FONTS.items()
    )


def add_docs_pages(app: FastAPI) -> None:
    """Serve the docs pages and their assets; call on an app made with `docs_url=None` and
    `redoc_url=None`."""
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect_url = "/docs/oauth2-redirect"
    favicon = f"{ASSETS}/favicon.png"
    for family, (directory, _) in FONTS.items():
        app.mount(
            f"{ASSETS}/fonts/{family.lower()}",
            StaticFiles(directory=directory),
            name=f"docs-font-{family.lower()}",
        )
    app.mount(ASSETS, StaticFiles(directory=UI_ASSETS), name="docs-assets")
    redoc_page = bytes(
        get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=favicon,
            with_google_fonts=False,
        ).body
    ).replace(b"<style>", b"<style>" + _font_faces().encode(), 1)

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=favicon,
            oauth2_redirect_url=oauth2_redirect_url,
            swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
        )

    @app.get(oauth2_redirect_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return HTMLResponse(redoc_page)
