"""11.0.1.8.0 (issues #24, #25): a closed contract's weighted value is its
whole value (success) or nothing (fiasco), recomputed here for the contracts
closed before; Polish times show no seconds. Record rules read the user's renamed field
``r2_crm_purpose``. r2_crm's department rules are noupdate data, which an
update does not rewrite, and a shop may have written rules of its own on the
old name. A domain that names the old field fails once the field is gone,
whether or not the shop changed it: the name is replaced in every rule."""

from odoo import SUPERUSER_ID, api

OLD = "user.r2_crm_department"
NEW = "user.r2_crm_purpose"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    for rule in env["ir.rule"].search([("domain_force", "like", OLD)]):
        rule.domain_force = rule.domain_force.replace(OLD, NEW)
    closed = (
        env["r2.crm.case"]
        .with_context(active_test=False)
        .search([("state", "!=", "open")])
    )
    env.add_todo(closed._fields["amount_weighted"], closed)
    closed.recompute()
