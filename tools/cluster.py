#!/usr/bin/env python3
"""``make cluster``: N Odoo nodes behind HAProxy on one database and one data
directory, as a chain runs them on several machines (README, "Two nodes
behind a proxy").

Each node is Odoo's own prefork server (``devtool.prefork_options``: HTTP
workers, one cron worker, the gevent process for longpolling) started in a
process group of its own, so that it can be stopped, or killed as a machine
dies, as a whole. They share PostgreSQL and ``devtool.DATA_DIR`` (the
filestore and Odoo 11's sessions), through the rc file ``devtool.odoo_rc``
writes. HAProxy (Debian's) runs in front with a configuration made here.

Ports, from the proxy's ``PORT`` (P):

- P: the proxy, for browsers; ``/longpolling/`` goes to the gevent processes;
- P + 1: the proxy's route to the gevent processes alone, for ``report.url``
  (wkhtmltopdf fetches the report's stylesheets there);
- P + 2: HAProxy's statistics page;
- node i (0, 1...): HTTP on P + 10 + 10 i, its gevent process on P + 11 + 10 i.
"""

import argparse
import csv
import hashlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from tools import devtool

HAPROXY = "/usr/sbin/haproxy"
DEFAULT_WORKERS = 2
# The session the health checks use. Odoo saves a new session file for each
# request that comes without one (it stores the database in it): a check every
# second on every port would add thousands of files an hour to the shared
# sessions folder. With a fixed id, the checks share one anonymous session.
HEALTH_SID = hashlib.sha1(b"r2_crm cluster health check").hexdigest()
HEALTH_PATH = "/web/webclient/version_info"
HEALTH_BODY = '{"jsonrpc":"2.0","method":"call","params":{}}'
# Stop routing to a dead node within 3 s: a check a second (every half
# second while a node is failing), down after 2 failures, up after 2
# successes. A killed node refuses connections, and the first request refused
# marks it down at once (observe layer4). A hung node takes 2 check timeouts:
# a check waits behind the requests a node's workers are busy with (at most
# one per worker, maxconn), a print takes up to about 3 s here.
CHECK = "inter 1s fastinter 500ms downinter 1s fall 2 rise 2"
CHECK_TIMEOUT_S = 5
STOP_TIMEOUT_S = 30
# HAProxy's backends: the HTTP workers, the gevent processes for
# /longpolling/, and the same for report.url (wkhtmltopdf)
BACKENDS = ("odoo", "gevent", "report")


def node_ports(port, index):
    """(HTTP, gevent) ports of node ``index`` of the cluster on ``port``."""
    http_port = port + 10 + 10 * index
    return http_port, http_port + 1


def report_port(port):
    return port + 1


def stats_port(port):
    return port + 2


def cluster_ports(port, nodes):
    """Every port the cluster on ``port`` listens on."""
    ports = [port, report_port(port), stats_port(port)]
    for index in range(nodes):
        ports.extend(node_ports(port, index))
    return ports


def run_dir(port):
    """Where the cluster on ``port`` keeps its configuration, socket and logs."""
    path = os.path.join(devtool.LOG_DIR, "cluster-%d" % port)
    os.makedirs(path, exist_ok=True)
    return path


# --------------------------------------------------------------- database
def parameters(port):
    """System parameters of the cluster on ``port``: links in e-mails go to
    the proxy (frozen: Odoo would otherwise take the address of the admin's
    last login), and wkhtmltopdf fetches the stylesheets from the gevent
    processes through the proxy, never from the HTTP workers
    (``devtool.prefork_report_url`` says why)."""
    return {
        "web.base.url": "http://127.0.0.1:%d" % port,
        "web.base.url.freeze": "True",
        "report.url": "http://127.0.0.1:%d" % report_port(port),
    }


def prepare_database(db, port):
    """``db`` made with r2_crm and its demo data, or r2_crm updated on it, as
    ``make run`` does, before any node starts (two nodes installing at once
    would race); then the cluster's system parameters."""
    new = not devtool.db_exists(db)
    if new:
        devtool.create_db(db)
    problems = devtool.install(
        db, "cluster-install-%s" % db, "--max-cron-threads=0", update=not new
    )
    if problems:
        print("\n".join(problems))
        sys.exit("installing %s on %s failed" % (devtool.MODULE, db))
    devtool.set_system_parameters(db, **parameters(port))


# ------------------------------------------------------------------ nodes
class Node:
    """One Odoo prefork server (master, workers, cron worker, gevent process,
    and their wkhtmltopdf) in a process group of its own."""

    def __init__(self, db, port, index, workers, log_dir, crons=True):
        self.db = db
        self.index = index
        self.name = "n%d" % index
        self.workers = workers
        self.crons = crons
        self.http_port, self.gevent_port = node_ports(port, index)
        self.log_path = os.path.join(log_dir, "%s.log" % self.name)
        self.proc = None

    def command(self):
        options = devtool.prefork_options(self.workers, self.gevent_port)
        if not self.crons:
            options = [o for o in options if not o.startswith("--max-cron-threads")]
            options.append("--max-cron-threads=0")
        return devtool.odoo_cmd(
            self.db,
            "--http-interface=127.0.0.1",
            "--http-port=%d" % self.http_port,
            "--proxy-mode",
            *options,
        )

    def start(self):
        """Start the node; its log is new at its first start, and goes on
        after a restart."""
        with open(self.log_path, "a" if self.proc else "w") as log:
            self.proc = subprocess.Popen(
                self.command(),
                env=devtool.odoo_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL to the whole group at once, as when its machine dies."""
        self.signal_group(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        """SIGTERM to the master (its workers finish their requests), then
        SIGKILL to whatever is left of the group (the gevent process, a
        wkhtmltopdf)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                pass
        self.signal_group(signal.SIGKILL)
        self.proc.wait()

    def signal_group(self, sig):
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def wait_answering(self, timeout=300):
        """Wait until both of the node's ports answer the health check."""
        deadline = time.time() + timeout
        for port in (self.http_port, self.gevent_port):
            while not health_check(port):
                if not self.alive():
                    raise RuntimeError(
                        "node %s exited with %s, see %s"
                        % (self.name, self.proc.returncode, self.log_path)
                    )
                if time.time() > deadline:
                    raise RuntimeError(
                        "node %s did not answer in %d s, see %s"
                        % (self.name, timeout, self.log_path)
                    )
                time.sleep(1)


def health_check(port):
    """The proxy's health check, sent by hand: True when it passes."""
    request = urllib.request.Request(
        "http://127.0.0.1:%d%s" % (port, HEALTH_PATH),
        data=HEALTH_BODY.encode(),
        headers={
            "Content-Type": "application/json",
            "X-Openerp-Session-Id": HEALTH_SID,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200 and b"server_version" in response.read()
    except OSError:
        return False


# ---------------------------------------------------------------- haproxy
def haproxy_config(port, nodes, socket_path):
    """HAProxy's configuration for ``nodes`` (Node) behind ``port``."""
    check = (
        "    option httpchk\n"
        "    http-check send meth POST uri %s ver HTTP/1.1 hdr Host localhost"
        " hdr Content-Type application/json hdr X-Openerp-Session-Id %s"
        " body '%s'\n"
        "    http-check expect string server_version\n"
        % (HEALTH_PATH, HEALTH_SID, HEALTH_BODY)
    )
    web = "".join(
        "    server %s 127.0.0.1:%d cookie %s check maxconn %d\n"
        % (node.name, node.http_port, node.name, node.workers)
        for node in nodes
    )
    gevent = "".join(
        "    server %s 127.0.0.1:%d check\n" % (node.name, node.gevent_port)
        for node in nodes
    )
    return HAPROXY_TEMPLATE % {
        "socket": socket_path,
        "check": check,
        "check_timeout": CHECK_TIMEOUT_S,
        "default_server": CHECK,
        "port": port,
        "report_port": report_port(port),
        "stats_port": stats_port(port),
        "web_servers": web,
        "gevent_servers": gevent,
    }


# Retries: a request whose connection a node refused never reached it, and
# HAProxy sends it to another node (retries, redispatch); one that reached a
# node that then died is answered 502 and never sent again (retry-on stays
# conn-failure): it may have been applied. maxconn per node is its number of
# HTTP workers: the other requests wait in HAProxy's queue, from which a dead
# node's share goes to the living one, not in the dead node's socket.
# Timeouts: a request may take Odoo's limit-time-real (240 s); a long poll 50 s.
HAPROXY_TEMPLATE = """\
# Made by tools/cluster.py for make cluster; changes are lost at its next start.
global
    log stdout format iso local0 info
    stats socket %(socket)s mode 600 level admin
    maxconn 2000

defaults
    mode http
    log global
    option httplog
    option forwardfor
    option redispatch 1
    retries 3
    timeout connect 2s
    timeout client 300s
    timeout server 300s
    timeout queue 60s
    timeout http-request 30s
    timeout check %(check_timeout)ds
    default-server %(default_server)s observe layer4 error-limit 1 on-error mark-down

frontend web
    bind :%(port)d
    http-request set-header X-Forwarded-Host %%[req.hdr(host)]
    acl longpolling path_beg /longpolling/
    use_backend gevent if longpolling
    default_backend odoo

frontend report
    bind 127.0.0.1:%(report_port)d
    default_backend report

backend odoo
    balance roundrobin
    cookie SRVID insert indirect nocache httponly
%(check)s%(web_servers)s
backend gevent
    balance roundrobin
%(check)s%(gevent_servers)s
# wkhtmltopdf's fetches of a report's stylesheets and images: reads, sent
# again to another node when theirs died before answering, for wkhtmltopdf
# does not fail on a missing stylesheet: it prints without it.
backend report
    balance roundrobin
    retry-on conn-failure empty-response response-timeout
    http-request disable-l7-retry unless METH_GET || METH_HEAD
%(check)s%(gevent_servers)s
listen stats
    bind 127.0.0.1:%(stats_port)d
    stats enable
    stats uri /
    stats refresh 2s
"""


def haproxy_version():
    out = subprocess.run(
        [HAPROXY, "-v"], stdout=subprocess.PIPE, universal_newlines=True
    ).stdout
    words = out.split()
    return words[2] if out.startswith("HAProxy version") else out.strip()


class Proxy:
    """HAProxy in the foreground (-db), in a process group of its own."""

    def __init__(self, port):
        self.port = port
        log_dir = run_dir(port)
        self.config_path = os.path.join(log_dir, "haproxy.cfg")
        self.socket_path = os.path.join(log_dir, "haproxy.sock")
        self.log_path = os.path.join(log_dir, "haproxy.log")
        self.proc = None

    def configure(self, nodes):
        with open(self.config_path, "w") as fp:
            fp.write(haproxy_config(self.port, nodes, self.socket_path))

    def start(self):
        check = subprocess.run(
            [HAPROXY, "-c", "-q", "-f", self.config_path],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
        )
        if check.returncode:
            raise RuntimeError(
                "haproxy refuses %s: %s" % (self.config_path, check.stdout)
            )
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                [HAPROXY, "-db", "-f", self.config_path],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def command(self, text):
        """One command on HAProxy's stats socket; its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(self.socket_path)
            sock.sendall(text.encode() + b"\n")
            chunks = []
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def stats(self):
        """``show stat`` as dicts, one a frontend, backend or server."""
        text = self.command("show stat").lstrip("# ")
        return list(csv.DictReader(io.StringIO(text)))

    def server_states(self):
        """{(backend, server): "UP", "DOWN", "UP 1/2"...} of the nodes."""
        return {
            (row["pxname"], row["svname"]): row["status"]
            for row in self.stats()
            if row["pxname"] in BACKENDS
            and row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def wait_up(self, names, timeout=120):
        """Wait until the proxy routes to the nodes ``names`` in every backend."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                states = self.server_states()
            except OSError:
                states = {}
            if all(
                states.get((backend, name)) == "UP"
                for backend in BACKENDS
                for name in names
            ):
                return
            time.sleep(0.2)
        raise RuntimeError("the proxy did not mark %s up in %d s" % (names, timeout))


# ---------------------------------------------------------------- cluster
class Cluster:
    """The nodes and the proxy on ``port``; ``crons``: a cron worker a node."""

    def __init__(self, db, port, nodes, workers, crons=True):
        self.port = port
        self.dir = run_dir(port)
        self.nodes = [Node(db, port, i, workers, self.dir, crons) for i in range(nodes)]
        self.proxy = Proxy(port)
        self.proxy.configure(self.nodes)
        self.url = "http://127.0.0.1:%d" % port

    def start(self):
        busy = [p for p in cluster_ports(self.port, len(self.nodes)) if in_use(p)]
        if busy:
            raise RuntimeError("ports in use: %s" % ", ".join(map(str, busy)))
        try:
            for node in self.nodes:
                node.start()
            for node in self.nodes:
                node.wait_answering()
            self.proxy.start()
            self.proxy.wait_up([node.name for node in self.nodes])
        except BaseException:
            self.stop()
            raise

    def restart(self, node):
        """Start a killed ``node`` again; returns when the proxy routes to it."""
        node.start()
        node.wait_answering()
        self.proxy.wait_up([node.name])

    def stop(self):
        self.proxy.stop()
        for node in self.nodes:
            node.stop()

    def describe(self):
        lines = [
            "cluster: %s (admin/admin), HAProxy's statistics on "
            "http://127.0.0.1:%d/" % (self.url, stats_port(self.port)),
            "cluster: report.url http://127.0.0.1:%d (the gevent processes)"
            % report_port(self.port),
        ]
        lines += [
            "cluster: node %s HTTP %d, gevent %d, log %s"
            % (n.name, n.http_port, n.gevent_port, os.path.relpath(n.log_path))
            for n in self.nodes
        ]
        lines.append("cluster: HAProxy %s" % os.path.relpath(self.proxy.config_path))
        return "\n".join(lines)


def in_use(port):
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("", port))
        except OSError:
            return True
    return False


class Stop(Exception):
    """SIGTERM or SIGINT arrived."""


def _raise_stop(signum, _frame):
    raise Stop(signal.Signals(signum).name)


def serve(cluster):
    """Run until Ctrl-C or SIGTERM; say when a node's master exits."""
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    reported = set()
    try:
        cluster.start()
        print(cluster.describe(), flush=True)
        while True:
            for node in cluster.nodes:
                if not node.alive() and node.name not in reported:
                    reported.add(node.name)
                    print(
                        "cluster: node %s exited, see %s" % (node.name, node.log_path)
                    )
            time.sleep(1)
    except Stop as stop:
        print("cluster: %s, stopping" % stop, flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.stop()
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="r2crm")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help="HTTP workers a node (0: %d, a node is a prefork server)"
        % DEFAULT_WORKERS,
    )
    parser.add_argument(
        "--stats", action="store_true", help="print HAProxy's server states and exit"
    )
    args = parser.parse_args()
    if args.stats:
        states = Proxy(args.port).server_states()
        print(json.dumps({"%s/%s" % k: v for k, v in sorted(states.items())}))
        return 0
    if args.nodes < 1:
        sys.exit("cluster: NODES must be 1 or more")
    prepare_database(args.db, args.port)
    cluster = Cluster(args.db, args.port, args.nodes, args.workers or DEFAULT_WORKERS)
    return serve(cluster)


if __name__ == "__main__":
    sys.exit(main())
