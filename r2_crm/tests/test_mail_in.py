"""The customer writes back (#27): answers to a case's e-mail and new mail to
the service address become KONTAKTY entries through Odoo's own mail gateway;
machines, loops and bad input make nothing or a clean entry."""

import logging
from datetime import date, timedelta

from odoo import fields

from .. import rules
from .mailing import CATCHALL_DOMAIN, MailCase, raw_mail

CUSTOMER = '"Jan Kowalski" <biuro@kowalski.test>'
CATCHALL = "catchall@%s" % CATCHALL_DOMAIN
SERVICE = "serwis@%s" % CATCHALL_DOMAIN
GATEWAY_LOGGER = "odoo.addons.r2_crm.models.r2_crm_mail_gateway"


class TestAnswers(MailCase):
    """An answer to a case's e-mail is a note of the case, by e-mail."""

    def setUp(self):
        super(TestAnswers, self).setUp()
        self.case = self.note(result_id=self.s1.id).case_id
        self.sent = self.case._r2_crm_mail_customer(
            "Przyjęcie do serwisu", "<p>Przyjęliśmy kasę.</p>", []
        )

    def answer(self, sender=CUSTOMER, sent=None, **values):
        """The customer answers ``sent`` (the case's e-mail, by default)."""
        sent = sent or self.sent
        references = [
            ("In-Reply-To", sent.message_id),
            ("References", sent.message_id),
        ]
        values["headers"] = references + list(values.get("headers", ()))
        return self.receive(
            raw_mail(sender, CATCHALL, "Re: Przyjęcie do serwisu", **values)
        )

    def test_the_case_mail_answers_to_the_catchall_address(self):
        self.assertIn(CATCHALL, self.sent.reply_to)
        self.assertTrue(self.sent.message_id)

    def test_an_answer_is_a_note_of_the_case_with_a_task_to_answer_it(self):
        thread = self.answer(attachments=[("zdjecie.jpg", b"\xff\xd8 obraz")])
        self.assertEqual(thread, self.case.id)
        entry = self.entries(case_id=self.case.id, channel=rules.EMAIL)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.type, rules.NOTE)
        self.assertEqual(entry.purpose, self.case.purpose)
        self.assertEqual(entry.partner_id, self.case.partner_id)
        self.assertEqual(entry.user_id, self.case.user_id)
        self.assertEqual(entry.name, "Re: Przyjęcie do serwisu")
        self.assertIn("kiedy będzie gotowe?", entry.description)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "r2.crm.contact"), ("res_id", "=", entry.id)]
        )
        self.assertEqual(attachment.name, "zdjecie.jpg")
        # the e-mail itself is in the case's chatter
        message = self.env["mail.message"].search(
            [
                ("model", "=", "r2.crm.case"),
                ("res_id", "=", self.case.id),
                ("message_type", "=", "email"),
            ]
        )
        self.assertIn("kiedy będzie gotowe?", message.body)
        # and the other entries of the case show it in their Historia
        opening = self.entries(case_id=self.case.id, result_id=self.s1.id)
        self.assertIn(entry, opening.history_ids)
        # the clerk's own entry was made at the counter, by default
        self.assertEqual(opening.channel, rules.COUNTER)
        task = self.entries(case_id=self.case.id, type=rules.TASK)
        self.assertEqual(task.user_id, self.service_clerk)
        self.assertEqual(
            fields.Date.from_string(task.date_deadline),
            self.today_of(self.service_clerk),
        )
        # in the clerk's Polish
        self.assertEqual(
            task.name,
            "Odpowiedz na e-mail od %s: Re: Przyjęcie do serwisu"
            % self.case.partner_id.display_name,
        )

    def test_an_answer_lands_on_the_case_it_answers(self):
        """The same customer's second case has an e-mail of its own, sent
        later: the answer to the first case's e-mail is the first's alone."""
        second = self.note(result_id=self.s1.id, item_description="Drukarka").case_id
        self.assertNotEqual(second, self.case)
        sent_second = second._r2_crm_mail_customer(
            "Przyjęcie drukarki", "<p>Przyjęliśmy drukarkę.</p>", []
        )
        self.assertEqual(self.answer(), self.case.id)
        self.assertEqual(
            len(self.entries(case_id=self.case.id, channel=rules.EMAIL)), 1
        )
        self.assertEqual(len(self.entries(case_id=self.case.id, type=rules.TASK)), 1)
        self.assertFalse(self.entries(case_id=second.id, channel=rules.EMAIL))
        self.assertFalse(self.entries(case_id=second.id, type=rules.TASK))
        self.assertNotIn("email", second.message_ids.mapped("message_type"))
        # and the answer to the second case's e-mail is the second's
        self.assertEqual(self.answer(sent=sent_second), second.id)
        self.assertEqual(len(self.entries(case_id=second.id, channel=rules.EMAIL)), 1)
        self.assertEqual(
            len(self.entries(case_id=self.case.id, channel=rules.EMAIL)), 1
        )

    def test_an_answer_ends_the_silence_of_the_case(self):
        long_ago = date.today() - timedelta(days=30)
        self.cr.execute(
            "UPDATE r2_crm_contact SET date = %s WHERE case_id = %s",
            (long_ago, self.case.id),
        )
        self.cr.execute(
            "UPDATE r2_crm_case SET date_open = %s WHERE id = %s",
            (long_ago, self.case.id),
        )
        self.Case.invalidate_cache()
        silent = [row[0] for row in self.Case._r2_crm_silent_cases(date.today())]
        self.assertIn(self.case.id, silent)
        self.answer()
        silent = [row[0] for row in self.Case._r2_crm_silent_cases(date.today())]
        self.assertNotIn(self.case.id, silent)

    def test_an_auto_reply_makes_nothing(self):
        for header in (
            ("Auto-Submitted", "auto-replied"),
            ("Precedence", "auto_reply"),
            ("Precedence", "bulk"),
            ("X-Autoreply", "yes"),
        ):
            with self.subTest(header=header):
                self.assertNothingMade(lambda: self.answer(headers=[header]))

    def test_a_person_who_says_auto_submitted_no_is_answered(self):
        self.answer(headers=[("Auto-Submitted", "no")])
        self.assertEqual(
            len(self.entries(case_id=self.case.id, channel=rules.EMAIL)), 1
        )

    def test_the_shops_own_mail_coming_back_makes_nothing(self):
        self.assertNothingMade(lambda: self.answer(sender="Serwis <%s>" % SERVICE))


class TestNewMail(MailCase):
    """New mail to the service address is a service note for the sender."""

    def mail_service(self, sender, subject="Kasa nie drukuje", **values):
        return self.receive(raw_mail(sender, SERVICE, subject, **values))

    def test_the_alias_is_the_service_address(self):
        self.assertEqual(self.alias.alias_name, "serwis")
        self.assertEqual(self.alias.alias_model_id.model, "r2.crm.contact")

    def test_from_a_known_customer(self):
        self.company.r2_crm_service_user_id = self.service_clerk
        entry = self.Contact.browse(self.mail_service(CUSTOMER))
        self.assertEqual(entry.partner_id, self.partner)
        self.assertEqual(entry.purpose, rules.SERVICE)
        self.assertEqual(entry.channel, rules.EMAIL)
        self.assertEqual(entry.type, rules.NOTE)
        self.assertFalse(entry.case_id)
        self.assertEqual(entry.name, "Kasa nie drukuje")
        self.assertEqual(entry.user_id, self.service_clerk)
        task = self.Contact.search(
            [("type", "=", rules.TASK), ("partner_id", "=", self.partner.id)]
        )
        self.assertEqual(task.user_id, self.service_clerk)
        self.assertEqual(
            fields.Date.from_string(task.date_deadline),
            self.today_of(self.service_clerk),
        )
        self.assertTrue(task.name.startswith("Odpowiedz na e-mail"))
        # the e-mail is in the entry's chatter
        self.assertIn("kiedy będzie gotowe?", entry.message_ids[0].body)

    def test_from_an_unknown_sender_a_new_partner(self):
        entry = self.Contact.browse(self.mail_service('"Marek Nowy" <Marek@Nowy.test>'))
        self.assertEqual(entry.partner_id.name, "Marek Nowy")
        self.assertEqual(entry.partner_id.email, "marek@nowy.test")
        # by default, the first CRM manager answers it, with a task for today
        service_user = self.company._r2_crm_service_user()
        self.assertTrue(
            service_user.has_group("r2_crm.r2_crm_group_manager"), service_user
        )
        self.assertEqual(entry.user_id, service_user)
        task = self.Contact.search(
            [("type", "=", rules.TASK), ("partner_id", "=", entry.partner_id.id)]
        )
        self.assertEqual(task.user_id, service_user)
        self.assertEqual(
            fields.Date.from_string(task.date_deadline), self.today_of(service_user)
        )

    def test_an_address_of_two_partners_goes_to_the_more_recent_case(self):
        Partner = self.env["res.partner"]
        older = Partner.create({"name": "Biuro A", "email": "wspolny@firma.test"})
        newer = Partner.create({"name": "Biuro B", "email": "Wspolny@firma.test"})
        quiet = Partner.create({"name": "Biuro C", "email": "wspolny@firma.test"})
        self.assertTrue(quiet)
        for partner, opened in ((newer, "2026-03-01"), (older, "2025-01-10")):
            self.Case.create(
                {"purpose": "service", "partner_id": partner.id, "date_open": opened}
            )
        entry = self.Contact.browse(self.mail_service("wspolny@firma.test"))
        self.assertEqual(entry.partner_id, newer)

    def test_an_underscore_is_no_wildcard(self):
        self.env["res.partner"].create({"name": "Ktoś", "email": "jan-nowak@x.test"})
        entry = self.Contact.browse(self.mail_service("jan_nowak@x.test"))
        self.assertEqual(entry.partner_id.email, "jan_nowak@x.test")

    def test_machines_loops_and_no_sender_make_nothing(self):
        self.assertNothingMade(
            lambda: self.mail_service(CUSTOMER, headers=[("Precedence", "bulk")])
        )
        self.assertNothingMade(
            lambda: self.mail_service(
                CUSTOMER, headers=[("Auto-Submitted", "auto-generated")]
            )
        )
        self.assertNothingMade(lambda: self.mail_service("Serwis <%s>" % SERVICE))
        self.assertNothingMade(lambda: self.mail_service(None))

    def test_bad_messages_do_not_stop_the_queue(self):
        """The bad messages one after the other, as fetchmail hands them
        over: none raises (fetchmail would leave it unread, to fail again),
        and the good message after them is an entry."""
        huge = [("film.mp4", b"\0" * (20 * 1024 * 1024))]
        # logging.INFO: Odoo gives the name "INFO" to its level 25 as well
        with self.assertLogs(GATEWAY_LOGGER, logging.INFO) as logs:
            self.assertFalse(self.mail_service(None), "refused")
        self.assertEqual(len(logs.output), 1)
        self.assertIn("no sender address", logs.output[0])
        self.assertIn("Message-Id", logs.output[0])
        machine = [("Auto-Submitted", "auto-replied")]
        self.assertFalse(self.mail_service(CUSTOMER, headers=machine))
        self.assertFalse(self.mail_service("Serwis <%s>" % SERVICE))
        cleaned = [
            self.mail_service(CUSTOMER, attachments=huge),
            self.mail_service(CUSTOMER, body="<script>alert(1)</script>", html=True),
            self.mail_service(CUSTOMER, body="Zażółć", charset="windows-1250"),
        ]
        self.assertTrue(all(cleaned), cleaned)
        good = self.Contact.browse(
            self.mail_service('"Marek Nowy" <marek@nowy.test>', subject="Drukarka")
        )
        self.assertEqual(good.name, "Drukarka")
        self.assertEqual(good.partner_id.email, "marek@nowy.test")
        self.assertEqual(good.channel, rules.EMAIL)
        self.assertIn("kiedy będzie gotowe?", good.description)

    def test_a_huge_attachment_is_named_not_kept(self):
        huge = b"\0" * (20 * 1024 * 1024)
        entry = self.Contact.browse(
            self.mail_service(
                CUSTOMER,
                attachments=[("film.mp4", huge), ("paragon.pdf", b"%PDF-1.4 small")],
            )
        )
        kept = self.env["ir.attachment"].search(
            [("res_model", "=", "r2.crm.contact"), ("res_id", "=", entry.id)]
        )
        self.assertEqual(kept.mapped("name"), ["paragon.pdf"] * len(kept))
        self.assertTrue(kept)
        self.assertIn("film.mp4 (20.0 MB)", entry.description)
        self.assertNotIn("film.mp4", entry.message_ids.mapped("attachment_ids.name"))

    def test_html_with_a_script_is_clean_text(self):
        body = (
            "<p>Kasa <b>nie</b> drukuje</p><script>alert('x')</script>"
            "<img src='x' onerror='alert(1)'>"
        )
        entry = self.Contact.browse(self.mail_service(CUSTOMER, body=body, html=True))
        self.assertIn("Kasa *nie* drukuje", entry.description)
        self.assertNotIn("alert", entry.description)
        chatter = entry.message_ids[0].body
        self.assertNotIn("<script", chatter)
        self.assertNotIn("onerror", chatter)

    def test_legacy_polish_encodings(self):
        for charset in ("iso-8859-2", "windows-1250"):
            with self.subTest(charset=charset):
                entry = self.Contact.browse(
                    self.mail_service(
                        CUSTOMER,
                        subject="Żółta lampka (%s)" % charset,
                        body="Zażółć gęślą jaźń",
                        charset=charset,
                    )
                )
                self.assertEqual(entry.name, "Żółta lampka (%s)" % charset)
                self.assertIn("Zażółć gęślą jaźń", entry.description)
