"""The course website: built by its one command, then every page loaded in headless Chromium.

Needs Debian's `chromium` and `chromium-driver` (README, "The course website"); without them
the browser test is skipped, except in CI (CI=true), where it fails.
"""

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import tomllib
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urlparse

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ASSIGNMENTS = sorted((ROOT / "assignments" / "student").glob("*/*.ipynb"))
BADGE = "https://colab.research.google.com/assets/colab-badge.svg"  # cannot load offline

# Run in each page once it has loaded: everything the checks need, in one round trip.
INSPECT_PAGE = """
const [badge, done] = arguments;
const maths = () => [...document.querySelectorAll("span.math, div.math")];
(async () => {
  // MathJax typesets after the page has loaded: give it up to 10 s.
  const deadline = Date.now() + 10000;
  while (maths().some(e => !e.querySelector("mjx-container")) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  // Load every image now (lazy ones too, each given up to 10 s), then report those that did not.
  await Promise.all([...document.images].filter(img => img.src !== badge).map(img => {
    img.loading = "eager";
    return Promise.race([img.decode().catch(() => null), new Promise(r => setTimeout(r, 10000))]);
  }));
  const text = document.querySelector("main").cloneNode(true);
  text.querySelectorAll("pre, code, script, style").forEach(e => e.remove());
  done({
    brokenImages: [...document.images].filter(i => i.src !== badge)
      .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
    math: maths().length,
    unrenderedMath: maths()
      .filter(e => !e.querySelector("mjx-container") || e.querySelector("mjx-merror"))
      .map(e => e.textContent.slice(0, 80)),
    rawDisplayMath: text.textContent.includes("$$"),
    loaded: [...performance.getEntriesByType("resource").map(e => e.name),
             ...[...document.querySelectorAll("[src]")].map(e => e.src),
             ...[...document.querySelectorAll("link[href]")].map(e => e.href)],
    links: [...document.querySelectorAll("a[href]")].map(a => a.href),
    downloads: [...document.querySelectorAll("a.download")].map(a => a.href),
    colabBadges: [...document.querySelectorAll("a[href] > img")].filter(i => i.src === badge)
      .map(i => i.parentElement.href),
    text: document.querySelector("main").innerText,
  });
})().catch(err => done({error: String(err)}));
"""


def repository_url():
    """The repository's address, from pyproject.toml, where it is kept."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["urls"]["Repository"]


class _Ids(HTMLParser):
    """Collects the ids of an HTML page, the targets of its #fragment links."""

    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site as `python scripts/build_site.py` builds it, in a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "scripts/build_site.py", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"the site build failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="module")
def server(site):
    """The built site served on 127.0.0.1; yields its base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=site)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Selenium, with the page's console log kept."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        reason = ("the browser test needs Debian's chromium and chromium-driver: "
                  "apt-get install -y chromium chromium-driver")
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser test, but {reason}")
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    # Offline whatever the machine: every host but 127.0.0.1 fails to resolve, at once.
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: Selenium Manager never tries to download one.
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    chrome.set_page_load_timeout(60)
    chrome.set_script_timeout(60)
    yield chrome
    chrome.quit()


def test_the_site_has_a_page_per_lesson_and_assignment(site):
    pages = {p.relative_to(site).with_suffix(".ipynb").as_posix() for p in site.rglob("*.html")}
    expected = {p.relative_to(ROOT).as_posix() for p in LESSONS + ASSIGNMENTS}
    assert expected <= pages, f"pages missing: {sorted(expected - pages)}"
    assert (site / "index.html").exists()
    assert (site / "_static" / "mathjax" / "tex-chtml.js").exists(), "MathJax is not served locally"


def test_every_page_in_the_browser(site, server, browser, tmp_path):
    """Each page: no console errors, nothing loaded from another host, every image loaded,
    math rendered by MathJax, every internal link resolves; lesson and assignment pages carry
    the Colab badge, the download of their unmodified .ipynb and, for lessons, the full run."""
    repo = repository_url()
    colab = "https://colab.research.google.com/github/" + repo.removeprefix("https://github.com/")
    pages = sorted((p.relative_to(site).as_posix() for p in site.rglob("*.html")
                    if not p.relative_to(site).parts[0].startswith("_")),
                   key=lambda page: (page != "index.html", page))  # the home page first
    problems, links, math_pages = [], {}, 0
    for page in pages:
        try:
            browser.get(server + page)
            # get() can return before the new page has loaded (seen with chromedriver 150).
            WebDriverWait(browser, 60).until(lambda b: b.execute_script(
                "return document.readyState == 'complete' && location.href") == server + page)
            found = browser.execute_async_script(INSPECT_PAGE, BADGE)
        except TimeoutException:
            problems.append(f"{page}: did not finish loading in 60 s")
            continue
        if "error" in found:
            problems.append(f"{page}: the page check failed: {found['error']}")
            continue
        for entry in browser.get_log("browser"):
            if entry["level"] == "SEVERE" and BADGE not in entry["message"]:
                problems.append(f"{page}: console error: {entry['message']}")
        problems += [f"{page}: image not loaded: {src}" for src in found["brokenImages"]]
        if found["unrenderedMath"]:
            problems.append(f"{page}: {len(found['unrenderedMath'])} of {found['math']} formulas "
                            f"not rendered by MathJax, the first {found['unrenderedMath'][0]!r}")
        if found["rawDisplayMath"]:
            problems.append(f"{page}: raw $$ left in the text")
        external = {url for url in found["loaded"] if urlparse(url).hostname != "127.0.0.1"}
        problems += [f"{page}: loads {url} from another host" for url in sorted(external - {BADGE})]
        math_pages += found["math"] > 0
        for link in found["links"]:
            if link.startswith(server):
                links.setdefault(link, page)
        source = ROOT / Path(page).with_suffix(".ipynb")
        if source.exists():  # a lesson or assignment page
            rel = source.relative_to(ROOT).as_posix()
            if found["colabBadges"] != [f"{colab}/blob/main/{rel}"]:
                problems.append(f"{page}: not one Colab badge, linking to {colab}/blob/main/{rel}, "
                                f"but {found['colabBadges']}")
            downloads = [urllib.request.urlopen(url).read() for url in found["downloads"]]
            if downloads != [source.read_bytes()]:
                problems.append(f"{page}: no download link for the unmodified {source.name}")
            meta = json.loads(source.read_text())["metadata"].get("gan_course")
            if meta:
                minutes, seconds = divmod(meta["wall_seconds"], 60)
                if f"{minutes} min {seconds} s" not in found["text"]:
                    problems.append(f"{page}: the full run's wall time is not shown")
                if f"TensorFlow {meta['tensorflow']}, Keras {meta['keras']}" not in found["text"]:
                    problems.append(f"{page}: the full run's versions are not shown")
        if page in ("index.html", "notebooks/02_dcgan.html"):
            browser.save_screenshot(str(tmp_path / page.replace("/", "_").replace(".html", ".png")))
    ids = {}  # target page -> the ids on it, None when it does not load
    for link, page in links.items():
        target, fragment = urldefrag(link)
        if target not in ids:
            try:
                body = urllib.request.urlopen(target).read()
            except HTTPError:
                ids[target] = None
            else:
                parser = _Ids()
                if target.endswith(".html"):
                    parser.feed(body.decode())
                ids[target] = parser.ids
        if ids[target] is None:
            problems.append(f"{page}: link to {link} does not load")
        elif fragment and target.endswith(".html") and fragment not in ids[target]:
            problems.append(f"{page}: link to {link}: no #{fragment} on that page")
    assert not problems, f"{len(problems)} problems on the site:\n" + "\n".join(problems)
    assert math_pages >= 5, f"only {math_pages} pages have math: is MathJax's markup found?"
    assert len(links) > len(pages), "too few internal links found: is the link collection broken?"
