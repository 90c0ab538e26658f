# Fed to `odoo shell` by devtool's lifecycle check: data a real user would have
# made (no XML ids), so that upgrade and uninstall meet real references.
partner = env["res.partner"].create({"name": "Lifecycle customer"})
# the user's department: r2_crm_department up to 11.0.1.7.0, r2_crm_purpose since
Users = env["res.users"].with_context(no_reset_password=True)
purpose_field = next(
    f for f in ("r2_crm_purpose", "r2_crm_department") if f in Users._fields
)
Users.create(
    {
        "name": "Lifecycle clerk",
        "login": "r2_lifecycle_clerk",
        purpose_field: "service",
        "groups_id": [(6, 0, env.ref("r2_crm.r2_crm_group_user_department").ids)],
    }
)
Contact = env["r2.crm.contact"]
intake = Contact.create(
    {
        "purpose": "service",
        "partner_id": partner.id,
        "name": "Intake",
        "item_description": "Printer",
        "result_id": env.ref("r2_crm.result_s1").id,
    }
)
Contact.create(
    {
        "purpose": "service",
        "partner_id": partner.id,
        "name": "Done",
        "case_id": intake.case_id.id,
        "result_id": env.ref("r2_crm.result_s2").id,
    }
)
Contact.create(
    {
        "type": "task",
        "partner_id": partner.id,
        "name": "Call back",
        "date_deadline": "2030-01-01",
    }
)
campaign = env["r2.crm.campaign"].create(
    {
        "name": "Lifecycle campaign",
        "cost_line_ids": [(0, 0, {"name": "Ads", "amount": 100})],
    }
)
contract = env["r2.crm.case"].create(
    {
        "purpose": "sale",
        "partner_id": partner.id,
        "campaign_id": campaign.id,
        "level_id": env.ref("r2_crm.level_offer").id,
        "line_ids": [
            (0, 0, {"name": "Cash register", "quantity": 2, "price_unit": 900})
        ],
    }
)
invoice = env["account.invoice"].browse(contract.action_create_invoice()["res_id"])
invoice.action_invoice_open()
contract.action_mark_success()
env.cr.commit()
print(
    "lifecycle data: case %s, contract %s, invoice %s"
    % (intake.case_id.name, contract.name, invoice.number)
)
