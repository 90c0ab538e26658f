from contextlib import contextmanager
from datetime import datetime

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tools.safe_eval import safe_eval

from .. import rules
from .common import R2CrmTestCase


class TestCampaigns(R2CrmTestCase):

    @classmethod
    def setUpClass(cls):
        super(TestCampaigns, cls).setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Drukarka", "type": "consu", "lst_price": 1000.0}
        )
        cls.expense_account = cls.env["account.account"].search(
            [
                (
                    "user_type_id",
                    "=",
                    cls.env.ref("account.data_account_type_expenses").id,
                ),
                ("company_id", "=", cls.env.user.company_id.id),
            ],
            limit=1,
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Agencja reklamowa", "supplier": True}
        )
        cls.campaign = cls.env["r2.crm.campaign"].create(
            {
                "name": "Spring fair 2026",
                "date_start": "2026-01-01",
                "date_end": "2026-06-30",
            }
        )
        cls.other_campaign = cls.env["r2.crm.campaign"].create(
            {"name": "Radio ads", "date_start": "2026-02-01"}
        )

    def contract(self, campaign, date_open, price=1000.0, quantity=1.0):
        return self.Case.create(
            {
                "purpose": "sale",
                "partner_id": self.partner.id,
                "campaign_id": campaign.id,
                "date_open": date_open,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "name": "Drukarka",
                            "quantity": quantity,
                            "price_unit": price,
                        },
                    )
                ],
            }
        )

    def invoice(self, contract, date_invoice, validate=True):
        invoice = self.env["account.invoice"].browse(
            contract.action_create_invoice()["res_id"]
        )
        invoice.date_invoice = date_invoice
        if validate:
            invoice.action_invoice_open()
        return invoice

    def vendor_bill(self, campaign, amount, type_="in_invoice"):
        bill = self.env["account.invoice"].create(
            {
                "type": type_,
                "partner_id": self.vendor.id,
                "r2_crm_campaign_id": campaign.id,
                "date_invoice": "2026-01-15",
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Stand",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": self.expense_account.id,
                        },
                    )
                ],
            }
        )
        bill.action_invoice_open()
        return bill

    def build(self):
        """3 open, 2 success, 1 fiasco; invoices in and out of March; costs."""
        c = self.campaign
        self.open_cases = (
            self.contract(c, "2026-01-02")
            | self.contract(c, "2026-01-03")
            | self.contract(c, "2026-01-04")
        )
        won1 = self.contract(c, "2026-01-01", price=2000.0)
        won1._r2_crm_close("success", "2026-01-11")  # 10 days
        won2 = self.contract(c, "2026-01-05", price=500.0, quantity=3)
        won2._r2_crm_close("success", "2026-01-25")  # 20 days
        lost = self.contract(c, "2026-02-01")
        lost._r2_crm_close("failure", "2026-02-08")  # 7 days
        self.in_period = self.invoice(won1, "2026-03-10")
        self.out_of_period = self.invoice(won2, "2026-04-02")
        refund = self.in_period.refund("2026-03-20", "2026-03-20", "Discount")
        refund.invoice_line_ids.write({"price_unit": 150.0})
        refund.compute_taxes()
        refund.action_invoice_open()
        self.refund = refund
        self.draft = self.invoice(self.open_cases[0], "2026-03-12", validate=False)
        # A contract of another campaign must not count here.
        self.invoice(
            self.contract(self.other_campaign, "2026-01-01", price=9999.0), "2026-03-11"
        )
        c.write(
            {
                "cost_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Fair stand fee",
                            "amount": 800.0,
                            "date": "2026-01-10",
                        },
                    ),
                    (0, 0, {"name": "Leaflets", "amount": 200.0, "date": "2026-01-12"}),
                ]
            }
        )
        self.bill = self.vendor_bill(c, 1200.0)

    def test_statistics_of_the_whole_campaign(self):
        self.build()
        revenue = 2000.0 + 1500.0 - 150.0
        cost = 800.0 + 200.0 + 1200.0
        c = self.campaign
        self.assertAlmostEqual(self.in_period.amount_untaxed, 2000.0)
        self.assertEqual(self.draft.state, "draft")
        self.assertAlmostEqual(c.revenue, revenue)
        self.assertAlmostEqual(c.cost_total, cost)
        self.assertAlmostEqual(c.profit, revenue - cost)
        self.assertAlmostEqual(c.roi_percent, (revenue - cost) / cost * 100.0)
        self.assertEqual(
            (c.case_count_open, c.case_count_success, c.case_count_failure), (3, 2, 1)
        )
        self.assertEqual(c.case_count, 6)
        self.assertAlmostEqual(c.win_rate, 2 / 3 * 100.0)
        self.assertAlmostEqual(c.success_avg_days, 15.0)
        self.assertAlmostEqual(c.failure_avg_days, 7.0)
        self.assertEqual(c.invoice_count, 3)
        self.assertEqual(c.bill_count, 1)

    def test_period_changes_revenue_and_profit_but_not_cost(self):
        self.build()
        whole = self.campaign
        march = self.campaign.with_context(
            revenue_date_from="2026-03-01", revenue_date_to="2026-03-31"
        )
        self.assertAlmostEqual(march.revenue, 2000.0 - 150.0)
        self.assertAlmostEqual(march.cost_total, whole.cost_total)
        self.assertAlmostEqual(march.profit, 2000.0 - 150.0 - 2200.0)
        self.assertEqual(march.revenue_date_from, "2026-03-01")
        from_april = self.campaign.with_context(revenue_date_from="2026-04-01")
        self.assertAlmostEqual(from_april.revenue, 1500.0)
        self.assertAlmostEqual(whole.revenue, 3350.0)

    def test_period_wizard_opens_campaign_with_period(self):
        wizard = self.env["r2.crm.campaign.period.wizard"].create(
            {
                "campaign_id": self.campaign.id,
                "date_from": "2026-03-01",
                "date_to": "2026-03-31",
            }
        )
        action = wizard.action_show()
        self.assertEqual(action["res_id"], self.campaign.id)
        self.assertEqual(action["target"], "main", "a second period does not stack")
        self.assertEqual(action["context"]["revenue_date_from"], "2026-03-01")
        self.assertEqual(action["context"]["revenue_date_to"], "2026-03-31")

    def test_list_filter_shows_revenue_of_a_period(self):
        """Przychody z okresu on the campaign list: the filter's context."""
        self.build()
        arch = etree.fromstring(
            self.env.ref("r2_crm.r2_crm_campaign_view_search").arch.encode()
        )
        context = arch.xpath("//filter[@name='revenue_this_month']")[0].get("context")
        context = safe_eval(
            context,
            {
                "context_today": lambda: datetime(2026, 3, 15),
                "relativedelta": relativedelta,
            },
        )
        self.assertEqual(
            context,
            {"revenue_date_from": "2026-03-01", "revenue_date_to": "2026-03-31"},
        )
        march = self.campaign.with_context(**context)
        self.assertAlmostEqual(march.revenue, 2000.0 - 150.0)

    def test_vendor_refund_lowers_cost(self):
        self.vendor_bill(self.campaign, 1000.0)
        self.vendor_bill(self.campaign, 300.0, type_="in_refund")
        self.assertAlmostEqual(self.campaign.cost_total, 700.0)
        self.assertFalse(self.other_campaign.roi_percent)

    def analysis(self, user=None):
        """The campaign analysis as its pivot reads it: one row per campaign."""
        report = self.env["r2.crm.campaign.report"]
        report.invalidate_cache()
        if user:
            report = report.sudo(user)
        rows = report.read_group(
            [("campaign_id", "=", self.campaign.id)],
            ["campaign_id", "cost", "revenue", "profit", "case_count"],
            ["campaign_id"],
        )
        return rows[0] if rows else {}

    def test_analysis_view_matches_statistics(self):
        self.build()
        row = self.analysis()
        self.assertAlmostEqual(row["revenue"], self.campaign.revenue)
        self.assertAlmostEqual(row["cost"], self.campaign.cost_total)
        self.assertAlmostEqual(row["profit"], self.campaign.profit)
        self.assertEqual(row["case_count"], 6)

    def test_service_revenue_shows_next_to_sales_revenue(self):
        self.build()
        repair = self.Case.create(
            {
                "purpose": "service",
                "partner_id": self.partner.id,
                "campaign_id": self.campaign.id,
                "line_ids": [(0, 0, {"name": "Przegląd drukarki", "price_unit": 99.0})],
            }
        )
        repair._r2_crm_transition("success")
        self.invoice(repair, "2026-03-15")
        c = self.campaign
        c.invalidate_cache()
        self.assertAlmostEqual(c.revenue_service, 99.0)
        self.assertAlmostEqual(c.revenue_sale, 2000.0 + 1500.0 - 150.0)
        self.assertAlmostEqual(c.revenue, c.revenue_sale + c.revenue_service)
        report = self.env["r2.crm.campaign.report"]
        report.invalidate_cache()
        rows = report.read_group(
            [("campaign_id", "=", c.id)],
            ["campaign_id", "revenue", "revenue_sale", "revenue_service"],
            ["campaign_id"],
        )
        self.assertAlmostEqual(rows[0]["revenue_service"], 99.0)
        self.assertAlmostEqual(rows[0]["revenue_sale"], c.revenue_sale)
        by_purpose = {
            row["case_purpose"]: row["revenue"]
            for row in report.read_group(
                [("campaign_id", "=", c.id), ("kind", "=", "revenue")],
                ["case_purpose", "revenue"],
                ["case_purpose"],
            )
        }
        self.assertAlmostEqual(by_purpose["service"], 99.0)

    @contextmanager
    def count_queries(self):
        counter = {}
        self.env["r2.crm.campaign"].invalidate_cache()
        start = self.cr.sql_log_count
        yield counter
        counter["queries"] = self.cr.sql_log_count - start

    STAT_FIELDS = list(rules.CAMPAIGN_FIGURES)

    def test_query_count_does_not_grow_with_cases(self):
        small = self.env["r2.crm.campaign"].create({"name": "Small"})
        self.contract(small, "2026-01-01")
        big = self.env["r2.crm.campaign"].create({"name": "Big"})
        for _ in range(200):
            self.Case.create(
                {
                    "purpose": "sale",
                    "partner_id": self.partner.id,
                    "campaign_id": big.id,
                    "date_open": "2026-01-01",
                }
            )
        with self.count_queries() as one:
            small.read(self.STAT_FIELDS)
        with self.count_queries() as many:
            big.read(self.STAT_FIELDS)
        self.assertEqual(big.case_count_open, 200)
        self.assertEqual(one["queries"], many["queries"])

    def test_list_of_campaigns_does_not_double_queries(self):
        self.build()
        with self.count_queries() as one:
            self.campaign.read(self.STAT_FIELDS)
        with self.count_queries() as two:
            (self.campaign | self.other_campaign).read(self.STAT_FIELDS)
        self.assertEqual(one["queries"], two["queries"])

    def test_campaign_ending_before_start_is_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["r2.crm.campaign"].create(
                {
                    "name": "Backwards",
                    "date_start": "2026-05-01",
                    "date_end": "2026-04-01",
                }
            )
        self.assertFalse(
            self.env["r2.crm.campaign"].search([("name", "=", "Backwards")])
        )

    def test_users_read_campaigns_only_managers_write(self):
        campaign = self.campaign.sudo(self.service_clerk)
        self.assertEqual(campaign.name, "Spring fair 2026")
        with self.assertRaises(AccessError):
            campaign.write({"name": "Renamed"})
        manager = self.manager
        self.campaign.sudo(manager).write({"name": "Renamed"})
        self.assertEqual(self.campaign.name, "Renamed")


class TestCampaignRules(R2CrmTestCase):
    """rules.campaign_figures on edge cases, without the ORM."""

    at_install = True
    post_install = False

    def test_no_cost_no_closed_cases(self):
        figures = rules.campaign_figures(revenue=500.0, open_count=2)
        self.assertIsNone(figures["roi_percent"])
        self.assertIsNone(figures["win_rate"])
        self.assertIsNone(figures["success_avg_days"])
        self.assertEqual(figures["profit"], 500.0)

    def test_figures_are_the_statistics_fields(self):
        figures = rules.campaign_figures(manual_cost=1.0, revenue=2.0)
        self.assertEqual(set(figures), set(rules.CAMPAIGN_FIGURES))
        campaign_fields = self.env["r2.crm.campaign"]._fields
        self.assertTrue(all(name in campaign_fields for name in rules.CAMPAIGN_FIGURES))

    def test_loss(self):
        figures = rules.campaign_figures(
            manual_cost=300.0,
            bill_cost=700.0,
            revenue=500.0,
            success_count=1,
            failure_count=3,
            success_days=12,
            failure_days=30,
        )
        self.assertEqual(figures["cost_total"], 1000.0)
        self.assertEqual(figures["profit"], -500.0)
        self.assertEqual(figures["roi_percent"], -50.0)
        self.assertEqual(figures["win_rate"], 25.0)
        self.assertEqual(figures["success_avg_days"], 12.0)
        self.assertEqual(figures["failure_avg_days"], 10.0)
