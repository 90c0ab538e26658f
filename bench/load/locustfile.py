"""A service counter day for locust: each simulated user is one clerk.

Runs in locust's own virtualenv (``.venv-load``), started by
``bench/load/run_load.py``; it talks to Odoo the way the web client does,
JSON-RPC 2.0 on ``/web/session/authenticate``, ``/web/dataset/search_read`` and
``/web/dataset/call_kw/<model>/<method>``, and fetches the printed protocol
from ``/report/pdf/...`` with the clerk's session cookie.

A clerk logs in once, then serves one customer after another (a *cycle*):

1. ``s1_intake``: a note with result S1 (a service case opens and numbers
   itself), then the note is read back with its case, as the form does after
   saving;
2. ``case_list``: the open service cases, 80 rows with the list's fields;
3. ``case_open``: the new case read with its form's fields;
4. ``add_note``: ``R2CRM_LOAD_NOTES`` plain notes in the case;
5. ``s2_close``: a note with result S2 that closes the case;
6. ``print_intake``: the intake protocol of the S1 note as PDF.

Every step is written as one JSON line to ``R2CRM_LOAD_LOG``: its start, its
duration, the number of HTTP requests it made, and its error, if any; every
line has its time ``t`` (when it was written: a step's end). So is every record
the server acknowledged (the id it answered with; an S1 note twice, as
``created`` when the create answers, and with its case once read back):
``run_load.py`` computes the percentiles from these lines and checks the
acknowledged records in the database. No request is ever sent twice (a create
may have been applied when its answer was lost): a failed one is an error. A
failed step ends the cycle; the clerk starts the next one.

Configured by the environment: ``R2CRM_LOAD_DB`` (database),
``R2CRM_LOAD_LOG`` (the JSON lines file), ``R2CRM_LOAD_CLERK`` (login prefix;
user n logs in as ``<prefix>NN`` with the login as password),
``R2CRM_LOAD_NOTES`` (plain notes per case, default 2), ``R2CRM_LOAD_THINK``
(seconds a clerk pauses between steps, on average; default 0, no pause; with
pauses, the clerks' first customers are spread over one cycle) and
``R2CRM_LOAD_TIMEOUT`` (seconds before a request counts as failed, default 60).
"""

import itertools
import json
import os
import random
import time

from locust import FastHttpUser, constant, events, task

DB = os.environ.get("R2CRM_LOAD_DB", "r2crm_load")
LOG_PATH = os.environ.get("R2CRM_LOAD_LOG", "load-acks.jsonl")
CLERK_PREFIX = os.environ.get("R2CRM_LOAD_CLERK", "clerk")
NOTES_PER_CASE = int(os.environ.get("R2CRM_LOAD_NOTES", "2"))
THINK_SECONDS = float(os.environ.get("R2CRM_LOAD_THINK", "0"))
TIMEOUT = float(os.environ.get("R2CRM_LOAD_TIMEOUT", "60"))
REPORT = "r2_crm.report_intake_protocol"

# The service case list's columns (r2_crm_case_view_tree_service)
CASE_LIST_FIELDS = [
    "wiek_state",
    "name",
    "partner_id",
    "item_description",
    "is_repeat",
    "user_id",
    "date_open",
    "date_deadline",
    "wiek",
    "state",
]

_clerk_numbers = itertools.count(1)
_rpc_ids = itertools.count(1)
_log = None


def log_line(record):
    """Append one JSON line to the run's log (gevent: one write is not split)."""
    global _log
    if _log is None:
        _log = open(LOG_PATH, "a", buffering=1)
    record.setdefault("t", time.time())
    _log.write(json.dumps(record, sort_keys=True) + "\n")


@events.test_start.add_listener
def _on_test_start(**_kwargs):
    log_line({"event": "start"})


@events.test_stopping.add_listener
def _on_test_stopping(**_kwargs):
    log_line({"event": "stopping"})


@events.test_stop.add_listener
def _on_test_stop(**_kwargs):
    log_line({"event": "stop"})


class StepFailed(Exception):
    """A request of a step failed; the message says how."""


class Step:
    """Times one step of the clerk and logs it; counts its requests."""

    def __init__(self, clerk, name):
        self.clerk = clerk
        self.name = name
        self.requests = 0

    def __enter__(self):
        self.clerk.current_step = self
        self.started = time.time()
        self.perf = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, _tb):
        record = {
            "step": self.name,
            "clerk": self.clerk.login,
            "start": self.started,
            "ms": round((time.perf_counter() - self.perf) * 1000, 2),
            "requests": self.requests,
            "ok": exc is None,
        }
        if exc is not None:
            record["error"] = "%s: %s" % (
                "failed" if isinstance(exc, StepFailed) else type(exc).__name__,
                str(exc)[:300],
            )
        log_line(record)
        self.clerk.current_step = None
        return False


class Clerk(FastHttpUser):
    """A department user of the service desk, serving one customer after another."""

    wait_time = constant(0)
    network_timeout = TIMEOUT
    connection_timeout = TIMEOUT
    # never send a request twice: a retried create would make a second record
    max_retries = 0

    def on_start(self):
        number = next(_clerk_numbers)
        self.login = "%s%02d" % (CLERK_PREFIX, number)
        self.current_step = None
        self.user_context = {}
        self.ready = False
        try:
            with Step(self, "login"):
                result = self.json_rpc(
                    "login",
                    "/web/session/authenticate",
                    {"db": DB, "login": self.login, "password": self.login},
                )
                if not result.get("uid"):
                    raise StepFailed("%s could not log in" % self.login)
                self.user_context = result.get("user_context") or {}
            with Step(self, "setup"):
                self.setup()
            self.ready = True
        except StepFailed:
            return
        if THINK_SECONDS:
            # clerks pausing between steps do not all start their first
            # customer at the same second: spread them over one cycle
            time.sleep(random.uniform(0, THINK_SECONDS * (5 + NOTES_PER_CASE)))

    def setup(self):
        """What the clerk's screens need: the results S1 and S2, customers,
        and the fields of the case form."""
        results = self.call(
            "setup",
            "r2.crm.result",
            "search_read",
            [[("code", "in", ["S1", "S2"]), ("purpose", "=", "service")]],
            {"fields": ["code"]},
        )
        codes = {row["code"]: row["id"] for row in results}
        if set(codes) != {"S1", "S2"}:
            raise StepFailed("results S1 and S2 not found: %r" % results)
        self.s1, self.s2 = codes["S1"], codes["S2"]
        partners = self.call(
            "setup",
            "res.partner",
            "search_read",
            [[("customer", "=", True)]],
            {"fields": ["display_name"], "limit": 40},
        )
        if not partners:
            raise StepFailed("no customer found")
        self.partners = [row["id"] for row in partners]
        form = self.call(
            "setup", "r2.crm.case", "fields_view_get", [], {"view_type": "form"}
        )
        self.case_form_fields = sorted(form["fields"])

    # ------------------------------------------------------------- JSON-RPC
    def json_rpc(self, name, path, params):
        """One JSON-RPC 2.0 call; its result, or StepFailed with the message."""
        if self.current_step is not None:
            self.current_step.requests += 1
        body = {"jsonrpc": "2.0", "method": "call", "params": params}
        body["id"] = next(_rpc_ids)
        error = None
        with self.client.post(path, json=body, name=name, catch_response=True) as resp:
            if resp.status_code != 200:
                error = "HTTP %s on %s: %s" % (
                    resp.status_code,
                    path,
                    str(resp.error or resp.text or "")[:200],
                )
            else:
                try:
                    data = resp.json()
                except ValueError:
                    data = {"error": {"message": "not JSON: %r" % resp.text[:200]}}
                if data.get("error"):
                    err = data["error"]
                    message = (err.get("data") or {}).get("message") or err.get(
                        "message"
                    )
                    error = "%s: %s" % (path, message)
            if error:
                resp.failure(error)
        if error:
            raise StepFailed(error)
        return data["result"]

    def call(self, name, model, method, args, kwargs=None):
        """``model.method(*args, **kwargs)`` through call_kw, as the web client."""
        kwargs = dict(kwargs or {})
        kwargs.setdefault("context", self.user_context)
        return self.json_rpc(
            name,
            "/web/dataset/call_kw/%s/%s" % (model, method),
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def think(self):
        if THINK_SECONDS:
            time.sleep(random.uniform(0.5, 1.5) * THINK_SECONDS)

    # ------------------------------------------------------------- the day
    @task
    def serve_customer(self):
        """One customer at the counter, from intake to the printed protocol."""
        if not self.ready:
            # a clerk who could not log in waits out the run (the error is logged)
            time.sleep(1)
            return
        try:
            self.cycle()
        except StepFailed:
            pass

    def case_note(self, step, kind, case_id, partner, **values):
        """Write a note on the case (``values``: its name, description and
        maybe result) and log the clerk's acknowledgement of it."""
        entry = self.call(
            step,
            "r2.crm.contact",
            "create",
            [
                dict(
                    values,
                    type="note",
                    purpose="service",
                    partner_id=partner,
                    case_id=case_id,
                )
            ],
        )
        log_line(
            {
                "ack": "contact",
                "kind": kind,
                "contact": entry,
                "case": case_id,
                "clerk": self.login,
            }
        )
        return entry

    def cycle(self):
        partner = random.choice(self.partners)
        serial = "LOAD-%s-%d" % (self.login, random.randrange(10**9))
        with Step(self, "s1_intake"):
            note = self.call(
                "s1_intake",
                "r2.crm.contact",
                "create",
                [
                    {
                        "type": "note",
                        "purpose": "service",
                        "partner_id": partner,
                        "name": "Przyjęcie do naprawy %s" % serial,
                        "item_description": "Kasa fiskalna",
                        "device_serial": serial,
                        "description": "Nie drukuje paragonów.",
                        "result_id": self.s1,
                    }
                ],
            )
            # acknowledged now: should the read below fail, the database
            # check still looks for this note
            log_line({"ack": "created", "contact": note, "clerk": self.login})
            rows = self.call(
                "s1_intake",
                "r2.crm.contact",
                "read",
                [[note], ["case_id", "result_id", "name"]],
            )
            case = rows[0]["case_id"] if rows else False
            if not case:
                log_line({"ack": "contact", "kind": "intake", "contact": note})
                raise StepFailed("S1 note %s opened no case" % note)
            case_id, case_name = case
            log_line(
                {
                    "ack": "contact",
                    "kind": "intake",
                    "contact": note,
                    "case": case_id,
                    "case_name": case_name,
                    "clerk": self.login,
                }
            )
        self.think()
        with Step(self, "case_list"):
            listed = self.json_rpc(
                "case_list",
                "/web/dataset/search_read",
                {
                    "model": "r2.crm.case",
                    "fields": CASE_LIST_FIELDS,
                    "domain": [("purpose", "=", "service"), ("state", "=", "open")],
                    "context": self.user_context,
                    "offset": 0,
                    "limit": 80,
                    "sort": "",
                },
            )
            if not listed.get("records"):
                raise StepFailed("the list of open service cases is empty")
        self.think()
        with Step(self, "case_open"):
            rows = self.call(
                "case_open", "r2.crm.case", "read", [[case_id], self.case_form_fields]
            )
            if not rows or rows[0]["name"] != case_name:
                raise StepFailed("case %s read back as %r" % (case_id, rows))
        for number in range(NOTES_PER_CASE):
            self.think()
            with Step(self, "add_note"):
                self.case_note(
                    "add_note",
                    "note",
                    case_id,
                    partner,
                    name="Diagnoza %d: %s" % (number + 1, serial),
                    description="Wymieniono głowicę drukującą.",
                )
        self.think()
        with Step(self, "s2_close"):
            self.case_note(
                "s2_close",
                "close",
                case_id,
                partner,
                name="Wydano klientowi %s" % serial,
                description="Naprawiono, sprawdzono.",
                result_id=self.s2,
            )
        self.think()
        with Step(self, "print_intake"):
            self.current_step.requests += 1
            path = "/report/pdf/%s/%d" % (REPORT, note)
            error = None
            with self.client.get(path, name="print_intake", catch_response=True) as r:
                if r.status_code != 200:
                    error = "HTTP %s on %s: %s" % (
                        r.status_code,
                        path,
                        str(r.error or r.text or "")[:200],
                    )
                elif not (r.content or b"").startswith(b"%PDF"):
                    error = "%s is no PDF: %r" % (path, (r.content or b"")[:100])
                if error:
                    r.failure(error)
            if error:
                raise StepFailed(error)
        log_line({"event": "cycle", "clerk": self.login})
