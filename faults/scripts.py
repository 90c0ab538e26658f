"""The scripts the fault tests run in Odoo processes of their own (click-odoo:
``env`` is the superuser's environment, committed at the end)."""

# Notes of S1 whose e-mail is due now, each on a case of its own for a
# customer with an address; the demo's pending e-mails are left out. Prints
# {"notes": [ids], "cases": [ids]}.
PENDING_MAIL = """
import json
from odoo.addons.r2_crm import rules
key = %(key)r
env.user.company_id.email = "serwis@r2-faults.test"
env.cr.execute(
    "UPDATE r2_crm_contact SET customer_mail_state = %%s "
    "WHERE customer_mail_state = %%s", (rules.MAIL_SENT, rules.MAIL_PENDING))
clerk = env.ref("r2_crm.r2_crm_user_service_demo")
notes = env["r2.crm.contact"]
for number in range(%(count)d):
    customer = env["res.partner"].create({
        "name": "Klient %%s %%d" %% (key, number),
        "email": "klient-%%s-%%d@r2-faults.test" %% (key, number),
        "lang": "pl_PL",
    })
    notes |= env["r2.crm.contact"].sudo(clerk).create({
        "type": "note", "purpose": "service", "partner_id": customer.id,
        "name": "Kasa nie drukuje", "item_description": "Kasa Posnet",
        "result_id": env.ref("r2_crm.result_s1").id,
    })
env.cr.execute(
    "UPDATE r2_crm_contact SET customer_mail_pending_since = NULL WHERE id IN %%s",
    (tuple(notes.ids),))
env.cr.commit()
print(json.dumps({"notes": notes.ids, "cases": notes.mapped("case_id").ids}))
"""

# Open service cases whose last entry is a month old: silent for the nudge.
# Prints {"cases": [ids]}.
SILENT_CASES = """
import json
key = %(key)r
clerk = env.ref("r2_crm.r2_crm_user_service_demo")
env.user.company_id.r2_crm_nudge_days = 7
notes = env["r2.crm.contact"]
for number in range(%(count)d):
    customer = env["res.partner"].create({"name": "Cichy %%s %%d" %% (key, number)})
    notes |= env["r2.crm.contact"].sudo(clerk).create({
        "type": "note", "purpose": "service", "partner_id": customer.id,
        "name": "Przyjęto", "result_id": env.ref("r2_crm.result_s1").id,
    })
cases = notes.mapped("case_id")
env.cr.execute(
    "UPDATE r2_crm_contact SET date = now() - interval '30 days', "
    "customer_mail_state = 'sent' WHERE case_id IN %%s", (tuple(cases.ids),))
env.cr.execute(
    "UPDATE r2_crm_case SET date_open = current_date - 30 WHERE id IN %%s",
    (tuple(cases.ids),))
env.cr.commit()
print(json.dumps({"cases": cases.ids}))
"""

# The two scheduled actions at a given moment (a Unix time), as two nodes'
# cron threads would start them: the nudge, then the customer's e-mails.
CRONS_AT = """
import json, time
from odoo.addons.r2_crm.models import r2_crm_case_nudge as nudge
Contact = type(env["r2.crm.contact"])
made = {"nudges": 0, "skipped": 0, "mails": 0}
create, send = Contact.create, Contact._r2_crm_send_customer_mail
by_another = nudge.nudged_by_another_run


def counting_create(self, vals):
    record = create(self, vals)
    if vals.get("is_nudge"):
        made["nudges"] += 1
        time.sleep(0.02)  # a nudge takes a moment: the runs overlap for sure
    return record


def counting_send(self):
    send(self)
    made["mails"] += 1


def counting_skip(error):
    skipped = by_another(error)
    made["skipped"] += skipped
    return skipped


# what this process did itself: a nudge whose INSERT passed the unique index,
# a case skipped because the other run's nudge held it, an e-mail composed
# (a run that loses a race raises before it counts)
Contact.create, Contact._r2_crm_send_customer_mail = counting_create, counting_send
nudge.nudged_by_another_run = counting_skip
print("waiting %%f" %% time.time(), flush=True)
time.sleep(max(0.0, %(start)r - time.time()))
env["r2.crm.case"]._cron_nudge_inactive_cases()
env.cr.commit()
print("nudged", flush=True)
env["r2.crm.contact"]._cron_send_customer_mail()
env.cr.commit()
print(json.dumps(dict(made, done=True)))
"""

MAIL_CRON = """
import json
print("sending", flush=True)
env["r2.crm.contact"]._cron_send_customer_mail()
env.cr.commit()
print(json.dumps({"done": True}))
"""

# The import of a KONTAKTY export from R2faktury by the admin (a CRM
# manager), as the wizard's button does it. Prints the outcome.
IMPORT = """
import base64, json
with open(%(path)r, "rb") as fp:
    data = fp.read()
wizard = env["r2.crm.import.wizard"].create({
    "kind": "contacts", "data_file": base64.b64encode(data),
    "filename": "kontakty.csv", "dry_run": False,
})
print("importing", flush=True)
wizard.action_import()
env.cr.commit()
print(json.dumps({"created": wizard.created_count, "updated": wizard.updated_count,
                  "errors": wizard.error_count}))
"""


def kontakty_csv(path, customers, rows):
    """A KONTAKTY export of ``rows`` notes and tasks of ``customers`` (names),
    in Windows-1250, as R2faktury writes it; each row a conversation of its own."""
    lines = [
        "Data;Typ;Cel;Klient;NIP;Temat;Opis;Towar;Rezultat;Powiązany z;"
        "Termin;Wykonane;Użytkownik"
    ]
    for i in range(rows):
        task = i % 5 == 0
        lines.append(
            ";".join(
                [
                    "%02d.%02d.2024 %02d:%02d"
                    % (i % 28 + 1, i % 12 + 1, i % 10 + 8, i % 60),
                    "zadanie" if task else "notatka",
                    "serwis",
                    customers[i % len(customers)],
                    "",
                    "Rozmowa nr %d" % i,
                    "Klient pyta o naprawę, ustalono termin",
                    "Kasa fiskalna",
                    "",
                    "",
                    "15.01.2025" if task else "",
                    "tak" if task else "",
                    "admin",
                ]
            )
        )
    with open(path, "wb") as fp:
        fp.write("\r\n".join(lines).encode("cp1250"))
