"""kill -9 of the Odoo process in the middle of the customer-mail cron's batch
and of a real import of 10,000 KONTAKTY rows: after a restart, each e-mail is
composed exactly once, and the same import run again imports every row once."""

import os
import time
import uuid

from faults.conftest import Script, make_partners, run, sql
from faults.scripts import IMPORT, MAIL_CRON, PENDING_MAIL, kontakty_csv
from faults.test_crons_two_nodes import customer_mails, queued_mails
from tools.devtool import LOG_DIR

ROWS = 10000


def sent(note_ids):
    return sql(
        "SELECT count(*) FROM r2_crm_contact WHERE id IN %s "
        "AND customer_mail_state = 'sent'",
        (tuple(note_ids),),
    )[0][0]


def test_mail_cron_killed_mid_batch_composes_each_mail_once(server):
    mail = run(
        PENDING_MAIL % {"key": uuid.uuid4().hex[:6], "count": 12}, "kill-mail-setup"
    )
    notes = mail["notes"]
    cron = Script(MAIL_CRON, "kill-mail-cron")
    cron.wait_for("sending")
    deadline = time.time() + 300
    while sent(notes) < 2 and time.time() < deadline:
        time.sleep(0.05)
    assert cron.proc.poll() is None, "the batch ended before the kill"
    cron.kill()
    at_kill = sent(notes)
    assert 2 <= at_kill < len(notes), at_kill

    run(MAIL_CRON, "kill-mail-cron-again")
    assert sent(notes) == len(notes)
    cases = mail["cases"]
    assert customer_mails(cases) == {case: 1 for case in cases}
    assert queued_mails(cases) == {case: 1 for case in cases}


def entry_ids_taken():
    return sql("SELECT last_value FROM r2_crm_contact_id_seq")[0][0]


def imported(keys_like):
    """(entries, distinct import keys) of the file's rows in the database."""
    return sql(
        "SELECT count(*), count(DISTINCT import_key) FROM r2_crm_contact "
        "WHERE name LIKE 'Rozmowa nr %%' AND partner_id IN "
        "(SELECT id FROM res_partner WHERE name LIKE %s)",
        (keys_like,),
    )[0]


def test_import_killed_then_run_again_imports_each_row_once(server):
    key = uuid.uuid4().hex[:6]
    customers = ["Importowany %s %d" % (key, number) for number in range(20)]
    make_partners(customers)
    path = os.path.join(LOG_DIR, "faults-kontakty-%s.csv" % key)
    kontakty_csv(path, customers, ROWS)

    before = entry_ids_taken()
    first = Script(IMPORT % {"path": path}, "kill-import")
    first.wait_for("importing")
    # ids are taken outside the transaction: a quarter of the rows inserted
    deadline = time.time() + 300
    while entry_ids_taken() < before + ROWS // 4 and time.time() < deadline:
        time.sleep(0.02)
    assert first.proc.poll() is None, "the import ended before the kill"
    first.kill()
    # one transaction: nothing of the killed import stays
    assert imported("Importowany %s %%" % key) == (0, 0)

    outcome = run(IMPORT % {"path": path}, "kill-import-again")
    assert outcome["errors"] == 0, outcome
    assert outcome["created"] + outcome["updated"] == ROWS, outcome
    assert imported("Importowany %s %%" % key) == (ROWS, ROWS)

    # and once more: every row found, none created twice
    outcome = run(IMPORT % {"path": path}, "kill-import-third")
    assert outcome["created"] == 0, outcome
    assert imported("Importowany %s %%" % key) == (ROWS, ROWS)
