"""Swagger UI and ReDoc load everything from this server (no CDN), and the document lets
Swagger UI's "Authorize" log in with a username and password."""

import re

import httpx

from app.core.config import Settings
from app.main import create_app
from tests.conftest import TEST_SECRET

PUBLIC = {
    ("post", "/api/v1/auth/token"),
    ("post", "/api/v1/auth/refresh"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/api/v1/calendar/{token}.ics"),
    ("get", "/api/v1/public/disclosures"),
    ("get", "/api/v1/public/awards"),
}


def _links(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"url: '([^']+)'", html)


async def test_swagger_ui_loads_only_from_this_server(client):
    page = await client.get("/docs")

    assert page.status_code == 200
    links = _links(page.text)
    assert links and all(link.startswith("/") and not link.startswith("//") for link in links)
    assert "cdn" not in page.text.lower()
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    for link in links:
        asset = await client.get(link, headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200, link
    script = await client.get(
        "/docs/assets/swagger-ui-bundle.js", headers={"Accept-Encoding": "br"}
    )
    assert "SwaggerUIBundle" in script.text
    assert script.headers["content-encoding"] == "br"


async def test_redoc_loads_only_from_this_server(client):
    page = await client.get("/redoc")

    assert page.status_code == 200
    assert "fonts.googleapis" not in page.text
    for link in _links(page.text):
        assert link.startswith("/")
        assert (await client.get(link)).status_code == 200, link
    assert "default-src 'none'" in page.headers["content-security-policy"]


async def test_the_document_offers_the_password_flow_beside_the_bearer_token(client):
    document = (await client.get("/openapi.json")).json()

    schemes = document["components"]["securitySchemes"]
    assert schemes["password"]["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if (method, path) in PUBLIC:
                assert operation["security"] == [], (method, path)
            else:
                assert operation["security"] == [{"bearer": []}, {"password": []}], (method, path)


async def test_the_password_flow_form_of_swagger_ui_logs_in(app, client, session):
    from tests.factories import PASSWORD, make_user

    user = await make_user(session, "noi_vu")
    await session.commit()

    # What Swagger UI posts: grant_type, username, password and an empty scope.
    response = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": user.username, "password": PASSWORD,
              "scope": ""},
    )  # fmt: skip

    assert response.status_code == 200 and response.json()["token_type"].lower() == "bearer"


async def test_with_the_docs_off_their_assets_are_not_served_either(tmp_path):
    settings = Settings(
        env="production", jwt_secret=TEST_SECRET, ballot_secret=TEST_SECRET + "-ballot",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db", var_dir=tmp_path,
        load_reference_data=False,
    )  # fmt: skip
    app = create_app(settings, configure_logs=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as c:
        statuses = {path: (await c.get(path)).status_code for path in
                    ("/docs", "/docs/assets/swagger-ui-bundle.js", "/openapi.json")}  # fmt: skip
    await app.state.db.dispose()

    assert set(statuses.values()) == {404}
