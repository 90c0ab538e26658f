"""What one import from R2faktury looks up once (customers, users, cases,
results, levels, fiasco reasons) and how it reads a row's cells; the run
(r2_crm_import_run.py) turns the rows into cases and entries."""

from odoo import _

from .. import r2faktury


class RowError(Exception):
    """A row that cannot be imported; the message says why, translated."""


class ImportLookups(object):
    """The lookups of one import, read once, and what its rows added to
    them. A row's additions count only once its savepoint is released."""

    def __init__(self, wizard):
        self.wizard = wizard
        self.env = wizard.env
        self.company = self.env.user.company_id
        self.create_partners = wizard.create_partners
        self.tz = self.env.user.tz
        self.remarks = []
        self._noted_no_reason = False
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
        Odoo lacks is added to the list, marked as imported. R2faktury did not
        require a reason: a fiasco without one gets r2faktury.NO_REASON, and
        the log says so at its first row."""
        name = r2faktury.text(values.get("failure_reason"))
        blank = not name
        if blank:
            name = r2faktury.NO_REASON
            if not self._noted_no_reason:
                self._noted_no_reason = True
                self.remarks.append(
                    _(
                        "a fiasco without a reason in R2faktury gets the reason "
                        "'%(name)s' (this row and every later one)."
                    )
                    % {"name": name}
                )
        key = r2faktury.name_key(name)
        if key not in self._reasons:
            reason = self.env["r2.crm.failure.reason"].create(
                {"name": name, "is_imported": True}
            )
            if not blank:
                self.remarks.append(
                    _("fiasco reason %(name)s was added.") % {"name": name}
                )
            self.later(self._reasons, key, reason.id)
            return reason.id
        return self._reasons[key]
