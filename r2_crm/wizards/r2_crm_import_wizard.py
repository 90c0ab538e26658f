import base64
import csv

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from .. import r2faktury
from .r2_crm_import_run import ImportRun


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
    outcome = fields.Char(readonly=True, help="What the import wrote, in a line.")

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
        message = (
            _(
                "Dry run: nothing was written. An import would create %(created)d "
                "records and update %(updated)d; %(errors)d rows have errors."
            )
            if self.dry_run
            else _(
                "Imported: %(created)d records created and %(updated)d updated; "
                "%(errors)d rows with errors were not imported."
            )
        )
        self.write(
            {
                "state": "done",
                "outcome": message % outcome,
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
        """Back to the form, keeping the file and the choices; every new run
        starts as a dry run, so that no file is imported unread."""
        self.ensure_one()
        self.write({"state": "draft", "dry_run": True})
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
        return ImportRun(self).import_rows(rows)
