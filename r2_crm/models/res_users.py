from odoo import api, fields, models

from .. import rules

TASKS_ACTION = "r2_crm.r2_crm_contact_action_my_tasks_today"


class ResUsers(models.Model):
    _inherit = "res.users"

    r2_crm_purpose = fields.Selection(
        rules.PURPOSES,
        string="CRM department",
        help="Default purpose of the contacts and cases this user creates.",
    )
    r2_crm_tasks_at_start = fields.Boolean(
        string="Show my tasks today at start",
        compute="_compute_r2_crm_tasks_at_start",
        inverse="_inverse_r2_crm_tasks_at_start",
        help="Open the CRM window 'My tasks today' right after login.",
    )

    def __init__(self, pool, cr):
        """Let users see their department and toggle the start window themselves."""
        super(ResUsers, self).__init__(pool, cr)
        cls = type(self)
        cls.SELF_READABLE_FIELDS = list(cls.SELF_READABLE_FIELDS) + [
            "r2_crm_purpose",
            "r2_crm_tasks_at_start",
        ]
        cls.SELF_WRITEABLE_FIELDS = list(cls.SELF_WRITEABLE_FIELDS) + [
            "r2_crm_tasks_at_start"
        ]

    def _r2_crm_tasks_action(self):
        return self.env.ref(TASKS_ACTION, raise_if_not_found=False)

    @api.depends("action_id")
    def _compute_r2_crm_tasks_at_start(self):
        action = self.sudo()._r2_crm_tasks_action()
        for user in self:
            user.r2_crm_tasks_at_start = bool(action) and user.action_id.id == action.id

    def _inverse_r2_crm_tasks_at_start(self):
        action = self.sudo()._r2_crm_tasks_action()
        turn_on = self.filtered("r2_crm_tasks_at_start")
        turn_off = (self - turn_on).filtered(
            lambda user: action and user.action_id.id == action.id
        )
        if turn_on and action:
            turn_on.sudo().write({"action_id": action.id})
        if turn_off:
            turn_off.sudo().write({"action_id": False})

    def _r2_crm_crm_users(self):
        return self.filtered(
            lambda user: user.has_group("r2_crm.r2_crm_group_user_department")
        )

    @api.model
    def create(self, vals):
        """A new CRM user starts with today's tasks, unless a home action is
        given; another module's default does not count."""
        user = super(ResUsers, self).create(vals)
        if "action_id" not in vals:
            user._r2_crm_crm_users().write({"r2_crm_tasks_at_start": True})
        return user

    def write(self, vals):
        """A user who becomes a CRM user starts with today's tasks too."""
        before = self._r2_crm_crm_users()
        res = super(ResUsers, self).write(vals)
        if "action_id" not in vals and "r2_crm_tasks_at_start" not in vals:
            (self._r2_crm_crm_users() - before).write({"r2_crm_tasks_at_start": True})
        return res
