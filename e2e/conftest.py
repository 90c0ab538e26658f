"""Fixtures for the browser tests: an Odoo server on the test database, a browser.

The server is started here, on the database named by R2CRM_E2E_DB (devtool's
test command passes its throw-away database), unless R2CRM_E2E_URL points at
one already running (for example `make run`).
"""

import os
import re
import subprocess
import time
import urllib.request

import pytest

from e2e.browser import make_driver, screenshot
from tools import devtool
from tools.devtool import ROOT

SHOTS = os.path.join(ROOT, ".test-logs", "screenshots")


# What a server that cannot load its database writes, after which waiting
# for it to answer is in vain
LOAD_FAILURES = ("Failed to initialize database", "Failed to load registry")


def _wait_http(url, log_path, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(log_path, errors="replace") as log:
            text = log.read()
        if any(failure in text for failure in LOAD_FAILURES):
            raise RuntimeError(
                "Odoo could not load the test database; the end of %s:\n%s"
                % (log_path, text[-3000:])
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError("Odoo did not answer %s in %ds" % (url, timeout))


# The sample files of the import (r2_crm/static/import) carry R2faktury's
# numbers of this year's cases up to ...00118; the browser tests' own cases
# number from here on, wherever the tests before them (whose cases are rolled
# back, their numbers not) left this year's numbering.
FIRST_E2E_NUMBER = 200
SAMPLES = os.path.join(ROOT, "r2_crm", "static", "import")


def sample_numbers():
    """The case numbers the import's sample files name."""
    numbers = set()
    for name in sorted(os.listdir(SAMPLES)):
        with open(os.path.join(SAMPLES, name), encoding="utf-8-sig") as sample:
            numbers |= set(re.findall(r"\b[A-Z]{3}/\d{4}/\d{5}\b", sample.read()))
    return sorted(numbers)


def leave_sample_numbers_free(db):
    """The numbering starts past the samples' numbers, and a case that the
    tests before committed (the SMTP and concurrency tests commit theirs) with
    one of those numbers is renumbered: the import would take it for the
    sample's case of another customer."""
    problems = devtool.run_script(
        db,
        "for code in ('r2.crm.case.service', 'r2.crm.case.sale'):\n"
        "    sequence = env['ir.sequence'].search([('code', '=', code)], limit=1)\n"
        "    current = sequence._get_current_sequence()\n"
        "    if current.number_next_actual < %d:\n"
        "        current.number_next_actual = %d\n"
        "env.cr.execute(\"UPDATE r2_crm_case SET name = name || '-' || id \"\n"
        '               "WHERE name IN %%s", (tuple(%r),))\n'
        % (FIRST_E2E_NUMBER, FIRST_E2E_NUMBER, sample_numbers()),
        "e2e-numbers",
    )
    if problems:
        raise RuntimeError("; ".join(problems))


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("R2CRM_E2E_URL")
    if url:
        yield url.rstrip("/")
        return
    db = os.environ.get("R2CRM_E2E_DB", "r2crm_test")
    port = int(os.environ.get("R2CRM_E2E_PORT", "8170"))
    # wkhtmltopdf fetches the report's CSS from web.base.url with the user's
    # session: pointed at another server (make run on 8069), that server
    # would drop the session of this database and log the browser out
    devtool.set_system_parameters(db, **{"web.base.url": "http://localhost:%d" % port})
    leave_sample_numbers_free(db)
    log_path = os.path.join(ROOT, ".test-logs", "e2e-server.log")
    log = open(log_path, "w")
    server = subprocess.Popen(
        devtool.odoo_cmd(
            db, "--http-port=%d" % port, "--workers=0", "--max-cron-threads=0"
        ),
        env=devtool.odoo_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = "http://localhost:%d" % port
        _wait_http(url + "/web/login", log_path)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def driver(request):
    driver = make_driver()
    yield driver
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        path = screenshot(driver, os.path.join(SHOTS, request.node.name + ".png"))
        print("screenshot of the failure: %s" % path)
    driver.quit()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
