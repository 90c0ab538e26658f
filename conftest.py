"""Pytest runs of this repository: Odoo logging an error fails the test.

Odoo's own runner showed such lines in its log (a crashed request, a failed
report); pytest would hide them in a passing test's captured output. Tests
that expect an error mute its logger (odoo.tools.misc.mute_logger).
"""

import logging

import pytest


class _ErrorRecords(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.lines = []

    def emit(self, record):
        self.lines.append("%s: %s" % (record.name, record.getMessage()))


_errors = _ErrorRecords()
logging.getLogger().addHandler(_errors)


@pytest.fixture(autouse=True)
def no_logged_error():
    start = len(_errors.lines)
    yield
    logged = _errors.lines[start:]
    if logged:
        pytest.fail("logged an error:\n" + "\n".join(logged), pytrace=False)
