from odoo import models

from .. import trust


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def action_feedback(self, feedback=False):
        """Marking a task's activity done marks the task done too."""
        if not trust.is_workflow(self):
            tasks = self.env["r2.crm.contact"].search(
                [("task_activity_id", "in", self.ids), ("done", "=", False)]
            )
            trust.as_workflow(tasks).write({"done": True})
        return super(MailActivity, self).action_feedback(feedback=feedback)
