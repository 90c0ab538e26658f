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
            "r2_crm_purpose": "sale",
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

# 11.0.1.2.0 (#13): case numbers restart every year, and this year's numbering
# continues after the release's numbers.
Case = env["r2.crm.case"]
for code in ("r2.crm.case.service", "r2.crm.case.sale", "r2.crm.case.other"):
    sequence = env["ir.sequence"].search([("code", "=", code)])
    assert sequence.use_date_range and "%(range_year)s" in sequence.prefix, code
partner = env["res.partner"].search([("name", "=", "Lifecycle customer")])
old = Case.search([("purpose", "=", "service")], order="id desc", limit=1)
year = old.date_open[:4]
new = Case.create({"purpose": "service", "partner_id": partner.id})
assert new.name.startswith("SRV/%s/" % year), new.name
assert int(new.name[-5:]) == int(old.name[-5:]) + 1, (old.name, new.name)
later = Case.create(
    {
        "purpose": "service",
        "partner_id": partner.id,
        "date_open": "%d-02-01" % (int(year) + 1),
    }
)
assert later.name == "SRV/%d/00001" % (int(year) + 1), later.name
env.cr.rollback()
# 11.0.1.6.0 (#16): the multi-company rules no longer expand child_of.
for name in ("contact", "case", "device", "campaign_report"):
    rule = env.ref("r2_crm.r2_crm_%s_rule_company" % name)
    assert "r2_crm_company_ids" in rule.domain_force, rule.domain_force
company = env.user.company_id
child = env["res.company"].create({"name": "Upgrade branch", "parent_id": company.id})
head_clerk = (
    env["res.users"]
    .with_context(no_reset_password=True)
    .create(
        {
            "name": "Upgrade head-office clerk",
            "login": "r2_upgrade_head_clerk",
            "company_id": company.id,
            "company_ids": [(6, 0, (company | child).ids)],
            "groups_id": [(6, 0, env.ref("r2_crm.r2_crm_group_user").ids)],
        }
    )
)
case = Case.create(
    {"purpose": "service", "partner_id": partner.id, "company_id": child.id}
)
assert Case.sudo(head_clerk).search([("id", "=", case.id)]), "a branch's case hidden"
env.cr.rollback()
# 11.0.1.7.0 (#25): the automated actions enter through the case's one
# transition method, and S1 still opens a case through them.
for xmlid in (
    "r2_crm.r2_crm_contact_automation_result_create",
    "r2_crm.r2_crm_contact_automation_result_write",
):
    assert "_r2_crm_transition" in env.ref(xmlid).code, env.ref(xmlid).code
note = env["r2.crm.contact"].create(
    {
        "type": "note",
        "purpose": "service",
        "partner_id": partner.id,
        "name": "Upgrade intake",
        "result_id": env.ref("r2_crm.result_s1").id,
    }
)
assert note.case_id.state == "open", "S1 opened no case after the upgrade"
invoice_models = ("account.invoice", "account.invoice.line", "account.invoice.tax")
left = (
    env["ir.rule"]
    .search([("model_id.model", "in", invoice_models)])
    .filtered(lambda rule: rule.get_external_id()[rule.id].startswith("r2_crm."))
)
assert not left, "r2_crm still rules invoices: %s" % left.mapped("name")
env.cr.rollback()
# 11.0.1.8.0 (#25): the user's purpose field is renamed, its values and the
# department rules follow it.
assert "r2_crm_department" not in env["res.users"]._fields
for rule in env["ir.rule"].search([("domain_force", "like", "r2_crm_")]):
    assert "r2_crm_department" not in rule.domain_force, rule.name
assert env.ref("r2_crm.r2_crm_contact_rule_department").domain_force.count(
    "user.r2_crm_purpose"
), "the department rule lost the user's purpose"
assert env["res.users"].search_count(
    [("r2_crm_purpose", "!=", False)]
), "the users' departments were lost"
print("upgrade checks: ok")
