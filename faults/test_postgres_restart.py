"""PostgreSQL stopped with ``-m immediate`` (a crash: no checkpoint, clients
cut off) while clerks work, and started again: every note the server
acknowledged is in the database, and the same server serves again without a
restart."""

import subprocess
import threading
import time
import uuid
import xmlrpc.client

from faults.conftest import DB, make_partners, sql

CLERKS = 3
LOGIN = PASSWORD = "serwis"  # the demo's service clerk


def pg_ctl(*args):
    command = ["pg_ctlcluster", "15", "main"] + list(args)
    if subprocess.run(["id", "-u"], stdout=subprocess.PIPE).stdout.strip() != b"0":
        command = ["sudo"] + command
    subprocess.run(command, check=True)


class Clerk(threading.Thread):
    """Writes notes, one after another, as fast as the server answers; keeps
    the ids the server acknowledged and the times of the failures."""

    def __init__(self, url, partner, number):
        super().__init__(daemon=True)
        self.url, self.partner, self.number = url, partner, number
        self.acknowledged = []
        self.failures = []
        self.successes = []
        self.stop = threading.Event()

    def call(self, model, method, *args):
        models = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/object")
        return models.execute_kw(DB, self.uid, PASSWORD, model, method, list(args))

    def run(self):
        common = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common")
        self.uid = common.authenticate(DB, LOGIN, PASSWORD, {})
        count = 0
        while not self.stop.is_set():
            count += 1
            values = {
                "type": "note",
                "purpose": "service",
                "partner_id": self.partner,
                "name": "Awaria %d-%d" % (self.number, count),
            }
            try:
                note = self.call("r2.crm.contact", "create", values)
            except (OSError, xmlrpc.client.Error):
                self.failures.append(time.time())
                time.sleep(0.2)
                continue
            self.acknowledged.append(note)
            self.successes.append(time.time())


def test_postgres_crash_loses_no_acknowledged_note(server):
    partner = make_partners(["Klient awarii %s" % uuid.uuid4().hex[:6]])[0]
    clerks = [Clerk(server, partner, number) for number in range(CLERKS)]
    for clerk in clerks:
        clerk.start()
    time.sleep(5)
    stopped = time.time()
    pg_ctl("stop", "-m", "immediate")
    time.sleep(3)
    pg_ctl("start")
    started = time.time()
    time.sleep(15)
    for clerk in clerks:
        clerk.stop.set()
    for clerk in clerks:
        clerk.join(60)

    acknowledged = [note for clerk in clerks for note in clerk.acknowledged]
    assert all(clerk.successes and clerk.successes[0] < stopped for clerk in clerks)
    found = sql("SELECT id FROM r2_crm_contact WHERE id IN %s", (tuple(acknowledged),))
    assert sorted(row[0] for row in found) == sorted(acknowledged)
    # the server serves again, without a restart: every clerk wrote after
    # PostgreSQL came back, and none failed a few seconds later
    for clerk in clerks:
        assert any(when > started for when in clerk.successes), clerk.number
        assert not [when for when in clerk.failures if when > started + 5]
