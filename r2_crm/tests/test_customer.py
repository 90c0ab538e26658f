"""The customer in the loop (#15), as the service clerk and as the customers:
e-mails on S1 and S2 with their protocols, the portal, the nudge."""

import base64
import re
import subprocess
import tempfile
from datetime import datetime
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import HttpCase
from odoo.tools import config
from odoo.tools.safe_eval import safe_eval

from .. import rules
from .common import R2CrmTestCase, settle_registry

# Odoo sends notifications at once in tests and deletes them: keep them queued
QUEUE = {"mail_notify_force_send": False, "mail_auto_delete": False}


def pdf_text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fp:
        fp.write(data)
        fp.flush()
        return subprocess.check_output(["pdftotext", fp.name, "-"]).decode()


class CustomerMailCase(R2CrmTestCase):
    @classmethod
    def setUpClass(cls):
        super(CustomerMailCase, cls).setUpClass()
        cls.install_polish()
        cls.partner.lang = "pl_PL"
        cls.env.user.company_id.email = "serwis@r2.test"
        # a counter clerk without a mailbox, as real ones often are
        cls.clerk = cls.make_user(
            "r2_mailless_clerk",
            "r2_crm.r2_crm_group_user_department",
            "service",
            email=False,
        )
        # the demo's notes are not this test's business
        cls.cr.execute(
            "UPDATE r2_crm_contact SET customer_mail_state = %s "
            "WHERE customer_mail_state = %s",
            (rules.MAIL_SENT, rules.MAIL_PENDING),
        )

    def run_mail_cron(self):
        """The scheduled action, with real PDFs (wkhtmltopdf on this server)."""
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://localhost:%s" % config["http_port"]
        )
        with tempfile.TemporaryDirectory() as tmp, patch.dict(
            config.options, {"test_report_directory": tmp}
        ):
            self.Contact.with_context(**QUEUE)._cron_send_customer_mail()

    def mails(self, case):
        return self.env["mail.mail"].search(
            [("model", "=", "r2.crm.case"), ("res_id", "=", case.id)]
        )


class TestCustomerMail(CustomerMailCase):
    def test_s1_mails_the_intake_protocol_in_polish_once(self):
        note = self.note(self.clerk, result_id=self.s1.id)
        case = note.case_id
        self.assertEqual(note.customer_mail_state, rules.MAIL_PENDING)
        self.assertFalse(self.mails(case), "no PDF while the clerk waits")

        self.run_mail_cron()
        mail = self.mails(case)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.partner)
        self.assertIn(case.name, mail.subject)
        self.assertIn("przyjęliśmy", mail.subject)
        self.assertIn("serwis@r2.test", mail.email_from)
        self.assertIn(
            "/my/cases/%d?access_token=%s" % (case.id, case.access_token),
            mail.body_html,
        )
        self.assertIn("Lenovo T480", mail.body_html)
        self.assertEqual(len(mail.attachment_ids), 1)
        attachment = mail.attachment_ids
        self.assertEqual(
            attachment.name, "Protokół przyjęcia %s.pdf" % case.name.replace("/", "-")
        )
        text = pdf_text(base64.b64decode(attachment.datas))
        self.assertIn(case.name, text)
        self.assertIn("Protokół otwarcia usługi serwisowej", text)
        self.assertEqual(note.customer_mail_state, rules.MAIL_SENT)
        self.assertIn(mail.mail_message_id, case.message_ids, "in the case's chatter")

        self.run_mail_cron()
        self.assertEqual(self.mails(case), mail, "never sent twice")

    def test_s2_mails_the_completion_protocol(self):
        case = self.note(self.clerk, result_id=self.s1.id).case_id
        self.run_mail_cron()
        closing = self.note(
            self.clerk, case_id=case.id, result_id=self.s2.id, name="Repaired"
        )
        self.assertEqual(closing.customer_mail_state, rules.MAIL_PENDING)
        self.run_mail_cron()
        mail = self.mails(case).filtered(lambda m: "zamknięta" in m.subject)
        self.assertEqual(len(mail), 1)
        self.assertIn("gotowy do odbioru", mail.body_html)
        text = pdf_text(base64.b64decode(mail.attachment_ids.datas))
        self.assertIn("Protokół wykonania zlecenia", text)
        self.assertIn(case.name, text)
        self.assertEqual(len(self.mails(case)), 2)

    def test_a_customer_without_address_gets_a_note_in_the_chatter(self):
        self.partner.email = False
        note = self.note(self.clerk, result_id=self.s1.id)
        self.run_mail_cron()
        self.assertFalse(self.mails(note.case_id))
        self.assertEqual(note.customer_mail_state, rules.MAIL_NOT_SENT)
        self.assertIn(
            "has no e-mail address",
            " ".join(note.case_id.message_ids.mapped("body")),
        )

    def test_a_result_that_does_not_notify_sends_nothing(self):
        self.s1.notify_customer = False
        note = self.note(self.clerk, result_id=self.s1.id)
        self.assertFalse(note.customer_mail_state)
        self.run_mail_cron()
        self.assertFalse(self.mails(note.case_id))

    def test_only_a_result_with_a_protocol_notifies(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Result.create(
                {
                    "code": "X9",
                    "name": "Called",
                    "action": "none",
                    "notify_customer": True,
                }
            )
        self.assertFalse(self.Result.search([("code", "=", "X9")]))

    def test_a_sales_contract_closed_by_a_notifying_result_sends_nothing(self):
        won = self.Result.create(
            {
                "code": "H9",
                "name": "Signed",
                "purpose": "sale",
                "action": "close_success",
                "notify_customer": True,
            }
        )
        contract = self.Case.create({"purpose": "sale", "partner_id": self.partner.id})
        note = self.Contact.create(
            {
                "type": "note",
                "purpose": "sale",
                "partner_id": self.partner.id,
                "case_id": contract.id,
                "name": "Signed",
                "result_id": won.id,
            }
        )
        self.assertEqual(contract.state, rules.SUCCESS)
        self.assertFalse(note.customer_mail_state, "no protocol, no portal page")

    def test_the_clerk_cannot_mark_an_email_sent(self):
        note = self.note(self.clerk, result_id=self.s1.id)
        with self.assertRaises(UserError), self.cr.savepoint():
            note.sudo(self.clerk).write({"customer_mail_state": rules.MAIL_SENT})
        self.assertEqual(note.customer_mail_state, rules.MAIL_PENDING)


class TestClerkWithoutMailbox(CustomerMailCase):
    def test_a_clerk_without_email_saves_notes_tracks_and_finishes_tasks(self):
        Contact = self.Contact.with_context(
            tracking_disable=False, mail_create_nolog=False
        ).sudo(self.clerk)
        note = Contact.create(
            {
                "type": "note",
                "purpose": "service",
                "partner_id": self.partner.id,
                "name": "Intake",
                "result_id": self.s1.id,
            }
        )
        note.message_post(body="Customer called back", subtype="mail.mt_note")
        note.write({"name": "Intake of a laptop"})
        task = Contact.create(
            {
                "type": "task",
                "purpose": "service",
                "partner_id": self.partner.id,
                "name": "Call the customer",
                "date_deadline": "2026-12-01",
                "case_id": note.case_id.id,
            }
        )
        task.task_activity_id.sudo(self.clerk).action_done()
        self.assertTrue(task.done)
        messages = (
            (note | task)
            .mapped("message_ids")
            .filtered(lambda m: m.author_id == self.clerk.partner_id)
        )
        self.assertTrue(messages)
        for message in messages:
            self.assertIn("serwis@r2.test", message.email_from)
            self.assertIn("r2_mailless_clerk", message.email_from)

    def test_without_any_shop_address_the_message_is_kept_under_the_name(self):
        self.env.user.company_id.email = False
        note = self.note(self.clerk)
        message = note.sudo(self.clerk).message_post(
            body="Kept", subtype="mail.mt_note"
        )
        self.assertEqual(message.email_from, "r2_mailless_clerk")


class TestNudge(R2CrmTestCase):
    @classmethod
    def setUpClass(cls):
        super(TestNudge, cls).setUpClass()
        cls.clerk = cls.make_user(
            "r2_nudged_clerk", "r2_crm.r2_crm_group_user_department", "service"
        )
        cls.env.user.company_id.r2_crm_nudge_days = 7

    def silent_case(self, day="2026-03-01 10:00:00"):
        return self.note(self.clerk, result_id=self.s1.id, date=day).case_id

    def nudge(self, today):
        with self.frozen_today(today):
            self.Case._cron_nudge_inactive_cases()

    def nudges(self, case):
        return self.Contact.search([("case_id", "=", case.id), ("is_nudge", "=", True)])

    def test_a_nudge_at_day_7_not_at_day_6_and_once(self):
        case = self.silent_case()
        self.nudge(self.d(2026, 3, 7))  # 6 days
        self.assertFalse(self.nudges(case))
        self.nudge(self.d(2026, 3, 8))  # 7 days
        nudge = self.nudges(case)
        self.assertEqual(len(nudge), 1)
        self.assertEqual(nudge.type, rules.TASK)
        self.assertEqual(nudge.user_id, self.clerk)
        self.assertEqual(nudge.date_deadline, "2026-03-08")
        self.assertIn(case.name, nudge.name)
        self.assertIn("7", nudge.name)
        self.assertEqual(nudge.task_activity_id.user_id, self.clerk, "activity menu")
        self.nudge(self.d(2026, 3, 9))
        self.nudge(self.d(2026, 3, 20))
        self.assertEqual(self.nudges(case), nudge, "one nudge per silence")

    def test_the_nudge_is_among_my_tasks_today(self):
        case = self.silent_case()
        today = fields.Date.context_today(self.Contact)
        self.nudge(fields.Date.from_string(today))
        action = self.env.ref("r2_crm.r2_crm_contact_action_my_tasks_today")
        domain = safe_eval(
            action.domain,
            {
                "uid": self.clerk.id,
                "context_today": lambda: datetime.strptime(today, "%Y-%m-%d"),
            },
        )
        self.assertIn(self.nudges(case), self.Contact.sudo(self.clerk).search(domain))

    def test_an_entry_by_a_person_ends_the_silence(self):
        case = self.silent_case()
        self.nudge(self.d(2026, 3, 8))
        first = self.nudges(case)
        first.sudo(self.clerk).action_mark_done()  # not an entry: still silent
        self.nudge(self.d(2026, 3, 18))
        self.assertEqual(self.nudges(case), first)
        self.note(
            self.clerk,
            case_id=case.id,
            name="Parts ordered",
            date="2026-03-18 09:00:00",
        )
        self.nudge(self.d(2026, 3, 24))  # 6 days after the entry
        self.assertEqual(self.nudges(case), first)
        self.nudge(self.d(2026, 3, 25))
        self.assertEqual(len(self.nudges(case)), 2)

    def test_waiting_and_closed_cases_are_left_alone(self):
        waiting = self.silent_case()
        waiting._r2_crm_wait(rules.WAIT_PARTS, "2026-03-02")
        closed = self.silent_case()
        closed._r2_crm_close(rules.SUCCESS, "2026-03-02")
        self.nudge(self.d(2026, 4, 1))
        self.assertFalse(self.nudges(waiting) | self.nudges(closed))

    def test_a_case_of_an_archived_user_gets_no_nudge(self):
        case = self.silent_case()
        self.clerk.active = False
        self.nudge(self.d(2026, 4, 1))
        self.assertFalse(self.nudges(case))

    def test_the_silent_cases_are_read_in_one_query(self):
        for _count in range(3):
            self.silent_case()
        counts = []
        for _round in range(2):
            before = self.cr.sql_log_count
            found = self.Case._r2_crm_silent_cases(self.d(2026, 4, 1))
            counts.append(self.cr.sql_log_count - before)
            self.silent_case()
            self.silent_case()
        self.assertEqual(counts, [1, 1])
        self.assertGreaterEqual(len(found), 3)

    def test_nudge_days_are_at_least_one(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env.user.company_id.r2_crm_nudge_days = 0


class TestPortal(HttpCase):
    """The customers' pages through the real HTTP server, as portal users.

    In Odoo 11 the requests of an HttpCase run on the registry's test cursor,
    not on self.cr: the data is made there, and the tests keep plain values."""

    at_install = False
    post_install = True

    def setUp(self):
        super(TestPortal, self).setUp()
        settle_registry(self.registry)
        with self.registry.cursor() as cr:
            env = api.Environment(
                cr, SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"}
            )
            Partner = env["res.partner"]
            ours = Partner.create(
                {"name": "Our Shop Customer", "is_company": True, "email": "a@r2.test"}
            )
            others = Partner.create(
                {"name": "Another Customer", "is_company": True, "email": "b@r2.test"}
            )
            self.portal_users = {
                "ours": self.portal_user(
                    env,
                    "r2_portal_ours",
                    Partner.create({"name": "Ola", "parent_id": ours.id}),
                ),
                "others": self.portal_user(env, "r2_portal_others", others),
            }
            s1 = env.ref("r2_crm.result_s1")

            def intake(partner, goods):
                case = (
                    env["r2.crm.contact"]
                    .create(
                        {
                            "type": "note",
                            "purpose": "service",
                            "partner_id": partner.id,
                            "name": "Intake",
                            "item_description": goods,
                            "result_id": s1.id,
                        }
                    )
                    .case_id
                )
                return {
                    "id": case.id,
                    "name": case.name,
                    "goods": goods,
                    "token": case.access_token,
                }

            self.our_case = intake(ours, "Our laptop XYZ-OURS")
            self.their_case = intake(others, "Their printer SECRET-GOODS")
            sale = env["r2.crm.case"].create({"purpose": "sale", "partner_id": ours.id})
            self.our_sale = {"id": sale.id, "name": sale.name}

    @staticmethod
    def portal_user(env, login, partner):
        return (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": login,
                    "password": login,
                    "partner_id": partner.id,
                    "groups_id": [(6, 0, env.ref("base.group_portal").ids)],
                }
            )
            .id
        )

    def url(self, path):
        # odoo.tests.common.PORT was read before pytest-odoo chose the port
        return "http://127.0.0.1:%s%s" % (config["http_port"], path)

    def get(self, path):
        return self.opener.get(self.url(path), timeout=60)

    def login(self, login):
        """Log in through the login form, as the customer does."""
        form = self.get("/web/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        response = self.opener.post(
            self.url("/web/login"),
            data={"login": login, "password": login, "csrf_token": csrf},
            timeout=60,
        )
        self.assertNotIn("oe_login_form", response.text, "logged in")

    def assertNothingOf(self, response, case):
        for secret in (case["name"], case["goods"]):
            self.assertNotIn(secret, response.text)

    def test_the_customer_sees_his_cases_and_opens_one(self):
        self.login("r2_portal_ours")
        home = self.get("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/cases"', home.text)
        listing = self.get("/my/cases")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.our_case["name"], listing.text)
        self.assertNotIn(self.our_sale["name"], listing.text, "no sales contracts")
        self.assertNothingOf(listing, self.their_case)
        page = self.get("/my/cases/%d" % self.our_case["id"])
        self.assertEqual(page.status_code, 200)
        self.assertIn("XYZ-OURS", page.text)
        protocol_url = "/my/cases/%d/protocol/intake" % self.our_case["id"]
        self.assertIn(protocol_url, page.text)
        protocol = self.get(protocol_url)
        self.assertEqual(protocol.status_code, 200)
        self.assertIn(self.our_case["name"], protocol.text)  # HTML in tests

    def test_another_customers_case_is_not_found_and_leaks_nothing(self):
        self.login("r2_portal_others")
        for path in (
            "/my/cases/%d" % self.our_case["id"],
            "/my/cases/%d/protocol/intake" % self.our_case["id"],
            "/my/cases/%d" % self.our_sale["id"],
            "/my/cases/%d?access_token=wrong" % self.our_case["id"],
        ):
            response = self.get(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertNothingOf(response, self.our_case)
        self.assertNothingOf(self.get("/my/cases"), self.our_case)

    def test_the_emails_link_opens_the_case_without_login(self):
        query = "?access_token=%s" % self.our_case["token"]
        page = self.get("/my/cases/%d%s" % (self.our_case["id"], query))
        self.assertEqual(page.status_code, 200)
        self.assertIn("XYZ-OURS", page.text)
        protocol = self.get(
            "/my/cases/%d/protocol/intake%s" % (self.our_case["id"], query)
        )
        self.assertEqual(protocol.status_code, 200)
        self.assertIn(self.our_case["name"], protocol.text)
        # without the token, a visitor is asked to log in first
        bare = self.get("/my/cases/%d" % self.our_case["id"])
        self.assertIn("/web/login", bare.url)
        self.assertNothingOf(bare, self.our_case)

    def test_other_doors_stay_shut_to_a_portal_user(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.portal_users["others"], {})
            Case = env["r2.crm.case"]
            self.assertEqual(Case.search([]).ids, [self.their_case["id"]])
            with self.assertRaises(AccessError):
                Case.browse(self.our_case["id"]).read(["name"])
            with self.assertRaises(AccessError):
                env["r2.crm.contact"].search([])
            with self.assertRaises(AccessError):
                Case.browse(self.their_case["id"]).write({"description": "changed"})
            with self.assertRaises(AccessError):  # for the staff and the e-mail only
                Case.browse(self.their_case["id"]).read(["access_token"])
