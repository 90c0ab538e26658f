"""Pytest runs of this repository.

- Odoo logging an error fails the test. Odoo's own runner showed such lines
  in its log (a crashed request, a failed report); pytest would hide them in a
  passing test's captured output. Tests that expect an error mute its logger
  (odoo.tools.misc.mute_logger).
- With ``--odoo-http``, one HTTP server serves the whole run (see load_http).
"""

import logging
import socket
import time

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


def _listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="session", autouse=True)
def load_http(request):
    """pytest-odoo's fixture of this name, made reliable for Odoo 11.

    pytest-odoo starts Odoo 11's threaded server with ``start(stop=True)`` for
    each test module, and that stop() shuts the HTTP thread down again unless
    the thread binds the port only after it: a race that usually, not always,
    left a server for the tests that send requests (the portal) or render PDFs
    (wkhtmltopdf fetches the stylesheets). Here one server is started on a free
    port and kept for the run."""
    if not request.config.getoption("--odoo-http", default=False):
        yield
        return
    request.getfixturevalue("load_registry")
    from odoo.service import server, wsgi_server
    from odoo.tools import config

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        config["http_port"] = sock.getsockname()[1]
    server.ThreadedServer(wsgi_server.application).http_spawn()
    deadline = time.time() + 30
    while not _listening(config["http_port"]):
        if time.time() > deadline:
            raise RuntimeError("no HTTP server on port %s" % config["http_port"])
        time.sleep(0.1)
    yield
