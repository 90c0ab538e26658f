"""Odoo's prefork server (--workers) on Python 3.11: workers that live, serve,
and keep their CPU limit (make run WORKERS=N)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

ODOO = os.path.join(os.path.dirname(sys.executable), "odoo")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_two_workers_serve_requests_and_survive_them(tmp_path):
    port = free_port()
    log = tmp_path / "odoo.log"
    server = subprocess.Popen(
        [
            ODOO,
            "--workers=2",
            "--max-cron-threads=0",
            "--http-interface=127.0.0.1",
            "--http-port=%d" % port,
            "--longpolling-port=%d" % free_port(),
            "--limit-time-cpu=60",
            "--data-dir=%s" % tmp_path,
            "--logfile=%s" % log,
            "--log-level=info",
        ]
    )
    try:
        served = 0
        deadline = time.time() + 60
        while time.time() < deadline and served < 6:
            try:
                request = urllib.request.Request(
                    "http://127.0.0.1:%d/web/webclient/version_info" % port,
                    data=b'{"jsonrpc": "2.0", "params": {}}',
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=10) as response:
                    assert b"11.0" in response.read()
                    served += 1
            except OSError:
                time.sleep(0.5)
        text = log.read_text()
        assert served == 6, text[-2000:]
        assert "WorkerHTTP" in text and "alive" in text
        assert "Exception occured, exiting" not in text, text[-2000:]
        assert "Traceback" not in text, text[-2000:]
    finally:
        server.terminate()
        server.wait(30)
