"""A trust's information team sends several months at once through the archive page."""

from __future__ import annotations

import pytest

from tests.browser.test_dashboards import browser, cast, shot, sign_in  # noqa: F401 - fixtures
from tests.unit.returns.files import zip_bytes
from tests.workforce.returns_data import csv_file, row
from workforce.models import StaffingReturn

pytestmark = pytest.mark.browser


def test_an_uploader_sends_an_archive_fixes_its_problem_and_sends_it_again(
    browser,  # noqa: F811
    live_server,
    cast,  # noqa: F811
    tmp_path,
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server, "trust-rj1")
    page.goto(f"{live_server.url}/returns/")
    page.click("text=Upload many at once (ZIP)")
    page.wait_for_url("**/returns/upload/archive/")

    def send(files: dict[str, bytes]) -> None:
        path = tmp_path / "returns.zip"
        path.write_bytes(zip_bytes({f"RJ1 returns/{n}": content for n, content in files.items()}))
        page.set_input_files("#id_file", str(path))
        page.click("main button:has-text('Upload and check')")
        page.wait_for_load_state()

    good = csv_file([row("NUR", fte="100")])
    send({"RJ1_2025-01.csv": good, "RJ1_2025-02.csv": csv_file([row("NUR", fte="lots")])})
    problems = page.locator("#archive-problems + p + div table tbody tr")
    assert problems.count() == 1
    assert problems.first.inner_text().split("\t")[:3] == ["RJ1_2025-02.csv", "2", "fte"]
    assert "Nothing was stored" in page.locator(".nhsuk-error-summary").inner_text()
    shot(page, "returns-archive-problems")
    assert not StaffingReturn.objects.exists()

    send({"RJ1_2025-01.csv": good, "RJ1_2025-02.csv": good})
    assert page.locator("[role=status]").inner_text().strip() == "Stored 2 returns."
    shot(page, "returns-archive-stored")
    page.reload()  # shows the result again and sends nothing: the browser asks no resend
    assert page.locator("[role=status]").inner_text().strip() == "Stored 2 returns."
    assert StaffingReturn.objects.count() == 2
    page.click("text=February 2025")
    page.wait_for_url("**/returns/*/")
    assert "February 2025" in page.locator("h1").inner_text()
    assert StaffingReturn.objects.count() == 2
