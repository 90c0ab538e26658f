from odoo.exceptions import UserError, ValidationError

from .common import R2CrmTestCase


class TestSales(R2CrmTestCase):

    @classmethod
    def setUpClass(cls):
        super(TestSales, cls).setUpClass()
        cls.level_offer = cls.env.ref("r2_crm.level_offer")
        cls.level_negotiation = cls.env.ref("r2_crm.level_negotiation")
        cls.reason = cls.env.ref("r2_crm.failure_reason_price")
        cls.product = cls.env["product.product"].create(
            {"name": "Kasa fiskalna", "type": "consu", "lst_price": 1500.0}
        )
        cls.service_product = cls.env["product.product"].create(
            {"name": "Wdrożenie", "type": "service", "lst_price": 300.0}
        )

    def contract(self, **values):
        vals = {
            "purpose": "sale",
            "partner_id": self.partner.id,
            "line_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": self.product.id,
                        "name": "Kasa fiskalna",
                        "quantity": 2,
                        "price_unit": 1500.0,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "product_id": self.service_product.id,
                        "name": "Wdrożenie",
                        "quantity": 3,
                        "price_unit": 300.0,
                    },
                ),
            ],
        }
        vals.update(values)
        return self.Case.create(vals)

    def test_level_suggests_probability_and_override_is_kept(self):
        contract = self.contract(level_id=self.level_offer.id)
        self.assertEqual(contract.probability, 30.0)
        contract.write({"level_id": self.level_negotiation.id})
        self.assertEqual(contract.probability, 60.0)
        contract.write({"probability": 75.0})
        self.assertEqual(contract.probability, 75.0)
        overridden = self.contract(level_id=self.level_offer.id, probability=45.0)
        self.assertEqual(overridden.probability, 45.0)

    def test_level_onchange_suggests_probability(self):
        contract = self.Case.new({"purpose": "sale", "partner_id": self.partner.id})
        contract.level_id = self.level_negotiation
        contract._onchange_level_id()
        self.assertEqual(contract.probability, 60.0)

    def test_amounts_with_several_lines_and_after_change(self):
        contract = self.contract(level_id=self.level_offer.id)
        self.assertAlmostEqual(contract.amount_total, 2 * 1500.0 + 3 * 300.0)
        self.assertAlmostEqual(contract.amount_weighted, 3900.0 * 0.30)
        contract.line_ids[0].write({"quantity": 1})
        self.assertAlmostEqual(contract.amount_total, 1500.0 + 900.0)
        self.assertAlmostEqual(contract.amount_weighted, 2400.0 * 0.30)
        contract.write({"probability": 50.0})
        self.assertAlmostEqual(contract.amount_weighted, 1200.0)
        # a won contract weighs its whole value, a lost one nothing
        contract.action_mark_success()
        self.assertAlmostEqual(contract.amount_weighted, 2400.0)
        self.env.cr.execute(
            "SELECT amount_weighted FROM r2_crm_case WHERE id = %s", (contract.id,)
        )
        self.assertAlmostEqual(self.env.cr.fetchone()[0], 2400.0)
        # stored: the value is in the table, usable for pivot and sorting
        self.env.cr.execute(
            "SELECT amount_total FROM r2_crm_case WHERE id = %s", (contract.id,)
        )
        self.assertAlmostEqual(self.env.cr.fetchone()[0], 2400.0)

    def test_line_onchange_takes_product_name_and_price(self):
        line = self.env["r2.crm.case.line"].new({"product_id": self.product.id})
        line._onchange_product_id()
        self.assertEqual(line.price_unit, 1500.0)
        self.assertIn("Kasa fiskalna", line.name)

    def test_mark_success(self):
        contract = self.contract()
        contract.action_mark_success()
        self.assertEqual(contract.state, "success")
        self.assertTrue(contract.date_closed)

    def fiasco_wizard(self, contracts, **values):
        return (
            self.env["r2.crm.case.fiasco.wizard"]
            .with_context(active_model="r2.crm.case", active_ids=contracts.ids)
            .create(values)
        )

    def test_mark_fiasco_with_reason_and_note(self):
        contract = self.contract()
        action = contract.action_mark_fiasco()
        self.assertEqual(action["res_model"], "r2.crm.case.fiasco.wizard")
        self.fiasco_wizard(
            contract,
            failure_reason_id=self.reason.id,
            failure_note="Competitor\nwas cheaper",
        ).action_confirm()
        self.assertEqual(contract.state, "failure")
        self.assertEqual(contract.failure_reason_id, self.reason)
        self.assertEqual(contract.failure_note, "Competitor\nwas cheaper")
        self.assertTrue(contract.date_closed)
        last = contract.message_ids[0]
        self.assertIn(self.reason.name, last.body)
        self.assertIn("was cheaper", last.body)

    def test_mark_fiasco_without_reason_is_refused(self):
        contract = self.contract()
        wizard = self.fiasco_wizard(contract)
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(contract.state, "open")

    def test_batch_success_on_mixed_selection_is_refused(self):
        open_one = self.contract()
        closed = self.contract()
        closed.action_mark_success()
        other_closed = self.contract()
        self.fiasco_wizard(
            other_closed, failure_reason_id=self.reason.id
        ).action_confirm()
        with self.assertRaises(UserError) as error:
            (open_one | closed | other_closed).action_mark_success()
        self.assertIn(closed.name, error.exception.name)
        self.assertIn(other_closed.name, error.exception.name)
        self.assertNotIn(open_one.name, error.exception.name)
        self.assertEqual(open_one.state, "open")
        self.assertEqual(other_closed.state, "failure")

    def test_batch_fiasco_closes_all(self):
        contracts = self.contract() | self.contract()
        self.fiasco_wizard(contracts, failure_reason_id=self.reason.id).action_confirm()
        self.assertEqual(contracts.mapped("state"), ["failure", "failure"])

    def test_state_cannot_be_written_directly(self):
        contract = self.contract()
        with self.assertRaises(UserError):
            contract.write({"state": "success"})
        self.assertEqual(contract.state, "open")

    def test_reopen_is_for_managers_only(self):
        contract = self.contract()
        contract.action_mark_success()
        with self.assertRaises(UserError):
            contract.sudo(self.service_clerk).action_reopen()
        self.assertEqual(contract.state, "success")
        contract.action_reopen()  # admin is a manager
        self.assertEqual(contract.state, "open")
        self.assertFalse(contract.date_closed)

    def test_bad_probability_and_negative_lines_are_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.contract(probability=120.0)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.contract(probability=-1.0)
        contract = self.contract()
        with self.assertRaises(ValidationError), self.cr.savepoint():
            contract.line_ids[0].write({"quantity": -1})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            contract.line_ids[0].write({"price_unit": -5})
        self.assertEqual(contract.line_ids[0].quantity, 2)

    def test_create_invoice_and_validate(self):
        contract = self.contract()
        action = contract.action_create_invoice()
        invoice = self.env["account.invoice"].browse(action["res_id"])
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.partner)
        self.assertEqual(invoice.r2_crm_case_id, contract)
        self.assertEqual(invoice.origin, contract.name)
        self.assertEqual(
            sorted(
                (line.product_id.id, line.quantity, line.price_unit)
                for line in invoice.invoice_line_ids
            ),
            sorted(
                (line.product_id.id, line.quantity, line.price_unit)
                for line in contract.line_ids
            ),
        )
        self.assertTrue(all(invoice.invoice_line_ids.mapped("account_id")))
        invoice.action_invoice_open()
        self.assertEqual(invoice.state, "open")
        self.assertAlmostEqual(invoice.amount_untaxed, contract.amount_total)
        receivable = invoice.move_id.line_ids.filtered(
            lambda line: line.account_id == invoice.account_id
        )
        self.assertAlmostEqual(receivable.debit, invoice.amount_total)

    def test_several_invoices_and_smart_button(self):
        contract = self.contract()
        contract.action_create_invoice()
        contract.action_create_invoice()
        self.assertEqual(contract.invoice_count, 2)
        action = contract.action_view_invoices()
        self.assertEqual(
            self.env["account.invoice"].search(action["domain"]), contract.invoice_ids
        )

    def test_invoice_without_lines_is_refused(self):
        contract = self.contract(line_ids=[])
        with self.assertRaises(UserError):
            contract.action_create_invoice()
        self.assertFalse(contract.invoice_ids)

    def test_partner_counts_include_child_contacts(self):
        self.contract()
        self.contract(partner_id=self.partner_contact.id)
        self.Case.create({"purpose": "sale", "partner_id": self.other_partner.id})
        self.note(partner_id=self.partner_contact.id)
        self.note()
        self.note(partner_id=self.other_partner.id)
        self.partner.invalidate_cache()
        self.assertEqual(self.partner.r2_crm_case_count, 2)
        self.assertEqual(self.partner.r2_crm_contact_count, 2)
        self.assertEqual(self.partner_contact.r2_crm_case_count, 1)
        action = self.partner.action_view_r2_crm_cases()
        self.assertEqual(len(self.Case.search(action["domain"])), 2)

    def test_fiasco_analysis_groups_by_reason(self):
        contract = self.contract()
        self.fiasco_wizard(contract, failure_reason_id=self.reason.id).action_confirm()
        groups = self.Case.read_group(
            [("state", "=", "failure"), ("partner_id", "=", self.partner.id)],
            ["failure_reason_id", "amount_total"],
            ["failure_reason_id"],
        )
        self.assertEqual(groups[0]["failure_reason_id"][0], self.reason.id)
        self.assertAlmostEqual(groups[0]["amount_total"], 3900.0)
