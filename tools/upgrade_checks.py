# Fed to `odoo shell` by devtool's upgrade check, after the last release was
# upgraded to this tree: what each migration promises holds. Prints
# "upgrade checks: ok" at the end; a failed assertion stops it before.
department = env.ref("r2_crm.r2_crm_group_user_department")

# 11.0.1.1.0 (#12): every CRM user reads all KONTAKTY entries, and still edits
# only those of their department.
rule = env.ref("r2_crm.r2_crm_contact_rule_department")
assert not rule.perm_read and rule.perm_write, "department rule still limits reading"
assert env.ref("r2_crm.r2_crm_contact_rule_department_read").perm_read
clerk = (
    env["res.users"]
    .with_context(no_reset_password=True)
    .create(
        {
            "name": "Upgrade clerk",
            "login": "r2_upgrade_clerk",
            "email": "upgrade.clerk@r2.test",
            "r2_crm_department": "sale",
            "groups_id": [(6, 0, department.ids)],
        }
    )
)
service_notes = env["r2.crm.contact"].search([("purpose", "=", "service")])
assert service_notes, "the release's data has service notes"
visible = env["r2.crm.contact"].sudo(clerk).search([("purpose", "=", "service")])
assert visible == service_notes, "a sales clerk does not read service notes"
assert not any(visible.mapped("can_edit")), "a sales clerk may edit service notes"
env.cr.rollback()
print("upgrade checks: ok")
