"""The OpenAPI schema generates cleanly; the interactive docs load nothing from outside the portal."""

import re
from pathlib import Path

import lxml.html
import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_the_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns any drf-spectacular warning (an unresolvable serializer, a guessed type) into
    # an error; --validate checks the result against the OpenAPI 3 specification.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/auth/token/" in schema["paths"]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_schema_is_served(client):
    response = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    assert "/api/v1/notifications/" in response.json()["paths"]


def test_the_docs_page_uses_only_local_assets_and_no_inline_code(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL.search(html), "the docs page refers to another site"
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//style"), "inline <style> is blocked by the CSP"
    assert not doc.xpath("//script[not(@src)]"), "inline <script> is blocked by the CSP"
    assert not doc.xpath("//*[@style]")
    assets = doc.xpath("//script/@src | //link/@href")
    assert len(assets) >= 5
    for url in assets:
        assert url.startswith("/"), url
        if url.startswith(settings.STATIC_URL):
            # Served by whitenoise from the collected files; here: found among the portal's static files.
            path = finders.find(url.removeprefix(settings.STATIC_URL))
            assert path, url
            body = Path(path).read_bytes()
        else:
            asset = client.get(url)
            assert asset.status_code == 200, url
            body = asset.content
        assert not re.search(rb"""(?:src|href)=["']https?://""", body), url


def test_the_docs_script_points_at_the_local_schema(client):
    script = client.get("/api/docs/?script=").content.decode()
    assert '"/api/schema/"' in script
    assert "http://" not in script.replace("http://www.w3.org", "")


@pytest.mark.parametrize(
    ("language", "title", "in_description"),
    [
        ("en", "Zhejiang Cross-border E-commerce Portal API", "REST API for enterprise ERPs"),
        ("zh-hans", "浙江省跨境电子商务综合管理服务平台 API", "错误信息"),
    ],
)
def test_the_docs_title_and_description_are_in_one_language(client, language, title, in_description):
    headers = {"accept-language": language}
    page = lxml.html.fromstring(client.get("/api/docs/", headers=headers).content.decode())
    assert page.findtext(".//title") == title
    assert page.getroottree().getroot().get("lang") == language
    schema = client.get(
        "/api/schema/", headers={**headers, "accept": "application/vnd.oai.openapi+json"}
    ).json()
    assert schema["info"]["title"] == title
    assert in_description in schema["info"]["description"]
