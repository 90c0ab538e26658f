from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .. import rules


class R2CrmDevice(models.Model):
    """A device the shop has seen: it is recognised by its serial number."""

    _name = "r2.crm.device"
    _inherit = ["r2.crm.in.use.mixin"]
    _description = "Device"
    _order = "serial, id"
    _rec_name = "serial"
    _r2_crm_used_by = [("r2.crm.case", "device_id")]

    serial = fields.Char(string="Serial number", required=True, index=True)
    serial_key = fields.Char(
        compute="_compute_serial_key",
        store=True,
        index=True,
        help="The serial number in capitals, letters and digits only: how devices "
        "compare.",
    )
    serial_lookup = fields.Char(
        string="Serial number (any spelling)",
        compute="_compute_serial_lookup",
        search="_search_serial_lookup",
        help="Finds a serial number however it is typed: case, spaces and dashes.",
    )
    name = fields.Char(string="Model", help="For example: Laptop Dell Latitude 5420")
    product_id = fields.Many2one("product.product", index=True)
    partner_id = fields.Many2one("res.partner", string="Owner", index=True)
    warranty_until = fields.Date(
        string="Warranty until",
        help="The last day of the device's warranty: a case taken in until then "
        "is proposed as a warranty repair.",
    )
    case_ids = fields.One2many("r2.crm.case", "device_id", string="Cases")
    case_count = fields.Integer(compute="_compute_case_count")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "serial_company_uniq",
            "unique(serial_key, company_id)",
            "This company already has a device with this serial number.",
        ),
    ]

    @api.depends("serial")
    def _compute_serial_key(self):
        for device in self:
            device.serial_key = rules.normalize_serial(device.serial)

    def _compute_serial_lookup(self):
        for device in self:
            device.serial_lookup = device.serial

    def _search_serial_lookup(self, operator, value):
        if operator not in ("=", "ilike", "like", "=ilike"):
            operator = "ilike"
        return [("serial_key", operator, rules.normalize_serial(value))]

    def _compute_case_count(self):
        counts = self._r2_crm_counts(self.env["r2.crm.case"], "device_id")
        for device in self:
            device.case_count = counts.get(device.id, 0)

    @api.constrains("serial", "company_id")
    def _check_serial(self):
        for device in self.sudo():
            if not device.serial_key:
                raise ValidationError(_("Serial number: a device needs one."))
            twin = self.with_context(active_test=False).search(
                [
                    ("serial_key", "=", device.serial_key),
                    ("company_id", "=", device.company_id.id),
                    ("id", "!=", device.id),
                ],
                limit=1,
            )
            if twin:
                raise ValidationError(
                    _(
                        "Serial number: %(serial)s is the device %(device)s "
                        "already (case, spaces and dashes do not count)."
                    )
                    % {"serial": device.serial, "device": twin.display_name}
                )

    def write(self, vals):
        self._r2_crm_ensure_can_change()
        return super(R2CrmDevice, self).write(vals)

    def unlink(self):
        self._r2_crm_ensure_can_change()
        return super(R2CrmDevice, self).unlink()

    def _r2_crm_ensure_can_change(self):
        """A device belongs to its cases: its serial and owner show on their
        forms, protocols and portal pages. Who may not change one of its
        cases may not change the device either; CRM managers may. Reading
        stays open to every CRM user, as for the entries."""
        if self.env.user.has_group("r2_crm.r2_crm_group_manager"):
            return
        Case = self.env["r2.crm.case"]
        for device in self:
            cases = Case.browse(device.sudo().case_ids.ids)
            try:
                cases.check_access_rule("write")
            except AccessError:
                raise AccessError(
                    _(
                        "You may not change the device %(device)s: it belongs to "
                        "a case of another department. A user of that department "
                        "or a CRM manager may."
                    )
                    % {"device": device.sudo().display_name}
                )

    def name_get(self):
        return [
            (device.id, " ".join(filter(None, [device.serial, device.name])))
            for device in self
        ]

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """A serial is found however it is typed (case, spaces)."""
        args = list(args or [])
        if name and operator in ("ilike", "=", "=ilike", "like"):
            devices = self.search(
                ["|", ("serial_lookup", "ilike", name), ("name", "ilike", name)] + args,
                limit=limit,
            )
            return devices.name_get()
        return super(R2CrmDevice, self).name_search(name, args, operator, limit)

    @api.model
    def _r2_crm_find(self, serial, company):
        """The company's device with this serial number, or nothing."""
        key = rules.normalize_serial(serial)
        if not key:
            return self.browse()
        return self.with_context(active_test=False).search(
            [("serial_key", "=", key), ("company_id", "=", company.id)], limit=1
        )

    def action_view_cases(self):
        self.ensure_one()
        action = self.env.ref("r2_crm.r2_crm_case_action_service").read()[0]
        action["domain"] = [("device_id", "=", self.id)]
        action["context"] = {
            "default_device_id": self.id,
            "default_purpose": rules.SERVICE,
        }
        return action
