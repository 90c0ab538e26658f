"""11.0.1.6.0: the multi-company rules take their companies from ir.rule's
evaluation context (issue #16): the same records, one query fewer each time a
rule applies. The rules are noupdate data, which an update does not rewrite."""

from odoo import SUPERUSER_ID, api

from odoo.addons.r2_crm.upgrade import rewrite_noupdate

DOMAIN = "['|', ('company_id', '=', False), ('company_id', 'in', r2_crm_company_ids)]"
OLD = (
    "['|', ('company_id', '=', False), "
    "('company_id', 'child_of', [user.company_id.id])]"
)
RULES = (
    "contact",
    "case",
    "case_line",
    "result",
    "level",
    "failure_reason",
    "campaign",
    "campaign_cost",
    "device",
    "campaign_report",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for name in RULES:
        xmlid = "r2_crm.r2_crm_%s_rule_company" % name
        rewrite_noupdate(env, xmlid, "domain_force", OLD, DOMAIN)
