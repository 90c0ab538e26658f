"""`make load`: a service counter day under locust, on this machine's servers.

Run with the project's virtualenv (``.venv/bin/python -m bench.load.run_load``);
locust runs from its own, ``.venv-load`` (``make load`` creates it from
``bench/load/requirements.txt``): it needs Flask and a newer Werkzeug than the
0.16 Odoo 11 pins.

1. The database ``LOAD_DB`` (``r2crm_load``) is made with r2_crm and its demo
   data, or updated (``-u r2_crm``); the clerks ``clerk01``... (department
   users of the service department, their login as password) are made or
   reset.
2. Each scenario starts its own server on loopback, on a free port (threaded,
   or Odoo's prefork server with ``devtool.prefork_options``), points
   ``web.base.url`` at it (wkhtmltopdf fetches the protocol's stylesheets from
   there), prints one protocol to warm it up, runs ``locust --headless`` with
   ``bench/load/locustfile.py`` for ``LOAD_SECONDS`` and stops the server.
3. After each scenario the database is checked: every note and case a clerk
   got acknowledged exists, as acknowledged (its case, its result, S2's case
   closed), case numbers are distinct, and the clerks' new records number
   exactly what they were told.
4. ``bench/load.json`` gets per scenario the clerks, workers, seconds, HTTP
   requests and requests per second, the errors with their messages, p50 and
   p95 per step (from the clerks' own log: every step, failed ones too), the
   database check; the machine, and the targets with whether they were met.

Environment: ``LOAD_SECONDS`` (120), ``LOAD_CLERKS`` (20),
``LOAD_LATENCY_CLERKS`` (10), ``LOAD_WORKERS`` (2), ``LOAD_THINK`` (seconds a
clerk pauses between steps, 0; ``LOAD_LATENCY_THINK`` for the 10 clerks
only, 3), ``LOAD_STYLESHEETS_FROM`` (longpolling or workers, see below),
``LOAD_NOTES`` (plain notes per case, 2),
``LOAD_TIMEOUT`` (seconds per request, 60), ``LOAD_SCENARIOS`` (a
comma-separated subset of the scenario names), ``LOAD_DB``, ``LOAD_PORT``
(first port tried, 8269). ``LOAD_SMOKE=1`` is a short run (20 s, 4 and 2
clerks) whose results go to ``.test-logs/load-smoke.json`` instead. Timing is
reported, never asserted; the exit code is 1 when a clerk met an error or the
database check failed.
"""

import collections
import http.cookiejar
import json
import math
import os
import platform
import re
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone

import psutil
import psycopg2

from tools import devtool
from tools.devtool import ROOT

SMOKE = os.environ.get("LOAD_SMOKE", "") not in ("", "0")
# make load CLUSTER=1: the counter day on make cluster's nodes, one of them
# killed halfway (bench/load/failover.py)
CLUSTER = os.environ.get("LOAD_CLUSTER", "") not in ("", "0")
SECONDS = int(os.environ.get("LOAD_SECONDS", "20" if SMOKE else "120"))
CLERKS = int(os.environ.get("LOAD_CLERKS", "4" if SMOKE else "20"))
LATENCY_CLERKS = int(os.environ.get("LOAD_LATENCY_CLERKS", "2" if SMOKE else "10"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
THINK = float(os.environ.get("LOAD_THINK", "0"))
# The 10 clerks of the latency scenario work at a (quick) human pace: 3 s on
# average between two steps. Back to back, 10 clerks keep both cores of this
# machine busy and S1's p95 measures the queue, not the clerk's wait.
LATENCY_THINK = float(os.environ.get("LOAD_LATENCY_THINK", "3"))
NOTES = int(os.environ.get("LOAD_NOTES", "2"))
TIMEOUT = int(os.environ.get("LOAD_TIMEOUT", "60"))
DB = os.environ.get("LOAD_DB", "r2crm_load")
FIRST_PORT = int(os.environ.get("LOAD_PORT", "8269"))
# Where wkhtmltopdf fetches the protocol's stylesheets from on the prefork
# server: "longpolling" (report.url: the server's gevent process on port + 3,
# as make run WORKERS=N sets it, devtool.prefork_report_url) or "workers"
# (report.url unset: web.base.url, the HTTP workers themselves, which two
# prints at once starve)
STYLESHEETS_FROM = os.environ.get("LOAD_STYLESHEETS_FROM", "longpolling")
UPDATE = os.environ.get("LOAD_UPDATE", "1") != "0"
CLERK_PREFIX = "clerk"
LOCUST = os.environ.get(
    "LOAD_LOCUST", os.path.join(ROOT, ".venv-load", "bin", "locust")
)
LOCUSTFILE = os.path.join(ROOT, "bench", "load", "locustfile.py")
LOG_DIR = os.path.join(devtool.LOG_DIR, "load")
STEPS = (
    "login",
    "s1_intake",
    "case_list",
    "case_open",
    "add_note",
    "s2_close",
    "print_intake",
)
THROUGHPUT_RATIO_TARGET = 1.5
S1_P95_TARGET_MS = 1000
# seconds a clerk may take to finish the customer in hand when locust stops
LOCUST_STOP_TIMEOUT = TIMEOUT + 30


def scenarios():
    """The three runs of the issue; LOAD_SCENARIOS picks some of them."""
    every = [
        # the same day on the threaded server and on WORKERS prefork workers:
        # their requests per second are compared
        dict(name="threaded", clerks=CLERKS, workers=0, think=THINK),
        dict(name="workers", clerks=CLERKS, workers=WORKERS, think=THINK),
        # S1's p95 with fewer clerks on the prefork server
        dict(
            name="workers_latency",
            clerks=LATENCY_CLERKS,
            workers=WORKERS,
            think=LATENCY_THINK,
        ),
    ]
    wanted = [n for n in os.environ.get("LOAD_SCENARIOS", "").split(",") if n]
    unknown = set(wanted) - {s["name"] for s in every}
    if unknown:
        sys.exit("load: unknown scenario %s" % ", ".join(sorted(unknown)))
    return [s for s in every if not wanted or s["name"] in wanted]


def log(message):
    print("load: %s" % message, flush=True)


def connect():
    return psycopg2.connect(dbname=DB)


def sql(query, params=None):
    """Rows of one statement on the load database, committed."""
    with connect() as conn, conn.cursor() as cr:
        cr.execute(query, params)
        rows = cr.fetchall() if cr.description else None
    conn.close()
    return rows


# ------------------------------------------------------------------ database
CLERKS_SCRIPT = """
import json
Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
group = env.ref("r2_crm.r2_crm_group_user_department")
lang = env["res.lang"].search([("code", "=", "pl_PL")]) and "pl_PL"
for number in range(1, %(count)d + 1):
    login = "%(prefix)s%%02d" %% number
    vals = {
        "name": "Clerk %%02d" %% number,
        "login": login,
        "password": login,
        "email": False,
        "tz": "Europe/Warsaw",
        "r2_crm_purpose": "service",
        "groups_id": [(6, 0, [group.id])],
    }
    if lang:
        vals["lang"] = lang
    user = Users.search([("login", "=", login)])
    if user:
        user.write(vals)
    else:
        Users.create(vals)
env.cr.commit()
print("load clerks: %%d, lang %%s" %% (%(count)d, lang or "en_US"))
"""


def prepare_database(clerks):
    """r2_crm with demo data on DB (made, else updated unless LOAD_UPDATE=0),
    and the clerks."""
    new = not devtool.db_exists(DB)
    if new:
        log("creating database %s" % DB)
        devtool.create_db(DB)
    if new or UPDATE:
        log("installing or updating %s on %s" % (devtool.MODULE, DB))
        problems = devtool.install(
            DB, "load-install", "--max-cron-threads=0", update=not new
        )
        if problems:
            sys.exit("load: installing r2_crm on %s failed: %s" % (DB, problems))
    path = devtool.log_path("load-clerks")
    script = CLERKS_SCRIPT % {"count": clerks, "prefix": CLERK_PREFIX}
    if devtool.run_script(DB, script, "load-clerks"):
        sys.exit("load: making the clerks failed, see %s" % path)
    with open(path) as fp:
        made = [line for line in fp if line.startswith("load clerks:")]
    if not made:
        sys.exit("load: making the clerks failed, see %s" % path)
    log(made[0].strip())


def clerk_ids():
    return [
        row[0]
        for row in sql(
            "SELECT id FROM res_users WHERE login LIKE %s", (CLERK_PREFIX + "%",)
        )
    ]


def set_base_url(url, report_url=None):
    """web.base.url is where wkhtmltopdf fetches the stylesheets, unless
    report.url is set (only with ``report_url``)."""
    devtool.set_system_parameters(DB, **{"report.url": report_url, "web.base.url": url})


def high_water():
    """The highest contact and case ids before a run."""
    return {
        table: sql("SELECT coalesce(max(id), 0) FROM %s" % table)[0][0]
        for table in ("r2_crm_contact", "r2_crm_case")
    }


# -------------------------------------------------------------------- server
def port_free(port):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port():
    """A loopback port that is free, with port + 3 (longpolling) free too."""
    for port in range(FIRST_PORT, FIRST_PORT + 200, 4):
        if port_free(port) and port_free(port + 3):
            return port
    sys.exit("load: no free port from %d" % FIRST_PORT)


def server_options(workers, port):
    """Scheduled actions are off in both servers: the customers' e-mails
    (rendered PDFs) would run at their own times and blur the comparison."""
    if workers:
        options = devtool.prefork_options(workers, port + 3)
        options = [o for o in options if not o.startswith("--max-cron-threads")]
    else:
        options = ["--workers=0"]
    return options + ["--max-cron-threads=0", "--http-interface=127.0.0.1"]


def start_server(workers, port, log_path):
    cmd = devtool.odoo_cmd(DB, "--http-port=%d" % port, *server_options(workers, port))
    out = open(log_path, "w")
    proc = subprocess.Popen(
        cmd,
        env=devtool.odoo_env(),
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    proc.log_file = out
    url = "http://127.0.0.1:%d" % port
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                "the server exited with %s, see %s" % (proc.returncode, log_path)
            )
        try:
            with urllib.request.urlopen(url + "/web/login", timeout=5) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            pass
        time.sleep(1)
    stop_server(proc)
    raise RuntimeError("the server did not answer in 180 s, see %s" % log_path)


def stop_server(proc):
    """SIGTERM, then after 60 s SIGKILL to the server's own process group."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
    try:
        # workers or wkhtmltopdf left behind by a killed master
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.log_file.close()


def warm_up(url):
    """Log in as the first clerk and print a demo intake protocol: the
    first print compiles the report's assets, which is no clerk's step."""
    row = sql(
        "SELECT c.id FROM r2_crm_contact c JOIN r2_crm_result r ON r.id = c.result_id "
        "WHERE r.code = 'S1' AND c.case_id IS NOT NULL ORDER BY c.id LIMIT 1"
    )
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login = CLERK_PREFIX + "01"
    body = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"db": DB, "login": login, "password": login},
    }
    request = urllib.request.Request(
        url + "/web/session/authenticate",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(request, timeout=60) as response:
        answer = json.load(response)
    if not (answer.get("result") or {}).get("uid"):
        raise RuntimeError("warm-up: %s could not log in: %s" % (login, answer))
    if row:
        path = "/report/pdf/r2_crm.report_intake_protocol/%d" % row[0][0]
        with opener.open(url + path, timeout=180) as response:
            if not response.read().startswith(b"%PDF"):
                raise RuntimeError("warm-up: %s is no PDF" % path)


def locust_version():
    out = subprocess.run(
        [LOCUST, "--version"], stdout=subprocess.PIPE, universal_newlines=True
    ).stdout
    return out.split()[1] if out.startswith("locust ") else out.strip()


def start_locust(scenario, url, prefix):
    """locust --headless for the scenario (``seconds``, else LOAD_SECONDS),
    started; its process."""
    seconds = scenario.get("seconds", SECONDS)
    env = dict(
        os.environ,
        R2CRM_LOAD_DB=DB,
        R2CRM_LOAD_LOG=prefix + "-clerks.jsonl",
        R2CRM_LOAD_CLERK=CLERK_PREFIX,
        R2CRM_LOAD_NOTES=str(NOTES),
        R2CRM_LOAD_THINK=str(scenario["think"]),
        R2CRM_LOAD_TIMEOUT=str(TIMEOUT),
    )
    cmd = [
        LOCUST,
        "-f",
        LOCUSTFILE,
        "--headless",
        "--only-summary",
        "-u",
        str(scenario["clerks"]),
        "-r",
        str(scenario["clerks"]),
        "--run-time",
        "%ds" % seconds,
        "--stop-timeout",
        str(LOCUST_STOP_TIMEOUT),
        "--host",
        url,
        "--csv",
        prefix,
        "--logfile",
        prefix + "-locust.log",
    ]
    out = open(prefix + "-locust.out", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    proc.log_file = out
    proc.deadline = time.time() + seconds + LOCUST_STOP_TIMEOUT + 120
    return proc


def wait_locust(proc):
    """locust's exit code, or "timeout" when it outlived its run (killed)."""
    try:
        return proc.wait(max(proc.deadline - time.time(), 1))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return "timeout"
    finally:
        proc.log_file.close()


def run_locust(scenario, url, prefix):
    """locust --headless for the scenario; its exit code."""
    return wait_locust(start_locust(scenario, url, prefix))


# ------------------------------------------------------------------ analysis
def percentile(values, pct):
    """Nearest-rank percentile of ``values`` (ms), None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(int(math.ceil(pct / 100.0 * len(ordered))) - 1, 0)]


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as fp:
        return [json.loads(line) for line in fp if line.strip()]


def error_summary(messages):
    """Errors grouped by message with the numbers masked: count and an example."""
    groups = collections.OrderedDict()
    for message in messages:
        key = re.sub(r"\b\d+\b", "N", message)[:200]
        entry = groups.setdefault(key, {"count": 0, "example": message[:300]})
        entry["count"] += 1
    return [
        dict(message=key, **entry)
        for key, entry in sorted(groups.items(), key=lambda item: -item[1]["count"])
    ]


def locust_exceptions(prefix):
    """Exceptions locust caught outside the clerks' steps (its CSV)."""
    path = prefix + "_exceptions.csv"
    if not os.path.exists(path):
        return []
    import csv

    with open(path) as fp:
        return [
            "exception: %s" % row.get("Message", "")
            for row in csv.DictReader(fp)
            for _ in range(int(row.get("Count") or 1))
        ]


def analyse(lines, prefix):
    """Steps, requests per second and errors from the clerks' log."""
    events = {line["event"]: line["t"] for line in lines if "event" in line}
    steps = [line for line in lines if "step" in line]
    start = events.get("start") or min((s["start"] for s in steps), default=0)
    stopping = events.get("stopping") or max((line["t"] for line in lines), default=0)
    elapsed = max(stopping - start, 0.001)
    in_window = [s for s in steps if s["start"] + s["ms"] / 1000.0 <= stopping]
    requests = sum(s["requests"] for s in in_window)
    per_step = {}
    for name in STEPS:
        times = [s["ms"] for s in steps if s["step"] == name]
        per_step[name] = {
            "count": len(times),
            "errors": sum(1 for s in steps if s["step"] == name and not s["ok"]),
            "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95),
            "max_ms": max(times) if times else None,
        }
    messages = ["%s: %s" % (s["step"], s["error"]) for s in steps if not s["ok"]]
    messages += locust_exceptions(prefix)
    cycles = [line for line in lines if line.get("event") == "cycle"]
    return {
        "elapsed_s": round(elapsed, 1),
        "requests": requests,
        "rps": round(requests / elapsed, 2),
        "cycles": sum(1 for c in cycles if c["t"] <= stopping),
        "cycles_after_stop": sum(1 for c in cycles if c["t"] > stopping),
        "requests_after_stop": sum(
            s["requests"] for s in steps if s["start"] + s["ms"] / 1000.0 > stopping
        ),
        "steps": per_step,
        "errors": {"count": len(messages), "messages": error_summary(messages)},
    }


def check_database(lines, before, clerks):
    """Every acknowledged record exists as acknowledged; numbers are distinct;
    the clerks' new records are exactly the acknowledged ones."""
    acks = [line for line in lines if line.get("ack") == "contact"]
    contact_ids = [a["contact"] for a in acks]
    case_acks = [a for a in acks if a["kind"] == "intake" and a.get("case")]
    case_ids = sorted({a["case"] for a in acks if a.get("case")})
    contacts = {
        row[0]: row[1:]
        for row in sql(
            "SELECT c.id, c.case_id, r.code FROM r2_crm_contact c "
            "LEFT JOIN r2_crm_result r ON r.id = c.result_id "
            "WHERE c.id = ANY(%s::int[])",
            (contact_ids,),
        )
    }
    cases = {
        row[0]: row[1:]
        for row in sql(
            "SELECT id, name, state, purpose FROM r2_crm_case "
            "WHERE id = ANY(%s::int[])",
            (case_ids,),
        )
    }
    wanted_code = {"intake": "S1", "note": None, "close": "S2"}
    problems = []
    missing_contacts = [i for i in contact_ids if i not in contacts]
    missing_cases = [i for i in case_ids if i not in cases]
    for ack in acks:
        found = contacts.get(ack["contact"])
        if found is None:
            continue
        case_id, code = found
        if case_id != ack.get("case") or code != wanted_code[ack["kind"]]:
            problems.append(
                "%s note %s: case %s, result %s in the database, acknowledged "
                "case %s"
                % (ack["kind"], ack["contact"], case_id, code, ack.get("case"))
            )
    for ack in case_acks:
        found = cases.get(ack["case"])
        if found and (found[0] != ack["case_name"] or found[2] != "service"):
            problems.append(
                "case %s is %s (%s), acknowledged as %s"
                % (ack["case"], found[0], found[2], ack["case_name"])
            )
    for ack in acks:
        found = cases.get(ack.get("case"))
        if ack["kind"] == "close" and found and found[1] != "success":
            problems.append("case %s closed by S2 is %s" % (ack["case"], found[1]))
    acked_numbers = collections.Counter(a["case_name"] for a in case_acks)
    duplicates = sql(
        "SELECT name, count(*) FROM r2_crm_case GROUP BY name, company_id "
        "HAVING count(*) > 1 ORDER BY name"
    )
    duplicates = ["%s x%d" % row for row in duplicates] + [
        "%s acknowledged x%d" % item for item in acked_numbers.items() if item[1] > 1
    ]
    counts = {}
    for table, acked in (
        ("r2_crm_contact", len(set(contact_ids))),
        ("r2_crm_case", len({a["case"] for a in case_acks})),
    ):
        in_db = sql(
            "SELECT count(*) FROM %s WHERE id > %%s AND create_uid = ANY(%%s::int[])"
            % table,
            (before[table], clerks),
        )[0][0]
        counts[table] = {"acknowledged": acked, "in_database": in_db}
    ok = not (missing_contacts or missing_cases or problems or duplicates) and all(
        c["acknowledged"] == c["in_database"] for c in counts.values()
    )
    return {
        "ok": ok,
        "acknowledged_notes": len(contact_ids),
        "acknowledged_cases": len(case_acks),
        "missing_notes": missing_contacts[:20],
        "missing_cases": missing_cases[:20],
        "mismatches": problems[:20],
        "duplicate_case_numbers": duplicates[:20],
        "counts": counts,
    }


def server_log_errors(path):
    with open(path, errors="replace") as fp:
        found = [
            line.rstrip()
            for line in fp
            if re.search(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", line)
        ]
    return {"count": len(found), "first": found[:5]}


class CpuMeter:
    """CPU seconds spent while the clerks ran (``wall`` seconds, locust's tail
    included): by the whole machine, by this run's processes (the server with
    its workers, ``server_children`` what they reaped: wkhtmltopdf; locust;
    the database's PostgreSQL backends) and by the others. Another program
    busy on the machine shows as "others" and makes the timings doubtful."""

    def __init__(self, server):
        self.server = server
        self.start = self.sample()

    def sample(self):
        with open("/proc/stat") as fp:
            # user nice system idle iowait irq softirq steal (guest is in user)
            ticks = [int(n) for n in fp.readline().split()[1:9]]
        idle = ticks[3] + ticks[4]
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "wall": time.time(),
            "machine": (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"),
            "locust": children.ru_utime + children.ru_stime,
            "server": tree_seconds(self.server.pid, children=False),
            "server_children": tree_seconds(self.server.pid, children=True),
            "postgresql": backend_seconds(),
        }

    def stop(self):
        end = self.sample()
        used = {key: round(end[key] - self.start[key], 1) for key in end}
        ours = sum(used[key] for key in used if key not in ("machine", "wall"))
        used["others"] = round(used["machine"] - ours, 1)
        used["machine_cores_busy"] = round(used["machine"] / used["wall"], 2)
        return used


def tree_seconds(pid, children):
    """CPU seconds of a process and its living descendants, or (``children``)
    of the descendants they reaped: wkhtmltopdf, workers replaced."""
    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        if children:
            total += times.children_user + times.children_system
        else:
            total += times.user + times.system
    return total


def tree_memory(pid):
    """Resident memory of the server's processes at the end of a run, in MiB:
    the largest one (a worker, or the threaded server) and all of them."""
    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
    except psutil.NoSuchProcess:
        return {}
    sizes = []
    for proc in procs:
        try:
            if "wkhtmltopdf" not in " ".join(proc.cmdline()):
                sizes.append(proc.memory_info().rss / 1024.0 / 1024.0)
        except psutil.NoSuchProcess:
            continue
    return {
        "processes": len(sizes),
        "largest_mib": round(max(sizes), 1) if sizes else None,
        "total_mib": round(sum(sizes), 1),
    }


def backend_seconds():
    """CPU seconds of the PostgreSQL backends connected to the load database."""
    total = 0.0
    for proc in psutil.process_iter(["cmdline"]):
        title = " ".join(proc.info["cmdline"] or [])
        if title.startswith("postgres:") and " %s " % DB in title:
            try:
                times = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
    return total


def run_scenario(scenario):
    """Serve, warm up, run the clerks, stop, check: the scenario's results."""
    name = scenario["name"]
    prefix = os.path.join(LOG_DIR, name)
    for suffix in ("-clerks.jsonl",):
        if os.path.exists(prefix + suffix):
            os.unlink(prefix + suffix)
    port = free_port()
    result = dict(
        clerks=scenario["clerks"],
        workers=scenario["workers"],
        server=(
            "prefork, %d workers" % scenario["workers"]
            if scenario["workers"]
            else "threaded"
        ),
        seconds=SECONDS,
        think_seconds=scenario["think"],
    )
    url = "http://127.0.0.1:%d" % port
    report_url = None
    if scenario["workers"] and STYLESHEETS_FROM == "longpolling":
        report_url = devtool.prefork_report_url(port)
    result["stylesheets_from"] = report_url or url
    set_base_url(url, report_url)
    before = high_water()
    log(
        "%s: %d clerks for %d s on %s (%s)"
        % (name, scenario["clerks"], SECONDS, url, result["server"])
    )
    proc, url = start_server(scenario["workers"], port, prefix + "-server.log")
    try:
        warm_up(url)
        meter = CpuMeter(proc)
        result["locust_exit"] = run_locust(scenario, url, prefix)
        result["cpu_seconds"] = meter.stop()
        result["memory"] = tree_memory(proc.pid)
    finally:
        stop_server(proc)
    lines = read_lines(prefix + "-clerks.jsonl")
    result.update(analyse(lines, prefix))
    result["db_check"] = check_database(lines, before, clerk_ids())
    result["server_log_errors"] = server_log_errors(prefix + "-server.log")
    result["logs"] = os.path.relpath(prefix, ROOT) + "-*"
    steps = result["steps"]
    log(
        "%s: %d requests, %.1f/s, %d errors, S1 p95 %s ms, print p95 %s ms, "
        "database check %s"
        % (
            name,
            result["requests"],
            result["rps"],
            result["errors"]["count"],
            steps["s1_intake"]["p95_ms"],
            steps["print_intake"]["p95_ms"],
            "ok" if result["db_check"]["ok"] else "FAILED",
        )
    )
    return result


def targets(results):
    """The issue's targets, each with its value and whether it is met (None
    when its scenario did not run)."""
    threaded, workers = results.get("threaded"), results.get("workers")
    latency = results.get("workers_latency")
    ratio = (
        round(workers["rps"] / threaded["rps"], 2)
        if threaded and workers and threaded["rps"]
        else None
    )
    s1 = latency["steps"]["s1_intake"]["p95_ms"] if latency else None
    clean = {
        name: {"errors": r["errors"]["count"], "db_check_ok": r["db_check"]["ok"]}
        for name, r in results.items()
    }
    return {
        "no_errors_nothing_lost": {
            "target": "0 errors and every acknowledged record in the database",
            "value": clean,
            "met": all(v["errors"] == 0 and v["db_check_ok"] for v in clean.values()),
        },
        "throughput_ratio_workers_to_threaded": {
            "target": THROUGHPUT_RATIO_TARGET,
            "value": ratio,
            "met": None if ratio is None else ratio >= THROUGHPUT_RATIO_TARGET,
        },
        "s1_intake_p95_ms_workers_latency": {
            "target": S1_P95_TARGET_MS,
            "value": s1,
            "met": None if s1 is None else s1 < S1_P95_TARGET_MS,
        },
    }


def print_table(results):
    print(
        "\n%-16s %6s %7s %8s %7s %6s  %s"
        % ("scenario", "clerks", "workers", "requests", "req/s", "errors", "db")
    )
    for name, r in results.items():
        print(
            "%-16s %6d %7d %8d %7.1f %6d  %s"
            % (
                name,
                r["clerks"],
                r["workers"],
                r["requests"],
                r["rps"],
                r["errors"]["count"],
                "ok" if r["db_check"]["ok"] else "FAILED",
            )
        )
    print("\n%-16s" % "p50/p95 ms" + "".join("%18s" % s for s in STEPS))
    for name, r in results.items():
        print(
            "%-16s" % name
            + "".join(
                "%18s" % ("%s/%s" % (r["steps"][s]["p50_ms"], r["steps"][s]["p95_ms"]))
                for s in STEPS
            )
        )


def machine():
    return {
        "cores": os.cpu_count(),
        "postgresql": sql("SHOW server_version")[0][0].split()[0],
        "python": platform.python_version(),
        "odoo": "11.0 (odoocompat)",
        "locust": locust_version(),
    }


def main():
    os.makedirs(LOG_DIR, exist_ok=True)
    if not os.access(LOCUST, os.X_OK):
        sys.exit("load: %s missing: make load creates .venv-load" % LOCUST)
    if CLUSTER:
        # imported here: the failover run is built on this module's functions
        from bench.load import failover

        return failover.main()
    if STYLESHEETS_FROM not in ("workers", "longpolling"):
        sys.exit("load: LOAD_STYLESHEETS_FROM is longpolling or workers")
    runs = scenarios()
    prepare_database(max(run["clerks"] for run in runs))
    results = collections.OrderedDict()
    for scenario in runs:
        results[scenario["name"]] = run_scenario(scenario)
    report = {
        "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "smoke" if SMOKE else "full",
        "machine": machine(),
        "settings": {
            "database": DB,
            "seconds": SECONDS,
            "notes_per_case": NOTES,
            "request_timeout_s": TIMEOUT,
            "scheduled_actions": "off",
            "stylesheets_on_workers_from": {
                "longpolling": "report.url: the gevent process (as make run)",
                "workers": "web.base.url: the HTTP workers",
            }[STYLESHEETS_FROM],
            "percentiles": "nearest rank over every step, failed ones included",
            "rps": "HTTP requests finished before locust stopped, per second",
        },
        "scenarios": results,
        "targets": targets(results),
    }
    out = (
        os.path.join(devtool.LOG_DIR, "load-smoke.json")
        if SMOKE
        else os.path.join(ROOT, "bench", "load.json")
    )
    with open(out, "w") as fp:
        json.dump(report, fp, indent=2, sort_keys=True)
        fp.write("\n")
    print_table(results)
    for name, target in report["targets"].items():
        print(
            "target %s: %s (target %s): %s"
            % (
                name,
                target["value"] if not isinstance(target["value"], dict) else "",
                target["target"],
                {True: "met", False: "MISSED", None: "not measured"}[target["met"]],
            )
        )
    log("results written to %s" % out)
    failed = not report["targets"]["no_errors_nothing_lost"]["met"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
