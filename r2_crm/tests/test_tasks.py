from datetime import datetime

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

from .common import R2CrmTestCase


class TestTasks(R2CrmTestCase):

    def task(self, **values):
        vals = {
            "type": "task",
            "name": "Call back about the offer",
            "date_deadline": fields.Date.context_today(self.Contact),
        }
        vals.update(values)
        return self.note(**vals)

    def test_task_creates_activity_for_assignee(self):
        task = self.task()
        activity = task.task_activity_id
        self.assertTrue(activity)
        self.assertEqual(activity.user_id, self.service_clerk)
        self.assertEqual(activity.res_model, "r2.crm.contact")
        self.assertEqual(activity.res_id, task.id)
        self.assertEqual(activity.date_deadline, task.date_deadline)

    def test_marking_task_done_marks_activity_done(self):
        task = self.task()
        activity = task.task_activity_id
        task.action_mark_done()
        self.assertTrue(task.done)
        self.assertFalse(activity.exists())
        self.assertFalse(task.task_activity_id)

    def test_marking_activity_done_marks_task_done(self):
        task = self.task()
        task.task_activity_id.sudo(self.service_clerk).action_done()
        self.assertTrue(task.done)
        self.assertFalse(task.task_activity_id)

    def test_snooze_moves_task_and_activity_to_tomorrow(self):
        task = self.task(date_deadline="2026-01-05")
        task.action_snooze_tomorrow()
        today = fields.Date.from_string(fields.Date.context_today(task))
        tomorrow = fields.Date.to_string(today.fromordinal(today.toordinal() + 1))
        self.assertEqual(task.date_deadline, tomorrow)
        self.assertEqual(task.task_activity_id.date_deadline, tomorrow)

    def test_task_without_deadline_is_refused(self):
        before = self.Contact.search_count([])
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.task(date_deadline=False)
        self.assertEqual(self.Contact.search_count([]), before)

    def test_notes_get_no_activity(self):
        self.assertFalse(self.note().task_activity_id)

    def test_my_tasks_today_action_domain(self):
        today = fields.Date.context_today(self.Contact)
        due = self.task(date_deadline=today)
        late = self.task(date_deadline="2020-01-01")
        self.task(date_deadline="2999-01-01")
        done = self.task(date_deadline=today)
        done.action_mark_done()
        action = self.env.ref("r2_crm.r2_crm_contact_action_my_tasks_today")
        domain = safe_eval(
            action.domain,
            {
                "uid": self.service_clerk.id,
                "context_today": lambda: datetime.strptime(today, "%Y-%m-%d"),
            },
        )
        found = self.Contact.search(domain)
        self.assertEqual(found, due | late)
