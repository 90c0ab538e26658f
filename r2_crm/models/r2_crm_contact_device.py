"""The device of an intake note: typed or scanned, its serial number shows
the device's earlier cases at once, and the case S1 opens belongs to it."""

from odoo import api, fields, models

from .r2_crm_workflow_mixin import without_context_defaults


class R2CrmContact(models.Model):
    _inherit = "r2.crm.contact"

    device_serial = fields.Char(
        string="Serial number",
        help="Typed or scanned at intake: a device the shop has seen shows its "
        "earlier cases at once; the case that S1 opens belongs to the device.",
    )
    device_id = fields.Many2one(
        "r2.crm.device",
        string="Known device",
        compute="_compute_device",
        help="The device of this serial number, if the shop has seen it.",
    )
    device_case_ids = fields.Many2many(
        "r2.crm.case",
        string="Earlier cases of the device",
        compute="_compute_device",
    )

    @api.depends("device_serial", "company_id")
    def _compute_device(self):
        Device = self.env["r2.crm.device"]
        for contact in self:
            device = Device._r2_crm_find(
                contact.device_serial, contact.company_id or self.env.user.company_id
            )
            contact.device_id = device
            contact.device_case_ids = device.case_ids - contact.case_id

    def _r2_crm_intake_device(self):
        """The device of an intake: found by its serial number, or made from
        the note (its goods' first line as the model, the customer as owner)."""
        if not self.device_serial:
            return self.env["r2.crm.device"]
        Device = without_context_defaults(self.env["r2.crm.device"])
        device = Device._r2_crm_find(self.device_serial, self.company_id)
        if not device:
            device = Device.create(
                {
                    "serial": self.device_serial.strip(),
                    "name": (self.item_description or "").strip().split("\n")[0][:120]
                    or False,
                    "partner_id": self.partner_id.commercial_partner_id.id,
                    "company_id": self.company_id.id,
                }
            )
        return device
