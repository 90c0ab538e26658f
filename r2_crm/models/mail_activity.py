from odoo import models

from .r2_crm_contact import SKIP_ACTIVITY_SYNC


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def action_feedback(self, feedback=False):
        """Marking a task's activity done marks the task done too."""
        if not self.env.context.get(SKIP_ACTIVITY_SYNC):
            tasks = self.env["r2.crm.contact"].search(
                [("task_activity_id", "in", self.ids), ("done", "=", False)]
            )
            tasks.with_context(**{SKIP_ACTIVITY_SYNC: True}).write({"done": True})
        return super(MailActivity, self).action_feedback(feedback=feedback)
