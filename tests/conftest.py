import pytest


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Let fixtures see whether the test body failed (for screenshots on failure).
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    """The web edition built once for every test that reads it (no repository set): (folder, seconds)."""
    import time

    from tests.axe import AXE
    from tests.browser import need_chromium, skip_or_fail
    from tools import build_site

    need_chromium()
    if not build_site.page_scripts_installed() or not AXE.exists():
        skip_or_fail("the page scripts and axe-core are not installed: run `npm ci` in the repository root")
    out = tmp_path_factory.mktemp("book") / "site"
    start = time.monotonic()
    build_site.main(["--out", str(out), "--repository", ""])
    return out, time.monotonic() - start
