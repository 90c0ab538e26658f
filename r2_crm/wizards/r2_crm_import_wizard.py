import base64
import csv

import psycopg2

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import r2faktury, rules, trust
from ..models.r2_crm_case import SEQUENCE_CODES

# Imported history writes no chatter: no "created" messages, no tracking, no
# followers, for thousands of rows.
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


class RowError(Exception):
    """A row that cannot be imported; the message says why, translated."""


class _DryRun(Exception):
    """Rolls a dry run back, with the figures it reached."""


class R2CrmImportWizard(models.TransientModel):
    """Import R2faktury's KONTAKTY and KONTRAKTY/SPRAWY exports (CSV or XLSX).

    Each row is imported in a savepoint of its own: a bad row is reported and
    undone, the good ones stay. A dry run does the same and rolls everything
    back, so it reports the same figures. Re-importing a file finds its rows
    again: a case by its number, an entry by its date, customer and subject.
    """

    _name = "r2.crm.import.wizard"
    _description = "Import from R2faktury"

    data_file = fields.Binary(string="File", required=True)
    filename = fields.Char()
    kind = fields.Selection(
        r2faktury.KINDS,
        string="What the file holds",
        required=True,
        default=r2faktury.CONTACTS,
    )
    dry_run = fields.Boolean(
        string="Dry run",
        default=True,
        help="Read and check every row and report what an import would do, "
        "without writing anything.",
    )
    create_partners = fields.Boolean(
        string="Create missing customers",
        help="A customer found neither by NIP nor by exact name is created; "
        "otherwise its rows are reported as errors.",
    )
    state = fields.Selection(
        [("draft", "To import"), ("done", "Imported")],
        default="draft",
        readonly=True,
    )
    line_count = fields.Integer(string="Rows", readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    log = fields.Text(readonly=True)

    # ---------------------------------------------------------------- action
    def action_import(self):
        self.ensure_one()
        self._ensure_manager()
        if self.create_partners and not self.env["res.partner"].check_access_rights(
            "create", raise_exception=False
        ):
            raise AccessError(
                _(
                    "Create missing customers: you may not create customers. Untick "
                    "it, or ask an administrator for Contact Creation rights."
                )
            )
        rows = self._r2_crm_read_rows()
        if self.dry_run:
            try:
                with self.env.cr.savepoint():
                    raise _DryRun(self._r2_crm_import_rows(rows))
            except _DryRun as dry_run:
                outcome = dry_run.args[0]
            self.env.clear()  # forget what the rollback undid
        else:
            outcome = self._r2_crm_import_rows(rows)
            if self.kind == r2faktury.CASES:
                self.env["r2.crm.case"]._r2_crm_sync_number_ranges()
        self.write(
            {
                "state": "done",
                "line_count": len(rows),
                "created_count": outcome["created"],
                "updated_count": outcome["updated"],
                "error_count": outcome["errors"],
                "log": "\n".join(outcome["log"])
                or _("Every row was read without a remark."),
            }
        )
        return self._r2_crm_reopen()

    def action_import_for_real(self):
        """After a dry run: import the same file."""
        self.ensure_one()
        self.dry_run = False
        return self.action_import()

    def action_back(self):
        """Back to the form, keeping the file and the choices."""
        self.ensure_one()
        self.state = "draft"
        return self._r2_crm_reopen()

    def _r2_crm_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Import from R2faktury"),
        }

    def _ensure_manager(self):
        """The import writes what only the workflow may write (numbers,
        closed states, fiasco reasons): CRM managers only, checked here and
        not by any context a client could send."""
        if not self.env.user.has_group("r2_crm.r2_crm_group_manager"):
            raise AccessError(_("Only CRM managers can import from R2faktury."))

    def _r2_crm_read_rows(self):
        if not self.data_file:
            raise UserError(_("Choose the file to import."))
        data = base64.b64decode(self.data_file)
        try:
            return r2faktury.read_rows(self.kind, self.filename, data)
        except UnicodeDecodeError:
            raise UserError(
                _(
                    "%(file)s is neither a CSV text file (UTF-8 or Windows-1250) "
                    "nor an XLSX spreadsheet."
                )
                % {"file": self.filename or _("The file")}
            )
        except csv.Error as error:
            raise UserError(
                _("%(file)s cannot be read as CSV: %(error)s")
                % {"file": self.filename or _("The file"), "error": error}
            )
        except r2faktury.FormatError as error:
            raise UserError(self._r2_crm_format_message(error))

    def _r2_crm_format_message(self, error):
        name = self.filename or _("The file")
        messages = {
            "empty": _("%(file)s has no rows."),
            "xlsx": _("%(file)s is not an XLSX spreadsheet that can be read."),
            "xlsx_row": _(
                "%(file)s cannot be read at row %(line)s: a cell there is not "
                "one an XLSX spreadsheet can hold. Nothing was imported."
            ),
            "mixed": _(
                "%(file)s mixes two encodings: it holds UTF-8 text, but line "
                "%(line)s is not UTF-8 (Windows-1250?). Read as either, its "
                "Polish letters would be garbled. Save the whole file in one "
                "encoding (UTF-8) and import it again."
            ),
            "too_large": _(
                "%(file)s is larger than %(size)s MB; split it into smaller files."
            ),
            "too_many_rows": _(
                "%(file)s has more than %(rows)s rows; split it into smaller files."
            ),
        }
        if error.code in messages:
            return messages[error.code] % {
                "file": name,
                "line": error.line,
                "size": r2faktury.MAX_FILE_BYTES // (1024 * 1024),
                "rows": r2faktury.MAX_ROWS,
            }
        return _(
            "%(file)s lacks the columns %(missing)s of R2faktury's %(kind)s export. "
            "The columns found: %(found)s. Are the columns separated by ';' or ','? "
            "The sample file shows the expected header row."
        ) % {
            "file": name,
            "missing": ", ".join(error.columns),
            "kind": dict(self._fields["kind"].get_description(self.env)["selection"])[
                self.kind
            ],
            "found": " | ".join(error.found)[:300],
        }

    # ------------------------------------------------------------------ rows
    def _r2_crm_import_rows(self, rows):
        """Import ``rows``; the figures and the log lines of the run."""
        return _Run(self).import_rows(rows)


class _Run(object):
    """One import: the lookups it needs, read once, and what its rows added
    to them. A row's additions count only once its savepoint is released."""

    def __init__(self, wizard):
        self.wizard = wizard
        self.env = wizard.env
        self.company = self.env.user.company_id
        self.create_partners = wizard.create_partners
        self.tz = self.env.user.tz
        self.remarks = []
        self._pending = []
        self._partners_by_vat = {}
        self._partners_by_name = {}
        for partner in self.env["res.partner"].search_read(
            [("parent_id", "=", False)], ["name", "vat"]
        ):
            vat = r2faktury.normalize_vat(partner["vat"])
            if vat:
                self._partners_by_vat.setdefault(vat, partner["id"])
            key = r2faktury.name_key(partner["name"])
            self._partners_by_name.setdefault(key, []).append((partner["id"], vat))
        self._users = {}
        for user in self.env["res.users"].search_read(
            [("share", "=", False)], ["name", "login"]
        ):
            self._users.setdefault(r2faktury.name_key(user["login"]), user["id"])
            self._users.setdefault(r2faktury.name_key(user["name"]), user["id"])
        self._results = {
            result.code.strip().upper(): result
            for result in self.env["r2.crm.result"].search([])
        }
        self._levels = self._by_names("r2.crm.level")
        self._reasons = self._by_names("r2.crm.failure.reason")
        self.env.cr.execute(
            "SELECT name, id, purpose FROM r2_crm_case WHERE company_id = %s",
            (self.company.id,),
        )
        rows = self.env.cr.fetchall()
        self._cases = {name: case_id for name, case_id, _purpose in rows}
        self._case_purposes = {case_id: purpose for _name, case_id, purpose in rows}
        self.env.cr.execute(
            "SELECT import_key, id FROM r2_crm_contact "
            "WHERE import_key IS NOT NULL AND company_id = %s",
            (self.company.id,),
        )
        self._contacts = dict(self.env.cr.fetchall())
        self._number_formats = {}

    def _by_names(self, model):
        """{name key: id} of ``model``'s records, by their names in every
        installed language: R2faktury wrote them in Polish."""
        found = {}
        for lang, _name in self.env["res.lang"].get_installed():
            records = self.env[model].with_context(lang=lang, active_test=False)
            for record in records.search([]):
                found.setdefault(r2faktury.name_key(record.name), record.id)
        return found

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
            for remark in remarks
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
                        contact.with_prefetch()._sync_task_activity()
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

    # --------------------------------------------------------- row bookkeeping
    def later(self, table, key, value):
        """Remember ``key`` in the lookup ``table`` once the row succeeds."""
        self._pending.append((table, key, value))

    def keep(self):
        for table, key, value in self._pending:
            table[key] = value
        self._pending = []

    def forget(self):
        self._pending = []
        self.env.clear()  # the rolled back row may linger in the cache

    # ------------------------------------------------------------- cells
    def check_text(self, values):
        """A cell with a NUL character (binary data) fails its row: no text
        column stores one."""
        columns = r2faktury.nul_columns(values)
        if columns:
            raise RowError(
                _("%(column)s: the cell holds a NUL character (binary data).")
                % {"column": columns[0]}
            )

    def cell(self, values, field, parse, label, required=False):
        raw = values.get(field, "")
        try:
            value = parse(raw)
        except r2faktury.OutOfRange:
            raise RowError(
                _("%(column)s: '%(value)s' is out of range.")
                % {"column": label, "value": r2faktury.text(raw)[:40]}
            )
        except ValueError:
            raise RowError(
                _("%(column)s: '%(value)s' cannot be read as %(what)s.")
                % {
                    "column": label,
                    "value": r2faktury.text(raw),
                    "what": self.what(parse),
                }
            )
        if required and value in (None, ""):
            raise RowError(_("%(column)s: the value is missing.") % {"column": label})
        return value

    def what(self, parse):
        return {
            r2faktury.parse_date: _("a date (dd.mm.yyyy)"),
            r2faktury.parse_datetime: _("a date (dd.mm.yyyy hh:mm)"),
            r2faktury.parse_decimal: _("a number (1 234,50)"),
            r2faktury.parse_bool: _("yes or no (tak/nie)"),
        }[parse]

    def word(self, values, field, words, label, default=None):
        """The value of a Polish word (r2faktury.TYPE_WORDS, ...)."""
        raw = values.get(field, "")
        try:
            return r2faktury.parse_word(raw, words, default)
        except ValueError:
            raise RowError(
                _("%(column)s: '%(value)s' is none of: %(words)s.")
                % {
                    "column": label,
                    "value": r2faktury.text(raw),
                    "words": r2faktury.WORD_CHOICES[field],
                }
            )

    # ------------------------------------------------------------- lookups
    def customer(self, values):
        """The customer's id: by NIP, else by exact name; created when the
        wizard may, else the row fails."""
        name = r2faktury.text(values.get("customer"))
        vat = r2faktury.normalize_vat(values.get("vat"))
        if not name and not vat:
            raise RowError(_("Klient: the customer has neither a name nor a NIP."))
        if vat and vat in self._partners_by_vat:
            return self._partners_by_vat[vat]
        same_name = self._partners_by_name.get(r2faktury.name_key(name), [])
        # a namesake with another NIP is another firm
        same_name = [pid for pid, their_vat in same_name if not vat or not their_vat]
        if len(same_name) == 1:
            return same_name[0]
        if len(same_name) > 1:
            raise RowError(
                _(
                    "Klient: %(name)s is the name of %(count)s customers; give its "
                    "NIP to tell them apart."
                )
                % {"name": name, "count": len(same_name)}
            )
        if not self.create_partners:
            raise RowError(
                _(
                    "Klient: no customer %(name)s (NIP %(vat)s) was found. Create "
                    "it first, or let the import create missing customers."
                )
                % {"name": name or "-", "vat": vat or "-"}
            )
        if not name:
            raise RowError(_("Klient: a new customer needs a name."))
        values = {
            "name": name,
            "is_company": True,
            "customer": True,
            "lang": self.env.lang or "pl_PL",
        }
        if vat:
            values["vat"] = r2faktury.partner_vat(vat)
            if values["vat"].startswith("PL"):
                # with its country, base_vat checks the NIP's checksum
                values["country_id"] = self.env.ref("base.pl").id
        partner = self.env["res.partner"].create(values)
        self.remarks.append(
            _("customer %(name)s was created.") % {"name": partner.name}
        )
        if vat:
            self.later(self._partners_by_vat, vat, partner.id)
        key = r2faktury.name_key(name)
        self.later(
            self._partners_by_name,
            key,
            self._partners_by_name.get(key, []) + [(partner.id, vat)],
        )
        return partner.id

    def user(self, values):
        name = r2faktury.text(values.get("user"))
        if not name:
            return self.env.uid
        user_id = self._users.get(r2faktury.name_key(name))
        if not user_id:
            self.remarks.append(
                _(
                    "user %(name)s is unknown in Odoo; the row was given to "
                    "%(importer)s."
                )
                % {"name": name, "importer": self.env.user.name}
            )
            return self.env.uid
        return user_id

    def case(self, values, label):
        number = r2faktury.text(values.get("case"))
        if not number:
            return self.env["r2.crm.case"]
        case_id = self._cases.get(number)
        if not case_id:
            raise RowError(
                _(
                    "%(column)s: there is no case or contract numbered %(number)s; "
                    "import the KONTRAKTY/SPRAWY file first."
                )
                % {"column": label, "number": number}
            )
        return self.env["r2.crm.case"].browse(case_id)

    def result(self, values):
        code = r2faktury.text(values.get("result")).upper()
        if not code:
            return self.env["r2.crm.result"]
        if code not in self._results:
            raise RowError(
                _("Rezultat: there is no result with the code %(code)s.")
                % {"code": code}
            )
        return self._results[code]

    def level(self, values):
        name = r2faktury.text(values.get("level"))
        if not name:
            return False
        level_id = self._levels.get(r2faktury.name_key(name))
        if not level_id:
            raise RowError(
                _("Poziom: there is no level %(name)s; add it under Configuration.")
                % {"name": name}
            )
        return level_id

    def reason(self, values):
        """The fiasco reason's id; a reason the shop used in R2faktury and
        Odoo lacks is added to the list."""
        name = r2faktury.text(values.get("failure_reason"))
        if not name:
            return False
        key = r2faktury.name_key(name)
        if key not in self._reasons:
            reason = self.env["r2.crm.failure.reason"].create({"name": name})
            self.remarks.append(_("fiasco reason %(name)s was added.") % {"name": name})
            self.later(self._reasons, key, reason.id)
            return reason.id
        return self._reasons[key]

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
        if state == rules.FAILURE and not reason_id:
            raise RowError(_("Przyczyna fiaska: a fiasco needs its reason."))
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
        case = Case.create(vals)
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
            case._r2_crm_close(
                closing["state"],
                closing["date_closed"],
                (
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


def error_reason(error):
    if isinstance(error, psycopg2.Error):
        return (error.pgerror or str(error)).strip().splitlines()[0]
    return error.args[0] if error.args else str(error)


# The fields a re-import may change on an entry imported before
CONTACT_UPDATES = ("description", "item_description", "date_deadline", "done")
