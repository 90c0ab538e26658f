from odoo import SUPERUSER_ID, api


def post_init_hook(cr, registry):
    """Turn "My tasks today" on as home action for CRM users without one."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    group = env.ref("r2_crm.r2_crm_group_user_department")
    users = env["res.users"].with_context(active_test=False).search(
        [("groups_id", "in", group.ids), ("action_id", "=", False)])
    users.write({"r2_crm_tasks_at_start": True})
