"""The user's CRM preferences (res_users.py): "My tasks today" greets every
CRM user at start, the manual's first window, unless the user turns it off."""

from .common import R2CrmTestCase


class TestHomeAction(R2CrmTestCase):

    def test_new_crm_user_gets_tasks_today_as_home_action(self):
        action = self.env.ref("r2_crm.r2_crm_contact_action_my_tasks_today")
        self.assertEqual(self.service_clerk.action_id.id, action.id)
        self.assertTrue(self.service_clerk.r2_crm_tasks_at_start)

    def test_user_can_turn_preference_off_and_on(self):
        action = self.env.ref("r2_crm.r2_crm_contact_action_my_tasks_today")
        user = self.service_clerk.sudo(self.service_clerk)
        user.write({"r2_crm_tasks_at_start": False})
        self.assertFalse(self.service_clerk.action_id)
        user.write({"r2_crm_tasks_at_start": True})
        self.assertEqual(self.service_clerk.action_id.id, action.id)

    def test_install_turned_it_on_for_admin(self):
        action = self.env.ref("r2_crm.r2_crm_contact_action_my_tasks_today")
        self.assertEqual(self.env.ref("base.user_root").action_id.id, action.id)

    def test_non_crm_user_is_left_alone(self):
        user = self.make_user("r2_no_crm", "base.group_user")
        self.assertFalse(user.action_id)
        self.assertFalse(user.r2_crm_tasks_at_start)


class TestHomeActionForEveryCrmUser(R2CrmTestCase):
    """Today's tasks greet every CRM user at start (R2faktury: at program start)."""

    def tasks_action(self):
        return self.env.ref("r2_crm.r2_crm_contact_action_my_tasks_today")

    def test_a_user_granted_crm_rights_later(self):
        user = self.make_user("r2_later_crm", "base.group_user")
        self.assertFalse(user.action_id)
        user.write(
            {"groups_id": [(4, self.env.ref("r2_crm.r2_crm_group_user_department").id)]}
        )
        self.assertEqual(user.action_id.id, self.tasks_action().id)

    def test_a_user_whose_home_action_another_module_set(self):
        other = self.env.ref("base.action_res_users")
        user = self.make_user("r2_other_home", "base.group_user", action_id=other.id)
        self.assertEqual(user.action_id.id, other.id)
        user.write({"groups_id": [(4, self.env.ref("r2_crm.r2_crm_group_user").id)]})
        self.assertEqual(user.action_id.id, self.tasks_action().id)

    def test_a_given_home_action_is_kept_and_the_preference_holds(self):
        other = self.env.ref("base.action_res_users")
        user = self.make_user(
            "r2_chosen_home", "r2_crm.r2_crm_group_user_department", action_id=other.id
        )
        self.assertEqual(user.action_id.id, other.id)
        user.r2_crm_tasks_at_start = True
        user.write({"r2_crm_purpose": "sale"})
        self.assertEqual(user.action_id.id, self.tasks_action().id)
