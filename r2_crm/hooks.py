from odoo import SUPERUSER_ID, api


def post_init_hook(cr, registry):
    """Today's tasks greet every CRM user at login (R2faktury: at program
    start), whatever home action another module gave them; Polish, if it is
    installed already, gets Polish formats."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    group = env.ref("r2_crm.r2_crm_group_user_department")
    users = (
        env["res.users"]
        .with_context(active_test=False)
        .search([("groups_id", "in", group.ids)])
    )
    users.write({"r2_crm_tasks_at_start": True})
    env["res.lang"]._r2_crm_polish_formats()


def uninstall_hook(cr, registry):
    """Let uninstalling remove r2_crm cleanly.

    The tables of r2_crm's models are dropped by the uninstall anyway; emptying
    them first, and releasing what core tables point at in them (home actions,
    invoice links), keeps Odoo from failing on foreign keys while it deletes
    the module's records (results S1/S2, the home action, ...)."""
    cr.execute("""
        UPDATE res_users SET action_id = NULL
         WHERE action_id IN (
               SELECT res_id FROM ir_model_data
                WHERE module = 'r2_crm' AND model = 'ir.actions.act_window')
    """)
    cr.execute("""
        UPDATE account_invoice SET r2_crm_case_id = NULL, r2_crm_campaign_id = NULL
    """)
    cr.execute("""
        DELETE FROM mail_activity
         WHERE res_model IN ('r2.crm.contact', 'r2.crm.case', 'r2.crm.campaign')
    """)
    # DELETE, not TRUNCATE ... CASCADE: that would empty account_invoice too.
    cr.execute("DELETE FROM r2_crm_case_fiasco_wizard")
    cr.execute("DELETE FROM r2_crm_campaign_period_wizard")
    cr.execute("DELETE FROM r2_crm_contact")
    cr.execute("DELETE FROM r2_crm_case_line")
    cr.execute("DELETE FROM r2_crm_case")
    cr.execute("DELETE FROM r2_crm_campaign_cost")
    cr.execute("DELETE FROM r2_crm_campaign")
