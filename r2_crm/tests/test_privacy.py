"""RODO (#28): a customer's data on request, and erased when it must be,
without breaking the books: as the CRM manager, and refused to a clerk."""

import base64
import io
import json
import zipfile
from datetime import date
from unittest.mock import patch

from psycopg2 import sql

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .. import rules
from .mailing import CATCHALL_DOMAIN, MailCase, raw_mail

NAME = "Zenobiusz Prywatny"
SIGNER = "Halina Prywatna"
EMAIL = "zenobiusz.prywatny@klient.test"
PHONE = "+48 600 700 800"
STREET = "ul. Sekretna 17"
SERIAL = "PRIV-SERIAL-9931"
OTHER_NAME = "Bogumiła Inna"
OTHER_SERIAL = "OTHER-SERIAL-555"
# what must not survive the customer's erasure
SECRETS = (NAME, SIGNER, EMAIL, PHONE, STREET, SERIAL, "Zenobiusz", "600 700 800")
# where a customer's strings could hide: every text column of these
TABLES = (
    "res_partner",
    "res_users",
    "mail_message",
    "mail_mail",
    "mail_tracking_value",
    "mail_activity",
    "ir_attachment",
)


class PrivacyCase(MailCase):
    """A customer with notes, a signed and closed case, a device, e-mails
    and a portal user; and a second customer."""

    @classmethod
    def setUpClass(cls):
        super(PrivacyCase, cls).setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": NAME,
                "email": EMAIL,
                "phone": PHONE,
                "street": STREET,
                "city": "Poznań",
                "lang": "pl_PL",
                "vat": "PL7781234563",
            }
        )
        cls.signer = Partner.create({"name": SIGNER, "parent_id": cls.customer.id})
        cls.other = Partner.create(
            {"name": OTHER_NAME, "email": "bogumila@inna.test", "lang": "pl_PL"}
        )
        cls.portal_user = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": EMAIL,
                    "partner_id": cls.customer.id,
                    "groups_id": [(6, 0, cls.env.ref("base.group_portal").ids)],
                }
            )
        )
        cls.campaign = cls.env["r2.crm.campaign"].create({"name": "Przeglądy 2026"})

    def setUp(self):
        super(PrivacyCase, self).setUp()
        self.opening = self.note(
            partner_id=self.customer.id,
            name="Laptop %s" % NAME,
            item_description="Laptop, SN %s" % SERIAL,
            description="Oddzwonić: %s. Przyniosła go %s." % (PHONE, OTHER_NAME),
            device_serial=SERIAL,
            result_id=self.s1.id,
        )
        self.case = self.opening.case_id
        self.case.campaign_id = self.campaign
        self.sign(self.opening, name=SIGNER)
        self.case._r2_crm_mail_customer(
            "Przyjęcie", "<p>Szanowny Panie %s</p>" % NAME, [("p.pdf", b"%PDF")]
        )
        self.receive(
            raw_mail(
                '"%s" <%s>' % (NAME, EMAIL),
                "catchall@%s" % CATCHALL_DOMAIN,
                "Re: Przyjęcie",
                body="Mój telefon to %s" % PHONE,
                headers=[("In-Reply-To", self.case.message_ids[0].message_id)],
            )
        )
        self.closing = self.note(
            partner_id=self.customer.id,
            name="Wydano",
            case_id=self.case.id,
            result_id=self.s2.id,
        )
        self.other_note = self.note(
            partner_id=self.other.id,
            name="Drukarka Bogumiły",
            device_serial=OTHER_SERIAL,
            result_id=self.s1.id,
        )

    def as_manager(self, partner=None):
        return (partner or self.customer).sudo(self.manager).with_context(lang="pl_PL")

    def logs(self):
        return self.env["r2.crm.privacy.log"].search(
            [("partner_ref", "=", self.customer.id)]
        )

    def export(self, partner=None):
        """The ZIP the manager downloads for ``partner`` (the customer)."""
        action = self.as_manager(partner).action_r2_crm_export_personal_data()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/web/content/")[1].split("?")[0])
        )
        return zipfile.ZipFile(io.BytesIO(base64.b64decode(attachment.datas)))

    def invoiced(self, date_invoice):
        """A validated invoice of the customer, of ``date_invoice``."""
        product = self.env["product.product"].create({"name": "Kasa", "lst_price": 9})
        contract = self.Case.create(
            {
                "purpose": "sale",
                "partner_id": self.customer.id,
                "line_ids": [
                    (0, 0, {"product_id": product.id, "name": "K", "price_unit": 9})
                ],
            }
        )
        invoice = self.env["account.invoice"].browse(
            contract.action_create_invoice()["res_id"]
        )
        invoice.date_invoice = date_invoice
        invoice.action_invoice_open()
        return invoice

    def erase(self):
        action = self.as_manager().action_r2_crm_erase_personal_data()
        wizard = (
            self.env[action["res_model"]]
            .sudo(self.manager)
            .with_context(lang="pl_PL")
            .browse(action["res_id"])
        )
        summary = wizard.summary
        wizard.action_erase()
        return summary

    def leftovers(self, secrets):
        """(table, column, secret) of every text column of the r2 tables and
        of TABLES that still holds one of ``secrets``."""
        self.cr.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_name = c.table_name "
            "AND t.table_schema = c.table_schema AND t.table_type = 'BASE TABLE' "
            "WHERE c.table_schema = 'public' "
            "AND c.data_type IN ('character varying', 'text') "
            "AND (c.table_name LIKE 'r2\\_crm\\_%%' OR c.table_name IN %s)",
            (TABLES,),
        )
        found = []
        for table, column in self.cr.fetchall():
            for secret in secrets:
                self.cr.execute(
                    sql.SQL("SELECT count(*) FROM {} WHERE {} ILIKE %s").format(
                        sql.Identifier(table), sql.Identifier(column)
                    ),
                    ("%" + secret + "%",),
                )
                if self.cr.fetchone()[0]:
                    found.append((table, column, secret))
        return found

    def statistics(self):
        self.env.cache.invalidate()
        figures = self.campaign.read(list(rules.CAMPAIGN_FIGURES))[0]
        states = self.Case.read_group([], ["state"], ["state"])
        return (
            figures,
            sorted((group["state"], group["state_count"]) for group in states),
            self.Case.search_count([]),
            self.Contact.search_count([]),
            self.case.read(["name", "state", "date_open", "date_closed", "purpose"]),
        )


class TestPrivacyRights(PrivacyCase):
    def test_a_clerk_is_refused_and_nothing_is_logged(self):
        for user in (self.service_clerk, self.all_departments_user):
            for method in (
                "action_r2_crm_export_personal_data",
                "action_r2_crm_erase_personal_data",
            ):
                with self.subTest(user=user.login, method=method):
                    partner = self.customer.sudo(user).with_context(lang="pl_PL")
                    with self.assertRaises(AccessError) as caught:
                        getattr(partner, method)()
                    self.assertIn("kierownik CRM", caught.exception.name)
        # nor through the confirmation step, made by hand over RPC
        wizard = (
            self.env["r2.crm.privacy.erase.wizard"]
            .sudo(self.service_clerk)
            .create({"partner_id": self.customer.id})
        )
        self.assertFalse(wizard.summary)
        with self.assertRaises(AccessError):
            wizard.action_erase()
        self.assertFalse(self.logs())
        self.assertEqual(self.customer.name, NAME)

    def test_the_shop_and_its_users_are_not_customers(self):
        for partner in (
            self.env.user.company_id.partner_id,
            self.service_clerk.partner_id,
        ):
            with self.subTest(partner=partner.name):
                with self.assertRaises(UserError) as caught:
                    self.as_manager(partner).action_r2_crm_erase_personal_data()
                self.assertIn("a nie klient", caught.exception.name)
        self.assertFalse(
            self.env["r2.crm.privacy.log"].search(
                [("partner_ref", "=", self.service_clerk.partner_id.id)]
            )
        )

    def test_the_erasure_dates_are_written_by_the_erasure_alone(self):
        """A forged date would hide a customer from the retention cron, or
        have the cron erase a live customer's name."""
        Partner = self.env["res.partner"]
        for user in (self.service_clerk, self.manager):
            for field in ("r2_crm_erased_on", "r2_crm_kept_until"):
                with self.subTest(user=user.login, field=field):
                    with self.assertRaises(UserError), self.cr.savepoint():
                        self.customer.sudo(user).write({field: "2020-01-01"})
                    with self.assertRaises(UserError), self.cr.savepoint():
                        Partner.sudo(user).create({"name": "X", field: "2020-01-01"})
                    made = (
                        Partner.sudo(user)
                        .with_context(**{"default_" + field: "2020-01-01"})
                        .create({"name": "Y"})
                    )
                    self.assertFalse(made[field])
        self.erase()
        self.assertTrue(self.customer.r2_crm_erased_on)
        self.assertFalse(self.customer.copy().r2_crm_erased_on)

    def test_the_log_is_read_by_managers_and_never_changed(self):
        self.export()
        log = self.logs()
        self.assertEqual(log.action, rules.PRIVACY_EXPORT)
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(
            log.sudo(self.manager).read(["partner_ref"])[0]["partner_ref"],
            self.customer.id,
        )
        with self.assertRaises(AccessError):
            log.sudo(self.service_clerk).read(["summary"])
        for user in (self.manager, self.env.user):
            with self.assertRaises((UserError, AccessError)):
                log.sudo(user).write({"summary": "changed"})
            with self.assertRaises((UserError, AccessError)):
                log.sudo(user).unlink()
        with self.assertRaises(AccessError):
            self.env["r2.crm.privacy.log"].sudo(self.manager).create(
                {"partner_ref": 1, "action": rules.PRIVACY_ERASE}
            )


class TestExport(PrivacyCase):
    def test_the_zip_holds_the_customer_and_nothing_of_another(self):
        archive = self.export()
        data = json.loads(archive.read("dane.json"))
        self.assertEqual(data["customer"], self.customer.id)
        self.assertEqual(
            {partner["id"] for partner in data["partners"]},
            {self.customer.id, self.signer.id},
        )
        entries = self.Contact.search([("partner_id", "child_of", self.customer.id)])
        self.assertEqual({entry["id"] for entry in data["entries"]}, set(entries.ids))
        self.assertEqual([case["number"] for case in data["cases"]], [self.case.name])
        self.assertEqual(data["cases"][0]["state"], rules.SUCCESS)
        self.assertEqual([device["serial"] for device in data["devices"]], [SERIAL])
        signed = [entry for entry in data["entries"] if entry["signed_by"]]
        self.assertEqual(signed[0]["signed_by"], SIGNER)
        self.assertIn(signed[0]["signature_file"], archive.namelist())
        self.assertTrue(
            archive.read(signed[0]["signature_file"]).startswith(b"\x89PNG")
        )
        protocols = [
            name for name in archive.namelist() if name.startswith("protocols/")
        ]
        self.assertEqual(len(protocols), 2, archive.namelist())
        texts = " ".join(email["text"] for email in data["emails"])
        self.assertIn("Mój telefon to %s" % PHONE, texts)
        self.assertIn(NAME, texts)
        self.assertEqual(sorted(data["files"]), sorted(archive.namelist()[1:]))
        # the note naming the other customer is this customer's
        self.assertIn(OTHER_NAME, json.dumps(data, ensure_ascii=False))
        for name in archive.namelist():
            content = archive.read(name).decode("utf-8", "replace")
            for secret in (OTHER_SERIAL, "Drukarka Bogumiły", "bogumila@inna.test"):
                self.assertNotIn(secret, content, name)
        self.assertNotIn(self.other_note.id, {entry["id"] for entry in data["entries"]})
        self.assertEqual(self.logs().action, rules.PRIVACY_EXPORT)

    def test_the_other_customer_gets_his_note_not_the_one_naming_him(self):
        data = json.loads(self.export(self.other).read("dane.json"))
        self.assertEqual(
            [entry["id"] for entry in data["entries"]], [self.other_note.id]
        )
        self.assertNotIn(NAME, json.dumps(data, ensure_ascii=False))


class TestErasure(PrivacyCase):
    def marker(self):
        return "[usunięto na żądanie, %s]" % date.today().strftime("%d.%m.%Y")

    def test_erasure_without_invoices_leaves_no_trace_and_the_same_statistics(self):
        self.export()  # the export's ZIP goes with the rest
        old_token = self.case.access_token
        before = self.statistics()
        # the scan sees them where they are before
        tables = {table for table, _column, _secret in self.leftovers(SECRETS)}
        self.assertTrue(
            {"res_partner", "res_users", "r2_crm_contact", "r2_crm_device"} <= tables,
            tables,
        )
        self.assertTrue({"mail_message", "mail_activity"} <= tables, tables)
        summary = self.erase()
        self.assertIn("Żadna faktura nie wiąże nazwy, adresu ani NIP", summary)
        self.assertEqual(self.statistics(), before)
        self.assertEqual(self.leftovers(SECRETS), [])
        # what stays, and what the entries and the partner say now
        self.opening.invalidate_cache()
        self.assertEqual(self.opening.name, self.marker())
        self.assertEqual(self.opening.result_id, self.s1)
        self.assertEqual(self.case.state, rules.SUCCESS)
        self.assertNotEqual(self.case.access_token, old_token)
        self.assertEqual(self.customer.name, self.marker())
        self.assertFalse(self.customer.active)
        self.assertFalse(self.customer.vat)
        self.assertEqual(self.customer.r2_crm_erased_on, fields.Date.today())
        self.assertFalse(self.portal_user.active)
        self.assertNotIn("@", self.portal_user.login)
        # the other customer is untouched
        self.assertEqual(self.other.name, OTHER_NAME)
        self.assertEqual(self.other_note.device_serial, OTHER_SERIAL)
        log = self.logs().filtered(lambda log: log.action == rules.PRIVACY_ERASE)
        self.assertEqual(log.user_id, self.manager)
        self.assertFalse(log.kept_until)

    def test_invoices_in_their_retention_period_keep_name_address_and_nip(self):
        invoice = self.invoiced("2026-12-10")
        summary = self.erase()
        self.assertIn("31.12.2032", summary)
        self.assertEqual(self.customer.name, NAME)
        self.assertEqual(self.customer.street, STREET)
        self.assertEqual(self.customer.vat, "PL7781234563")
        self.assertFalse(self.customer.email)
        self.assertFalse(self.customer.phone)
        self.assertEqual(self.customer.r2_crm_kept_until, "2032-12-31")
        self.assertEqual(self.signer.name, self.marker())
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.state, "open")
        log = self.logs().filtered(lambda log: log.action == rules.PRIVACY_ERASE)
        self.assertEqual(log.kept_until, "2032-12-31")
        self.assertEqual(self.leftovers((SIGNER, EMAIL, PHONE, SERIAL)), [])


class TestRetention(PrivacyCase):
    def run_cron_on(self, today):
        Partner = type(self.env["res.partner"])
        with patch.object(Partner, "_r2_crm_today", lambda self: today):
            self.env["res.partner"]._cron_r2_crm_privacy_retention()

    def test_silent_customers_are_erased_at_the_boundary_once(self):
        self.env.user.company_id.r2_crm_retention_years = 3
        self.cr.execute(
            "UPDATE r2_crm_contact SET date = '2023-06-30 10:00:00' "
            "WHERE partner_id IN %s",
            (tuple((self.customer | self.signer | self.other).ids),),
        )
        self.cr.execute(
            "UPDATE r2_crm_case SET date_open = '2023-06-30', date_closed = CASE "
            "WHEN date_closed IS NULL THEN NULL ELSE '2023-06-30'::date END "
            "WHERE partner_id IN %s",
            (tuple((self.customer | self.signer | self.other).ids),),
        )
        # the other customer wrote a year later
        self.cr.execute(
            "UPDATE r2_crm_contact SET date = '2024-07-01 10:00:00' WHERE id = %s",
            (self.other_note.id,),
        )
        self.env.cache.invalidate()
        self.run_cron_on(date(2026, 6, 30))  # exactly three years: not yet
        self.assertFalse(self.logs())
        self.assertEqual(self.customer.name, NAME)
        self.run_cron_on(date(2026, 7, 1))
        log = self.logs()
        self.assertEqual(log.action, rules.PRIVACY_RETENTION)
        self.env.cache.invalidate()
        self.assertNotEqual(self.customer.name, NAME)
        self.assertEqual(self.other.name, OTHER_NAME)
        self.run_cron_on(date(2026, 7, 2))  # idempotent
        self.assertEqual(self.logs(), log)

    def test_the_name_kept_for_invoices_goes_when_they_no_longer_bind(self):
        invoice = self.invoiced("2026-03-10")
        self.erase()
        self.assertEqual(self.customer.r2_crm_kept_until, "2031-12-31")
        self.run_cron_on(date(2031, 12, 31))
        self.assertEqual(self.customer.name, NAME)
        self.run_cron_on(date(2032, 1, 1))
        self.env.cache.invalidate()
        self.assertNotEqual(self.customer.name, NAME)
        self.assertFalse(self.customer.vat)
        self.assertFalse(self.customer.street)
        self.assertFalse(self.customer.r2_crm_kept_until)
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(
            self.logs().mapped("action"),
            [rules.PRIVACY_RETENTION, rules.PRIVACY_ERASE],
        )

    def test_off_by_default(self):
        self.assertEqual(self.env["res.company"].new({}).r2_crm_retention_years, 0)
        self.cr.execute("UPDATE r2_crm_contact SET date = '2001-01-01'")
        self.run_cron_on(date(2026, 7, 1))
        self.assertFalse(self.env["r2.crm.privacy.log"].search([]))
