"""A contract's invoice (r2_crm_case_invoice.py), as the sales clerk who
makes its draft and the billing user who validates it. r2_crm puts no record
rule on Odoo's invoice models: a clerk keeps what another module lets him do
with invoices (#25)."""

from odoo.exceptions import AccessError, UserError

from .common import R2CrmTestCase
from .quoting import QuoteCase


class TestSalesClerkInvoices(R2CrmTestCase):
    """A sales clerk drafts the invoice of his own contract; billing validates."""

    @classmethod
    def setUpClass(cls):
        super(TestSalesClerkInvoices, cls).setUpClass()
        cls.install_polish()
        cls.product = cls.env["product.product"].create(
            {"name": "Kasa fiskalna", "lst_price": 1890.0}
        )
        cls.contract = (
            cls.env["r2.crm.case"]
            .sudo(cls.sales_clerk)
            .create(
                {
                    "purpose": "sale",
                    "partner_id": cls.partner.id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": cls.product.id,
                                "name": "Kasa",
                                "price_unit": 1890.0,
                            },
                        )
                    ],
                }
            )
        )

    def test_the_clerk_drafts_the_invoice_of_his_contract(self):
        self.assertFalse(self.sales_clerk.has_group("account.group_account_invoice"))
        contract = self.contract.sudo(self.sales_clerk).with_context(
            lang="pl_PL", tracking_disable=False, mail_create_nolog=False
        )
        action = contract.action_create_invoice()
        invoice = (
            self.env["account.invoice"].sudo(self.sales_clerk).browse(action["res_id"])
        )
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.r2_crm_case_id, self.contract)
        self.assertAlmostEqual(invoice.amount_untaxed, 1890.0)
        # the invoice form opens for him, every field of it
        view = invoice.fields_view_get(view_id=action["views"][0][0], view_type="form")
        self.assertEqual(invoice.read(list(view["fields"]))[0]["id"], invoice.id)
        # Odoo's own rights keep validating with billing users
        with self.assertRaises(AccessError), self.cr.savepoint():
            invoice.with_context(lang="pl_PL").action_invoice_open()
        self.assertEqual(invoice.state, "draft")
        # one message of r2_crm's, by the clerk, in Polish: not Odoo's
        # half-English origin link and assignment e-mail by the server's user
        messages = invoice.sudo().message_ids
        self.assertEqual(messages.mapped("author_id"), self.sales_clerk.partner_id)
        self.assertEqual(len(messages), 1, messages.mapped("body"))
        self.assertIn("Szkic faktury utworzony na podstawie", messages.body)
        self.assertIn(self.contract.name, messages.body)
        self.assertIn(self.sales_clerk.partner_id, invoice.sudo().message_partner_ids)
        invoice.sudo(self.billing_user).action_invoice_open()
        self.assertEqual(invoice.state, "open")
        with self.assertRaises(AccessError), self.cr.savepoint():
            invoice.write({"comment": "changed after validation"})

    def test_a_contract_without_products_says_why(self):
        empty = self.Case.sudo(self.sales_clerk).create(
            {"purpose": "sale", "partner_id": self.partner.id}
        )
        with self.assertRaises(UserError) as caught:
            empty.with_context(lang="pl_PL").action_create_invoice()
        self.assertIn(empty.name, caught.exception.name)

    def test_other_departments_invoices_stay_closed_to_him(self):
        other = self.env["account.invoice"].create(
            {"partner_id": self.partner.id, "type": "out_invoice"}
        )
        with self.assertRaises(AccessError), self.cr.savepoint():
            other.sudo(self.sales_clerk).write({"comment": "not mine"})

    def test_a_clerk_of_another_department_may_not_invoice_the_contract(self):
        contract = self.contract.sudo(self.service_clerk)
        with self.assertRaises(AccessError):
            contract.action_create_invoice()
        self.assertFalse(self.contract.invoice_ids)

    def test_a_clerk_keeps_the_invoice_rights_another_module_gives_him(self):
        """A purchase user, say, enters vendor bills: r2_crm's department
        group must not narrow what his other group allows."""
        bills = self.env["res.groups"].create({"name": "Vendor bills (test)"})
        Access = self.env["ir.model.access"]
        writes = ("account.invoice", "account.invoice.line", "account.invoice.tax")
        for model in writes + ("account.move", "account.move.line"):
            Access.create(
                {
                    "name": "%s vendor bills" % model,
                    "model_id": self.env["ir.model"]._get(model).id,
                    "group_id": bills.id,
                    "perm_read": True,
                    "perm_write": model in writes,
                    "perm_create": model in writes,
                    "perm_unlink": model in writes,
                }
            )
        self.sales_clerk.groups_id = [(4, bills.id)]
        vendor = self.env["res.partner"].create({"name": "Hurtownia", "supplier": True})
        Bill = self.env["account.invoice"].sudo(self.sales_clerk)
        bill = Bill.with_context(type="in_invoice").create(
            {"partner_id": vendor.id, "type": "in_invoice"}
        )
        expense = self.env["account.account"].search(
            [
                (
                    "user_type_id",
                    "=",
                    self.env.ref("account.data_account_type_expenses").id,
                )
            ],
            limit=1,
        )
        bill.write(
            {
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Papier do kas",
                            "quantity": 10,
                            "price_unit": 4.5,
                            "account_id": expense.id,
                        },
                    )
                ]
            }
        )
        self.assertEqual(bill.sudo().amount_untaxed, 45.0)
        self.assertFalse(bill.sudo().r2_crm_case_id)
        # and his contract's invoice is made as before
        self.contract.sudo(self.sales_clerk).action_create_invoice()
        self.assertEqual(len(self.contract.invoice_ids), 1)


class TestRepairInvoices(QuoteCase):
    """A closed repair is invoiced from its parts and labour (#26)."""

    def close(self, case):
        return self.note(case_id=case.id, result_id=self.s2.id, name="Wydanie")

    def test_s2_makes_the_draft_invoice_when_the_company_says_so(self):
        self.company.r2_crm_invoice_on_s2 = True
        case = self.repair()
        self.close(case)
        invoice = case.sudo().invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.partner)
        self.assertAlmostEqual(invoice.amount_untaxed, 429.0)
        self.assertAlmostEqual(invoice.amount_tax, 98.67)
        self.assertAlmostEqual(invoice.amount_total, 527.67)
        self.assertEqual(
            invoice.invoice_line_ids.mapped("invoice_line_tax_ids"), self.vat
        )
        self.assertEqual(invoice.message_ids.author_id, self.service_clerk.partner_id)
        with self.assertRaises(UserError) as caught:
            case.with_context(lang="pl_PL").action_create_invoice()
        self.assertIn("jest już zafakturowana", caught.exception.name)
        invoice.sudo(self.billing_user).action_invoice_open()
        self.assertEqual(invoice.state, "open")

    def test_without_the_setting_the_clerk_invoices_the_closed_repair(self):
        self.assertFalse(self.company.r2_crm_invoice_on_s2)
        case = self.repair()
        with self.assertRaises(UserError) as caught:
            case.with_context(lang="pl_PL").action_create_invoice()
        self.assertIn("jest jeszcze otwarta", caught.exception.name)
        self.close(case)
        self.assertFalse(case.sudo().invoice_ids)
        action = case.action_create_invoice()
        invoice = self.env["account.invoice"].browse(action["res_id"])
        self.assertAlmostEqual(invoice.amount_total, 527.67)

    def test_a_clerk_of_another_department_may_not_invoice_the_repair(self):
        case = self.repair()
        self.close(case)
        Invoice = self.env["account.invoice"].sudo()
        invoices = Invoice.search_count([])
        self.assertRefusedAndNothingSaved(
            AccessError,
            "r2.crm.case",
            case.sudo(self.sales_clerk).action_create_invoice,
        )
        self.assertEqual(Invoice.search_count([]), invoices)
        self.assertFalse(case.sudo().invoice_ids)

    def test_a_rejected_quote_invoices_only_what_was_added_after(self):
        self.company.r2_crm_invoice_on_s2 = True
        case = self.repair()
        case.with_context(mail_notify_force_send=False).action_send_quote()
        self.answer(case, accept=False, reason="Za drogo")
        fiasco = self.env["r2.crm.failure.reason"].search([], limit=1)
        case._r2_crm_transition("fiasco", reason=fiasco.id)
        with self.assertRaises(UserError) as caught:
            case.with_context(lang="pl_PL").action_create_invoice()
        self.assertIn("odrzucił kosztorys", caught.exception.name)
        fee = self.add_line(case, self.labour, 0.5, name="Diagnoza", price=100.0)
        self.assertEqual(case.quote_state, "rejected", "a fee is no new quote")
        action = case.action_create_invoice()
        invoice = self.env["account.invoice"].browse(action["res_id"])
        self.assertEqual(invoice.invoice_line_ids.mapped("name"), [fee.name])
        self.assertAlmostEqual(invoice.amount_untaxed, 50.0)

    def test_the_completion_protocol_lists_parts_labour_and_gross(self):
        case = self.repair()
        closing = self.close(case)
        html = (
            self.env.ref("r2_crm.r2_crm_report_completion_protocol")
            .sudo(self.service_clerk)
            .with_context(lang="pl_PL")
            .render_qweb_html(closing.ids)[0]
            .decode()
        )
        for expected in ("Klawiatura T480", "Robocizna serwisowa", "Brutto", "527,67"):
            self.assertIn(expected, html)
        self.assertNotIn("Naprawa gwarancyjna", html)
