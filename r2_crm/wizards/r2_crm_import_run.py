"""One import from R2faktury (r2.crm.import.wizard): the rows of a file
read by r2faktury.read_rows become cases and entries here, each row in a
savepoint of its own, so that a bad row is reported and undone and the good
ones stay. The wizard is the form around it."""

import psycopg2

from odoo import _, fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import r2faktury, rules, trust
from ..models.r2_crm_case import SEQUENCE_CODES
from .r2_crm_import_lookup import ImportLookups, RowError

# Imported history writes no chatter: no "created" messages, no tracking, no
# followers, for thousands of rows.
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


class ImportRun(ImportLookups):
    """One import: its rows, each in a savepoint of its own."""

    # --------------------------------------------------------------- the run
    def import_rows(self, rows):
        """Each row is read, checked and its customer found in a savepoint of
        its own: a bad row is undone and reported. A new case is created at
        once; new entries wait for their batch (see insert_contacts)."""
        import_row = (
            self.import_contact
            if self.wizard.kind == r2faktury.CONTACTS
            else self.import_case
        )
        self.outcome = {"created": 0, "updated": 0, "errors": 0}
        self.log = []
        batch = []
        for number, values in rows:
            self.remarks = []
            try:
                with self.env.cr.savepoint():
                    self.check_text(values)
                    done = import_row(values)
            except ROW_ERRORS as error:
                self.forget()
                self.count(number, error_reason(error))
                continue
            self.keep()
            if isinstance(done, dict):  # a new entry
                batch.append((number, done, self.remarks))
                if len(batch) >= BATCH:
                    self.insert_contacts(batch)
                    batch = []
            else:
                self.count(number, done, self.remarks)
        if batch:
            self.insert_contacts(batch)
        self.log.sort(key=lambda line: line[0])  # stable: a row's lines stay in order
        return dict(self.outcome, log=[line for _row, line in self.log])

    def count(self, number, done, remarks=()):
        """Count a row: "created", "updated", "unchanged", or the reason it
        was rejected."""
        if done in self.outcome:
            self.outcome[done] += 1
        elif done != "unchanged":
            self.outcome["errors"] += 1
            remarks = [done]
        self.log.extend(
            (number, _("Row %(row)s: %(remark)s") % {"row": number, "remark": remark})
            for remark in (one_full_stop(remark) for remark in remarks)
        )

    def insert_contacts(self, batch):
        """Insert a batch of checked entries in one statement: ten thousand
        entries through the ORM one by one take minutes, and an imported entry
        needs none of what create() adds (automated actions, chatter). The
        model's constraints then check the batch, and its open tasks get their
        activities. Should the batch fail, its entries are created one by one
        through the ORM, to name the rows at fault."""
        Contact = trust.as_import(self.env["r2.crm.contact"]).with_context(**QUIET)
        try:
            with self.env.cr.savepoint():
                contacts = Contact.browse(
                    Contact._r2_crm_insert([vals for _row, vals, _r in batch])
                )
                contacts._validate_fields(list(batch[0][1]))
                for contact, (_row, vals, _r) in zip(contacts, batch):
                    if vals["type"] == rules.TASK and not vals["done"]:
                        # alone: its writes would reload the whole batch
                        contact.with_prefetch()._r2_crm_sync_task_activity()
        except ROW_ERRORS:
            self.env.clear()
            for number, vals, remarks in batch:
                try:
                    with self.env.cr.savepoint():
                        Contact.create(vals)
                except ROW_ERRORS as error:
                    self.env.clear()
                    self.count(number, error_reason(error))
                    continue
                self.count(number, "created", remarks)
            return
        for number, _vals, remarks in batch:
            self.count(number, "created", remarks)

    # -------------------------------------------------------------- KONTAKTY
    def import_contact(self, values):
        moment = self.cell(
            values, "date", r2faktury.parse_datetime, "Data", required=True
        )
        subject = r2faktury.text(values.get("subject"))
        if not subject:
            raise RowError(_("Temat: the subject is missing."))
        entry_type = self.word(values, "type", r2faktury.TYPE_WORDS, "Typ", rules.NOTE)
        result = self.result(values)
        case = self.case(values, "Powiązany z")
        purpose = self.word(values, "purpose", r2faktury.PURPOSE_WORDS, "Cel")
        purpose = (
            purpose or self._case_purposes.get(case.id) or result.purpose or rules.OTHER
        )
        deadline = self.cell(values, "deadline", r2faktury.parse_date, "Termin")
        if entry_type == rules.TASK and not deadline:
            deadline = moment.date()  # a task of the old program is due that day
        done = self.cell(values, "done", r2faktury.parse_bool, "Wykonane")
        user_id = self.user(values)
        partner_id = self.customer(values)
        key = r2faktury.contact_key(
            moment, values.get("vat"), values.get("customer"), subject
        )
        vals = {
            "type": entry_type,
            "purpose": purpose,
            "partner_id": partner_id,
            "user_id": user_id,
            "date": fields.Datetime.to_string(r2faktury.local_to_utc(moment, self.tz)),
            "name": subject,
            "description": r2faktury.text(values.get("description")) or False,
            "item_description": r2faktury.text(values.get("goods")) or False,
            "result_id": result.id or False,
            "case_id": case.id or False,
            "date_deadline": fields.Date.to_string(deadline) if deadline else False,
            "done": bool(done) and entry_type == rules.TASK,
        }
        Contact = trust.as_import(self.env["r2.crm.contact"]).with_context(**QUIET)
        existing = self._contacts.get(key)
        if existing:
            return self._update(Contact.browse(existing), vals, CONTACT_UPDATES)
        if key in self._contacts:
            return "unchanged"  # the same row twice in the file
        vals["import_key"] = key
        # the model's constraints, now, while the row's savepoint can undo
        # the customer it may have created
        Contact.new(dict(vals, company_id=self.company.id))._validate_fields(list(vals))
        self.later(self._contacts, key, None)
        return vals

    def _update(self, record, vals, names, dry=False):
        """Write the fields ``names`` that the file changed (unless ``dry``);
        "updated" or "unchanged"."""
        changes = {
            name: vals[name]
            for name in names
            if record._fields[name].convert_to_write(record[name], record) != vals[name]
        }
        if not changes:
            return "unchanged"
        if not dry:
            record.write(changes)
        return "updated"

    # ------------------------------------------------------ KONTRAKTY/SPRAWY
    def import_case(self, values):
        number = r2faktury.text(values.get("number"))
        if not number:
            raise RowError(_("Numer: the number is missing."))
        purpose = self.word(values, "purpose", r2faktury.PURPOSE_WORDS, "Cel")
        if not purpose:
            raise RowError(_("Cel: the purpose is missing."))
        date_open = self.cell(
            values, "date_open", r2faktury.parse_date, "Data otwarcia", required=True
        )
        deadline = self.cell(values, "deadline", r2faktury.parse_date, "Termin")
        state = self.word(values, "state", r2faktury.STATE_WORDS, "Status", rules.OPEN)
        date_closed = self.cell(
            values, "date_closed", r2faktury.parse_date, "Data zamknięcia"
        )
        if state in rules.CLOSED_STATES and not date_closed:
            raise RowError(_("Data zamknięcia: a closed case needs its closing date."))
        if state == rules.OPEN and date_closed:
            raise RowError(_("Data zamknięcia: an open case has no closing date."))
        if date_closed and date_closed < date_open:
            raise RowError(_("Data zamknięcia: it is before the opening date."))
        if deadline and deadline < date_open:
            raise RowError(_("Termin: it is before the opening date."))
        probability = self.cell(
            values, "probability", r2faktury.parse_decimal, "Prawdopodobieństwo"
        )
        if probability is not None and not 0 <= probability <= 100:
            raise RowError(_("Prawdopodobieństwo: it must be between 0 and 100."))
        value = self.cell(values, "value", r2faktury.parse_decimal, "Wartość")
        if value is not None and value < 0:
            raise RowError(_("Wartość: it cannot be negative."))
        level_id = self.level(values)
        reason_id = self.reason(values) if state == rules.FAILURE else False
        user_id = self.user(values)
        partner_id = self.customer(values)
        goods = r2faktury.text(values.get("goods")) or False
        vals = {
            "date_deadline": fields.Date.to_string(deadline) if deadline else False,
            "level_id": level_id,
            "description": r2faktury.text(values.get("description")) or False,
            "item_description": goods,
        }
        if probability is not None:
            vals["probability"] = probability
        closing = {
            "state": state,
            "date_closed": fields.Date.to_string(date_closed) if date_closed else False,
            "failure_reason_id": reason_id,
        }
        Case = trust.as_import(self.env["r2.crm.case"]).with_context(**QUIET)
        existing = self._cases.get(number)
        if existing and self._case_purposes.get(existing) != purpose:
            raise RowError(
                _(
                    "Numer: %(number)s is a case of another purpose in Odoo; the "
                    "row is not imported over it."
                )
                % {"number": number}
            )
        if existing:
            return self._update_case(Case.browse(existing), partner_id, vals, closing)
        self.check_number(number, purpose)
        vals.update(closing)
        vals.update(
            {
                "name": number,
                "purpose": purpose,
                "partner_id": partner_id,
                "user_id": user_id,
                "date_open": fields.Date.to_string(date_open),
            }
        )
        if value:
            vals["line_ids"] = [
                (0, 0, {"name": goods or number, "quantity": 1, "price_unit": value})
            ]
        case = Case._r2_crm_transition("import", vals=vals)
        self.later(self._cases, number, case.id)
        self.later(self._case_purposes, case.id, purpose)
        return "created"

    def check_number(self, number, purpose):
        """A number that the purpose's numbering would have to continue from
        fits its counter (and its year a calendar)."""
        for prefix, suffix in self.number_formats(purpose):
            if rules.beyond_numbering(number, prefix, suffix):
                raise RowError(
                    _(
                        "Numer: %(number)s is beyond what the numbering can "
                        "continue from (at most %(max)s a year, years 1900 to "
                        "2999)."
                    )
                    % {"number": number, "max": rules.MAX_SEQUENCE_NUMBER}
                )

    def number_formats(self, purpose):
        """[(prefix, suffix)] of the numberings of ``purpose``."""
        if purpose not in self._number_formats:
            code = SEQUENCE_CODES[purpose]
            self._number_formats[purpose] = [
                (sequence.prefix, sequence.suffix)
                for sequence in self.env["ir.sequence"]
                .sudo()
                .search([("code", "=", code)])
            ]
        return self._number_formats[purpose]

    def _update_case(self, case, partner_id, vals, closing):
        """A case imported before: the file may have moved its deadline or
        level, or closed it since; a case closed in Odoo is not reopened."""
        commercial = self.env["res.partner"].browse(partner_id).commercial_partner_id
        if case.partner_id.commercial_partner_id != commercial:
            raise RowError(
                _("Numer: %(number)s is a case of another customer in Odoo.")
                % {"number": case.name}
            )
        closed = False
        if case.state != rules.OPEN:
            if self._update(case, closing, list(closing), dry=True) != "unchanged":
                raise RowError(
                    _(
                        "Status: %(number)s is already closed in Odoo and is left "
                        "as it is."
                    )
                    % {"number": case.name}
                )
        elif closing["state"] != rules.OPEN:
            case._r2_crm_transition(
                "import",
                state=closing["state"],
                date_closed=closing["date_closed"],
                values=(
                    {"failure_reason_id": closing["failure_reason_id"]}
                    if closing["failure_reason_id"]
                    else None
                ),
            )
            closed = True
        changed = self._update(case, vals, list(vals))
        return "updated" if closed else changed


# What rejects a row; the ORM's errors name the field and the reason
ROW_ERRORS = (RowError, UserError, ValidationError, AccessError, psycopg2.Error)
# New entries inserted at once
BATCH = 500


def one_full_stop(remark):
    """A remark ends with one full stop, also after a name that ends with its
    own ("utworzono klienta Kowalski s.c.")."""
    return remark[:-1] if remark.endswith("..") else remark


def error_reason(error):
    if isinstance(error, psycopg2.Error):
        return (error.pgerror or str(error)).strip().splitlines()[0]
    return error.args[0] if error.args else str(error)


# The fields a re-import may change on an entry imported before
CONTACT_UPDATES = ("description", "item_description", "date_deadline", "done")
