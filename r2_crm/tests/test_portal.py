"""The customer's pages (#15): his cases and their protocols on the portal,
through the real HTTP server, as portal users and as a visitor with the
e-mail's link."""

import re

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.tests.common import HttpCase
from odoo.tools import config

from .common import settle_registry


class PortalCase(HttpCase):
    """The customers' pages through the real HTTP server, as portal users.

    In Odoo 11 the requests of an HttpCase run on the registry's test cursor,
    not on self.cr: the data is made there, and the tests keep plain values."""

    at_install = False
    post_install = True

    def setUp(self):
        super(PortalCase, self).setUp()
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
                "others": self.portal_user(
                    env, "r2_portal_others", others, lang="pl_PL"
                ),
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
    def portal_user(env, login, partner, lang="en_US"):
        return (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": login,
                    "password": login,
                    "partner_id": partner.id,
                    "lang": lang,
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
        csrf = self.csrf(self.get("/web/login"))
        response = self.opener.post(
            self.url("/web/login"),
            data={"login": login, "password": login, "csrf_token": csrf},
            timeout=60,
        )
        self.assertNotIn("oe_login_form", response.text, "logged in")

    def assertNothingOf(self, response, case):
        for secret in (case["name"], case["goods"]):
            self.assertNotIn(secret, response.text)

    def csrf(self, page):
        """The CSRF token of the session, from a form of ``page``."""
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


class TestPortal(PortalCase):
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
            "/my/cases/987654321",
        ):
            response = self.get(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertNothingOf(response, self.our_case)
            # the portal's page, in the customer's Polish, with the way back
            self.assertIn("Nie znaleziono tej sprawy", response.text, path)
            self.assertIn('href="/my/cases"', response.text, path)
            self.assertNotIn("Not Found", response.text, path)
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
