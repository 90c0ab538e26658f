from odoo import api, fields, models


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    r2_crm_case_id = fields.Many2one(
        "r2.crm.case",
        string="Contract/case",
        index=True,
        ondelete="restrict",
        copy=False,
        readonly=True,
        states={"draft": [("readonly", False)]},
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    r2_crm_campaign_id = fields.Many2one(
        "r2.crm.campaign",
        string="Campaign",
        index=True,
        ondelete="restrict",
        help="The sales campaign this vendor bill is a cost of.",
    )
    r2_crm_case_campaign_id = fields.Many2one(
        related="r2_crm_case_id.campaign_id",
        string="Campaign of the contract",
        readonly=True,
    )

    def init(self):
        # The campaigns' revenue looks up each case's invoices: with the
        # columns it sums along, an index-only scan that reads no invoice row
        # (ten years of invoices no longer fit in PostgreSQL's cache)
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS r2_crm_account_invoice_case_figures_idx "
            "ON account_invoice (r2_crm_case_id) "
            "INCLUDE (type, state, date_invoice, amount_untaxed_signed) "
            "WHERE r2_crm_case_id IS NOT NULL"
        )

    @api.model
    def _prepare_refund(
        self, invoice, date_invoice=None, date=None, description=None, journal_id=None
    ):
        """A refund belongs to the same contract or campaign as its invoice."""
        values = super(AccountInvoice, self)._prepare_refund(
            invoice,
            date_invoice=date_invoice,
            date=date,
            description=description,
            journal_id=journal_id,
        )
        values["r2_crm_case_id"] = invoice.r2_crm_case_id.id
        values["r2_crm_campaign_id"] = invoice.r2_crm_campaign_id.id
        return values
