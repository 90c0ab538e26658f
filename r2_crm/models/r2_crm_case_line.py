"""The products of a sales contract, the parts and labour of a service case:
with their taxes, as Odoo's sales and repair lines have them.

The lines are what a repair quote offers (r2_crm_case_quote.py): changing them
after the quote went to the customer sends it back to draft. The lines the
customer rejected with a quote stay on the case, marked, and are not invoiced.
"""

from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import ValidationError

# What the customer is quoted: changing one of these changes the quote
QUOTED_FIELDS = ("case_id", "product_id", "name", "quantity", "price_unit", "tax_ids")


class R2CrmCaseLine(models.Model):
    _name = "r2.crm.case.line"
    _inherit = ["r2.crm.workflow.mixin"]
    _description = "Contract product line"
    _order = "case_id, sequence, id"
    # what only the workflow writes: the mark of a rejected quote
    _r2_crm_workflow_fields = ("quote_rejected",)

    # auto_join: the department rule on lines (case_id.purpose, case_id.user_id)
    # joins the case instead of listing every case of the department first
    case_id = fields.Many2one(
        "r2.crm.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", index=True)
    name = fields.Char(string="Description", required=True)
    quantity = fields.Float(
        digits=dp.get_precision("Product Unit of Measure"), default=1.0
    )
    uom_id = fields.Many2one(related="product_id.uom_id", readonly=True)
    price_unit = fields.Float(
        string="Unit price", digits=dp.get_precision("Product Price")
    )
    tax_ids = fields.Many2many(
        "account.tax",
        "r2_crm_case_line_tax_rel",
        "line_id",
        "tax_id",
        string="Taxes",
        domain=[("type_tax_use", "=", "sale")],
        help="By default the product's customer taxes, as the customer's fiscal "
        "position maps them.",
    )
    price_subtotal = fields.Monetary(
        string="Net", compute="_compute_amounts", store=True
    )
    price_tax = fields.Monetary(string="VAT", compute="_compute_amounts", store=True)
    price_total = fields.Monetary(
        string="Gross", compute="_compute_amounts", store=True
    )
    quote_rejected = fields.Boolean(
        string="Rejected with the quote",
        readonly=True,
        copy=False,
        help="The customer rejected the quote that offered this line: it is not "
        "invoiced.",
    )
    currency_id = fields.Many2one(related="case_id.currency_id", readonly=True)
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, readonly=True, index=True
    )

    @api.depends("quantity", "price_unit", "tax_ids")
    def _compute_amounts(self):
        for line in self:
            amounts = line.tax_ids.compute_all(
                line.price_unit,
                line.case_id.currency_id or None,
                line.quantity,
                product=line.product_id,
                partner=line.case_id.partner_id,
            )
            line.price_subtotal = amounts["total_excluded"]
            line.price_total = amounts["total_included"]
            line.price_tax = amounts["total_included"] - amounts["total_excluded"]

    @api.constrains("quantity", "price_unit")
    def _check_not_negative(self):
        for line in self.sudo():  # values only: access is the rules' business
            if line.quantity < 0 or line.price_unit < 0:
                raise ValidationError(
                    _("The quantity and the price of '%(line)s' cannot be negative.")
                    % {"line": line.name}
                )

    def _r2_crm_default_taxes(self, product, case):
        """The product's customer taxes of the case's company, through the
        customer's fiscal position, as Odoo's sales and invoice lines take them."""
        company = case.company_id or self.env.user.company_id
        taxes = product.taxes_id.filtered(lambda tax: tax.company_id == company)
        position = case.partner_id.commercial_partner_id.property_account_position_id
        return position.map_tax(taxes, product, case.partner_id) if position else taxes

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.name = self.product_id.display_name
            self.price_unit = self.product_id.lst_price
            self.tax_ids = self._r2_crm_default_taxes(self.product_id, self.case_id)

    @api.model
    def create(self, vals):
        self.browse()._r2_crm_ensure_workflow_fields(vals)
        if "tax_ids" not in vals and vals.get("product_id") and vals.get("case_id"):
            taxes = self._r2_crm_default_taxes(
                self.env["product.product"].browse(vals["product_id"]),
                self.env["r2.crm.case"].browse(vals["case_id"]),
            )
            vals = dict(vals, tax_ids=[(6, 0, taxes.ids)])
        line = super(R2CrmCaseLine, self).create(vals)
        line.case_id._r2_crm_quote_lines_changed()
        return line

    def write(self, vals):
        self._r2_crm_ensure_workflow_fields(vals)
        quoted = set(vals) & set(QUOTED_FIELDS)
        cases = self.mapped("case_id") if quoted else None
        result = super(R2CrmCaseLine, self).write(vals)
        if quoted:
            (cases | self.mapped("case_id"))._r2_crm_quote_lines_changed()
        return result

    def unlink(self):
        cases = self.mapped("case_id")
        result = super(R2CrmCaseLine, self).unlink()
        cases.exists()._r2_crm_quote_lines_changed()
        return result

    def _r2_crm_prepare_invoice_line(self, invoice):
        """Values of the invoice line, with Odoo's own account onchange and the
        line's taxes: those the customer was quoted."""
        line = self.env["account.invoice.line"].new(
            {
                "invoice_id": invoice.id,
                "product_id": self.product_id.id,
                "quantity": self.quantity,
            }
        )
        if self.product_id:
            line._onchange_product_id()
        else:
            line.account_id = invoice.journal_id.default_credit_account_id
        vals = line._convert_to_write(line._cache)
        vals.update(
            {
                "invoice_id": invoice.id,
                "name": self.name,
                "quantity": self.quantity,
                "price_unit": self.price_unit,
                "invoice_line_tax_ids": [(6, 0, self.tax_ids.ids)],
            }
        )
        return vals
