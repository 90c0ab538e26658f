"""``make test``: r2_crm's checks on this machine's PostgreSQL.

The compat layer's pytest; r2_crm's tests with pytest-odoo on a new database
with the demo data; the browser tests against an Odoo server; the Polish
translation against a fresh export; an upgrade and an uninstall of a database
made as in production (lifecycle); and the upgrade of the last release to this
tree. The glue is tools/devtool.py's.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from tools.devtool import (
    ADDONS_PATH,
    backup,
    click_cmd,
    DATA_DIR,
    LOG_DIR,
    MODULE,
    ROOT,
    create_db,
    dropdb,
    install,
    log_path,
    odoo_cmd,
    odoo_env,
    restore,
    run_logged,
    run_script,
)


class Summary:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.problems = []

    def add(self, passed, failed, problems=()):
        self.passed += passed
        self.failed += failed
        self.problems.extend(problems)

    def check(self, label, problems):
        """One check that passes when there are no ``problems``."""
        self.add(0 if problems else 1, 1 if problems else 0, problems)
        print("%s: %s" % (label, "; ".join(problems) if problems else "ok"))


def run_pytest(summary, paths, name, env=None, options=()):
    os.makedirs(LOG_DIR, exist_ok=True)
    junit = os.path.join(LOG_DIR, "%s.xml" % name)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--junitxml",
        junit,
        # Odoo 11 on Python 3.11 warns of deprecations by the thousand
        "-W",
        "ignore::DeprecationWarning",
    ]
    # pytest-odoo loads a registry for each test module: only for Odoo's tests
    cmd += list(options or ["-p", "no:odoo"]) + paths
    rc = subprocess.run(cmd, cwd=ROOT, env=dict(odoo_env(), **(env or {}))).returncode
    if not os.path.exists(junit):
        summary.add(0, 1, ["pytest %s did not run (exit %d)" % (name, rc)])
        return
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    tests = int(suite.get("tests"))
    fails = int(suite.get("failures")) + int(suite.get("errors"))
    skipped = int(suite.get("skipped", 0))
    problems = [] if tests else ["pytest %s collected no test" % name]
    if rc not in (0, 1):
        problems.append("pytest %s exited %d" % (name, rc))
    summary.add(tests - fails - skipped, fails + len(problems), problems)


def check_translations(db):
    """pl.po must translate every msgid of a template freshly exported from Odoo."""
    template = os.path.join(LOG_DIR, "r2_crm-exported.po")
    problems = run_logged(
        odoo_cmd(
            db,
            "--i18n-export=%s" % template,
            "--modules=%s" % MODULE,
            "--stop-after-init",
        ),
        log_path("i18n-export"),
    )
    result = subprocess.run(
        ["msgcmp", os.path.join(ROOT, MODULE, "i18n", "pl.po"), template],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
    )
    if result.returncode:
        problems.append(
            "i18n/pl.po lacks translations (export the template again and "
            "translate):\n" + result.stdout.strip()
        )
    return problems


def tool_script(name):
    with open(os.path.join(ROOT, "tools", name)) as fp:
        return fp.read()


# Prints the row count and a checksum of ids and names of r2_crm's tables
TABLES_SCRIPT = """
from psycopg2 import sql
for table in %r:
    env.cr.execute(sql.SQL(
        "SELECT count(*), coalesce(sum(hashtext(id::text || name)), 0) FROM {}"
    ).format(sql.Identifier(table)))
    print("table %%s|%%s|%%s" %% ((table,) + env.cr.fetchone()))
""" % (
    (
        "r2_crm_contact",
        "r2_crm_case",
        "r2_crm_case_line",
        "r2_crm_result",
        "r2_crm_level",
        "r2_crm_failure_reason",
        "r2_crm_campaign",
        "r2_crm_campaign_cost",
    ),
)


# What a restored backup must hold: the rows of every r2_crm table and every
# stored file, read back from the filestore (Odoo's checksum is the SHA-1)
BACKUP_SCRIPT = r"""
import hashlib
import os
from psycopg2 import sql
env.cr.execute(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = "
    "'public' AND table_type = 'BASE TABLE' AND table_name LIKE 'r2\_crm\_%' "
    "ORDER BY 1"
)
for (table,) in env.cr.fetchall():
    env.cr.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
    print("rows %s|%s" % (table, env.cr.fetchone()[0]))
env.cr.execute(
    "SELECT id, store_fname, checksum, res_model, res_field FROM ir_attachment "
    "WHERE store_fname IS NOT NULL ORDER BY id"
)
for id_, fname, checksum, model, field in env.cr.fetchall():
    path = env["ir.attachment"]._full_path(fname)
    digest = "missing"
    if os.path.exists(path):
        with open(path, "rb") as fp:
            digest = hashlib.sha1(fp.read()).hexdigest()
    print("file %s|%s|%s|%s|%s" % (id_, model, field, checksum, digest))
"""


def backup_fingerprint(db, label):
    run_script(db, BACKUP_SCRIPT, label)
    with open(log_path(label)) as fp:
        return [line.strip() for line in fp if line.startswith(("rows ", "file "))]


def check_backup(summary, db):
    """``db`` after the browser tests (signed protocols, a quote signed on the
    portal, e-mails with protocols) backed up with make backup's tool and
    restored under another name: every r2 table has its rows, every file its
    bytes."""
    restored = db + "_restored"
    folder = tempfile.mkdtemp(prefix="r2crm-backup-")
    try:
        before = backup_fingerprint(db, "backup-before")
        path, problems = backup(db, folder)
        problems = problems or restore(path, restored)
        after = [] if problems else backup_fingerprint(restored, "backup-after")
        files = [line.split("|") for line in before if line.startswith("file ")]
        fields = {(line[1], line[2]) for line in files}
        for model, field in (
            ("r2.crm.contact", "signature"),
            ("r2.crm.case", "quote_signature"),
            ("r2.crm.case", "None"),
        ):
            if (model, field) not in fields:
                problems.append("no %s %s file to back up" % (model, field))
        problems += [
            "file %s: checksum %s, content %s" % (line[0], line[3], line[4])
            for line in files
            if line[3] != line[4]
        ]
        if not problems and before != after:
            lost = sorted(set(before) - set(after))
            problems.append("the restore differs: %s" % lost[:10])
        summary.check("backup: the restore keeps every r2 row and file", problems)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        dropdb(restored)


def table_fingerprint(db, label, addons=ROOT):
    run_script(db, TABLES_SCRIPT, label, addons=addons)
    with open(log_path(label)) as fp:
        return [
            line.split(" ", 1)[1].strip() for line in fp if line.startswith("table ")
        ]


def install_with_data(db, label, addons=ROOT):
    """r2_crm installed on a new ``db`` as in production, without demo data,
    with data a user would have made through its ORM (tools/lifecycle_data.py).
    Returns the problems."""
    create_db(db, demo=False)
    problems = install(db, label + "-install", "--without-demo=all", addons=addons)
    return problems or run_script(
        db, tool_script("lifecycle_data.py"), label + "-data", addons=addons
    )


def upgrade_problems(db, label, addons=ROOT):
    """``-u r2_crm`` with this tree, on ``db`` made with the r2_crm of
    ``addons``: the problems, with the data changed."""
    before = table_fingerprint(db, label + "-before", addons)
    problems = install(db, label + "-upgrade", update=True)
    after = table_fingerprint(db, label + "-after")
    if before != after or not before:
        problems.append("upgrade changed the data: %s -> %s" % (before, after))
    if any(line.split("|")[1] == "0" for line in before):
        problems.append("a table was empty: %s" % before)
    return problems


def check_lifecycle(summary, args):
    """Upgrading keeps every record; uninstalling leaves a working server."""
    db = "r2crm_lifecycle"
    try:
        problems = install_with_data(db, "lifecycle")
        summary.check(
            "lifecycle: -u keeps the data", problems + upgrade_problems(db, "lifecycle")
        )
        problems = run_logged(
            click_cmd("click-odoo-uninstall", "-d", db, "-m", MODULE),
            log_path("lifecycle-uninstall"),
        )
        # a new registry loads, and the module is gone
        problems += run_script(
            db,
            "state = env['ir.module.module'].search([('name', '=', %r)]).state\n"
            "assert state == 'uninstalled', state\n" % MODULE,
            "lifecycle-after-uninstall",
        )
        summary.check("lifecycle: uninstall", problems)
    finally:
        if not args.keep_db:
            dropdb(db)


RELEASE_FILE = os.path.join(ROOT, "tools", "last-release")


def check_upgrade(summary, args):
    """The last released r2_crm (tools/last-release), with data made through
    its ORM, upgrades to this tree: the migrations run, every record is kept,
    and tools/upgrade_checks.py finds what the migrations promise."""
    with open(RELEASE_FILE) as fp:
        commit = fp.read().split()[0]
    db = "r2crm_upgrade"
    old = tempfile.mkdtemp(prefix="r2crm-release-")
    try:
        archive = subprocess.run(
            ["git", "archive", commit, MODULE], cwd=ROOT, stdout=subprocess.PIPE
        )
        if archive.returncode:
            summary.check("upgrade", ["release %s is not in this clone" % commit])
            return
        subprocess.run(["tar", "-x", "-C", old], input=archive.stdout, check=True)
        problems = install_with_data(db, "upgrade", addons=old)
        problems = problems or upgrade_problems(db, "upgrade", old)
        problems = problems or run_script(
            db, tool_script("upgrade_checks.py"), "upgrade-checks"
        )
        summary.check("upgrade: release %s to this tree" % commit[:10], problems)
    finally:
        shutil.rmtree(old, ignore_errors=True)
        if not args.keep_db:
            dropdb(db)


def finish(summary):
    for problem in summary.problems:
        print("problem: %s" % problem)
    print("%d passed, %d failed" % (summary.passed, summary.failed))
    return 1 if summary.failed else 0


def cmd_test(args):
    summary = Summary()
    run_pytest(summary, ["odoocompat/tests"], "odoocompat")
    db = "r2crm_test"
    create_db(db)
    try:
        # Installed with its demo data, as `make run` does; then pytest-odoo
        # runs the tests on it, with Odoo's HTTP server in the same process
        # (wkhtmltopdf fetches the protocols' stylesheets from it).
        problems = install(db, "r2_crm-install")
        summary.add(0, len(problems), problems)
        if not problems:
            run_pytest(
                summary,
                ["r2_crm/tests"],
                "r2_crm",
                options=[
                    "--odoo-database=%s" % db,
                    "--odoo-addons-path=%s" % ADDONS_PATH,
                    # the filestore of the servers and scripts around the tests:
                    # files the tests commit must be where a backup finds them
                    "--odoo-extra=data-dir=%s" % DATA_DIR,
                    "--odoo-http",
                    # pytest-odoo's default, critical, would hide logged errors
                    "--odoo-log-level=warn",
                ],
            )
            run_pytest(
                summary,
                ["e2e"],
                "browser",
                {"R2CRM_E2E_DB": db, "R2CRM_E2E_PORT": str(args.port + 1)},
            )
            summary.check("translations: pl.po complete", check_translations(db))
            check_backup(summary, db)
        check_lifecycle(summary, args)
        check_upgrade(summary, args)
    finally:
        if not args.keep_db:
            dropdb(db)
    return finish(summary)


def cmd_test_faults(args):
    """The fault tests of faults/ (make test-faults): Odoo processes started,
    run side by side and killed, and PostgreSQL stopped as in a crash, on a
    database of their own with the demo data."""
    summary = Summary()
    db = "r2crm_faults"
    create_db(db)
    try:
        problems = install(db, "r2_crm-install-faults")
        summary.add(0, len(problems), problems)
        if not problems:
            run_pytest(
                summary,
                ["faults"],
                "faults",
                {"R2CRM_FAULTS_DB": db, "R2CRM_FAULTS_PORT": str(args.port + 11)},
            )
    finally:
        if not args.keep_db:
            dropdb(db)
    return finish(summary)


def cmd_test_odoo_base(args):
    """Odoo's own base tests through Odoo's runner, which exits non-zero when
    one fails; the log says how many ran."""
    summary = Summary()
    db = "r2crm_base_test"
    dropdb(db)
    try:
        label = "odoo-base-tests"
        problems = run_logged(
            odoo_cmd(
                db,
                "-i",
                "base",
                "--stop-after-init",
                "--test-enable",
                "--log-level=test",
                "--http-port=%d" % args.port,
            ),
            log_path(label),
        )
        with open(log_path(label)) as fp:
            ran = sum(int(n) for n in re.findall(r": Ran (\d+) tests? in ", fp.read()))
        summary.add(ran - len(problems), len(problems), problems)
    finally:
        dropdb(db)
    return finish(summary)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser(
        "test", help="compat pytest + r2_crm tests on a fresh database"
    )
    test.add_argument("--port", type=int, default=8169)
    test.add_argument("--keep-db", action="store_true")
    test.set_defaults(func=cmd_test)
    faults = sub.add_parser(
        "test-faults", help="processes killed, crons on two nodes, PostgreSQL crash"
    )
    faults.add_argument("--port", type=int, default=8169)
    faults.add_argument("--keep-db", action="store_true")
    faults.set_defaults(func=cmd_test_faults)
    base = sub.add_parser(
        "test-odoo-base", help="Odoo's own base tests under the compat layer"
    )
    base.add_argument("--port", type=int, default=8169)
    base.set_defaults(func=cmd_test_odoo_base)
    args = parser.parse_args()
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()
