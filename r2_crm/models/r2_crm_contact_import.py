"""Entries imported from R2faktury: their key in the export, and the bulk
insert of the import wizard."""

from psycopg2.extras import execute_values

from odoo import _, fields, models
from odoo.exceptions import AccessError

from .. import rules, trust


class R2CrmContact(models.Model):
    _inherit = "r2.crm.contact"

    import_key = fields.Char(
        string="Import key",
        readonly=True,
        copy=False,
        index=True,
        help="The entry's key in R2faktury's KONTAKTY export (its date, customer "
        "and subject): importing the same file again finds the entry.",
    )

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
        # R2faktury does not say how a conversation happened: as a clerk's entry
        vals_list = [dict({"channel": rules.COUNTER}, **vals) for vals in vals_list]
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
