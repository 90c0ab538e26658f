"""RODO (#28), what an erasure must also reach: a quote accepted with a
signature, a signature cleared and signed again by somebody who is no
partner, a tracked text and an activity naming the customer, his partner's
website, mobile, notes and bank account, and a file he sent; and the
retention cron, which a recent invoice holds back."""

import json
from datetime import date
from unittest.mock import patch

from odoo import sql_db

from .. import rules
from ..models import res_partner_privacy as privacy
from ..models.res_partner_privacy import RETENTION_LOCK
from .common import SIGNATURE
from .mailing import CATCHALL_DOMAIN, raw_mail
from .test_privacy import EMAIL, NAME, PHONE, SECRETS, SERIAL, SIGNER, PrivacyCase

# names that only the signing steps logged, and the partner's other data
EARLIER_SIGNER = "Kazimierz Dawnypodpis"
QUOTE_SIGNER = "Teodor Akceptujący"
WEBSITE = "zenobiusz-prywatny.example"
MOBILE = "+48 511 222 333"
ACCOUNT = "PL61109010140000071219812874"
MORE_SECRETS = SECRETS + (
    EARLIER_SIGNER,
    QUOTE_SIGNER,
    WEBSITE,
    "511 222 333",
    ACCOUNT,
)


class ReachCase(PrivacyCase):
    """PrivacyCase's customer, with a second repair whose quote he accepted
    at the counter, and the rest named above."""

    @classmethod
    def setUpClass(cls):
        super(ReachCase, cls).setUpClass()
        cls.labour = cls.env["product.product"].create(
            {"name": "Robocizna serwisowa", "type": "service", "lst_price": 120.0}
        )

    def setUp(self):
        super(ReachCase, self).setUp()
        self.customer.write(
            {
                "website": "https://%s" % WEBSITE,
                "mobile": MOBILE,
                "comment": "<p>Dzwonić na %s</p>" % MOBILE,
            }
        )
        self.bank = self.env["res.partner.bank"].create(
            {"acc_number": ACCOUNT, "partner_id": self.customer.id}
        )
        self.activity = self.env["mail.activity"].create(
            {
                "res_model_id": self.env.ref("base.model_res_partner").id,
                "res_id": self.customer.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "summary": "Oddzwonić",
                "user_id": self.manager.id,
            }
        )
        # the second repair: a signature cleared and given again, a tracked
        # wait naming the customer, a quote accepted with a signature
        self.intake = self.note(
            partner_id=self.customer.id,
            name="Drukarka",
            device_serial="PRIV-SERIAL-2",
            result_id=self.s1.id,
        )
        self.repair = self.intake.case_id.sudo(self.service_clerk)
        self.sign(self.intake, name=EARLIER_SIGNER)
        self.intake.sudo(self.service_clerk).action_clear_signature()
        self.sign(self.intake, name=SIGNER)
        tracked = self.repair.with_context(tracking_disable=False)
        tracked._r2_crm_wait(rules.WAIT_OTHER, note="telefon od %s" % NAME)
        tracked._r2_crm_resume()
        self.repair.write(
            {
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.labour.id,
                            "name": "Czyszczenie głowicy",
                            "quantity": 1,
                            "price_unit": 120.0,
                        },
                    )
                ]
            }
        )
        self.repair.action_send_quote()
        action = self.repair.action_quote_accept()
        self.env["r2.crm.case.quote.wizard"].sudo(self.service_clerk).with_context(
            **action["context"]
        ).create({"signature": SIGNATURE, "signed_by": QUOTE_SIGNER}).action_confirm()
        # a file he sent with his answer
        self.receive(
            raw_mail(
                '"%s" <%s>' % (NAME, EMAIL),
                "catchall@%s" % CATCHALL_DOMAIN,
                "Re: Kosztorys",
                body="W załączniku paragon.",
                headers=[
                    ("In-Reply-To", self.repair.sudo().message_ids[-1].message_id)
                ],
                attachments=[
                    (
                        "Zenobiusz-paragon.txt",
                        ("Paragon: %s, tel. %s" % (NAME, PHONE)).encode(),
                    )
                ],
            )
        )

    def their_attachments(self):
        """The ids of the attachments of the customer's records."""
        _scope, entries, cases, _devices = self.customer._r2_crm_records()
        self.cr.execute(
            "SELECT id FROM ir_attachment WHERE (res_model = 'r2.crm.contact' "
            "AND res_id IN %s) OR (res_model = 'r2.crm.case' AND res_id IN %s)",
            (tuple(entries.ids), tuple(cases.ids)),
        )
        return {row[0] for row in self.cr.fetchall()}


class TestErasureReach(ReachCase):
    def test_the_export_holds_the_quote_its_pdf_and_signature(self):
        archive = self.export()
        data = json.loads(archive.read("dane.json"))
        [case] = [case for case in data["cases"] if case["id"] == self.repair.id]
        quote = case["quote"]
        self.assertEqual(quote["state"], rules.QUOTE_ACCEPTED)
        self.assertEqual(quote["accepted_by"], QUOTE_SIGNER)
        self.assertEqual(quote["lines"][0]["description"], "Czyszczenie głowicy")
        self.assertEqual(quote["lines"][0]["net"], 120.0)
        self.assertTrue(archive.read(quote["signature_file"]).startswith(b"\x89PNG"))
        pdfs = [name for name in archive.namelist() if name.startswith("quotes/")]
        self.assertEqual(len(pdfs), 1, archive.namelist())
        self.assertIn(self.repair.name.replace("/", "-"), pdfs[0])
        self.assertTrue(archive.read(pdfs[0]))
        partner = [p for p in data["partners"] if p["id"] == self.customer.id][0]
        self.assertEqual(partner["mobile"], MOBILE)
        self.assertEqual(partner["website"], "https://%s" % WEBSITE)

    def test_nothing_of_him_is_left_anywhere(self):
        self.export()
        attachments = self.their_attachments()
        # the scan sees his strings where they are before, in every table the
        # issue names (the queued e-mail, the tracked wait, his file)
        where = {
            (table, secret) for table, _col, secret in self.leftovers(MORE_SECRETS)
        }
        for table in ("mail_mail", "mail_tracking_value", "ir_attachment"):
            self.assertIn((table, NAME), where, table)
        for secret in (EARLIER_SIGNER, QUOTE_SIGNER):
            self.assertIn(("mail_message", secret), where)
        self.assertIn(("res_partner", WEBSITE), where)
        self.assertIn(("mail_activity", NAME), where)
        self.assertTrue(self.repair.quote_signature)
        self.assertGreaterEqual(len(attachments), 4)  # quote PDFs, protocols, file

        before = self.statistics()
        self.erase()
        self.assertEqual(self.statistics(), before)
        self.assertEqual(self.leftovers(MORE_SECRETS), [])
        self.cr.execute(
            "SELECT id FROM ir_attachment WHERE id IN %s", (tuple(attachments),)
        )
        self.assertEqual(self.cr.fetchall(), [])
        self.assertEqual(self.their_attachments(), set())
        self.env.cache.invalidate()
        self.assertFalse(self.repair.quote_signature)
        self.assertFalse(self.repair.quote_accepted_by)
        self.assertEqual(self.repair.quote_state, rules.QUOTE_ACCEPTED)
        self.assertFalse(self.bank.exists())
        self.assertFalse(self.customer.mobile)
        self.assertFalse(self.customer.website)
        self.assertFalse(self.customer.comment)
        # his activities lose his name (and Odoo drops those of the
        # partner as it is archived)
        self.assertFalse(self.activity.exists())

    def test_with_invoices_only_name_address_and_nip_stay(self):
        self.invoiced("2026-12-10")
        self.erase()
        self.assertEqual(self.customer.name, NAME)
        self.assertFalse(self.bank.exists())
        self.assertFalse(self.customer.mobile)
        self.assertFalse(self.customer.website)
        self.assertFalse(self.customer.comment)
        self.assertEqual(
            self.leftovers(
                (EARLIER_SIGNER, QUOTE_SIGNER, WEBSITE, "511 222 333", ACCOUNT, SERIAL)
            ),
            [],
        )


class TestRetentionReach(ReachCase):
    def test_a_recent_invoice_keeps_a_silent_customer(self):
        """No entry or case for three years, but an invoice last year: not
        silent. Once the invoice is three years old too, he is."""
        self.invoiced("2025-03-10")
        self.silent_since("2022-06-30")
        self.assertEqual(self.run_retention(date(2026, 7, 1)), [])
        self.assertEqual(self.customer.name, NAME)
        self.assertIn(
            self.customer.id, self.run_retention(date(2028, 3, 11), erase=False)
        )

    def test_a_second_run_at_once_leaves_the_day_to_the_first(self):
        """Every node runs the cron, and "Run manually" beside it: while one
        run's transaction holds the lock, another erases nothing."""
        self.silent_since("2022-06-30")
        other = sql_db.db_connect(self.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", (RETENTION_LOCK,)
            )
            # (assertLogs(..., "INFO") would wait for Odoo's level 25, which
            # Odoo names INFO too: the logger itself is watched)
            with patch.object(privacy._logger, "info") as logged:
                self.assertIn(self.customer.id, self.run_retention(date(2026, 7, 1)))
            self.assertIn("runs elsewhere", logged.call_args[0][0])
            self.assertFalse(self.logs())
            self.assertEqual(self.customer.name, NAME)
        finally:
            other.rollback()
            other.close()
        self.run_retention(date(2026, 7, 1))
        self.assertEqual(self.logs().action, rules.PRIVACY_RETENTION)
        self.assertNotEqual(self.customer.name, NAME)

    def silent_since(self, day):
        """The customer's entries and cases all of ``day``; retention 3 years."""
        self.env.user.company_id.r2_crm_retention_years = 3
        partners = tuple((self.customer | self.signer).ids)
        self.cr.execute(
            "UPDATE r2_crm_contact SET date = %s WHERE partner_id IN %s",
            (day + " 10:00:00", partners),
        )
        self.cr.execute(
            "UPDATE r2_crm_case SET date_open = %s, date_closed = CASE "
            "WHEN date_closed IS NULL THEN NULL ELSE %s::date END "
            "WHERE partner_id IN %s",
            (day, day, partners),
        )
        self.env.cache.invalidate()

    def run_retention(self, today, erase=True):
        """The customers the cron finds silent on ``today`` (and, with
        ``erase``, the cron's run on that day)."""
        cutoff = rules.retention_cutoff(today, 3)
        silent = self.env["res.partner"]._r2_crm_silent_customers(
            self.env.user.company_id, cutoff
        )
        if erase:
            Partner = type(self.env["res.partner"])
            with patch.object(Partner, "_r2_crm_today", lambda self: today):
                self.env["res.partner"]._cron_r2_crm_privacy_retention()
            self.env.cache.invalidate()
        return silent
