import logging
import threading
from email.utils import formataddr

from psycopg2.extras import execute_values

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape

from .. import rules, trust
from .r2_crm_workflow_mixin import without_context_defaults

_logger = logging.getLogger(__name__)

# How long a result waits for another one on the same case before Odoo retries
# the request (PostgreSQL error 55P03, which Odoo's RPC layer retries).
CASE_LOCK_TIMEOUT = "15s"


class R2CrmContact(models.Model):
    _name = "r2.crm.contact"
    _description = "CRM contact entry"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "r2.crm.purpose.mixin",
        "r2.crm.workflow.mixin",
    ]
    _order = "date desc, id desc"
    # What only the workflow writes: the task's activity, the signing step's
    # evidence (r2_crm_contact_signature.py), the e-mail's state, the nudge
    # flag and the import's key.
    _r2_crm_workflow_fields = (
        "task_activity_id",
        "signature",
        "signed_by",
        "signed_on",
        "customer_mail_state",
        "is_nudge",
        "import_key",
    )

    type = fields.Selection(rules.ENTRY_TYPES, required=True, default=rules.NOTE)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    user_id = fields.Many2one(
        "res.users", required=True, index=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, copy=False
    )
    name = fields.Char(string="Subject", required=True)
    item_description = fields.Text(
        string="Goods", help="The goods taken in: model, serial number, accessories."
    )
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
    # The customer hears of S1 and S2 by e-mail (r2.crm.result.notify_customer)
    customer_mail_state = fields.Selection(
        rules.CUSTOMER_MAIL_STATES,
        string="E-mail to the customer",
        readonly=True,
        copy=False,
        index=True,
        help="The result marks the e-mail to be sent; a scheduled action sends it "
        "with the protocol within minutes, or notes in the case why it could not.",
    )
    is_nudge = fields.Boolean(
        string="Nudge",
        readonly=True,
        copy=False,
        help="A task the scheduled action gave the responsible user because the "
        "case had no entry for the company's nudge days.",
    )
    import_key = fields.Char(
        string="Import key",
        readonly=True,
        copy=False,
        index=True,
        help="The entry's key in R2faktury's KONTAKTY export (its date, customer "
        "and subject): importing the same file again finds the entry.",
    )
    description = fields.Text(help="The reported problem, or what was done.")
    result_id = fields.Many2one(
        "r2.crm.result",
        ondelete="restrict",
        copy=False,
        domain="['|', ('purpose', '=', False), ('purpose', '=', purpose)]",
    )
    case_id = fields.Many2one(
        "r2.crm.case",
        string="Linked to",
        index=True,
        ondelete="restrict",
        help="The contract or service case this entry belongs to.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", readonly=True
    )
    # the case's own chatter tracks its state; the entry does not repeat it
    case_state = fields.Selection(
        related="case_id.state", readonly=True, track_visibility=False
    )
    result_action = fields.Selection(related="result_id.action", readonly=True)
    date_deadline = fields.Date(string="Due date", index=True)
    done = fields.Boolean(index=True)
    task_activity_id = fields.Many2one(
        "mail.activity",
        string="Activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    can_edit = fields.Boolean(
        compute="_compute_can_edit",
        default=True,
        help="Whether you may change this entry: every CRM user reads all "
        "entries, but edits only those of their department.",
    )
    history_ids = fields.Many2many(
        "r2.crm.contact",
        compute="_compute_history_ids",
        help="The other entries of the same case, then the customer's other "
        "entries, from earlier contracts and cases too; newest first.",
    )

    _sql_constraints = [
        (
            "import_key_company_uniq",
            "unique(import_key, company_id)",
            "An entry of R2faktury's export is imported once per company.",
        )
    ]

    def init(self):
        # A partner's history (newest first) and each user's open tasks by due
        # date stay index scans at a million entries (bench/run_bench.py).
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS r2_crm_contact_partner_date_idx "
            "ON r2_crm_contact (partner_id, date DESC, id DESC)"
        )
        # The ORM writes ('done', '=', False) as "done IS NULL OR done =
        # false": only an index with that very predicate serves it (the first
        # one, WHERE NOT done, left "My tasks today" a bitmap scan of 20 ms).
        self.env.cr.execute("DROP INDEX IF EXISTS r2_crm_contact_open_task_idx")
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS r2_crm_contact_todo_idx "
            "ON r2_crm_contact (user_id, date_deadline) "
            "WHERE type = 'task' AND (done IS NULL OR done = false)"
        )

    @api.depends("case_id", "partner_id")
    def _compute_history_ids(self):
        """Historia: the other entries of the entry's case first, then the
        customer's other entries (its commercial partner and the contacts
        there), those of its earlier contracts and cases among them; each
        part newest first."""
        for contact in self:
            others = [("id", "!=", contact.id)] if isinstance(contact.id, int) else []
            history = self.browse()
            if contact.case_id:
                history = self.search([("case_id", "=", contact.case_id.id)] + others)
                others += ["|", ("case_id", "=", False)]
                others.append(("case_id", "!=", contact.case_id.id))
            customer = contact.partner_id.commercial_partner_id
            if customer:
                history |= self.search(
                    [("partner_id", "child_of", customer.id)] + others
                )
            contact.history_ids = history

    @api.depends("device_serial", "company_id")
    def _compute_device(self):
        Device = self.env["r2.crm.device"]
        for contact in self:
            device = Device._r2_crm_find(
                contact.device_serial, contact.company_id or self.env.user.company_id
            )
            contact.device_id = device
            contact.device_case_ids = device.case_ids - contact.case_id

    def _compute_can_edit(self):
        records = self.filtered("id")
        editable = records._r2_crm_ids_allowed("write")
        for contact in self:
            contact.can_edit = not contact.id or contact.id in editable

    def _r2_crm_ids_allowed(self, operation):
        """The ids of self that the record rules let the user ``operation``."""
        if not self:
            return set()
        if self.env.uid == SUPERUSER_ID:
            return set(self.ids)
        where, params, tables = self.env["ir.rule"].domain_get(self._name, operation)
        query = "SELECT %s.id FROM %s WHERE %s.id IN %%s" % (
            self._table,
            ",".join(tables),
            self._table,
        )
        self.env.cr.execute(" AND ".join([query] + where), [tuple(self.ids)] + params)
        return {row[0] for row in self.env.cr.fetchall()}

    @api.constrains("result_id", "purpose")
    def _check_result_purpose(self):
        for contact in self.sudo():
            purpose = contact.result_id.purpose
            if purpose and purpose != contact.purpose:
                raise ValidationError(
                    _(
                        "Result: %(result)s is a result of purpose %(result_purpose)s "
                        "and does not fit the entry '%(note)s' of purpose %(purpose)s."
                    )
                    % {
                        "result": contact.result_id.code,
                        "result_purpose": contact._r2_crm_purpose_label(purpose),
                        "note": contact.name,
                        "purpose": contact._r2_crm_purpose_label(contact.purpose),
                    }
                )

    def _r2_crm_purpose_label(self, purpose):
        selection = self._fields["purpose"].get_description(self.env)["selection"]
        return dict(selection).get(purpose, purpose)

    @api.constrains("case_id", "partner_id", "company_id")
    def _check_case_customer(self):
        # sudo: the entry may just have moved to a company not the user's current
        for contact in self.sudo():
            case = contact.case_id
            if not case:
                continue
            if (
                case.partner_id.commercial_partner_id
                != contact.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    _(
                        "Linked to: %(case)s is a case of another customer than "
                        "%(customer)s, the customer of '%(note)s'."
                    )
                    % {
                        "case": case.name,
                        "customer": contact.partner_id.display_name,
                        "note": contact.name,
                    }
                )
            if case.company_id != contact.company_id:
                raise ValidationError(
                    _(
                        "Linked to: %(case)s belongs to another company than the "
                        "entry '%(note)s'."
                    )
                    % {"case": case.name, "note": contact.name}
                )

    @api.constrains("type", "date_deadline")
    def _check_task_deadline(self):
        for contact in self:
            if contact.type == rules.TASK and not contact.date_deadline:
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
        # copy() calls create() on the record it copies: check a new entry
        vals = self.browse()._r2_crm_check_dates(vals)
        self.browse()._ensure_workflow_fields(vals)
        if vals.get("case_id"):
            self._ensure_case_readable(vals["case_id"])
            if vals.get("result_id"):
                self._lock_cases([vals["case_id"]])
        # An entry is itself the log of a conversation: mail.thread's "entry
        # created" message in its own chatter would only repeat it, at the
        # cost of half the queries of a note (the web client's create).
        contact = (
            super(R2CrmContact, self.with_context(mail_create_nolog=True))
            .create(vals)
            .with_env(self.env)
        )
        contact._sync_task_activity()
        return contact

    def write(self, vals):
        vals = self._r2_crm_check_dates(vals)
        self._ensure_workflow_fields(vals)
        # the workflow links only the case it has just opened (S1) or
        # imported, which its user may open
        if vals.get("case_id") and not trust.is_workflow(self):
            self._ensure_case_readable(vals["case_id"])
        if "result_id" in vals or "case_id" in vals:
            self._lock_cases(self.mapped("case_id").ids + [vals.get("case_id")])
            self._ensure_history_kept(vals)
        res = super(R2CrmContact, self).write(vals)
        if not trust.is_workflow(self) and set(vals) & {
            "type",
            "done",
            "date_deadline",
            "user_id",
            "name",
        }:
            self._sync_task_activity()
        return res

    def unlink(self):
        self._lock_cases(self.mapped("case_id").ids)
        closed = self._r2_crm_of_closed_cases()
        if closed:
            raise UserError(
                _(
                    "Entries of closed cases are kept as their history and cannot be "
                    "deleted: %(entries)s."
                )
                % {"entries": ", ".join(closed.mapped("name"))}
            )
        return super(R2CrmContact, self).unlink()

    def copy(self, default=None):
        """A duplicate is a new entry: it gets no result, and the duplicate of
        the note that opened a case does not join that case."""
        self.ensure_one()
        default = dict(default or {})
        if self.result_id.action == rules.OPEN_CASE:
            default.setdefault("case_id", False)
        return super(R2CrmContact, self).copy(default)

    def _r2_crm_insert(self, vals_list):
        """Insert the entries of the import from R2faktury in one statement;
        their ids. Only the import calls it (r2.crm.import.wizard), with the
        checked values of its rows, all with the same keys; the caller then
        runs the constraints on the new entries."""
        if not trust.is_import(self):
            raise AccessError(
                _("Only the import from R2faktury inserts entries in bulk.")
            )
        self.check_access_rights("create")
        names = sorted(vals_list[0])
        now = fields.Datetime.now()
        own = (self.env.user.company_id.id, self.env.uid, self.env.uid, now, now)
        rows = [
            tuple(
                self._fields[name].convert_to_column(vals[name], self) for name in names
            )
            + own
            for vals in vals_list
        ]
        columns = names + [
            "company_id",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ]
        ids = [
            row[0]
            for row in execute_values(
                self.env.cr._obj,
                'INSERT INTO r2_crm_contact ("%s") VALUES %%s RETURNING id'
                % '", "'.join(columns),
                rows,
                page_size=len(rows),
                fetch=True,
            )
        ]
        self.invalidate_cache()  # the customers' and cases' lists of entries
        return ids

    # ---------------------------------------------------------------- guards
    def _r2_crm_workflow_error(self, name):
        messages = {
            "task_activity_id": _(
                "Activity: it is linked by the task itself and cannot be "
                "written directly."
            ),
            "signature": _(
                "Customer's signature: the customer signs in the signing step "
                "(Customer signs), which records who signed and when."
            ),
            "signed_by": _(
                "Signed by: it is recorded with the signature in the signing "
                "step and cannot be written directly."
            ),
            "signed_on": _(
                "Signed on: it is set when the customer signs, not written."
            ),
        }
        if name in messages:
            return UserError(messages[name])
        return super(R2CrmContact, self)._r2_crm_workflow_error(name)

    def _ensure_case_readable(self, case_id):
        """An entry joins only a case its user may open: no planting entries in
        another department's contract, no listing contracts through entries."""
        case = self.env["r2.crm.case"].browse(case_id)
        try:
            if not case.exists():  # the same answer as a forbidden case
                raise AccessError(case_id)
            case.check_access_rights("read")
            case.check_access_rule("read")
        except AccessError:
            raise AccessError(
                _(
                    "Linked to: you may not open the contract or case with id "
                    "%(id)s, so you cannot link an entry to it."
                )
                % {"id": case_id}
            )

    def _r2_crm_of_closed_cases(self):
        self.mapped("case_id").invalidate_cache(["state"])
        return self.filtered(
            lambda contact: contact.case_id.state in rules.CLOSED_STATES
        )

    def _ensure_history_kept(self, vals):
        """Entries of a closed case stay with it, and the note whose result
        closed it keeps that result, as long as the case stays closed."""
        for contact in self._r2_crm_of_closed_cases():
            case = contact.case_id
            if "case_id" in vals and (vals["case_id"] or False) != case.id:
                raise ValidationError(
                    _(
                        "Linked to: '%(note)s' is history of the closed case "
                        "%(case)s and cannot be moved out of it."
                    )
                    % {"note": contact.name, "case": case.name}
                )
            closing = contact.result_id.action in rules.CLOSING_ACTIONS
            if closing and (vals.get("result_id") or False) != contact.result_id.id:
                raise ValidationError(
                    _(
                        "Result: '%(note)s' closed the case %(case)s with result "
                        "%(result)s, which it keeps while the case is closed."
                    )
                    % {
                        "note": contact.name,
                        "case": case.name,
                        "result": contact.result_id.code,
                    }
                )

    # ------------------------------------------------------------------ tasks
    def _sync_task_activity(self):
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
        """Serialise what changes a case's history: results, links and
        deletions of its entries lock the case's row before anything is written.

        A second request waits for the first to finish (at most
        CASE_LOCK_TIMEOUT). If the first changed the case, PostgreSQL refuses
        the second's lock with a serialization failure, which Odoo's request
        handling retries in a fresh transaction that sees the case as the first
        left it: closed, say, so the second result is refused clearly."""
        case_ids = tuple(sorted(set(filter(None, case_ids))))
        if case_ids:
            self.env.cr.execute(
                "SELECT set_config('lock_timeout', %s, true);"
                "SELECT id FROM r2_crm_case WHERE id IN %s ORDER BY id FOR UPDATE;"
                "SELECT set_config('lock_timeout', '0', true);",
                (CASE_LOCK_TIMEOUT, case_ids),
                log_exceptions=False,
            )

    def _apply_result(self):
        """Apply each entry's result to its case; called by the automated actions.

        On write only a changed result counts: base.automation passes the
        values from before the write in the context as ``old_values``.
        """
        if trust.is_import(self):
            return  # imported history: its results changed their cases long ago
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
            # the e-mail and its PDF are made by the scheduled action, not
            # while the clerk waits for the note to save; only a service case
            # has protocols and a portal page to send
            notify = transition.operation and contact.result_id.notify_customer
            if transition.operation == "create":
                contact._open_case(notify=notify and contact.purpose == rules.SERVICE)
            elif transition.operation == "close":
                case._r2_crm_close(transition.new_state, contact._date_local())
                if notify and case.purpose == rules.SERVICE:
                    trust.as_workflow(contact).write(
                        {"customer_mail_state": rules.MAIL_PENDING}
                    )

    # -------------------------------------------------------- customer e-mail
    @api.model
    def _cron_send_customer_mail(self, limit=200):
        """The scheduled action r2_crm.ir_cron_customer_mail: e-mail the
        customers the notes of S1 and S2 are waiting to tell.

        One note at a time, each locked and (outside tests) committed as soon
        as its e-mail is queued, so that a second run at the same time skips it
        and a run that fails later never sends it again. A note that fails is
        rolled back alone and stays pending for the next run."""
        auto_commit = not getattr(threading.currentThread(), "testing", False)
        failed = [0]
        for _count in range(limit):
            self.env.cr.execute(
                "SELECT id FROM r2_crm_contact WHERE customer_mail_state = %s "
                "AND id NOT IN %s ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                (rules.MAIL_PENDING, tuple(failed)),
            )
            row = self.env.cr.fetchone()
            if not row:
                break
            note = self.browse(row[0])
            if not auto_commit:
                note._r2_crm_send_customer_mail()
                continue
            try:
                note._r2_crm_send_customer_mail()
            except Exception:  # pylint: disable=broad-except
                # each note is a transaction of its own: undo only this one
                self.env.cr.rollback()
                self.env.clear()
                _logger.exception("r2_crm: e-mail of note %s not sent", note.id)
                failed.append(note.id)
                continue
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _r2_crm_send_customer_mail(self):
        """Post the note's e-mail to the customer in the case's chatter, with
        its protocol: Odoo's mail queue sends it. Without an address, a note in
        the chatter says why nothing was sent."""
        self.ensure_one()
        case = self.case_id
        customer = case.partner_id
        company = case.company_id or self.company_id or self.env.user.company_id
        shop_address = self.env["mail.message"]._r2_crm_shop_address(company)
        if not customer.email:
            reason = _("the customer %(name)s has no e-mail address") % {
                "name": customer.display_name
            }
        elif not shop_address:
            reason = _("the company %(name)s has no e-mail address") % {
                "name": company.name
            }
        else:
            reason = None
        if reason:
            case.message_post(
                body=html_escape(
                    _("No e-mail to the customer about %(note)s: %(reason)s.")
                    % {"note": self.name, "reason": reason}
                ),
                subtype="mail.mt_note",
            )
            trust.as_workflow(self).write({"customer_mail_state": rules.MAIL_NOT_SENT})
            return
        opening = self.result_id.action == rules.OPEN_CASE
        template = self.env.ref(
            "r2_crm.mail_template_case_opened"
            if opening
            else "r2_crm.mail_template_case_closed"
        )
        # the PDF first: rendering may commit a new assets bundle (Odoo does,
        # outside tests), which must not cut the posting of the e-mail in two
        pdf, _kind = self._ensure_protocol().render_qweb_pdf(self.ids)
        email = template.generate_email(case.id, ["subject", "body_html"])
        case.with_context(mail_post_autofollow=False).message_post(
            body=email["body_html"],
            subject=email["subject"],
            message_type="comment",
            subtype="mail.mt_comment",
            partner_ids=[customer.id],
            author_id=company.partner_id.id,
            email_from=formataddr((company.name, shop_address)),
            attachments=[("%s.pdf" % self._r2_crm_protocol_filename(), pdf)],
        )
        trust.as_workflow(self).write({"customer_mail_state": rules.MAIL_SENT})

    # ------------------------------------------------------------- protocols
    def _r2_crm_protocol(self):
        """The protocol that fits the note: intake for the note whose result
        opened its case, completion for the one whose result closed it."""
        if self.case_id and self.result_id.action == rules.OPEN_CASE:
            return self.env.ref("r2_crm.r2_crm_report_intake_protocol")
        if self.case_id and self.result_id.action in rules.CLOSING_ACTIONS:
            return self.env.ref("r2_crm.r2_crm_report_completion_protocol")
        return self.env["ir.actions.report"]

    def _ensure_protocol(self):
        """The note's protocol; a note without one is told so."""
        report = self._r2_crm_protocol()
        if not report:
            raise UserError(
                _(
                    "The note '%(note)s' neither opened nor closed a case: it has "
                    "no protocol."
                )
                % {"note": self.name}
            )
        return report

    def action_print_protocol(self):
        """F2 in KONTAKTY (R2faktury: print standing on the note)."""
        self.ensure_one()
        return self._ensure_protocol().report_action(self)

    def _r2_crm_protocol_lang(self):
        """Protocols speak the customer's language, else the shop's."""
        return (
            self.partner_id.lang
            or self.company_id.partner_id.lang
            or self.env.lang
            or "en_US"
        )

    def _r2_crm_protocol_filename(self):
        """The PDF's name, in the protocol's language: Protokół przyjęcia
        SRV-2026-00002."""
        self = self.with_context(lang=self._r2_crm_protocol_lang())
        if self.result_id.action == rules.OPEN_CASE:
            title = _("Intake protocol")
        else:
            title = _("Completion protocol")
        return "%s %s" % (title, (self.case_id.name or "").replace("/", "-"))

    # ------------------------------------------------------------- results
    def _date_local(self):
        """The entry's date as a date string in the user's timezone."""
        return fields.Date.context_today(self, fields.Datetime.from_string(self.date))

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

    def _open_case(self, notify=False):
        """Open the case of an S1 note and link the note to it, in one write
        with ``notify``: the customer is to hear of it by e-mail."""
        self.ensure_one()
        # what the request's context proposes is no business of the new case
        Case = without_context_defaults(self.env["r2.crm.case"])
        date_open = self._date_local()
        deadline = Case._r2_crm_default_deadline(date_open, self.company_id)
        # One chatter message instead of mail.thread's creation log and the
        # tracking of every field: S1 notes come in bulk at a service desk.
        case = (
            trust.as_workflow(Case)
            .with_context(tracking_disable=True)
            .create(
                {
                    "purpose": self.purpose,
                    "partner_id": self.partner_id.id,
                    "user_id": self.user_id.id,
                    "company_id": self.company_id.id,
                    "item_description": self.item_description,
                    "description": self.description,
                    "date_open": date_open,
                    "date_deadline": deadline,
                    "device_id": self._r2_crm_intake_device().id,
                }
            )
            .with_env(self.env)
        )
        case._r2_crm_log(
            "<p>%s</p>"
            % (
                _("Case opened by the note %(note)s (result %(result)s).")
                % {
                    "note": html_escape(self.name),
                    "result": html_escape(self.result_id.code),
                }
            )
        )
        values = {"case_id": case.id}
        if notify:
            values["customer_mail_state"] = rules.MAIL_PENDING
        trust.as_workflow(self).write(values)
        return case
