"""Checks every browser test gets for free: the browser fixture hands out a browser whose contexts report
console messages, and the test fails at teardown if the browser refused anything under the page's
Content-Security-Policy (an inline script, an inline style, an event attribute, a resource from elsewhere).

Kept apart from the fixture itself so that whoever owns the fixture (one Chromium per session or one per
test) only wraps what it yields: `with csp_watched(browser) as watched: yield watched`.

Also the one way the suite runs axe-core on a page (`axe_serious_violations`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CSP_WORDS = "Content Security Policy"
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS_IMPACTS = ("serious", "critical")


class CspWatchedBrowser:
    """The Playwright browser, with every new context listening to its pages' console."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def new_context(self, *args: Any, **kwargs: Any) -> Any:
        context = self._browser.new_context(*args, **kwargs)
        context.on("console", self._console)
        return context

    def new_page(self, *args: Any, **kwargs: Any) -> Any:
        return self.new_context(*args, **kwargs).new_page()

    def _console(self, message: Any) -> None:
        if CSP_WORDS in message.text:
            self.violations.append(f"{message.location.get('url', '')}: {message.text}")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@contextmanager
def csp_watched(browser: Any) -> Iterator[CspWatchedBrowser]:
    watched = CspWatchedBrowser(browser)
    yield watched
    assert not watched.violations, "The browser reported Content-Security-Policy violations:\n" + "\n".join(
        watched.violations)


def axe_serious_violations(page: Any, tags: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands, one 'rule: first targets' each;
    `tags` (e.g. "wcag21aa") limits the rules run, all of them otherwise.

    axe is evaluated through the browser's DevTools protocol (page.evaluate), which the page's
    Content-Security-Policy does not govern, rather than added as a <script> element (add_script_tag), which is
    an inline script that the policy refuses, and rightly so."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async ([tags, impacts]) => {
        const options = {resultTypes: ['violations']};
        if (tags) options.runOnly = {type: 'tag', values: tags};
        const result = await axe.run(document, options);
        return result.violations.filter(v => impacts.includes(v.impact))
            .map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""", [tags, list(SERIOUS_IMPACTS)])
