"""Throw-away models for testing the mixins on their own (odoo-test-helper)."""

from odoo import fields, models


class R2CrmFakeDictionary(models.Model):
    _name = "r2.crm.fake.dictionary"
    _inherit = ["r2.crm.in.use.mixin"]
    _description = "A dictionary entry (test)"
    _r2_crm_used_by = [("r2.crm.fake.document", "dictionary_id")]

    name = fields.Char()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")


class R2CrmFakeDocument(models.Model):
    _name = "r2.crm.fake.document"
    _inherit = ["r2.crm.purpose.mixin"]
    _description = "A document with a purpose (test)"

    name = fields.Char()
    dictionary_id = fields.Many2one("r2.crm.fake.dictionary")
