"""Every other door to a contract's data (lines, statistics, the analysis,
search, read_group, export, the partner's counters) applies the same rules,
and what the workflow allows still works for the users who may do it."""

from .adversarial import AdversarialCase


class TestDoors(AdversarialCase):
    """Every other door to a contract's data applies the same rules; what the
    workflow allows still works for the users who may do it."""

    def as_user(self, key, model):
        return self.env[model].sudo(self.users[key])

    def test_lines_of_other_departments_are_not_listed(self):
        found = self.as_user("svc", "r2.crm.case.line").search_read(
            [], ["price_unit", "case_id"]
        )
        self.assertNotIn(self.sal_lines.id, [row["id"] for row in found])
        self.assertEqual(
            self.as_user("sal", "r2.crm.case.line").search(
                [("id", "in", self.sal_lines.ids)]
            ),
            self.sal_lines,
        )

    def test_read_group_and_name_search_hide_other_departments(self):
        Case = self.as_user("svc", "r2.crm.case")
        groups = Case.read_group([], ["purpose", "amount_total"], ["purpose"])
        self.assertNotIn("sale", [group["purpose"] for group in groups])
        self.assertFalse(Case.name_search(self.sal_open.name))
        self.assertEqual(
            [name for _id, name in Case.name_search(self.srv_open.name)],
            [self.srv_open.name],
        )

    def test_campaign_statistics_count_only_readable_contracts(self):
        for key, count in (("svc", 0), ("sal", 1), ("alld", 1), ("mgr", 1)):
            campaign = self.as_user(key, "r2.crm.campaign").browse(self.campaign.id)
            self.assertEqual(campaign.case_count_open, count, key)

    def invoice_contract(self):
        invoice = self.env["account.invoice"].browse(
            self.sal_open.action_create_invoice()["res_id"]
        )
        invoice.action_invoice_open()

    def test_campaign_revenue_counts_only_readable_contracts(self):
        self.invoice_contract()
        for key, revenue in (("svc", 0.0), ("sal", 1800.0), ("mgr", 1800.0)):
            campaign = self.as_user(key, "r2.crm.campaign").browse(self.campaign.id)
            self.assertAlmostEqual(campaign.revenue, revenue, msg=key)
            self.assertAlmostEqual(campaign.profit, revenue, msg=key)

    def test_campaign_analysis_counts_only_readable_contracts(self):
        self.invoice_contract()
        self.campaign.write({"cost_line_ids": [(0, 0, {"name": "Ads", "amount": 50})]})
        for key, revenue, count in (("svc", 0.0, 0), ("sal", 1800.0, 1)):
            Report = self.as_user(key, "r2.crm.campaign.report")
            Report.invalidate_cache()
            row = Report.read_group(
                [("campaign_id", "=", self.campaign.id)],
                ["campaign_id", "cost", "revenue", "case_count"],
                ["campaign_id"],
            )[0]
            self.assertAlmostEqual(row["revenue"], revenue, msg=key)
            self.assertEqual(row["case_count"], count, key)
            self.assertAlmostEqual(row["cost"], 50.0, msg=key)

    def test_partner_counts_only_readable_contracts(self):
        partner = self.as_user("svc", "res.partner").browse(self.partner.id)
        visible = self.as_user("svc", "r2.crm.case").search_count(
            [("partner_id", "child_of", self.partner.id)]
        )
        self.assertEqual(partner.r2_crm_case_count, visible)
        self.assertEqual(
            self.partner.r2_crm_case_count,
            self.Case.search_count([("partner_id", "child_of", self.partner.id)]),
        )
        self.assertLess(partner.r2_crm_case_count, self.partner.r2_crm_case_count)

    def test_department_user_reads_every_entry_and_its_history(self):
        note = self.as_user("svc", "r2.crm.contact").browse(self.sal_note.id)
        self.assertEqual(note.name, "Offer")
        self.assertEqual(note.read(["case_id"])[0]["case_id"][1], self.sal_open.name)
        history = self.as_user("svc", "r2.crm.contact").browse(self.free_note.id)
        self.assertIn(self.sal_note, history.history_ids)

    def test_entries_show_whether_the_user_may_edit_them(self):
        Contact = self.as_user("svc", "r2.crm.contact")
        self.assertFalse(Contact.browse(self.sal_note.id).can_edit)
        self.assertTrue(Contact.browse(self.open_call.id).can_edit)
        self.assertTrue(
            self.as_user("alld", "r2.crm.contact").browse(self.sal_note.id).can_edit
        )
        self.assertTrue(Contact.new({"name": "New"}).can_edit)

    def test_a_case_number_is_never_empty(self):
        for name in ("", "/", False):
            case = self.as_user("svc", "r2.crm.case").create(
                {"purpose": "service", "partner_id": self.partner.id, "name": name}
            )
            self.assertRegex(case.name, r"^SRV/\d{4}/\d{5}$")

    def test_a_new_case_is_not_titled_slash(self):
        defaults = self.as_user("svc", "r2.crm.case").default_get(["name"])
        self.assertEqual(defaults["name"], "New")

    def test_a_manager_corrects_a_fiasco_and_the_chatter_tracks_it(self):
        case = self.as_user("mgr", "r2.crm.case").browse(self.sal_fiasco.id)
        action = case.action_correct_fiasco()
        self.assertEqual(
            action["context"]["default_failure_reason_id"], self.reason_price.id
        )
        wizard = (
            self.as_user("mgr", "r2.crm.case.fiasco.wizard")
            .with_context(action["context"], tracking_disable=False)
            .create(
                {
                    "failure_reason_id": self.reason_competitor.id,
                    "failure_note": "They chose the cheaper offer",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(self.sal_fiasco.failure_reason_id, self.reason_competitor)
        self.assertEqual(self.sal_fiasco.state, "failure")
        tracked = self.sal_fiasco.message_ids.mapped("tracking_value_ids")
        self.assertIn("failure_reason_id", tracked.mapped("field"))
        self.assertIn("failure_note", tracked.mapped("field"))

    def test_duplicating_an_opening_note_gives_a_plain_new_note(self):
        copy = self.as_user("svc", "r2.crm.contact").browse(self.open_s1.id).copy()
        self.assertFalse(copy.case_id)
        self.assertFalse(copy.result_id)
        self.assertEqual(copy.item_description, self.open_s1.item_description)
        self.assertEqual(self.srv_open.state, "open")

    def test_duplicating_a_closing_note_keeps_the_case_not_the_result(self):
        copy = self.as_user("svc", "r2.crm.contact").browse(self.closed_s2.id).copy()
        self.assertEqual(copy.case_id, self.srv_closed)
        self.assertFalse(copy.result_id)

    def test_entries_of_an_open_case_can_still_move_and_go(self):
        other = self.note(result_id=self.s1.id).case_id
        call = self.as_user("svc", "r2.crm.contact").browse(self.open_call.id)
        call.write({"case_id": other.id})
        self.assertEqual(self.open_call.case_id, other)
        call.write({"case_id": False})
        call.unlink()
        self.assertFalse(self.open_call.exists())
