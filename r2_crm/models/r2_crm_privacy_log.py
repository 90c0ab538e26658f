"""RODO: the record of each export and erasure of a customer's personal
data. It names the partner by id only (its name may be what was erased),
managers read it, and nobody changes or deletes it through the ORM: it is
what the shop shows when asked what it did."""

from odoo import _, fields, models
from odoo.exceptions import UserError

from .. import rules


class R2CrmPrivacyLog(models.Model):
    _name = "r2.crm.privacy.log"
    _description = "RODO: exports and erasures of personal data"
    _order = "date desc, id desc"
    _rec_name = "action"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Done by",
        required=True,
        readonly=True,
        ondelete="restrict",
        default=lambda self: self.env.user,
    )
    partner_ref = fields.Integer(
        string="Customer (partner id)",
        required=True,
        readonly=True,
        group_operator=False,
        help="The id of the customer's partner: his name may be what was erased.",
    )
    action = fields.Selection(rules.PRIVACY_ACTIONS, required=True, readonly=True)
    summary = fields.Text(string="What was done", readonly=True)
    kept_until = fields.Date(
        string="Name, address and NIP kept until",
        readonly=True,
        help="Invoices bind the buyer's name, address and NIP until the tax on "
        "them can no longer be assessed (Ordynacja podatkowa, art. 70 § 1).",
    )

    def write(self, vals):
        self._r2_crm_refuse(_("The RODO log cannot be changed."))
        return super(R2CrmPrivacyLog, self).write(vals)

    def unlink(self):
        self._r2_crm_refuse(_("The RODO log cannot be deleted."))
        return super(R2CrmPrivacyLog, self).unlink()

    @staticmethod
    def _r2_crm_refuse(message):
        """Whoever asks, the superuser too: the log is evidence."""
        raise UserError(message)
