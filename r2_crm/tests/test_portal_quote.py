"""The customer answers the repair quote on the portal (#26), through the real
HTTP server: logged in, or with the e-mail's token only. What must change
nothing is test_portal_quote_refusals.py's."""

import base64

from odoo import SUPERUSER_ID, api

from .common import SIGNATURE
from .test_portal import PortalCase


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
        """The case as the database has it after the requests."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            case = env["r2.crm.case"].browse(case_id)
            return {
                "quote_state": case.quote_state,
                "quote_accepted_by": case.quote_accepted_by,
                "signature": case.quote_signature,
                "waiting": case.waiting,
                "last_message": case.message_ids[:1].body,
                "author": case.message_ids[:1].author_id.name,
            }

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
        self.assertEqual(
            base64.b64decode(case["signature"]), base64.b64decode(SIGNATURE)
        )
        self.assertFalse(case["waiting"])
        self.assertIn("on the portal", case["last_message"])
        self.assertEqual(case["author"], "Ola")
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
        self.assertEqual(self.case(self.our_case["id"])["quote_state"], "accepted")
