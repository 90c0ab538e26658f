"""``make load CLUSTER=1``: the counter day through HAProxy on ``make
cluster``'s nodes, with one node lost halfway.

1. The database and the clerks are made as for ``make load`` (``run_load``),
   with the cluster's system parameters (``tools.cluster.parameters``).
2. ``LOAD_NODES`` nodes (2) of ``LOAD_WORKERS`` HTTP workers (2) each, with
   their gevent process, start behind HAProxy (``tools.cluster.Cluster``), on
   the first free ports from ``LOAD_PORT``. Scheduled actions are off, as in
   ``make load``; ``LOAD_CLUSTER_CRONS=1`` gives each node its cron worker, as
   ``make cluster`` does.
3. ``LOAD_CLUSTER_CLERKS`` clerks (20) serve customers through the proxy for
   ``LOAD_SECONDS`` (180), pausing ``LOAD_CLUSTER_THINK`` seconds (3) on
   average between steps. Halfway, the last node's process group (its master,
   workers, cron worker, gevent process, wkhtmltopdf) gets SIGKILL, as when
   its machine dies; ``LOAD_RESTART_AFTER`` seconds (20) later it is started
   again. Meanwhile HAProxy's server states are read from its statistics
   socket every 0.1 s, with the time of each change.
4. The database is checked as after ``make load``, and ``bench/cluster.json``
   (``LOAD_SMOKE=1``: 80 s, 4 clerks, ``.test-logs/cluster-smoke.json``) gets
   the failover's figures, defined in its ``definitions``, and the targets.

A clerk never sends a request twice: a step that failed is an error, and the
database check says whether its record was applied anyway.
"""

import json
import os
import re
import sys
import threading
import time
from datetime import datetime, timezone

import psutil

from bench.load import run_load as load
from tools import cluster as clusters
from tools import devtool
from tools.devtool import ROOT

SMOKE = load.SMOKE
SECONDS = int(os.environ.get("LOAD_SECONDS") or (80 if SMOKE else 180))
CLERKS = int(os.environ.get("LOAD_CLUSTER_CLERKS") or (4 if SMOKE else 20))
THINK = float(os.environ.get("LOAD_CLUSTER_THINK") or load.LATENCY_THINK)
NODES = int(os.environ.get("LOAD_NODES", "2"))
WORKERS = load.WORKERS
RESTART_AFTER = float(os.environ.get("LOAD_RESTART_AFTER", "20"))
# Scheduled actions are off unless LOAD_CLUSTER_CRONS=1, as in make load: the
# customers' e-mails (a rendered protocol each, and the load database keeps
# every earlier run's notes waiting) would run at their own times and blur
# the comparison of before, during and after.
CRONS = os.environ.get("LOAD_CLUSTER_CRONS", "0") not in ("", "0")
QUIET_AFTER_KILL_S = 5
MARK_DOWN_TARGET_S = 3
POLL_S = 0.1

DEFINITIONS = {
    "acknowledged_notes": "distinct notes whose create the server answered "
    "with an id (S1, plain notes, S2)",
    "lost_notes": "acknowledged notes that are not in the database",
    "unacknowledged_in_database": "notes and cases of the clerks in the "
    "database that no clerk was answered with: a request applied whose answer "
    "was lost with its node (the clerk counted an error)",
    "errors_total": "failed steps (a step fails at its first failed request) "
    "and exceptions in locust",
    "error time": "when the clerk saw the failure: the end of the step",
    "marked_down": "the first moment, after the kill, that HAProxy's statistics "
    "show the node DOWN in the web backend (polled every 0.1 s)",
    "back_up": "the first moment, after the restart, that HAProxy shows the "
    "node UP in the web backend again",
    "errors_after_failover": "errors later than marked_down",
    "errors_later_than_5s_after_kill": "errors later than the kill + 5 s",
    "errors_after_node_back": "errors later than back_up",
    "seconds_to_mark_down": "marked_down - kill",
    "seconds_to_last_error": "the last error between the kill and back_up, "
    "- kill (0 when none)",
    "seconds_to_recover": "the larger of seconds_to_mark_down and "
    "seconds_to_last_error: from the kill until the proxy routes around the "
    "node and no clerk's step fails any more",
    "report_fetches_failed": "wkhtmltopdf's fetches of a stylesheet or image "
    "through the proxy's report.url that failed (HAProxy's log): Odoo 11 "
    "prints a protocol without them and answers 200",
    "s1_p95_ms": "nearest-rank p95 of the S1 step (create and read back), by "
    "its start: before the kill, during (kill to back_up), after back_up",
}


class StateWatcher(threading.Thread):
    """Reads HAProxy's server states every POLL_S seconds and keeps each
    change with its time."""

    def __init__(self, proxy):
        super().__init__(daemon=True)
        self.proxy = proxy
        self.changes = []
        self.done = threading.Event()

    def run(self):
        last = {}
        while not self.done.is_set():
            try:
                states = self.proxy.server_states()
            except OSError:
                states = {}
            now = time.time()
            for (backend, node), status in sorted(states.items()):
                if last.get((backend, node)) != status:
                    self.changes.append(
                        {"t": now, "backend": backend, "node": node, "status": status}
                    )
            last.update(states)
            self.done.wait(POLL_S)

    def stop(self):
        self.done.set()
        self.join(10)

    def first(self, node, status, after, backend="odoo"):
        """When ``node`` was first seen in ``status`` (DOWN: any DOWN state)
        after the time ``after``; None if never."""
        for change in self.changes:
            seen = change["status"]
            if (
                change["t"] >= after
                and change["backend"] == backend
                and change["node"] == node
                and (seen == status or (status == "DOWN" and seen.startswith("DOWN")))
            ):
                return change["t"]
        return None


class CpuSampler(threading.Thread):
    """CPU seconds of this run's processes (the nodes, HAProxy, locust, the
    database's PostgreSQL backends) and of every other process, from a
    sample a second of each living process: another program busy on the
    machine (make bench, make test) shows as "others" and makes the timings
    doubtful. What processes that lived less than a second used (wkhtmltopdf,
    mostly) is the machine's busy time less both: "short_lived"."""

    def __init__(self, cluster):
        super().__init__(daemon=True)
        self.cluster = cluster
        self.seen = {}
        self.used = {"ours": 0.0, "others": 0.0}
        self.done = threading.Event()

    def ours(self, proc, pgids):
        try:
            if os.getpgid(proc.pid) in pgids:
                return True
        except OSError:
            return False
        title = " ".join(proc.info["cmdline"] or [])
        return title.startswith("postgres:") and " %s " % load.DB in title

    def sample(self, first=False):
        pgids = {os.getpgrp()} | {
            p.proc.pid for p in self.cluster.nodes + [self.cluster.proxy] if p.proc
        }
        for proc in psutil.process_iter(["cmdline"]):
            try:
                times = proc.cpu_times()
            except psutil.Error:
                continue
            total = times.user + times.system
            # a process born since the first sample counts from zero
            before = self.seen.get(proc.pid, total if first else 0.0)
            self.seen[proc.pid] = total
            key = "ours" if self.ours(proc, pgids) else "others"
            self.used[key] += max(total - before, 0.0)

    def run(self):
        self.start_wall, self.start_busy = time.time(), busy_seconds()
        self.sample(first=True)
        while not self.done.wait(1):
            self.sample()

    def stop(self):
        self.done.set()
        self.join(10)
        wall = time.time() - self.start_wall
        used = {key: round(value, 1) for key, value in self.used.items()}
        used["machine"] = round(busy_seconds() - self.start_busy, 1)
        used["short_lived"] = round(used["machine"] - used["ours"] - used["others"], 1)
        used["wall"] = round(wall, 1)
        used["machine_cores_busy"] = round(used["machine"] / wall, 2)
        return used


def busy_seconds():
    """CPU seconds the machine was busy since boot (/proc/stat)."""
    with open("/proc/stat") as fp:
        ticks = [int(n) for n in fp.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def free_cluster_port():
    """The first port from LOAD_PORT, by hundreds, with the cluster's ports free."""
    for port in range(load.FIRST_PORT, load.FIRST_PORT + 1000, 100):
        if not any(clusters.in_use(p) for p in clusters.cluster_ports(port, NODES)):
            return port
    sys.exit("load: no free ports for a cluster from %d" % load.FIRST_PORT)


def sleep_until(moment):
    time.sleep(max(moment - time.time(), 0))


def lose_a_node(cluster, scenario, prefix):
    """Run the clerks; halfway kill the last node, start it again
    RESTART_AFTER s later. The moments, and locust's exit code."""
    node = cluster.nodes[-1]
    proc = load.start_locust(scenario, cluster.url, prefix)
    moments = {"locust_started": time.time(), "node": node.name}
    try:
        sleep_until(moments["locust_started"] + SECONDS / 2.0)
        moments["kill"] = time.time()
        node.kill()
        load.log("killed node %s (process group %d)" % (node.name, node.proc.pid))
        sleep_until(moments["kill"] + RESTART_AFTER)
        moments["restart"] = time.time()
        load.log("starting node %s again" % node.name)
        cluster.restart(node)
        load.log("node %s is routed to again" % node.name)
    except BaseException:
        proc.kill()
        load.wait_locust(proc)
        raise
    moments["locust_exit"] = load.wait_locust(proc)
    return moments


# ------------------------------------------------------------------ figures
def failover_figures(lines, watcher, moments):
    """The errors and S1's p95 around the kill, from the clerks' log and the
    proxy's state changes."""
    kill = moments["kill"]
    down = watcher.first(moments["node"], "DOWN", kill)
    back = watcher.first(moments["node"], "UP", moments["restart"])
    steps = [line for line in lines if "step" in line]
    errors = [s for s in steps if not s["ok"]]
    horizon = back or float("inf")
    during = [e["t"] for e in errors if kill <= e["t"] < horizon]
    last_error = max(during) - kill if during else 0.0
    to_down = None if down is None else down - kill
    s1 = [s for s in steps if s["step"] == "s1_intake"]
    windows = {
        "before": [s["ms"] for s in s1 if s["start"] < kill],
        "during": [s["ms"] for s in s1 if kill <= s["start"] < horizon],
        "after": [s["ms"] for s in s1 if s["start"] >= horizon],
    }
    return {
        "errors_before_kill": sum(1 for e in errors if e["t"] < kill),
        "errors_after_failover": (
            None if down is None else sum(1 for e in errors if e["t"] > down)
        ),
        "errors_later_than_5s_after_kill": sum(
            1 for e in errors if e["t"] > kill + QUIET_AFTER_KILL_S
        ),
        "errors_after_node_back": (
            None if back is None else sum(1 for e in errors if e["t"] > back)
        ),
        "seconds_to_mark_down": rounded(to_down),
        "seconds_to_last_error": round(last_error, 2),
        "seconds_to_recover": rounded(
            None if to_down is None else max(to_down, last_error)
        ),
        "seconds_restart_to_back_up": rounded(
            None if back is None else back - moments["restart"]
        ),
        "s1_p95_ms": {k: load.percentile(v, 95) for k, v in windows.items()},
        "s1_count": {k: len(v) for k, v in windows.items()},
        "errors": [
            {
                "seconds_after_kill": round(e["t"] - kill, 2),
                "step": e["step"],
                "clerk": e["clerk"],
                "error": e["error"][:200],
            }
            for e in errors
        ][:50],
        "timeline_s": timeline(lines, moments, down, back),
    }


def rounded(value):
    return None if value is None else round(value, 2)


def timeline(lines, moments, down, back):
    """The moments in seconds from locust's start."""
    start = next(
        (line["t"] for line in lines if line.get("event") == "start"),
        moments["locust_started"],
    )
    named = {
        "kill": moments["kill"],
        "marked_down": down,
        "restart": moments["restart"],
        "back_up": back,
        "stopping": next(
            (line["t"] for line in lines if line.get("event") == "stopping"), None
        ),
    }
    return {k: None if v is None else round(v - start, 2) for k, v in named.items()}


# an HTTP log line of HAProxy (option httplog, log format iso)
PROXY_LINE = re.compile(
    r"^(\S+) \S+ \[\S+\] (\S+) (\S+) \S+ (-?\d+) \S+ \S+ \S+ (\S+) .*\"(\S+) (\S+)"
)


def proxy_errors(log_path, kill):
    """The requests HAProxy answered with neither 2xx nor 3xx, in seconds
    from the kill: on the report frontend, a stylesheet or image wkhtmltopdf
    printed without."""
    found = []
    with open(log_path, errors="replace") as fp:
        for line in fp:
            match = PROXY_LINE.match(line)
            if not match or match.group(4)[0] in "23":
                continue
            stamp, frontend, server, status, flags, method, path = match.groups()
            found.append(
                {
                    "seconds_after_kill": round(
                        datetime.fromisoformat(stamp).timestamp() - kill, 2
                    ),
                    "frontend": frontend,
                    "server": server,
                    "status": int(status),
                    "flags": flags,
                    "request": "%s %s" % (method, path[:100]),
                }
            )
    return found


def records_check(lines, before, clerks):
    """Acknowledged notes missing from the database, and the clerks' records
    in it that no clerk was answered with."""
    notes = {
        line["contact"]
        for line in lines
        if line.get("ack") in ("contact", "created") and line.get("contact")
    }
    cases = {line["case"] for line in lines if line.get("ack") and line.get("case")}
    found = {
        row[0]
        for row in load.sql(
            "SELECT id FROM r2_crm_contact WHERE id = ANY(%s::int[])", (sorted(notes),)
        )
    }
    extra = {}
    for table, acked in (("r2_crm_contact", notes), ("r2_crm_case", cases)):
        rows = load.sql(
            "SELECT id FROM %s WHERE id > %%s AND create_uid = ANY(%%s::int[])" % table,
            (before[table], clerks),
        )
        extra[table] = sorted({row[0] for row in rows} - acked)
    return {
        "acknowledged_notes": len(notes),
        "lost_notes": sorted(notes - found),
        "unacknowledged_in_database": extra,
    }


# ------------------------------------------------------------------ targets
def targets(report):
    """The issue's targets for the lost node, each with its value and whether
    it is met (None when it could not be measured)."""

    def target(value, wanted, met):
        return {"target": wanted, "value": value, "met": None if value is None else met}

    down = report["seconds_to_mark_down"]
    back = report["errors_after_node_back"]
    return {
        "lost_notes": target(report["lost_notes"], 0, report["lost_notes"] == 0),
        "duplicate_case_numbers": target(
            report["duplicate_case_numbers"], 0, report["duplicate_case_numbers"] == 0
        ),
        "notes_as_acknowledged": target(
            len(report["db_check"]["mismatches"]),
            0,
            not report["db_check"]["mismatches"],
        ),
        "errors_before_kill": target(
            report["errors_before_kill"], 0, report["errors_before_kill"] == 0
        ),
        "errors_later_than_5s_after_kill": target(
            report["errors_later_than_5s_after_kill"],
            0,
            report["errors_later_than_5s_after_kill"] == 0,
        ),
        "errors_after_node_back": target(back, 0, back == 0),
        "seconds_to_mark_down": target(
            down,
            "<= %d" % MARK_DOWN_TARGET_S,
            down is not None and down <= MARK_DOWN_TARGET_S,
        ),
    }


def print_summary(report):
    print(
        "\ncluster: %d nodes of %d workers, %d clerks, %d s; node %s killed at "
        "%s s, back at %s s"
        % (
            report["nodes"],
            report["workers_per_node"],
            report["clerks"],
            report["seconds"],
            report["killed_node"],
            report["timeline_s"]["kill"],
            report["timeline_s"]["back_up"],
        )
    )
    for key in (
        "acknowledged_notes",
        "lost_notes",
        "duplicate_case_numbers",
        "errors_total",
        "errors_after_failover",
        "seconds_to_mark_down",
        "seconds_to_recover",
        "report_fetches_failed",
        "s1_p95_ms",
        "cpu_seconds",
    ):
        print("  %s: %s" % (key, report[key]))
    for name, t in report["targets"].items():
        print(
            "target %s: %s (target %s): %s"
            % (
                name,
                t["value"],
                t["target"],
                {True: "met", False: "MISSED", None: "not measured"}[t["met"]],
            )
        )


# --------------------------------------------------------------------- run
def run():
    """Prepare, start the cluster, lose a node under load, check: the report."""
    load.prepare_database(CLERKS)
    port = free_cluster_port()
    devtool.set_system_parameters(load.DB, **clusters.parameters(port))
    prefix = os.path.join(load.LOG_DIR, "cluster")
    if os.path.exists(prefix + "-clerks.jsonl"):
        os.unlink(prefix + "-clerks.jsonl")
    scenario = dict(name="cluster", clerks=CLERKS, think=THINK, seconds=SECONDS)
    before = load.high_water()
    cluster = clusters.Cluster(load.DB, port, NODES, WORKERS, crons=CRONS)
    load.log(
        "cluster: %d nodes of %d workers on %s, %d clerks for %d s"
        % (NODES, WORKERS, cluster.url, CLERKS, SECONDS)
    )
    cluster.start()
    watcher = StateWatcher(cluster.proxy)
    cpu = CpuSampler(cluster)
    try:
        load.warm_up(cluster.url)
        watcher.start()
        cpu.start()
        moments = lose_a_node(cluster, scenario, prefix)
    finally:
        if watcher.is_alive():
            watcher.stop()
        cpu_seconds = cpu.stop() if cpu.is_alive() else None
        cluster.stop()
    moments["cpu_seconds"] = cpu_seconds
    lines = load.read_lines(prefix + "-clerks.jsonl")
    return build_report(lines, watcher, moments, before, cluster, prefix)


def build_report(lines, watcher, moments, before, cluster, prefix):
    run_figures = load.analyse(lines, prefix)
    db_check = load.check_database(lines, before, load.clerk_ids())
    records = records_check(lines, before, load.clerk_ids())
    report = {
        "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "smoke" if SMOKE else "full",
        "machine": dict(load.machine(), haproxy=clusters.haproxy_version()),
        "nodes": NODES,
        "workers_per_node": WORKERS,
        "clerks": CLERKS,
        "think_seconds": THINK,
        "seconds": SECONDS,
        "restart_after_s": RESTART_AFTER,
        "killed_node": moments["node"],
        "locust_exit": moments["locust_exit"],
        "cpu_seconds": moments["cpu_seconds"],
        "acknowledged_notes": records["acknowledged_notes"],
        "lost_notes": len(records["lost_notes"]),
        "lost_note_ids": records["lost_notes"][:20],
        "duplicate_case_numbers": len(db_check["duplicate_case_numbers"]),
        "unacknowledged_in_database": records["unacknowledged_in_database"],
        "errors_total": run_figures["errors"]["count"],
        "requests": run_figures["requests"],
        "rps": run_figures["rps"],
        "customers": run_figures["cycles"],
        "steps": run_figures["steps"],
        "error_messages": run_figures["errors"]["messages"],
        "db_check": db_check,
        "proxy_errors": proxy_errors(cluster.proxy.log_path, moments["kill"]),
        "proxy_changes": [
            dict(c, t=round(c["t"] - moments["kill"], 2)) for c in watcher.changes
        ],
        "server_log_errors": {
            node.name: load.server_log_errors(node.log_path) for node in cluster.nodes
        },
        "settings": {
            "database": load.DB,
            "notes_per_case": load.NOTES,
            "request_timeout_s": load.TIMEOUT,
            "scheduled_actions": (
                "on, one cron worker a node (as make cluster)"
                if CRONS
                else "off (LOAD_CLUSTER_CRONS=1: on, as make cluster)"
            ),
            "haproxy": os.path.relpath(cluster.proxy.config_path, ROOT),
            "proxy_changes": "seconds from the kill",
        },
        "definitions": DEFINITIONS,
        "logs": [
            os.path.relpath(prefix, ROOT) + "-*",
            os.path.relpath(cluster.dir, ROOT) + "/*.log",
        ],
    }
    report.update(failover_figures(lines, watcher, moments))
    report["report_fetches_failed"] = sum(
        1 for e in report["proxy_errors"] if e["frontend"] == "report"
    )
    report["targets"] = targets(report)
    return report


def main():
    report = run()
    out = (
        os.path.join(devtool.LOG_DIR, "cluster-smoke.json")
        if SMOKE
        else os.path.join(ROOT, "bench", "cluster.json")
    )
    with open(out, "w") as fp:
        json.dump(report, fp, indent=2, sort_keys=True)
        fp.write("\n")
    print_summary(report)
    load.log("results written to %s" % out)
    missed = [name for name, t in report["targets"].items() if t["met"] is not True]
    return 1 if missed else 0
