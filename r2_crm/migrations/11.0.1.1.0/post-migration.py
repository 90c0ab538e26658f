"""11.0.1.1.0: every CRM user reads all KONTAKTY entries (issue #12).

The department rule of the entries is noupdate data, which an update does not
rewrite: it now limits writing only. The new read rule is created by the update.
"""


def migrate(cr, version):
    cr.execute("""
        UPDATE ir_rule SET perm_read = false
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = 'r2_crm' AND model = 'ir.rule'
                         AND name = 'r2_crm_contact_rule_department')
        """)
