"""11.0.1.7.0 (issue #25): every transition of a case enters through one
method, r2.crm.case._r2_crm_transition, and so do the automated actions that
apply a note's result; r2_crm no longer puts record rules on Odoo's invoice
models (a contract's draft invoice is made as the server after the contract's
checks), so that a clerk keeps the invoice rights another module gives him.
Both are noupdate data, which an update neither rewrites nor deletes."""

from odoo import SUPERUSER_ID, api

from odoo.addons.r2_crm.upgrade import rewrite_noupdate

OLD = "records._apply_result()"
NEW = 'env["r2.crm.case"]._r2_crm_transition("result", notes=records)'
INVOICE_RULES = (
    "r2_crm_invoice_rule_department",
    "r2_crm_invoice_rule_all",
    "r2_crm_invoice_rule_billing",
    "r2_crm_invoice_line_rule_department",
    "r2_crm_invoice_line_rule_billing",
    "r2_crm_invoice_tax_rule_department",
    "r2_crm_invoice_tax_rule_billing",
)
ACTIONS = (
    "r2_crm.r2_crm_contact_automation_result_create",
    "r2_crm.r2_crm_contact_automation_result_write",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in ACTIONS:
        rewrite_noupdate(env, xmlid, "code", OLD, NEW)
    data = env["ir.model.data"].search(
        [("module", "=", "r2_crm"), ("name", "in", INVOICE_RULES)]
    )
    env["ir.rule"].browse(data.mapped("res_id")).exists().unlink()
    data.unlink()
