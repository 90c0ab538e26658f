from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import rules, trust


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
        "customer_mail_pending_since",
        "is_nudge",
        "nudge_after_id",
        "import_key",
    )

    type = fields.Selection(rules.ENTRY_TYPES, required=True, default=rules.NOTE)
    channel = fields.Selection(
        rules.CHANNELS,
        required=True,
        default=rules.COUNTER,
        help="How the conversation happened. The e-mails the customers write "
        "become entries of their own, by e-mail.",
    )
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
        # One nudge per silence of a case, whichever process makes it: two
        # nodes' scheduled runs, or "Run manually" beside one (the nudge).
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS r2_crm_contact_one_nudge_idx "
            "ON r2_crm_contact (case_id, nudge_after_id) "
            "WHERE is_nudge AND nudge_after_id IS NOT NULL"
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

    @api.onchange("case_id")
    def _onchange_case_id(self):
        if self.case_id:
            self.partner_id = self.case_id.partner_id
            self.purpose = self.case_id.purpose

    @api.model
    def create(self, vals):
        # copy() calls create() on the record it copies: check a new entry
        vals = self.browse()._r2_crm_check_dates(vals)
        self.browse()._r2_crm_ensure_workflow_fields(vals)
        if vals.get("case_id"):
            self._r2_crm_ensure_case_readable(vals["case_id"])
            if vals.get("result_id"):
                self._r2_crm_lock_cases([vals["case_id"]])
        # An entry is itself the log of a conversation: mail.thread's "entry
        # created" message in its own chatter would only repeat it, at the
        # cost of half the queries of a note (the web client's create).
        contact = (
            super(R2CrmContact, self.with_context(mail_create_nolog=True))
            .create(vals)
            .with_env(self.env)
        )
        contact._r2_crm_sync_task_activity()
        return contact

    def write(self, vals):
        vals = self._r2_crm_check_dates(vals)
        self._r2_crm_ensure_workflow_fields(vals)
        # the workflow links only the case it has just opened (S1) or
        # imported, which its user may open
        if vals.get("case_id") and not trust.is_workflow(self):
            self._r2_crm_ensure_case_readable(vals["case_id"])
        if "result_id" in vals or "case_id" in vals:
            self._r2_crm_lock_cases(self.mapped("case_id").ids + [vals.get("case_id")])
            self._r2_crm_ensure_history_kept(vals)
        res = super(R2CrmContact, self).write(vals)
        if not trust.is_workflow(self) and set(vals) & {
            "type",
            "done",
            "date_deadline",
            "user_id",
            "name",
        }:
            self._r2_crm_sync_task_activity()
        return res

    def unlink(self):
        self._r2_crm_lock_cases(self.mapped("case_id").ids)
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

    def _r2_crm_ensure_case_readable(self, case_id):
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
