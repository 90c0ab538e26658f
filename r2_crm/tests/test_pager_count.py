"""The lists of KONTAKTY and cases count their matches up to a limit, through
the web client's own route, as a department clerk (record rules included)."""

import json

from odoo import SUPERUSER_ID, api
from odoo.tools import config

from .. import rules
from .test_portal import PortalCase
from .users import make_user


class TestPagerCount(PortalCase):
    def setUp(self):
        super(TestPagerCount, self).setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            env["ir.config_parameter"].set_param(rules.PAGER_COUNT_LIMIT_PARAM, "4")
            clerk = make_user(
                env,
                "r2_pager_clerk",
                "r2_crm.r2_crm_group_user_department",
                purpose=rules.SERVICE,
                password="r2_pager_clerk",
            )
            customer = env["res.partner"].create({"name": "Pager customer"})
            for number in range(6):
                for purpose in (rules.SERVICE, rules.SALE):
                    env["r2.crm.contact"].create(
                        {
                            "type": rules.NOTE,
                            "purpose": purpose,
                            "partner_id": customer.id,
                            "user_id": clerk.id,
                            "name": "Call %d" % number,
                        }
                    )
            for purpose in (rules.SERVICE, rules.SALE) * 3:
                env["r2.crm.case"].create(
                    {"purpose": purpose, "partner_id": customer.id}
                )
            self.customer = customer.id
        self.login("r2_pager_clerk")

    def rpc(self, path, **params):
        response = self.opener.post(
            "http://127.0.0.1:%s%s" % (config["http_port"], path),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        body = response.json()
        self.assertNotIn("error", body, body.get("error"))
        return body["result"]

    def page(self, model, domain, limit=2, offset=0):
        return self.rpc(
            "/web/dataset/search_read",
            model=model,
            fields=["name"],
            domain=domain,
            limit=limit,
            offset=offset,
            context={},
        )

    def test_the_count_stops_one_past_the_limit(self):
        mine = [("partner_id", "=", self.customer)]
        result = self.page("r2.crm.contact", mine)
        self.assertEqual(len(result["records"]), 2)
        self.assertEqual(result["length"], 5, "4+: twelve entries match")

    def test_below_the_limit_the_count_is_exact_and_follows_the_rules(self):
        # the clerk of the service department sees the three service cases
        theirs = [("partner_id", "=", self.customer)]
        self.assertEqual(self.page("r2.crm.case", theirs)["length"], 3)
        self.assertEqual(self.page("r2.crm.case", theirs, limit=3)["length"], 3)
        sales = theirs + [("purpose", "=", rules.SALE)]
        self.assertEqual(self.page("r2.crm.case", sales), {"length": 0, "records": []})

    def test_other_models_count_everything_and_the_client_knows_the_limit(self):
        result = self.page("res.partner", [], limit=2)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partners = env["res.partner"].search_count([])
        self.assertEqual(result["length"], partners)
        self.assertGreater(partners, 5)
        info = self.rpc("/web/session/get_session_info")
        self.assertEqual(info["r2_crm_pager_count_limit"], 4)

    def test_zero_counts_all(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param(rules.PAGER_COUNT_LIMIT_PARAM, "0")
        result = self.page("r2.crm.contact", [("partner_id", "=", self.customer)])
        self.assertEqual(result["length"], 12)
