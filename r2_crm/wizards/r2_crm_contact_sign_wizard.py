from odoo import _, api, fields, models
from odoo.exceptions import UserError


class R2CrmContactSignWizard(models.TransientModel):
    """The customer signs the protocol at the counter: the clerk turns the
    screen to him, he signs with finger or mouse and types his name."""

    _name = "r2.crm.contact.sign.wizard"
    _description = "The customer signs"

    def _default_note_id(self):
        if self.env.context.get("active_model") == "r2.crm.contact":
            return self.env.context.get("active_id")
        return False

    note_id = fields.Many2one(
        "r2.crm.contact",
        required=True,
        readonly=True,
        default=lambda self: self._default_note_id(),
    )
    signature = fields.Binary()
    signed_by = fields.Char(string="Name of the signer")

    @api.onchange("note_id")
    def _onchange_note_id(self):
        """Propose the note's contact person; a company signs through a
        person, whose name the clerk types."""
        partner = self.note_id.partner_id
        if partner and not partner.is_company and not self.signed_by:
            self.signed_by = partner.name

    def action_confirm(self):
        self.ensure_one()
        if not self.signature:
            raise UserError(_("Signature: the customer has not signed yet."))
        self.note_id._r2_crm_sign(self.signature, self.signed_by)
        return {"type": "ir.actions.act_window_close"}
