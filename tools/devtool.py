#!/usr/bin/env python3
"""Run Odoo 11 with r2_crm on this machine's PostgreSQL (``make run``), and
the helpers that tools/testing.py (``make test``) and bench/ share.

It is glue around the stock tools: Odoo's ``odoo`` command serves, installs, updates
and exports translations; click-odoo-contrib makes databases
(``click-odoo-initdb``, from its cache of templates), lists, drops and
uninstalls; ``click-odoo`` runs the data scripts of tools/ in a database; and
pytest with pytest-odoo runs the tests. The compat layer is a package of the
virtualenv (setup.py) whose ``.pth`` loads the Python 3.11 patches in each.
"""

import argparse
import ast
import datetime
import hashlib
import os
import re
import subprocess
import sys
import sysconfig

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
# A line Odoo logs as an error: the logger is the fifth field.
ERROR_RE = re.compile(r"^\S+ \S+ \d+ (?:ERROR|CRITICAL) \S+ (\S+): ")


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
    return env


def odoo_rc(addons=ROOT):
    """An Odoo configuration file naming the addons path (r2_crm found in
    ``addons``) and the data directory, for ``odoo`` and the click-odoo tools."""
    os.makedirs(os.path.join(DATA_DIR, "sessions"), exist_ok=True)
    os.makedirs(LOG_DIR, exist_ok=True)
    digest = hashlib.sha1(addons.encode()).hexdigest()[:8]
    path = os.path.join(LOG_DIR, "odoo-%s.rc" % digest)
    with open(path, "w") as fp:
        fp.write(
            "[options]\naddons_path = %s,%s\ndata_dir = %s\n"
            % (ODOO_ADDONS, addons, DATA_DIR)
        )
    return path


def odoo_cmd(db, *args, command=None, addons=ROOT):
    """The Odoo command line on ``db``; ``addons`` is where r2_crm is found."""
    return (
        [os.path.join(VENV_BIN, "odoo")]
        + ([command] if command else [])
        + ["-c", odoo_rc(addons), "-d", db, "--db-filter=^%s$" % re.escape(db)]
        + list(args)
    )


def click_cmd(tool, *args, addons=ROOT):
    """A click-odoo tool's command line, with the configuration of odoo_rc."""
    return [os.path.join(VENV_BIN, tool), "-c", odoo_rc(addons)] + list(args)


def run_logged(cmd, log_path, script=None):
    """Run ``cmd`` (``script`` on its input) with its output in ``log_path``.

    Returns the problems: a non-zero exit, and every line Odoo logged as an
    error outside a test's own output (a module that failed to load, a
    crashed report or request), which the exit status does not show."""
    os.makedirs(LOG_DIR, exist_ok=True)
    problems = []
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd,
            env=odoo_env(),
            stdin=subprocess.PIPE if script else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
        )
        if script:
            proc.stdin.write(script)
            proc.stdin.close()
        for line in proc.stdout:
            log.write(line)
            match = ERROR_RE.match(line)
            if match and ".tests." not in match.group(1):
                problems.append(line.rstrip())
            if match or ": Ran " in line:
                sys.stdout.write(line)
        rc = proc.wait()
    if rc:
        problems.append(
            "%s exited %d, see %s" % (os.path.basename(cmd[0]), rc, log_path)
        )
    return problems


def log_path(label):
    return os.path.join(LOG_DIR, "%s.log" % label)


def run_script(db, script, label, addons=ROOT):
    """Run the Python ``script`` (text) with click-odoo in ``db``; problems."""
    return run_logged(
        click_cmd("click-odoo", "-d", db, addons=addons), log_path(label), script
    )


def db_exists(db):
    out = subprocess.run(
        click_cmd("click-odoo-listdb"),
        env=odoo_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        universal_newlines=True,
        check=True,
    ).stdout
    return db in out.split()


def dropdb(db):
    subprocess.run(
        click_cmd("click-odoo-dropdb", "--if-exists", db), env=odoo_env(), check=True
    )


def manifest_depends():
    with open(os.path.join(ROOT, MODULE, "__manifest__.py")) as fp:
        return ast.literal_eval(fp.read())["depends"]


def template_prefix():
    """click-odoo-initdb's cache prefix: a new set of Python packages gets new
    templates (the cache itself is keyed on the addons' source and demo)."""
    with open(os.path.join(ROOT, "requirements.txt"), "rb") as fp:
        return "r2" + hashlib.sha1(fp.read()).hexdigest()[:6]


def create_db(db, demo=True):
    """Database ``db`` with r2_crm's dependencies (with their demo data unless
    ``demo`` is false), copied by click-odoo-initdb from its cache of template
    databases (``r2xxxxxx-<date>-<hash>``), which it builds on first use."""
    dropdb(db)
    problems = run_logged(
        click_cmd(
            "click-odoo-initdb",
            "--cache-prefix=%s" % template_prefix(),
            "--new-database=%s" % db,
            "--modules=%s" % ",".join(sorted(manifest_depends())),
            "--demo" if demo else "--no-demo",
        ),
        log_path("initdb-%s" % db),
    )
    if problems:
        print("\n".join(problems))
        sys.exit("creating database %s failed" % db)


def install(db, label, *options, update=False, addons=ROOT):
    """Install r2_crm on ``db``, or with ``update`` update it (``-i`` on an
    installed module would load its demo data again); the problems."""
    option = "-u" if update else "-i"
    return run_logged(
        odoo_cmd(db, option, MODULE, "--stop-after-init", *options, addons=addons),
        log_path(label),
    )


def set_system_parameters(db, **params):
    """Set the system parameters of ``db`` through the ORM, with the server
    stopped or elsewhere. ``None`` removes a loopback URL that devtool set,
    and keeps a value the shop set."""
    problems = run_script(
        db,
        "Param = env['ir.config_parameter']\n"
        "for key, value in %r.items():\n"
        "    mine = (Param.get_param(key) or '').startswith('http://127.0.0.1:')\n"
        "    if value or mine:\n"
        "        Param.set_param(key, value or False)\n" % params,
        "params-%s" % db,
    )
    if problems:
        sys.exit("setting %s on %s failed: %s" % (", ".join(params), db, problems))


# --------------------------------------------------------------------------- run
def cmd_run(args):
    """Serve ``args.db``: made with r2_crm's demo data, or r2_crm updated."""
    new = not db_exists(args.db)
    if new:
        create_db(args.db)
    else:
        # the update first: the scripts below load the new code, which reads
        # the columns the update adds (a field of res.partner, say)
        problems = install(args.db, "run-update-%s" % args.db, update=True)
        if problems:
            print("\n".join(problems))
            sys.exit("updating %s on %s failed" % (MODULE, args.db))
    extra = []
    if args.workers:
        extra = prefork_options(args.workers, args.port + 3)
    set_system_parameters(
        args.db,
        **{"report.url": prefork_report_url(args.port) if args.workers else None},
    )
    install_option = ["-i", MODULE] if new else []
    cmd = odoo_cmd(args.db, "--http-port=%d" % args.port, *(install_option + extra))
    print("run: %s on http://localhost:%d (admin/admin)" % (MODULE, args.port))
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


def prefork_options(workers, longpolling_port):
    return [
        "--workers=%d" % workers,
        "--max-cron-threads=1",
        "--longpolling-port=%d" % longpolling_port,
    ] + ["--%s=%d" % item for item in sorted(PREFORK_LIMITS.items())]


# --------------------------------------------------------------------- backups
def backup(db, folder):
    """A dated zip of ``db`` and its filestore (protocols, signatures,
    quotes, e-mail attachments) in ``folder``, made by click-odoo-backupdb:
    its zip format is Odoo's own backup (the dump format leaves the filestore
    out). Returns (the archive's path, the problems)."""
    os.makedirs(folder, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = os.path.abspath(os.path.join(folder, "%s-%s.zip" % (db, stamp)))
    problems = run_logged(
        click_cmd("click-odoo-backupdb", "--format=zip", db, path),
        log_path("backup-%s" % db),
    )
    return path, problems


def restore(path, db):
    """``db`` made from the archive ``path`` by click-odoo-restoredb, as a
    copy (a new database uuid: it runs beside the original without mixing
    their sessions or registrations); the problems."""
    return run_logged(
        click_cmd("click-odoo-restoredb", "--copy", db, os.path.abspath(path)),
        log_path("restore-%s" % db),
    )


def cmd_backup(args):
    path, problems = backup(args.db, args.dir)
    if problems:
        print("\n".join(problems))
        return 1
    print(path)
    return 0


def cmd_restore(args):
    if db_exists(args.db):
        sys.exit("%s exists: drop it first, or restore under another name" % args.db)
    problems = restore(args.file, args.db)
    if problems:
        print("\n".join(problems))
        return 1
    print("restored %s as %s" % (args.file, args.db))
    return 0


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
    save = sub.add_parser("backup", help="a dated zip of DB with its filestore")
    save.add_argument("--db", default="r2crm")
    save.add_argument("--dir", default="backups")
    save.set_defaults(func=cmd_backup)
    load = sub.add_parser("restore", help="a new database DB from a backup zip")
    load.add_argument("--file", required=True)
    load.add_argument("--db", required=True)
    load.set_defaults(func=cmd_restore)
    args = parser.parse_args()
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()
