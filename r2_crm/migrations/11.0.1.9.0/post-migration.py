"""11.0.1.9.0 (issue #26): contract lines carry their taxes, which invoices
now take from them. The lines made before had none (their invoices took the
product's): each line of a product gets the product's customer taxes, as a
new line does, and the lines and cases recompute their net, VAT and gross.
No quote existed before this version, so no quote goes back to draft."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    lines = env["r2.crm.case.line"].search(
        [("product_id", "!=", False), ("tax_ids", "=", False)]
    )
    for line in lines:
        taxes = line._r2_crm_default_taxes(line.product_id, line.case_id)
        if taxes:
            line.write({"tax_ids": [(6, 0, taxes.ids)]})
