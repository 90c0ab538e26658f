from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape

from .. import rules

SKIP_ACTIVITY_SYNC = "r2_crm_skip_activity_sync"


class R2CrmContact(models.Model):
    _name = "r2.crm.contact"
    _description = "CRM contact entry"
    _inherit = ["mail.thread", "mail.activity.mixin", "r2.crm.purpose.mixin"]
    _order = "date desc, id desc"

    type = fields.Selection(
        [("note", "Note"), ("task", "Task")], required=True, default="note"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    user_id = fields.Many2one(
        "res.users", required=True, index=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    name = fields.Char(string="Subject", required=True)
    item_description = fields.Text(
        string="Goods", help="The goods taken in: model, serial number, accessories."
    )
    description = fields.Text(help="The reported problem, or what was done.")
    result_id = fields.Many2one(
        "r2.crm.result",
        ondelete="restrict",
        domain="['|', ('purpose', '=', False), ('purpose', '=', purpose)]",
    )
    case_id = fields.Many2one(
        "r2.crm.case",
        string="Linked to",
        index=True,
        ondelete="restrict",
        help="The contract or service case this entry belongs to.",
    )
    case_state = fields.Selection(related="case_id.state", readonly=True)
    date_deadline = fields.Date(string="Due date", index=True)
    done = fields.Boolean(index=True)
    task_activity_id = fields.Many2one(
        "mail.activity",
        string="Activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    history_ids = fields.Many2many(
        "r2.crm.contact",
        compute="_compute_history_ids",
        help="The other entries of the same case or, without a case, "
        "of the same customer, newest first.",
    )

    def init(self):
        # A partner's history (newest first) and each user's open tasks by due
        # date stay index scans at a million entries (bench/run_bench.py).
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS r2_crm_contact_partner_date_idx "
            "ON r2_crm_contact (partner_id, date DESC, id DESC)"
        )
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS r2_crm_contact_open_task_idx "
            "ON r2_crm_contact (user_id, date_deadline) "
            "WHERE type = 'task' AND NOT done"
        )

    @api.depends("case_id", "partner_id")
    def _compute_history_ids(self):
        for contact in self:
            if contact.case_id:
                domain = [("case_id", "=", contact.case_id.id)]
            elif contact.partner_id:
                domain = [
                    (
                        "partner_id",
                        "child_of",
                        contact.partner_id.commercial_partner_id.id,
                    )
                ]
            else:
                contact.history_ids = False
                continue
            if isinstance(contact.id, int):
                domain.append(("id", "!=", contact.id))
            contact.history_ids = self.search(domain, order="date desc, id desc")

    @api.constrains("type", "date_deadline")
    def _check_task_deadline(self):
        for contact in self:
            if contact.type == "task" and not contact.date_deadline:
                raise ValidationError(
                    _("The task %(name)s needs a due date.") % {"name": contact.name}
                )

    @api.onchange("case_id")
    def _onchange_case_id(self):
        if self.case_id:
            self.partner_id = self.case_id.partner_id
            self.purpose = self.case_id.purpose

    @api.model
    def create(self, vals):
        if vals.get("result_id") and vals.get("case_id"):
            self._lock_cases([vals["case_id"]])
        contact = super(R2CrmContact, self).create(vals)
        contact._sync_task_activity()
        return contact

    def write(self, vals):
        if vals.get("result_id"):
            self._lock_cases(self.mapped("case_id").ids + [vals.get("case_id")])
        res = super(R2CrmContact, self).write(vals)
        if not self.env.context.get(SKIP_ACTIVITY_SYNC) and set(vals) & {
            "type",
            "done",
            "date_deadline",
            "user_id",
            "name",
        }:
            self._sync_task_activity()
        return res

    def unlink(self):
        closed = self.filtered(
            lambda contact: contact.case_id.state in ("success", "failure")
        )
        if closed:
            raise UserError(
                _(
                    "Entries of closed cases are kept as their history and cannot be "
                    "deleted: %(entries)s."
                )
                % {"entries": ", ".join(closed.mapped("name"))}
            )
        return super(R2CrmContact, self).unlink()

    # ------------------------------------------------------------------ tasks
    def _sync_task_activity(self):
        """Keep one open mail.activity per open task, so it shows in the
        assignee's activity menu; finishing the task finishes the activity."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model = self.env["ir.model"]._get(self._name)
        for contact in self:
            activity = contact.task_activity_id
            wants = (
                contact.type == "task" and not contact.done and contact.date_deadline
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
                    contact.with_context(**{SKIP_ACTIVITY_SYNC: True}).write(
                        {"task_activity_id": activity.id}
                    )
            elif activity:
                if contact.type == "task" and contact.done:
                    activity.with_context(
                        **{SKIP_ACTIVITY_SYNC: True}
                    ).action_feedback()
                else:
                    activity.unlink()

    def action_mark_done(self):
        self.filtered(lambda contact: contact.type == "task").write({"done": True})
        return True

    def action_snooze_tomorrow(self):
        tomorrow = fields.Date.from_string(fields.Date.context_today(self)) + timedelta(
            1
        )
        self.filtered(lambda contact: contact.type == "task").write(
            {"date_deadline": fields.Date.to_string(tomorrow)}
        )
        return True

    # ---------------------------------------------------------------- results
    def _result_error(self, code):
        messages = {
            rules.ERR_ALREADY_LINKED: _(
                "The note '%(note)s' is already linked to %(case)s: result "
                "%(result)s opens a new case and cannot be used here."
            ),
            rules.ERR_NO_CASE: _(
                "Result %(result)s closes a case, but the note '%(note)s' is not "
                "linked to any case. Choose the case in 'Linked to' first."
            ),
            rules.ERR_CASE_CLOSED: _(
                "Result %(result)s closes a case, but %(case)s is already closed."
            ),
        }
        return ValidationError(
            messages[code]
            % {
                "note": self.name,
                "case": self.case_id.name,
                "result": self.result_id.code,
            }
        )

    def _lock_cases(self, case_ids):
        """Serialise results on the same case: lock its row before anything is
        written. A busy row raises LockNotAvailable at once, which Odoo's request
        handling retries with a fresh transaction, which then sees the case as
        the other transaction left it."""
        case_ids = tuple(set(filter(None, case_ids)))
        if case_ids:
            self.env.cr.execute(
                "SELECT id FROM r2_crm_case WHERE id IN %s FOR UPDATE NOWAIT",
                (case_ids,),
                log_exceptions=False,
            )

    def _apply_result(self):
        """Apply each entry's result to its case; called by the automated actions.

        On write only a changed result counts: base.automation passes the
        values from before the write in the context as ``old_values``.
        """
        old_values = self.env.context.get("old_values")
        for contact in self:
            if old_values is not None:
                old = old_values.get(contact.id, {})
                if "result_id" not in old:
                    continue
                old_result = old["result_id"] and old["result_id"][0]
                if old_result == contact.result_id.id:
                    continue
            action = contact.result_id.action
            case = contact.case_id
            if case:
                self._lock_cases(case.ids)
                case.invalidate_cache(["state"])
            try:
                transition = rules.result_transition(
                    action, case.state if case else None
                )
            except rules.TransitionError as error:
                raise contact._result_error(error.code)
            if transition.operation == "create":
                contact._open_case()
            elif transition.operation == "close":
                case._r2_crm_close(transition.new_state, contact._date_local())

    # ------------------------------------------------------------- protocols
    def _r2_crm_check_protocol(self, actions, label):
        """A protocol prints only from a note whose result opens (intake) or
        closes (completion) its case; anything else is refused, never blank."""
        if not self:
            raise UserError(
                _("Choose the note to print the %(protocol)s from.")
                % {"protocol": label}
            )
        for contact in self:
            if not contact.case_id:
                raise UserError(
                    _(
                        "The note '%(note)s' is not linked to a case, so it has no "
                        "%(protocol)s."
                    )
                    % {"note": contact.name, "protocol": label}
                )
            if contact.result_id.action not in actions:
                raise UserError(
                    _(
                        "The %(protocol)s prints from the note whose result opened or "
                        "closed the case; the result of '%(note)s' is %(result)s."
                    )
                    % {
                        "protocol": label,
                        "note": contact.name,
                        "result": contact.result_id.code or _("empty"),
                    }
                )

    def _r2_crm_protocol_timing(self):
        case = self.case_id
        to_date = fields.Date.from_string
        return rules.protocol_timing(
            to_date(case.date_open),
            to_date(case.date_closed or self._date_local()),
            to_date(case.date_deadline),
        )

    def _date_local(self):
        """The entry's date as a date string in the user's timezone."""
        return fields.Date.context_today(self, fields.Datetime.from_string(self.date))

    def _open_case(self):
        self.ensure_one()
        date_open = fields.Date.from_string(self._date_local())
        days = self.company_id.r2_crm_case_deadline_days
        # One chatter message instead of mail.thread's creation log and the
        # tracking of every field: S1 notes come in bulk at a service desk.
        case = (
            self.env["r2.crm.case"]
            .with_context(tracking_disable=True)
            .create(
                {
                    "purpose": self.purpose,
                    "partner_id": self.partner_id.id,
                    "user_id": self.user_id.id,
                    "company_id": self.company_id.id,
                    "item_description": self.item_description,
                    "description": self.description,
                    "date_open": fields.Date.to_string(date_open),
                    "date_deadline": fields.Date.to_string(date_open + timedelta(days)),
                }
            )
            .with_env(self.env)
        )
        case.message_post(
            body=_("Case opened by the note %(note)s (result %(result)s).")
            % {
                "note": html_escape(self.name),
                "result": html_escape(self.result_id.code),
            },
            subtype="mail.mt_note",
        )
        self.write({"case_id": case.id})
        return case
