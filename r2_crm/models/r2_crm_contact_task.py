"""Tasks (Zadania): a due date, done or not, and one mail.activity per open
task so that it shows in the assignee's activity menu; the nudge's tasks."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .. import rules, trust
from .r2_crm_workflow_mixin import without_context_defaults


class R2CrmContact(models.Model):
    _inherit = "r2.crm.contact"

    is_nudge = fields.Boolean(
        string="Nudge",
        readonly=True,
        copy=False,
        help="A task the scheduled action gave the responsible user because the "
        "case had no entry for the company's nudge days.",
    )
    nudge_after_id = fields.Integer(
        string="Nudge after entry",
        readonly=True,
        copy=False,
        help="The nudge's silence: the id of the case's last entry by a person "
        "before it (0: the case's opening). One nudge per silence, enforced by "
        "the database, so that two nodes running the nudge at once give one task.",
    )
    date_deadline = fields.Date(string="Due date", index=True)
    done = fields.Boolean(index=True)
    task_activity_id = fields.Many2one(
        "mail.activity",
        string="Activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    @api.model
    def _r2_crm_make_task(self, user, name, partner, purpose, case=None, company=None):
        """A task for today (in ``user``'s time zone) that the workflow gives
        ``user``: an answered quote, an e-mail to answer."""
        company = company or (case and case.company_id) or user.company_id
        Contact = without_context_defaults(self.env["r2.crm.contact"]).sudo()
        return Contact.create(
            {
                "type": rules.TASK,
                "purpose": purpose,
                "partner_id": partner.id,
                "case_id": case.id if case else False,
                "user_id": user.id,
                "company_id": company.id,
                "date_deadline": fields.Date.context_today(self.sudo(user)),
                "name": name,
            }
        )

    @api.constrains("type", "date_deadline")
    def _check_task_deadline(self):
        for contact in self:
            if contact.type == rules.TASK and not contact.date_deadline:
                raise ValidationError(
                    _("The task %(name)s needs a due date.") % {"name": contact.name}
                )

    def _r2_crm_sync_task_activity(self):
        """Keep one open mail.activity per open task, so it shows in the
        assignee's activity menu; finishing the task finishes the activity."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model = self.env["ir.model"]._get(self._name)
        for contact in self:
            activity = contact.task_activity_id
            wants = (
                contact.type == rules.TASK
                and not contact.done
                and contact.date_deadline
            )
            if wants:
                values = {
                    "summary": contact.name,
                    "date_deadline": contact.date_deadline,
                    "user_id": contact.user_id.id,
                }
                if activity:
                    activity.write(values)
                else:
                    values.update(
                        {
                            "res_model_id": model.id,
                            "res_id": contact.id,
                            "activity_type_id": todo.id if todo else False,
                        }
                    )
                    activity = self.env["mail.activity"].create(values)
                    trust.as_workflow(contact).write({"task_activity_id": activity.id})
            elif activity:
                if contact.type == rules.TASK and contact.done:
                    trust.as_workflow(activity).action_feedback()
                else:
                    activity.unlink()

    def action_mark_done(self):
        self.filtered(lambda contact: contact.type == rules.TASK).write({"done": True})
        return True

    def action_snooze_tomorrow(self):
        tomorrow = rules.add_days(
            fields.Date.from_string(fields.Date.context_today(self)), 1
        )
        self.filtered(lambda contact: contact.type == rules.TASK).write(
            {"date_deadline": fields.Date.to_string(tomorrow)}
        )
        return True
