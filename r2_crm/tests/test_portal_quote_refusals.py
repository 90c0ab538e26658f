"""What must change nothing when the customer answers the repair quote on
the portal (#26): a wrong token, another customer's case, a quote not waiting
for him, an expired one, no CSRF token."""

from .common import SIGNATURE
from .test_portal_quote import PortalQuoteCase


class TestPortalQuoteRefusals(PortalQuoteCase):
    def test_what_must_change_nothing_changes_nothing(self):
        path = "/my/cases/%d" % self.our_case["id"]
        token = self.our_case["token"]
        page = self.get("%s?access_token=%s" % (path, token))
        csrf = self.csrf(page)
        accept = {"name": "Ola", "signature": SIGNATURE}
        # a wrong token, and none: not found, the login
        wrong = self.post(
            path + "/quote/accept", csrf_token=csrf, access_token="wrong", **accept
        )
        self.assertEqual(wrong.status_code, 404)
        self.assertEqual(self.get(path + "?access_token=wrong").status_code, 404)
        bare = self.post(path + "/quote/accept", csrf_token=csrf, **accept)
        self.assertIn("/web/login", bare.url)
        # no CSRF token, or a wrong one: Odoo refuses the form
        for data in ({}, {"csrf_token": "forged"}):
            refused = self.post(
                path + "/quote/accept", access_token=token, **dict(accept, **data)
            )
            self.assertEqual(refused.status_code, 400, data)
        # an unsigned acceptance, or one without a name
        for values in ({"name": "Ola"}, {"signature": SIGNATURE, "name": " "}):
            refused = self.post(
                path + "/quote/accept", csrf_token=csrf, access_token=token, **values
            )
            self.assertEqual(refused.status_code, 409, values)
            self.assertIn("o_r2crm_portal_error", refused.text)
        self.assertEqual(self.case(self.our_case["id"])["quote_state"], "sent")
        # another customer's case, logged in
        self.login("r2_portal_others")
        theirs = self.post(
            path + "/quote/accept", csrf_token=self.account_csrf(), **accept
        )
        self.assertEqual(theirs.status_code, 404)
        self.assertEqual(self.case(self.our_case["id"])["quote_state"], "sent")
        self.assertNotIn(self.our_case["name"], theirs.text)

    def test_a_quote_that_is_not_waiting_for_the_customer_is_not_answered(self):
        self.login("r2_portal_ours")
        path = "/my/cases/%d" % self.unsent
        page = self.get(path)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Portal keyboard", page.text, "a draft is the shop's")
        response = self.post(
            path + "/quote/accept",
            csrf_token=self.account_csrf(),
            name="Ola",
            signature=SIGNATURE,
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("is not waiting for the customer", response.text)
        self.assertEqual(self.case(self.unsent)["quote_state"], "draft")

    def test_an_expired_quote_is_not_accepted_on_the_portal(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE r2_crm_case SET quote_sent_on = '2020-01-01' WHERE id = %s",
                (self.our_case["id"],),
            )
        self.login("r2_portal_ours")
        path = "/my/cases/%d" % self.our_case["id"]
        page = self.get(path)
        self.assertNotIn("/quote/accept", page.text)
        self.assertIn("The quote held until", page.text)
        response = self.post(
            path + "/quote/accept",
            csrf_token=self.account_csrf(),
            name="Ola",
            signature=SIGNATURE,
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(self.case(self.our_case["id"])["quote_state"], "sent")
