"""The customer answers the repair quote on the portal (#26), through the real
HTTP server: logged in, or with the e-mail's token only. What must change
nothing is test_portal_quote_refusals.py's."""

import base64
import logging

from odoo import SUPERUSER_ID, api, fields

from . import users
from .common import SIGNATURE, failing_printer
from .test_portal import PortalCase

QUOTE_LOGGER = "odoo.addons.r2_crm.models.r2_crm_case_quote"


class PortalQuoteCase(PortalCase):
    """Our case and theirs with a quote sent to the customer (a keyboard,
    gross 123.00), and a second case of ours whose quote is a draft."""

    def setUp(self):
        super(PortalQuoteCase, self).setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(
                cr, SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"}
            )
            env.user.company_id.email = "serwis@r2.test"
            # the cases' responsible user, who gets the task of an answer
            self.clerk = users.clerk(
                env, "r2_portal_clerk", "service", "Ewa Portalowa"
            ).id
            tax = env["account.tax"].create(
                {"name": "VAT-23% (portal)", "amount": 23.0, "type_tax_use": "sale"}
            )
            part = env["product.product"].create(
                {
                    "name": "Portal keyboard",
                    "lst_price": 100.0,
                    "taxes_id": [(6, 0, tax.ids)],
                }
            )

            def quote(case_id, send=True):
                case = env["r2.crm.case"].browse(case_id)
                case.write(
                    {
                        "user_id": self.clerk,
                        "line_ids": [
                            (
                                0,
                                0,
                                {
                                    "product_id": part.id,
                                    "name": part.name,
                                    "price_unit": 100.0,
                                },
                            )
                        ],
                        "description": "Broken keys",
                    }
                )
                if send:
                    case.with_context(mail_notify_force_send=False).action_send_quote()

            quote(self.our_case["id"])
            quote(self.their_case["id"])
            unsent = env["r2.crm.contact"].create(
                {
                    "type": "note",
                    "purpose": "service",
                    "partner_id": env["res.users"]
                    .browse(self.portal_users["ours"])
                    .partner_id.parent_id.id,
                    "name": "Intake",
                    "item_description": "Our second laptop",
                    "result_id": env.ref("r2_crm.result_s1").id,
                }
            )
            self.unsent = unsent.case_id.id
            quote(self.unsent, send=False)

    def case(self, case_id):
        """The case as the database has it after the requests, with its
        messages and its tasks [(name, user, due date)]."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # the requests wrote since an earlier read of this environment
            env.cache.invalidate()
            case = env["r2.crm.case"].browse(case_id)
            tasks = case.contact_ids.filtered(lambda entry: entry.type == "task")
            return {
                "quote_state": case.quote_state,
                "quote_accepted_by": case.quote_accepted_by,
                "quote_accepted_on": case.quote_accepted_on,
                "signature": case.quote_signature,
                "waiting": case.waiting,
                "last_message": case.message_ids[:1].body,
                "author": case.message_ids[:1].author_id.name,
                "messages": case.message_ids.mapped("body"),
                "attachments": len(case.message_ids.mapped("attachment_ids")),
                "tasks": [
                    (task.name, task.user_id.id, task.date_deadline) for task in tasks
                ],
            }

    def assertTaskForToday(self, case_id, fragment):
        """The case's responsible clerk has one task, for his today, with
        ``fragment`` in its name (in his Polish)."""
        with self.registry.cursor() as cr:
            clerk = api.Environment(cr, self.clerk, {})["res.users"].browse(self.clerk)
            today = fields.Date.context_today(clerk)
        tasks = self.case(case_id)["tasks"]
        self.assertEqual(len(tasks), 1, tasks)
        name, user_id, deadline = tasks[0]
        self.assertIn(fragment, name)
        self.assertEqual(user_id, self.clerk)
        self.assertEqual(deadline, today)

    def account_csrf(self):
        """The CSRF token of the logged-in customer's session (his details
        form), for a case page that has no form."""
        return self.csrf(self.get("/my/account"))

    def post(self, path, **data):
        return self.opener.post(self.url(path), data=data, timeout=60)


class TestPortalQuote(PortalQuoteCase):
    def test_the_customer_accepts_the_quote_with_a_drawn_signature(self):
        self.login("r2_portal_ours")
        path = "/my/cases/%d" % self.our_case["id"]
        page = self.get(path)
        self.assertIn("Portal keyboard", page.text)
        self.assertIn("123.00", page.text, "the gross total")
        self.assertIn("/quote/accept", page.text)
        self.assertIn("o_r2crm_quote_pad", page.text)
        self.assertTrue(self.case(self.our_case["id"])["waiting"], "for his answer")
        before = fields.Datetime.now()
        response = self.post(
            path + "/quote/accept",
            csrf_token=self.csrf(page),
            name="Ola Portalowa",
            signature="data:image/png;base64," + SIGNATURE,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("quote=accept", response.url)
        self.assertIn("you accepted the quote", response.text)
        case = self.case(self.our_case["id"])
        self.assertEqual(case["quote_state"], "accepted")
        self.assertEqual(case["quote_accepted_by"], "Ola Portalowa")
        self.assertGreaterEqual(case["quote_accepted_on"], before)
        self.assertLessEqual(case["quote_accepted_on"], fields.Datetime.now())
        self.assertEqual(
            base64.b64decode(case["signature"]), base64.b64decode(SIGNATURE)
        )
        self.assertFalse(case["waiting"])
        self.assertIn("on the portal", case["last_message"])
        self.assertEqual(case["author"], "Ola")
        self.assertTaskForToday(self.our_case["id"], "Kosztorys zaakceptowany")
        # answered: no form any more, and no second answer
        page = self.get(path)
        self.assertNotIn("/quote/accept", page.text)
        self.assertIn("Accepted by", page.text)
        again = self.post(path + "/quote/reject", csrf_token=self.account_csrf())
        self.assertEqual(again.status_code, 409)
        self.assertEqual(self.case(self.our_case["id"])["quote_state"], "accepted")

    def test_a_visitor_with_the_emails_link_rejects_it(self):
        path = "/my/cases/%d" % self.our_case["id"]
        token = self.our_case["token"]
        page = self.get("%s?access_token=%s" % (path, token))
        self.assertEqual(page.status_code, 200)
        self.assertIn("/quote/reject", page.text)
        response = self.post(
            path + "/quote/reject",
            csrf_token=self.csrf(page),
            access_token=token,
            reason="Too expensive <script>alert(1)</script>",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("access_token=%s" % token, response.url)
        case = self.case(self.our_case["id"])
        self.assertEqual(case["quote_state"], "rejected")
        self.assertIn("Too expensive", case["last_message"])
        self.assertNotIn("<script>", case["last_message"])
        self.assertEqual(case["author"], "Our Shop Customer")
        self.assertFalse(case["waiting"])
        self.assertTaskForToday(self.our_case["id"], "zwróć urządzenie")

    def test_the_logged_in_customer_rejects_it(self):
        self.login("r2_portal_ours")
        path = "/my/cases/%d" % self.our_case["id"]
        page = self.get(path)
        self.assertIn("/quote/reject", page.text)
        self.assertTrue(self.case(self.our_case["id"])["waiting"], "for his answer")
        response = self.post(
            path + "/quote/reject", csrf_token=self.csrf(page), reason="Za drogo"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("quote=reject", response.url)
        self.assertNotIn("access_token", response.url)
        self.assertIn("You rejected the quote", response.text)
        case = self.case(self.our_case["id"])
        self.assertEqual(case["quote_state"], "rejected")
        self.assertIn("rejected the quote on the portal", case["last_message"])
        self.assertIn("Za drogo", case["last_message"])
        self.assertEqual(case["author"], "Ola")
        self.assertFalse(case["waiting"])
        self.assertTaskForToday(self.our_case["id"], "zwróć urządzenie")

    def test_a_visitor_accepts_with_the_token_and_the_signature_alone(self):
        path = "/my/cases/%d" % self.our_case["id"]
        token = self.our_case["token"]
        page = self.get("%s?access_token=%s" % (path, token))
        response = self.post(
            path + "/quote/accept",
            csrf_token=self.csrf(page),
            access_token=token,
            name="Ola",
            signature=SIGNATURE,
        )
        self.assertEqual(response.status_code, 200)
        case = self.case(self.our_case["id"])
        self.assertEqual(case["quote_state"], "accepted")
        self.assertTrue(case["quote_accepted_on"])
        self.assertFalse(case["waiting"])
        self.assertTaskForToday(self.our_case["id"], "Kosztorys zaakceptowany")

    def test_a_failed_print_does_not_undo_the_acceptance(self):
        """wkhtmltopdf fails as the signed quote is printed: the customer has
        accepted all the same, with the clerk's task, and the chatter says
        the PDF is missing; nothing is left half done."""
        path = "/my/cases/%d" % self.our_case["id"]
        token = self.our_case["token"]
        page = self.get("%s?access_token=%s" % (path, token))
        before = self.case(self.our_case["id"])
        with failing_printer(self.registry), self.assertLogs(
            QUOTE_LOGGER, logging.WARNING
        ) as logs:
            response = self.post(
                path + "/quote/accept",
                csrf_token=self.csrf(page),
                access_token=token,
                name="Ola",
                signature=SIGNATURE,
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("quote=accept", response.url)
        self.assertIn(self.our_case["name"], "\n".join(logs.output))
        case = self.case(self.our_case["id"])
        self.assertEqual(case["quote_state"], "accepted")
        self.assertTrue(case["quote_accepted_on"])
        self.assertFalse(case["waiting"])
        self.assertTaskForToday(self.our_case["id"], "Kosztorys zaakceptowany")
        self.assertIn("could not be printed", case["last_message"])
        # the acceptance stands before the note, and no PDF beside the one sent
        accepted = [body for body in case["messages"] if "accepted the quote" in body]
        self.assertEqual(len(accepted), 1, case["messages"])
        self.assertEqual(case["attachments"], before["attachments"])
