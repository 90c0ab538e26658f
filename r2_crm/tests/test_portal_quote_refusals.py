"""What must change nothing when the customer answers the repair quote on
the portal (#26): a wrong token, another customer's case, a quote not waiting
for him, an expired one, a missing CSRF token or one of another session."""

import requests

from odoo import http
from odoo.tests.common import get_db_name

from .common import SIGNATURE
from .test_portal_quote import PortalQuoteCase

ACCEPT = {"name": "Ola", "signature": SIGNATURE}
REJECT = {"reason": "Za drogo"}


class TestPortalQuoteRefusals(PortalQuoteCase):
    def test_what_must_change_nothing_changes_nothing(self):
        path = "/my/cases/%d" % self.our_case["id"]
        token = self.our_case["token"]
        page = self.get("%s?access_token=%s" % (path, token))
        csrf = self.csrf(page)
        accept = ACCEPT
        before = self.case(self.our_case["id"])
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
        self.assertEqual(self.case(self.our_case["id"]), before)
        # another customer's case, logged in
        self.login("r2_portal_others")
        theirs = self.post(
            path + "/quote/accept", csrf_token=self.account_csrf(), **accept
        )
        self.assertEqual(theirs.status_code, 404)
        self.assertEqual(self.case(self.our_case["id"]), before)
        self.assertNotIn(self.our_case["name"], theirs.text)

    def test_a_rejection_that_must_change_nothing_changes_nothing(self):
        path = "/my/cases/%d" % self.our_case["id"]
        token = self.our_case["token"]
        csrf = self.csrf(self.get("%s?access_token=%s" % (path, token)))
        before = self.case(self.our_case["id"])
        self.assertEqual(before["quote_state"], "sent")
        # a wrong token, another case's token, and none: not found, the login
        for wrong_token in ("wrong", self.their_case["token"]):
            wrong = self.post(
                path + "/quote/reject",
                csrf_token=csrf,
                access_token=wrong_token,
                **REJECT
            )
            self.assertEqual(wrong.status_code, 404, wrong_token)
            self.assertNothingOf(wrong, self.our_case)
        bare = self.post(path + "/quote/reject", csrf_token=csrf, **REJECT)
        self.assertIn("/web/login", bare.url)
        # no CSRF token, or a wrong one: Odoo refuses the form
        for data in ({}, {"csrf_token": "forged"}):
            refused = self.post(
                path + "/quote/reject", access_token=token, **dict(REJECT, **data)
            )
            self.assertEqual(refused.status_code, 400, data)
        self.assertEqual(self.case(self.our_case["id"]), before)
        # another customer's case, logged in
        self.login("r2_portal_others")
        theirs = self.post(
            path + "/quote/reject", csrf_token=self.account_csrf(), **REJECT
        )
        self.assertEqual(theirs.status_code, 404)
        self.assertNothingOf(theirs, self.our_case)
        self.assertEqual(self.case(self.our_case["id"]), before)

    def test_a_csrf_token_of_another_session_is_refused(self):
        """A visitor's CSRF token belongs to his session: a valid token that
        another browser fetched for itself does not pass in this one."""
        path = "/my/cases/%d" % self.our_case["id"]
        link = "%s?access_token=%s" % (path, self.our_case["token"])
        self.get(link)
        other = self.new_session()
        foreign = self.csrf(other.get(self.url(link), timeout=60))
        before = self.case(self.our_case["id"])
        for answer, values in (("accept", ACCEPT), ("reject", REJECT)):
            refused = self.post(
                path + "/quote/" + answer,
                csrf_token=foreign,
                access_token=self.our_case["token"],
                **values
            )
            self.assertEqual(refused.status_code, 400, answer)
            self.assertEqual(self.case(self.our_case["id"]), before, answer)
        # the token was valid: in its own session, it passes
        accepted = other.post(
            self.url(path + "/quote/accept"),
            data=dict(ACCEPT, csrf_token=foreign, access_token=self.our_case["token"]),
            timeout=60,
        )
        self.assertEqual(accepted.status_code, 200)
        self.assertEqual(self.case(self.our_case["id"])["quote_state"], "accepted")

    def new_session(self):
        """Another browser: a session of its own on the test database, as
        HttpCase makes self.opener's."""
        session = http.root.session_store.new()
        session.db = get_db_name()
        http.root.session_store.save(session)
        self.addCleanup(http.root.session_store.delete, session)
        browser = requests.Session()
        self.addCleanup(browser.close)
        browser.cookies["session_id"] = session.sid
        return browser

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
        rejected = self.post(
            path + "/quote/reject", csrf_token=self.account_csrf(), **REJECT
        )
        self.assertEqual(rejected.status_code, 409)
        self.assertIn("is not waiting for the customer", rejected.text)
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
