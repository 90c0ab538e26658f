"""The customer-mail cron and the nudge cron started at the same moment in two
Odoo processes on one database, as the cron threads of two nodes (or "Run
manually" beside a scheduled run) would: each e-mail is composed once and each
silent case gets one task."""

import json
import time
import uuid

from faults.conftest import Script, run, sql
from faults.scripts import CRONS_AT, PENDING_MAIL, SILENT_CASES

PROCESSES = 2


def customer_mails(case_ids):
    """{case id: the number of e-mails composed to its customer}."""
    rows = sql(
        """SELECT m.res_id, count(*) FROM mail_message m
             JOIN ir_model_data d ON d.model = 'mail.message.subtype'
                  AND d.module = 'r2_crm' AND d.name = 'mt_customer_mail'
                  AND d.res_id = m.subtype_id
            WHERE m.model = 'r2.crm.case' AND m.res_id IN %s
            GROUP BY m.res_id""",
        (tuple(case_ids),),
    )
    return dict(rows)


def queued_mails(case_ids):
    """{case id: the number of mail.mail queued for its customer}."""
    rows = sql(
        """SELECT m.res_id, count(*) FROM mail_mail q
             JOIN mail_message m ON m.id = q.mail_message_id
            WHERE m.model = 'r2.crm.case' AND m.res_id IN %s
            GROUP BY m.res_id""",
        (tuple(case_ids),),
    )
    return dict(rows)


def nudges(case_ids):
    rows = sql(
        "SELECT case_id, count(*) FROM r2_crm_contact WHERE is_nudge "
        "AND case_id IN %s GROUP BY case_id",
        (tuple(case_ids),),
    )
    return dict(rows)


def all_nudges():
    return sql("SELECT count(*) FROM r2_crm_contact WHERE is_nudge")[0][0]


def test_two_processes_compose_each_mail_once_and_nudge_each_case_once(server):
    key = uuid.uuid4().hex[:6]
    mail = run(PENDING_MAIL % {"key": key, "count": 8}, "two-nodes-mail-setup")
    silent = run(SILENT_CASES % {"key": key, "count": 30}, "two-nodes-silent-setup")
    # the first print after an update: both processes make the report's
    # stylesheets again, and Odoo commits them in the middle of a note
    sql("DELETE FROM ir_attachment WHERE url LIKE '/web/content/%/web.report_assets%'")
    nudges_before = all_nudges()
    # both processes load their registry first, then start at the same moment
    start = time.time() + 30
    nodes = [
        Script(CRONS_AT % {"start": start}, "two-nodes-%d" % number)
        for number in range(PROCESSES)
    ]
    for node in nodes:
        node.wait_for("waiting", timeout=30)
    assert time.time() < start, "a process loaded its registry after the moment"
    outcomes = [node.finish() for node in nodes]
    for problems, result in outcomes:
        assert not problems, problems
        assert result["done"]
    assert all("nudged" in node.output() for node in nodes)
    # each process counted what it made: together, every case and every
    # e-mail once; and both worked on the same notes at the same time (a
    # protocol's PDF takes long enough), so the locks were what kept them apart
    made = [result for _problems, result in outcomes]
    assert sum(result["nudges"] for result in made) == all_nudges() - nudges_before
    assert sum(result["mails"] for result in made) == len(mail["notes"]), made
    assert all(result["mails"] for result in made), made
    # both went through the silent cases: each nudged some, or skipped what
    # the other one's uncommitted nudge held (the unique index)
    assert all(result["nudges"] + result["skipped"] for result in made), made

    assert nudges(silent["cases"]) == {case: 1 for case in silent["cases"]}
    assert customer_mails(mail["cases"]) == {case: 1 for case in mail["cases"]}
    assert queued_mails(mail["cases"]) == {case: 1 for case in mail["cases"]}
    states = sql(
        "SELECT DISTINCT customer_mail_state FROM r2_crm_contact WHERE id IN %s",
        (tuple(mail["notes"]),),
    )
    assert states == [("sent",)], json.dumps(states)
