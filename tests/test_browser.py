"""A person's walk through the site in a real headless browser (Debian's Chromium driven by
Selenium through /usr/bin/chromedriver): open a resolution page served by `unkg serve`, check its
lineage SVG and embedded JSON-LD, follow a citation link, check the cited page the same way.

Chromium must be installed (.ci/run installs it): without it this test fails, it is not skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pytest

from sitefixtures import BASE, Served

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            pytest.fail(f"{path} is missing: apt-get install chromium chromium-driver (.ci/run does)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="unkg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1200,900"):
        options.add_argument(arg)
    # no proxy for the local server, whatever the environment says
    options.add_argument("--no-proxy-server")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _check_page(driver: WebDriver, iri: str) -> dict[str, object]:
    from selenium.webdriver.common.by import By

    svgs = driver.find_elements(By.CSS_SELECTOR, "svg.lineage")
    assert len(svgs) == 1, "no citation lineage picture"
    assert svgs[0].size["width"] > 100 and svgs[0].size["height"] > 30  # drawn, not empty
    assert len(svgs[0].find_elements(By.CSS_SELECTOR, "rect")) >= 2
    scripts = driver.find_elements(By.CSS_SELECTOR, 'script[type="application/ld+json"]')
    assert len(scripts) == 1
    text = scripts[0].get_attribute("textContent")
    assert text, "the JSON-LD script is empty"
    data = json.loads(text)
    node = [n for n in data["@graph"] if n["@id"] == iri]
    assert node, f"the embedded JSON-LD does not describe {iri}"
    types = node[0]["@type"]
    assert "Legislation" in (types if isinstance(types, list) else [types])
    return node[0]


def test_follow_a_citation_in_the_browser(browser: WebDriver, served_site: Served) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    driver.get(served_site.url + "/doc/A/RES/76/145")
    assert driver.find_element(By.TAG_NAME, "h1").text == "A/RES/76/145"
    node = _check_page(driver, BASE + "doc/A/RES/76/145")
    assert node["symbol"] == "A/RES/76/145"
    # the browser's own Accept header got HTML through content negotiation
    assert driver.execute_script("return document.contentType") == "text/html"

    link = driver.find_element(By.CSS_SELECTOR, 'a.cite[href$="75/165.html"]')
    assert link.text in ("75/165", "A/RES/75/165")
    link.click()
    WebDriverWait(driver, 30).until(ec.url_contains("/doc/A/RES/75/165"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "A/RES/75/165"
    _check_page(driver, BASE + "doc/A/RES/75/165")
    # a lineage node links on: back to the resolution we came from (it cites 75/165)
    back = driver.find_elements(By.CSS_SELECTOR, 'svg.lineage a[href$="76/145.html"]')
    assert back, "the lineage of A/RES/75/165 does not show A/RES/76/145 citing it"
    # paragraph anchors exist where the 303 of a paragraph IRI points
    assert driver.find_elements(By.ID, "op/1")


def test_page_screenshot_is_not_blank(browser: WebDriver, served_site: Served, tmp_path: Path) -> None:
    driver = browser
    driver.get(served_site.url + "/session/ga/76")
    from selenium.webdriver.common.by import By
    svg = driver.find_element(By.CSS_SELECTOR, "svg.session")
    assert svg.size["width"] > 200
    squares = svg.find_elements(By.CSS_SELECTOR, "a rect.res")
    assert squares
    shot = tmp_path / "session.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 5000
