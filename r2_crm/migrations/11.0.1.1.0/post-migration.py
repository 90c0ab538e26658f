"""11.0.1.1.0: every CRM user reads all KONTAKTY entries (issue #12).

The department rule of the entries is noupdate data, which an update does not
rewrite: it now limits writing only. The new read rule is created by the update.
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.r2_crm.upgrade import rewrite_noupdate


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rewrite_noupdate(
        env, "r2_crm.r2_crm_contact_rule_department", "perm_read", True, False
    )
