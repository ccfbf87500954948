import pytest


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Let fixtures see whether the test body failed (for screenshots on failure).
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
