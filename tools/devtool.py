#!/usr/bin/env python3
"""Run Odoo 11 with r2_crm, or test it, on this machine's PostgreSQL.

Used by the Makefile; run ``tools/devtool.py --help`` for the commands.
It drives the stock tools: Odoo's own ``odoo`` command, ``click-odoo-initdb``
for databases with r2_crm's dependencies (from its cache of templates) and
``pytest`` with pytest-odoo for the tests. The virtualenv's ``odoocompat.pth``
(written by tools/bootstrap.sh) loads the Python 3.11 patches in each of them.
"""

import argparse
import ast
import hashlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOG_DIR = os.path.join(ROOT, ".test-logs")
# Odoo's filestore and sessions. The sessions folder is made here: Odoo makes
# it on the first request, and two first requests at once (wkhtmltopdf
# fetching two stylesheets) race, one failing with FileExistsError.
DATA_DIR = os.path.join(ROOT, ".odoo-data")
ODOO_ADDONS = os.path.join(sysconfig.get_paths()["purelib"], "odoo", "addons")
ADDONS_PATH = "%s,%s" % (ODOO_ADDONS, ROOT)
VENV_BIN = os.path.dirname(sys.executable)
MODULE = "r2_crm"


def odoo_env():
    env = dict(os.environ)
    # Debian's lessc finds its modules (tslib) only through NODE_PATH under Node 20.
    env.setdefault("NODE_PATH", "/usr/share/nodejs")
    # wkhtmltopdf renders without an X server.
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Odoo 11's first HTTP request imports every addon with a static folder
    # while the server's main thread may still import the installed ones:
    # two threads importing the same packages can leave one half-imported,
    # and the registry then fails for good ("Model 'account.bank.statement.
    # line' does not exist in registry"). Odoo 11's own switch (odoo/http.py,
    # load_addons) turns the preload off, as later versions do.
    env.setdefault("ODOO_PRELOAD_ADDONS", "no")
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


def odoo_cmd(db, *args, command=None, addons=ROOT):
    """The Odoo command line on ``db``; ``addons`` is where r2_crm is found."""
    os.makedirs(os.path.join(DATA_DIR, "sessions"), exist_ok=True)
    return (
        [os.path.join(VENV_BIN, "odoo")]
        + ([command] if command else [])
        + [
            "--addons-path=%s,%s" % (ODOO_ADDONS, addons),
            "--data-dir=%s" % DATA_DIR,
            "-d",
            db,
            "--db-filter=^%s$" % re.escape(db),
        ]
        + list(args)
    )


def psql_value(sql):
    out = subprocess.run(
        ["psql", "-d", "postgres", "-Atqc", sql],
        check=True,
        stdout=subprocess.PIPE,
        universal_newlines=True,
    ).stdout
    return out.strip()


def db_exists(db):
    return psql_value("SELECT 1 FROM pg_database WHERE datname = '%s'" % db) == "1"


def module_state(db):
    if not db_exists(db):
        return None
    out = subprocess.run(
        [
            "psql",
            "-d",
            db,
            "-Atqc",
            "SELECT state FROM ir_module_module WHERE name = '%s'" % MODULE,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        universal_newlines=True,
    )
    return out.stdout.strip() or None


def manifest_depends():
    path = os.path.join(ROOT, MODULE, "__manifest__.py")
    with open(path) as fp:
        return ast.literal_eval(fp.read())["depends"]


# --------------------------------------------------------------------------- run
def cmd_run(args):
    state = module_state(args.db)
    if not db_exists(args.db):
        print(
            "run: creating database %s with %s"
            % (args.db, ", ".join(manifest_depends()))
        )
        create_db(args.db)
    extra = ["-u", MODULE] if state == "installed" else ["-i", MODULE]
    if args.workers:
        extra += prefork_options(args.workers, args.port + 3)
    set_report_url(args.db, prefork_report_url(args.port) if args.workers else None)
    cmd = odoo_cmd(args.db, "--http-port=%d" % args.port, *extra)
    print(
        "run: %s %s on http://localhost:%d (admin/admin)%s"
        % (
            extra[0],
            MODULE,
            args.port,
            (
                ", %d workers, a cron worker, longpolling on %d"
                % (args.workers, args.port + 3)
                if args.workers
                else ""
            ),
        )
    )
    os.execve(cmd[0], cmd, odoo_env())


# Odoo's prefork server (make run WORKERS=N): per worker, a request may use
# 120 s of CPU (an import of 10,000 rows takes about 30) and 240 s in all; a
# worker past 2 GiB finishes its request and is replaced, one past 2.5 GiB is
# stopped at once. wkhtmltopdf runs beside the worker and fetches the report's
# stylesheets from it, so a print holds one worker and needs another.
PREFORK_LIMITS = {
    "limit-time-cpu": 120,
    "limit-time-real": 240,
    "limit-memory-soft": 2048 * 1024 * 1024,
    "limit-memory-hard": 2560 * 1024 * 1024,
}


def prefork_report_url(port):
    """Where wkhtmltopdf fetches a report's stylesheets on the prefork server
    of ``port``: its gevent process (longpolling, port + 3), which serves any
    number of such requests at once. Fetched from the HTTP workers, two
    protocols printed at the same moment on two workers each wait for a free
    worker until the request times out (make load showed it with 2 clerks)."""
    return "http://127.0.0.1:%d" % (port + 3)


def set_system_parameter(db, key, value):
    """Set the system parameter ``key`` of ``db`` to ``value`` (ours: a URL),
    with the server stopped or elsewhere, as psql does it."""
    value = "'%s'" % value.replace("'", "''")
    sql = (
        "UPDATE ir_config_parameter SET value = {value} WHERE key = '{key}';"
        "INSERT INTO ir_config_parameter (key, value, create_date, write_date) "
        "SELECT '{key}', {value}, now(), now() WHERE NOT EXISTS "
        "(SELECT 1 FROM ir_config_parameter WHERE key = '{key}')"
    ).format(key=key, value=value)
    subprocess.run(["psql", "-d", db, "-qc", sql], check=True)


def set_report_url(db, url):
    """Point the system parameter report.url of ``db`` at ``url``; None
    removes the value make run set for workers (web.base.url serves again)."""
    if url:
        set_system_parameter(db, "report.url", url)
        return
    sql = (
        "DELETE FROM ir_config_parameter WHERE key = 'report.url' "
        "AND value LIKE 'http://127.0.0.1:%'"
    )
    subprocess.run(["psql", "-d", db, "-qc", sql], check=True)


def prefork_options(workers, longpolling_port):
    return [
        "--workers=%d" % workers,
        "--max-cron-threads=1",
        "--longpolling-port=%d" % longpolling_port,
    ] + ["--%s=%d" % item for item in sorted(PREFORK_LIMITS.items())]


# -------------------------------------------------------------------------- tests
class Summary:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.problems = []

    def add(self, passed, failed, problems=()):
        self.passed += passed
        self.failed += failed
        self.problems.extend(problems)


RAN_RE = re.compile(r" (?:INFO|ERROR) \S+ (\S+): Ran (\d+) tests? in ")
MODULE_FAIL_RE = re.compile(
    r"odoo\.modules\.module: Module (\S+): (\d+) failures, (\d+) errors"
)
SKIPPED_RE = re.compile(r"\.tests\.\S+: .*\(.*skipped=(\d+)")
LOG_ERROR_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) \S+ (\S+): (.*)$")


def parse_odoo_log(path, expect_module=None):
    """Count tests and failures in an Odoo 11 --test-enable log.

    Odoo exits non-zero when a test failed (odoo/cli/server.py returns the
    assertion report), but only the log says how many tests ran and failed, and
    only the log shows an ERROR/CRITICAL line outside a test's own output: a
    module that failed to load, a crashed report or request. Such a line counts
    as a failure too.
    """
    total = failed = 0
    skipped = 0
    problems = []
    ran_modules = set()
    with open(path, errors="replace") as fp:
        lines = fp.read().splitlines()
    for line in lines:
        match = RAN_RE.search(line)
        if match:
            total += int(match.group(2))
            ran_modules.add(match.group(1))
            continue
        match = MODULE_FAIL_RE.search(line)
        if match:
            failed += int(match.group(2)) + int(match.group(3))
            continue
        match = SKIPPED_RE.search(line)
        if match:
            skipped += int(match.group(1))
            continue
        match = LOG_ERROR_RE.match(line)
        if match:
            logger, message = match.group(2), match.group(3)
            if ".tests." in logger or "At least one test failed" in message:
                continue
            problems.append(line)
    if expect_module and not any(
        name.startswith("odoo.addons.%s." % expect_module) for name in ran_modules
    ):
        problems.append("no test of %s ran" % expect_module)
    passed = total - failed - skipped
    return passed, failed + len(problems), problems


def run_logged(cmd, log_path, env):
    os.makedirs(LOG_DIR, exist_ok=True)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
        )
        for line in proc.stdout:
            log.write(line)
            if (
                " ERROR " in line
                or " CRITICAL " in line
                or ": Ran " in line
                or " running tests." in line
            ):
                sys.stdout.write(line)
        return proc.wait()


def dropdb(db):
    subprocess.run(["dropdb", "--if-exists", db], check=True)


def template_prefix():
    """click-odoo-initdb's cache prefix: a new set of Python packages gets new
    templates (the cache itself is keyed on the addons' source)."""
    with open(os.path.join(ROOT, "requirements.txt"), "rb") as fp:
        return "r2" + hashlib.sha1(fp.read()).hexdigest()[:6]


def create_db(db):
    """Database ``db`` with r2_crm's dependencies and their demo data.

    click-odoo-initdb copies it from its cache of template databases
    (``r2xxxxxx-<date>-<hash>``), building the template on first use."""
    dropdb(db)
    log = os.path.join(LOG_DIR, "initdb-%s.log" % db)
    rc = run_logged(
        [
            os.path.join(VENV_BIN, "click-odoo-initdb"),
            "--addons-path=%s" % ADDONS_PATH,
            "--cache-prefix=%s" % template_prefix(),
            "--new-database=%s" % db,
            "--modules=%s" % ",".join(sorted(manifest_depends())),
        ],
        log,
        odoo_env(),
    )
    problems = parse_odoo_log(log)[2]
    if rc or problems:
        print("\n".join(problems))
        sys.exit("creating database %s failed, see %s" % (db, log))


def install_problems(db, args, label, *options, module=MODULE, addons=ROOT):
    """Install ``module`` on ``db``: the problems, an error in the log among them."""
    log = os.path.join(LOG_DIR, "%s.log" % label)
    rc = run_logged(
        odoo_cmd(
            db,
            "-i",
            module,
            "--stop-after-init",
            "--http-port=%d" % args.port,
            *options,
            addons=addons,
        ),
        log,
        odoo_env(),
    )
    problems = parse_odoo_log(log)[2]
    if rc:
        problems.append("installing %s on %s exited %d, see %s" % (module, db, rc, log))
    return problems


def run_pytest(summary, paths, name, env=None, options=()):
    os.makedirs(LOG_DIR, exist_ok=True)
    junit = os.path.join(LOG_DIR, "%s.xml" % name)
    cmd = (
        [
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
        + list(options or ["-p", "no:odoo"])
        + paths
    )
    rc = subprocess.run(cmd, cwd=ROOT, env=dict(odoo_env(), **(env or {}))).returncode
    if not os.path.exists(junit):
        summary.add(0, 1, ["pytest %s did not run (exit %d)" % (name, rc)])
        return
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    tests, fails = int(suite.get("tests")), int(suite.get("failures")) + int(
        suite.get("errors")
    )
    skipped = int(suite.get("skipped", 0))
    problems = [] if tests else ["pytest %s collected no test" % name]
    if rc not in (0, 1):
        problems.append("pytest %s exited %d" % (name, rc))
    summary.add(tests - fails - skipped, fails + len(problems), problems)


def run_odoo_tests(summary, db, args, module, label):
    """Odoo's own tests of ``module`` through Odoo's runner (test-odoo-base)."""
    problems = install_problems(
        db, args, label, "--test-enable", "--log-level=test", module=module
    )
    log = os.path.join(LOG_DIR, "%s.log" % label)
    passed, failed, _problems = parse_odoo_log(log, module)
    summary.add(passed, failed + len(problems), problems)
    print("%s: %d passed, %d failed (log: %s)" % (label, passed, failed, log))


R2_TABLES = (
    "r2_crm_contact",
    "r2_crm_case",
    "r2_crm_case_line",
    "r2_crm_result",
    "r2_crm_level",
    "r2_crm_failure_reason",
    "r2_crm_campaign",
    "r2_crm_campaign_cost",
)


def table_fingerprint(db):
    """Row count and a checksum of ids and names of every r2_crm table."""
    query = " UNION ALL ".join(
        "SELECT '%s', count(*), coalesce(sum(hashtext(id::text || name)), 0) FROM %s"
        % (table, table)
        for table in R2_TABLES
    )
    out = subprocess.run(
        ["psql", "-d", db, "-Atqc", query],
        check=True,
        stdout=subprocess.PIPE,
        universal_newlines=True,
    ).stdout
    return out.strip()


def check_translations(summary, db, args):
    """pl.po must translate every msgid of a template freshly exported from Odoo."""
    template = os.path.join(LOG_DIR, "r2_crm-exported.po")
    rc = run_logged(
        odoo_cmd(
            db,
            "--i18n-export=%s" % template,
            "--modules=%s" % MODULE,
            "--stop-after-init",
            "--http-port=%d" % args.port,
        ),
        os.path.join(LOG_DIR, "i18n-export.log"),
        odoo_env(),
    )
    pl_po = os.path.join(ROOT, MODULE, "i18n", "pl.po")
    result = subprocess.run(
        ["msgcmp", pl_po, template],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
    )
    problems = []
    if rc:
        problems.append("translation export exited %d" % rc)
    if result.returncode:
        problems.append(
            "i18n/pl.po lacks translations (export the template again and "
            "translate):\n" + result.stdout.strip()
        )
    summary.add(0 if problems else 1, 1 if problems else 0, problems)
    print("translations: pl.po %s" % ("incomplete" if problems else "complete"))


def odoo_shell(db, script, log, addons=ROOT):
    with open(log, "w") as out:
        return subprocess.run(
            odoo_cmd(db, "--no-http", command="shell", addons=addons),
            input=script,
            env=odoo_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
        ).returncode


def install_with_data(db, args, label, addons=ROOT):
    """r2_crm installed on a new ``db`` as in production, without demo data,
    with data a user would have made through its ORM (tools/lifecycle_data.py).
    Returns the problems."""
    create_db(db)
    # A new module gets demo data when any dependency has it: clear the flags.
    subprocess.run(
        ["psql", "-d", db, "-qc", "UPDATE ir_module_module SET demo = false"],
        check=True,
    )
    problems = install_problems(
        db, args, label + "-install", "--without-demo=all", addons=addons
    )
    with open(os.path.join(ROOT, "tools", "lifecycle_data.py")) as fp:
        log = os.path.join(LOG_DIR, label + "-data.log")
        if problems or odoo_shell(db, fp.read(), log, addons=addons):
            problems.append(
                "%s: installing or making data failed, see %s" % (label, log)
            )
    return problems


def upgrade_problems(db, args, label):
    """`-u r2_crm` with this tree: problems, and the tables' fingerprint."""
    before = table_fingerprint(db)
    log = os.path.join(LOG_DIR, label + "-upgrade.log")
    rc = run_logged(
        odoo_cmd(db, "-u", MODULE, "--stop-after-init", "--http-port=%d" % args.port),
        log,
        odoo_env(),
    )
    problems = parse_odoo_log(log)[2]
    if rc:
        problems.append("%s: upgrade exited %d" % (label, rc))
    after = table_fingerprint(db)
    if before != after:
        problems.append(
            "%s: upgrade changed the data:\nbefore %s\nafter  %s"
            % (label, before, after)
        )
    if any(line.split("|")[1] == "0" for line in before.splitlines()):
        problems.append("%s: a table was empty: %s" % (label, before))
    return problems, before


def check_lifecycle(summary, args):
    """Upgrading keeps every record; uninstalling leaves a working server."""
    db = "r2crm_lifecycle"
    try:
        problems = install_with_data(db, args, "lifecycle")
        more, before = upgrade_problems(db, args, "lifecycle")
        problems += more
        summary.add(0 if problems else 1, 1 if problems else 0, problems)
        print("lifecycle: -u %s kept %s" % (MODULE, before.replace("\n", "; ")))

        log = os.path.join(LOG_DIR, "lifecycle-uninstall.log")
        rc = odoo_shell(
            db,
            "env['ir.module.module'].search([('name', '=', '%s')])"
            ".button_immediate_uninstall()\nenv.cr.commit()\n" % MODULE,
            log,
        )
        rc2 = run_logged(
            odoo_cmd(db, "--stop-after-init", "--http-port=%d" % args.port),
            log + ".reload",
            odoo_env(),
        )
        problems = parse_odoo_log(log)[2] + parse_odoo_log(log + ".reload")[2]
        state = module_state(db)
        if rc or rc2 or state != "uninstalled":
            problems.append("uninstall: exit %s/%s, state %s" % (rc, rc2, state))
        summary.add(0 if problems else 1, 1 if problems else 0, problems)
        print(
            "lifecycle: uninstall left %s %s, %d problems"
            % (MODULE, state, len(problems))
        )
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
    if subprocess.run(
        ["git", "cat-file", "-e", commit + "^{commit}"],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    ).returncode:
        summary.add(0, 1, ["upgrade: release %s is not in this clone" % commit])
        return
    db = "r2crm_upgrade"
    old = tempfile.mkdtemp(prefix="r2crm-release-")
    try:
        archive = subprocess.run(
            ["git", "archive", commit, MODULE],
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
        ).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        problems = install_with_data(db, args, "upgrade", addons=old)
        problems += upgrade_problems(db, args, "upgrade")[0]
        log = os.path.join(LOG_DIR, "upgrade-checks.log")
        with open(os.path.join(ROOT, "tools", "upgrade_checks.py")) as fp:
            rc = odoo_shell(db, fp.read(), log)
        with open(log) as fp:
            passed = "upgrade checks: ok" in fp.read()
        if rc or not passed:
            problems.append("upgrade checks failed, see %s" % log)
        summary.add(0 if problems else 1, 1 if problems else 0, problems)
        print(
            "upgrade: release %s to this tree, %d problems"
            % (commit[:10], len(problems))
        )
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
        problems = install_problems(db, args, "r2_crm-install")
        summary.add(0, len(problems), problems)
        if not problems:
            run_pytest(
                summary,
                ["r2_crm/tests"],
                "r2_crm",
                options=[
                    "--odoo-database=%s" % db,
                    "--odoo-addons-path=%s" % ADDONS_PATH,
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
            check_translations(summary, db, args)
        check_lifecycle(summary, args)
        check_upgrade(summary, args)
    finally:
        if not args.keep_db:
            dropdb(db)
    return finish(summary)


def cmd_test_odoo_base(args):
    summary = Summary()
    db = "r2crm_base_test"
    dropdb(db)
    try:
        run_odoo_tests(summary, db, args, "base", "odoo-base-tests")
    finally:
        dropdb(db)
    return finish(summary)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="install or update r2_crm on DB and serve it")
    run.add_argument("--db", default="r2crm")
    run.add_argument("--port", type=int, default=8069)
    run.add_argument(
        "--workers", type=int, default=0, help="prefork server with N HTTP workers"
    )
    run.set_defaults(func=cmd_run)
    test = sub.add_parser(
        "test", help="compat pytest + r2_crm tests on a fresh database"
    )
    test.add_argument("--port", type=int, default=8169)
    test.add_argument("--keep-db", action="store_true")
    test.set_defaults(func=cmd_test)
    base = sub.add_parser(
        "test-odoo-base", help="Odoo's own base tests under the compat layer"
    )
    base.add_argument("--port", type=int, default=8169)
    base.set_defaults(func=cmd_test_odoo_base)
    args = parser.parse_args()
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()
