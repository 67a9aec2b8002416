"""Real Chromium (the system's, never a downloaded one) against a real server, axe on every page."""

import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["EXTERNAL_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app.config["EXTERNAL_URL"]
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


class Accessibility:
    """Run axe-core on a page and fail on any violation."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []

    def check(self, page) -> None:
        results = self.axe.run(page)
        self.checked.append(page.url)
        assert results.violations_count == 0, (
            f"axe found violations on {page.url}:\n{results.generate_report()}")


@pytest.fixture
def axe():
    return Accessibility()


@pytest.fixture
def visit(page, axe):
    """Go to a path, check the response and run axe on the page."""

    def go(path: str, status: int = 200):
        response = page.goto(path)
        assert response.status == status, f"{path}: {response.status}"
        axe.check(page)
        return page

    return go
