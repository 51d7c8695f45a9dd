"""Page weight: what a phone downloads on each page of one assessment, raw and gzip -9.

Budgets (docs: DESIGN.md, "Budgets"):
  a questionnaire page (profile, each pillar), HTML gzipped  <= 14,336 bytes (14 KB)
  first visit (landing HTML + everything it loads), gzipped <= 30 KB
  JavaScript: never needed (this walk posts every page without it); the offline script and its
  service worker (static/offline.js + /sw.js, issue 12) together   <= 4 KB gzipped

Run:  .venv/bin/python bench/page_weight.py [--lang fr|es|pt|ar|all]
The app runs in-process on a temporary SQLite file; one assessment is walked through the Flask
test client with CSRF on, answering every question the way a phone would. tests/test_page_weight.py
imports measure() and asserts the same budgets.
"""
import gzip
import re
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUESTIONNAIRE_PAGE_GZ = 14_000
FIRST_VISIT_GZ = 20 * 1024
JS_GZ = 4 * 1024  # offline.js + sw.js, gzipped

PROFILE_CHOICES = {"country": "KE", "sector": "metal", "size_band": "small",
                   "goals": ["energy", "cost"], "has_design": "yes_own",
                   "power_source": "grid"}


def gzipped_size(data):
    return len(gzip.compress(data, compresslevel=9, mtime=0))


ACCEPT_GZIP = {"Accept-Encoding": "gzip, deflate"}


def body_of(response):
    """(decoded body, bytes on the wire): the app may compress, the client does not undo it."""
    data = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        return gzip.decompress(data), len(data)
    return data, len(data)


@dataclass
class Page:
    name: str
    url: str
    html: bytes
    questionnaire: bool = False
    served: int = 0  # bytes the app itself sends to a browser that accepts gzip


    @property
    def raw(self):
        return len(self.html)

    @property
    def gz(self):
        return gzipped_size(self.html)


@dataclass
class Report:
    pages: list
    css_raw: int
    css_gz: int
    js_bytes: int  # raw bytes of the scripts respondent pages load, and of the service worker
    host: str
    assets: dict = field(default_factory=dict)  # url -> bytes, for everything the pages load
    unused_js: dict = field(default_factory=dict)  # static .js files no respondent page loads
    css_served: int = 0  # bytes the app sends for the stylesheets (compressed only if it compresses)
    js_gz: int = 0  # the same scripts, gzipped

    @property
    def questionnaire_pages(self):
        return [p for p in self.pages if p.questionnaire]

    @property
    def max_page_gz(self):
        return max(p.gz for p in self.questionnaire_pages)

    @property
    def first_visit(self):
        """(what, gzipped bytes) for everything a first visit to the landing page transfers."""
        landing = self.pages[0]
        parts = [("landing HTML", landing.gz)]
        for url in reachable_assets(landing.url, landing.html, self.assets):
            parts.append((url, gzipped_size(self.assets[url])))
        return parts

    @property
    def first_visit_gz(self):
        return sum(size for _what, size in self.first_visit)

    def problems(self):
        """Every budget broken, in words; empty when all budgets hold."""
        found = [f"{p.name}: {p.gz} B gzipped > {QUESTIONNAIRE_PAGE_GZ} B"
                 for p in self.questionnaire_pages if p.gz > QUESTIONNAIRE_PAGE_GZ]
        if self.first_visit_gz > FIRST_VISIT_GZ:
            found.append(f"first visit: {self.first_visit_gz} B gzipped > {FIRST_VISIT_GZ} B")
        if self.js_gz > JS_GZ:
            found.append(f"JavaScript: {self.js_gz} B gzipped > {JS_GZ} B")
        return found


class PageParser(HTMLParser):
    """Collects what the benchmark needs from a page: form fields, links, scripts, CSRF token."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []          # (tag, attribute, value) for src/href/action/srcset/formaction
        self.scripts = []       # attrs of each <script>
        self.stylesheets = []
        self.icons = []
        self.inputs = []        # attrs of each <input>
        self.selects = {}       # name -> [option values]
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "action", "srcset", "formaction", "poster", "data"):
            if attrs.get(name):
                self.urls.append((tag, name, attrs[name]))
        if tag == "script":
            self.scripts.append(attrs)
        elif tag == "link" and "stylesheet" in (attrs.get("rel") or "").lower().split():
            self.stylesheets.append(attrs.get("href"))
        elif tag == "link" and "icon" in (attrs.get("rel") or "").lower().split():
            self.icons.append(attrs.get("href") or "")
        elif tag == "input":
            self.inputs.append(attrs)
        elif tag == "select":
            self._select = attrs.get("name")
            self.selects[self._select] = []
        elif tag == "option" and self._select is not None:
            self.selects[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def parse(html):
    parser = PageParser()
    parser.feed(html.decode("utf-8"))
    return parser


def csrf_token(html):
    for attrs in parse(html).inputs:
        if attrs.get("name") == "csrf_token":
            return attrs.get("value", "")
    raise AssertionError("no CSRF token on the page")


def linked_assets(page_url, html):
    """URLs a page makes the browser download: stylesheets, scripts, its icon, and /favicon.ico
    when the page names no icon (browsers ask for it anyway)."""
    parser = parse(html)
    urls = [href for href in parser.stylesheets if href]
    urls += [attrs["src"] for attrs in parser.scripts if attrs.get("src")]
    urls += [href for href in parser.icons if href and not href.startswith("data:")]
    if not parser.icons:
        urls.append("/favicon.ico")
    return [urljoin(page_url, url) for url in urls]


def css_urls(css_url, css):
    """URLs a stylesheet loads: url(...) (fonts, images) and @import."""
    found = re.findall(rb"""url\(\s*['"]?([^'")\s]+)""", css)
    found += re.findall(rb"""@import\s+['"]([^'"]+)""", css)
    return [urljoin(css_url, url.decode()) for url in found if not url.startswith(b"data:")]


def reachable_assets(page_url, html, assets):
    """Every asset URL a page loads, directly or through its stylesheets, in load order."""
    todo, seen = linked_assets(page_url, html), []
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.append(url)
        if urlsplit(url).path.endswith(".css") and url in assets:
            todo += css_urls(url, assets[url])
    return seen


def inline_script_bytes(html):
    return sum(len(m.group(1)) for m in
               re.finditer(rb"<script\b[^>]*>(.*?)</script>", html, re.S | re.I))


def answer_page(html, position):
    """Form data answering every question on a page: profile answers from PROFILE_CHOICES, and for
    scored items a mix of levels, with "not relevant" for the first item that offers it."""
    parser = parse(html)
    groups = {}
    for attrs in parser.inputs:
        if attrs.get("type") in ("radio", "checkbox"):
            groups.setdefault(attrs["name"], []).append(attrs.get("value"))
    data = {"csrf_token": csrf_token(html), "nav": "next"}
    used_na = False
    for number, (name, values) in enumerate(groups.items()):
        if name in PROFILE_CHOICES:
            data[name] = PROFILE_CHOICES[name]
        elif "na" in values and not used_na:
            data[name], used_na = "na", True
        else:
            levels = [v for v in values if v != "na"]
            data[name] = levels[(number + position) % len(levels)]
    for name, values in parser.selects.items():
        data[name] = PROFILE_CHOICES.get(name) or next(v for v in values if v)
    return data


class Walker:
    """One respondent going through the app with the Flask test client."""

    def __init__(self, app, language="en"):
        self.client = app.test_client()
        self.headers = {**ACCEPT_GZIP, "Accept-Language": language}  # the phone's language
        self.pages = []
        self.served = {}  # asset url -> bytes the app sends for it

    def get(self, name, url, questionnaire=False):
        response = self.client.get(url, headers=self.headers)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        return self.keep(name, url, response, questionnaire)

    def keep(self, name, url, response, questionnaire):
        html, served = body_of(response)
        page = Page(name, url, html, questionnaire, served)
        self.pages.append(page)
        return page

    def post(self, url, data, expect=302):
        response = self.client.post(url, data=data, headers=self.headers)
        assert response.status_code == expect, (
            f"POST {url}: {response.status_code} {response.get_data()[:300]!r}")
        return urlsplit(response.headers.get("Location", url)).path

    def walk(self):
        landing = self.get("landing", "/")
        started_url = self.post("/start", {"csrf_token": csrf_token(landing.html)})
        started = self.get("started", started_url)
        url = re.search(rb'class="btn primary" href="([^"]+)"', started.html).group(1).decode()
        profile = self.get("profile", url, questionnaire=True)
        errors = self.client.post(url, data={"csrf_token": csrf_token(profile.html), "nav": "next"},
                                  headers=ACCEPT_GZIP)
        assert errors.status_code == 200, errors.status_code
        self.keep("profile, errors", url, errors, True)
        url = self.post(url, answer_page(profile.html, 0))
        position = 1
        while "/p/" in url:
            page = self.get(url.rsplit("/", 1)[1], url, questionnaire=True)
            url = self.post(url, answer_page(page.html, position))
            position += 1
        review = self.get("review", url)
        results_url = self.post(url, {"csrf_token": csrf_token(review.html)})
        self.get("results", results_url)
        return self.pages

    def fetch(self, url):
        """The body of an asset; a missing favicon still costs its error page."""
        response = self.client.get(url, headers=ACCEPT_GZIP)
        ok = response.status_code == 200 or (url.endswith("/favicon.ico") and response.status_code == 404)
        assert ok, f"GET {url}: {response.status_code}"
        data, served = body_of(response)
        response.close()
        self.served[url] = served
        return data

    def fetch_assets(self, pages):
        assets = {}
        for page in pages:
            todo = linked_assets(page.url, page.html)
            while todo:
                url = todo.pop(0)
                if url in assets or urlsplit(url).netloc not in ("", "localhost"):
                    continue
                assets[url] = self.fetch(url)
                if urlsplit(url).path.endswith(".css"):
                    todo += css_urls(url, assets[url])
        return assets


def measure(app, language="en"):
    """Walks one assessment through ``app`` in ``language`` and returns a Report of every page's weight."""
    walker = Walker(app, language)
    pages = walker.walk()
    assets = walker.fetch_assets(pages)
    css = b"".join(b for u, b in assets.items() if urlsplit(u).path.endswith(".css"))
    js_urls = {u for u in assets if urlsplit(u).path.endswith(".js")}
    if js_urls:  # the offline script registers the service worker, served from the root
        assets["/sw.js"] = walker.fetch("/sw.js")
        js_urls.add("/sw.js")
    js = sum(len(assets[u]) for u in js_urls) + sum(inline_script_bytes(p.html) for p in pages)
    js_gz = sum(gzipped_size(assets[u]) for u in js_urls)
    static = Path(app.static_folder)
    loaded = {urlsplit(u).path.replace("/sw.js", "/static/sw.js") for u in js_urls}
    unused_js = {f"static/{f.relative_to(static)}": f.stat().st_size for f in sorted(static.rglob("*.js"))
                 if f"/static/{f.relative_to(static)}" not in loaded}
    css_served = sum(walker.served[u] for u in assets if urlsplit(u).path.endswith(".css"))
    return Report(pages=pages, css_raw=len(css), css_gz=gzipped_size(css) if css else 0,
                  js_bytes=js, host="localhost", assets=assets, unused_js=unused_js,
                  css_served=css_served, js_gz=js_gz)


def make_app(database):
    """A SmartStep app on a fresh SQLite file, initialised with `smartstep init-db`."""
    from assessment import create_app
    from assessment.cli import smartstep

    app = create_app({"SECRET_KEY": "bench", "DATABASE": str(database), "PROPAGATE_EXCEPTIONS": True})
    result = app.test_cli_runner().invoke(smartstep, ["init-db"])
    assert result.exit_code == 0, result.output
    return app


def table(report):
    lines = [f"{'page':<18} {'raw B':>8} {'gzip B':>8} {'served B':>9}  budget (gzip)",
             f"{'-' * 18} {'-' * 8} {'-' * 8} {'-' * 9}  -------------"]
    for page in report.pages:
        budget = ""
        if page.questionnaire:
            budget = f"{'OK' if page.gz <= QUESTIONNAIRE_PAGE_GZ else 'OVER'} (<= {QUESTIONNAIRE_PAGE_GZ})"
        lines.append(f"{page.name:<18} {page.raw:>8} {page.gz:>8} {page.served:>9}  {budget}")
    lines.append(f"{'app.css':<18} {report.css_raw:>8} {report.css_gz:>8} {report.css_served:>9}")
    first = report.first_visit_gz
    parts = " + ".join(f"{what} {size}" for what, size in report.first_visit)
    lines.append(f"{'first visit':<18} {'':>8} {first:>8} {'':>9}  "
                 f"{'OK' if first <= FIRST_VISIT_GZ else 'OVER'} (<= {FIRST_VISIT_GZ}): {parts}")
    lines.append(f"{'JavaScript':<18} {report.js_bytes:>8} {report.js_gz:>8} {'':>9}  "
                 f"{'OK' if report.js_gz <= JS_GZ else 'OVER'} (<= {JS_GZ}; offline.js + sw.js; never needed)")
    for name, size in report.unused_js.items():
        lines.append(f"  ({name}, {size} B, is not loaded by any respondent page)")
    heavy = [p.name for p in report.questionnaire_pages if p.served > QUESTIONNAIRE_PAGE_GZ]
    if heavy:
        lines.append(f"note: as the app serves them (served B), {', '.join(heavy)} exceed "
                     f"{QUESTIONNAIRE_PAGE_GZ} B: the budget holds only behind a compressing proxy")
    return "\n".join(lines)


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", help="the phone's language (en, fr, es, pt, ar) or 'all'")
    args = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder) / "bench.sqlite")
        languages = app.config["LANGUAGES"] if args.lang == "all" else [args.lang]
        for lang in languages:
            report = measure(app, lang)
            print(f"language: {lang}")
            print(table(report))
            for problem in report.problems():
                print("OVER BUDGET:", problem)
            print(f"lang={lang} pages={len(report.pages)} max_page_gz={report.max_page_gz} "
                  f"first_visit_gz={report.first_visit_gz} js_gz={report.js_gz}\n")
            failed |= bool(report.problems())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
