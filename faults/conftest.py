"""The fault tests' harness (``make test-faults``): real Odoo processes on a
database of their own, which the tests start, run side by side, and kill.

The database is named by R2CRM_FAULTS_DB (tools/testing.py's test-faults makes
it with the demo data and r2_crm); an Odoo server on R2CRM_FAULTS_PORT serves
the protocols' stylesheets to wkhtmltopdf and the clerks' XML-RPC calls.
Scripts run with click-odoo, as a scheduled action or an import would on a
node: each in a process (and process group) of its own.
"""

import json
import os
import signal
import subprocess
import time
import urllib.request

import psycopg2
import pytest

from tools import devtool
from tools.devtool import LOG_DIR

DB = os.environ.get("R2CRM_FAULTS_DB", "r2crm_faults")
PORT = int(os.environ.get("R2CRM_FAULTS_PORT", "8180"))
URL = "http://127.0.0.1:%d" % PORT


def sql(query, params=None):
    """The rows of ``query`` on the test database, in a connection of its own
    (what is committed, as another node sees it)."""
    with psycopg2.connect(dbname=DB) as connection, connection.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall() if cr.description else None


def make_partners(names):
    """Customers of these names, straight in the database: their ids."""
    rows = sql(
        "INSERT INTO res_partner (name, display_name, active, customer, "
        "is_company, type, invoice_warn, lang, create_date, write_date) "
        "SELECT n, n, true, true, true, 'contact', 'no-message', 'pl_PL', "
        "now(), now() FROM unnest(%s) n RETURNING id",
        (list(names),),
    )
    sql(
        "UPDATE res_partner SET commercial_partner_id = id "
        "WHERE commercial_partner_id IS NULL"
    )
    return [row[0] for row in rows]


class Script:
    """A click-odoo process running ``script`` in the test database; what it
    prints last as JSON is its result."""

    def __init__(self, script, label):
        self.log_path = os.path.join(LOG_DIR, "faults-%s.log" % label)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            devtool.click_cmd("click-odoo", "-d", DB),
            env=devtool.odoo_env(),
            stdin=subprocess.PIPE,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
            start_new_session=True,
        )
        self.proc.stdin.write(script)
        self.proc.stdin.close()

    def output(self):
        with open(self.log_path, errors="replace") as log:
            return log.read()

    def wait_for(self, text, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in self.output():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(
            "%r not printed; the end of %s:\n%s"
            % (text, self.log_path, self.output()[-3000:])
        )

    def kill(self):
        """kill -9, as a node lost: the process and any child (wkhtmltopdf)."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        self.log.close()

    def finish(self, timeout=600):
        """Wait for the end; the problems (exit status, errors Odoo logged)
        and the last JSON line printed."""
        rc = self.proc.wait(timeout)
        self.log.close()
        text = self.output()
        problems = [
            line for line in text.splitlines() if devtool.ERROR_RE.match(line)
        ] + (["exit %d, see %s" % (rc, self.log_path)] if rc else [])
        results = [line for line in text.splitlines() if line.startswith("{")]
        return problems, json.loads(results[-1]) if results else None


def run(script, label):
    """Run ``script`` to its end; its JSON result. Fails on any problem."""
    problems, result = Script(script, label).finish()
    assert not problems, problems
    return result


@pytest.fixture(scope="session")
def server():
    """An Odoo server on the test database: the stylesheets of the protocols
    that the scripts print, and the clerks' XML-RPC calls."""
    devtool.set_system_parameters(DB, **{"report.url": URL, "web.base.url": URL})
    log_path = os.path.join(LOG_DIR, "faults-server.log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            devtool.odoo_cmd(
                DB, "--http-port=%d" % PORT, "--workers=0", "--max-cron-threads=0"
            ),
            env=devtool.odoo_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.time() + 180
        while True:
            try:
                with urllib.request.urlopen(URL + "/web/login", timeout=5):
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("Odoo did not start, see %s" % log_path)
                time.sleep(1)
        yield URL
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
