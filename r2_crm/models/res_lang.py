from odoo import api, models

# How a Pole reads numbers and dates: 3 100,00 zł, 28.11.2026 09:15 (a clerk
# needs no seconds in the lists). Odoo 11 takes a
# new language's formats from the system's locale, and without pl_PL there it
# falls back to C's: 3,100.00 and 11/28/2026.
POLISH = "pl_PL"
POLISH_FORMATS = {
    "date_format": "%d.%m.%Y",
    "time_format": "%H:%M",
    "decimal_point": ",",
    "thousands_sep": "\u00a0",
    "grouping": "[3,0]",
}


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def load_lang(self, lang, lang_name=None):
        """Installing Polish gives it Polish formats."""
        lang_id = super(ResLang, self).load_lang(lang, lang_name=lang_name)
        if lang == POLISH:
            self.browse(lang_id).write(POLISH_FORMATS)
        return lang_id

    @api.model
    def _r2_crm_polish_formats(self):
        """Polish formats for Polish, if it is installed already."""
        self.search([("code", "=", POLISH)]).write(POLISH_FORMATS)
