"""The device of an intake note: typed or scanned, its serial number shows
the device's earlier cases at once, and the case S1 opens belongs to it."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .. import rules

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
    device_open_case_ids = fields.Many2many(
        "r2.crm.case",
        string="Open cases of the device",
        compute="_compute_device",
        help="The device is in repair in these cases.",
    )
    serial_lookup = fields.Char(
        string="Serial number (any spelling)",
        compute="_compute_serial_lookup",
        search="_search_serial_lookup",
        help="Finds a serial number however it is typed: case, spaces and dashes.",
    )
    confirm_second_case = fields.Boolean(
        string="Open a second case for the device",
        copy=False,
        help="The device is already in repair in an open case: tick this to "
        "take it in again all the same (result S1 opens another case).",
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
            contact.device_open_case_ids = contact.device_case_ids.filtered(
                lambda case: case.state == rules.OPEN
            )

    def _compute_serial_lookup(self):
        for contact in self:
            contact.serial_lookup = contact.device_serial

    def _search_serial_lookup(self, operator, value):
        """Entries whose serial number, compared as devices compare them
        (rules.normalize_serial), contains or is ``value``."""
        key = rules.normalize_serial(value)
        if not key:
            return [("id", "=", 0)]
        if operator not in ("=", "=ilike"):
            key = "%" + key + "%"  # letters and digits only: no wildcard inside
        self.env.cr.execute(
            "SELECT id FROM r2_crm_contact WHERE device_serial IS NOT NULL "
            "AND regexp_replace(upper(device_serial), '[^[:alnum:]]', '', 'g') "
            "LIKE %s",
            (key,),
        )
        return [("id", "in", [row[0] for row in self.env.cr.fetchall()])]

    def _r2_crm_ensure_no_second_case(self, device):
        """An intake of a device that is in repair in an open case is refused,
        unless the clerk confirmed on the note that a second case is meant."""
        open_cases = device.sudo().case_ids.filtered(
            lambda case: case.state == rules.OPEN
        )
        if open_cases and not self.confirm_second_case:
            raise ValidationError(
                _(
                    "The device %(device)s is already in repair in the open case "
                    "%(cases)s. Tick 'Open a second case for the device' on the "
                    "note to take it in again all the same."
                )
                % {
                    "device": device.display_name,
                    "cases": ", ".join(open_cases.mapped("name")),
                }
            )

    def _r2_crm_intake_device(self):
        """The device of an intake: found by its serial number, or made from
        the note (its goods' first line as the model, the customer as owner)."""
        if not self.device_serial:
            return self.env["r2.crm.device"]
        Device = without_context_defaults(self.env["r2.crm.device"])
        device = Device._r2_crm_find(self.device_serial, self.company_id)
        if device:
            self._r2_crm_ensure_no_second_case(device)
        else:
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
