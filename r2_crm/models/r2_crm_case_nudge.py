"""The nudge: an open case without an entry for the company's nudge days
gives its responsible user one task, "what is new?", once per silence."""

import logging

import psycopg2
from psycopg2 import errorcodes

from odoo import _, api, fields, models
from odoo.tools import mute_logger

from .. import rules, trust

_logger = logging.getLogger(__name__)
# r2_crm_contact.py makes it
ONE_NUDGE_INDEX = "r2_crm_contact_one_nudge_idx"


def nudged_by_another_run(error):
    """Whether ``error`` says another run made the nudge first: the unique
    index of one nudge per silence."""
    return (
        error.pgcode == errorcodes.UNIQUE_VIOLATION
        and error.diag.constraint_name == ONE_NUDGE_INDEX
    )


class R2CrmCase(models.Model):
    _inherit = "r2.crm.case"

    @api.model
    def _cron_nudge_inactive_cases(self):
        """The scheduled action r2_crm.ir_cron_inactivity_nudge: each open case
        without an entry for the company's nudge days gives its responsible user
        one task, "what is new?", once per silence.

        Every node runs the scheduled actions, and "Run manually" or a direct
        call can run beside the scheduled run: the database's unique index on
        (case, silence) lets one of two runs make a case's nudge; the other
        skips that case, whatever its snapshot showed it."""
        today = self._r2_crm_today()
        Contact = trust.as_workflow(self.env["r2.crm.contact"])
        for case_id, quiet_since, after_id in self._r2_crm_silent_cases(today):
            case = self.browse(case_id)
            case = case.with_context(lang=case.user_id.lang or self.env.lang)
            values = {
                "type": rules.TASK,
                "purpose": case.purpose,
                "partner_id": case.partner_id.id,
                "case_id": case.id,
                "user_id": case.user_id.id,
                "date_deadline": fields.Date.to_string(today),
                "is_nudge": True,
                "nudge_after_id": after_id,
                "name": case._r2_crm_nudge_subject(quiet_since, today),
            }
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    Contact.create(values)
            except psycopg2.extensions.TransactionRollbackError:
                # a lost race with a clerk or another run writing the same
                # records: the case stays silent and the next run nudges it
                self.env.clear()
                _logger.info(
                    "r2_crm: the nudge of case %s is left to the next run", case_id
                )
            except psycopg2.Error as error:
                if not nudged_by_another_run(error):
                    raise
                self.env.clear()
                _logger.info("r2_crm: case %s was nudged by another run", case_id)

    def _r2_crm_nudge_subject(self, quiet_since, today):
        return _("%(case)s: no entry for %(days)s days. What is new?") % {
            "case": self.name,
            "days": (today - fields.Date.from_string(quiet_since)).days,
        }

    @api.model
    def _r2_crm_silent_cases(self, today):
        """[(case id, the day its silence began, the id of the entry that
        began it or 0 for the opening)] of the open cases, not
        waiting, with an active responsible user, whose last entry by a person (or their
        opening) is at least the company's nudge days before ``today`` (at
        day 7, not at day 6) and that got no nudge since that entry.

        One query whatever the number of cases: the entries of the open cases
        are summed up per case (last date, last id, last nudge's id); a nudge
        with an id above the last entry's belongs to the present silence. An
        entry made after the nudge, even dated earlier, ends the silence."""
        self.env.cr.execute(
            """
            WITH entries AS (
                SELECT e.case_id,
                       max(e.date) FILTER (WHERE NOT coalesce(e.is_nudge, false))
                           AS last_date,
                       max(e.id) FILTER (WHERE NOT coalesce(e.is_nudge, false))
                           AS last_id,
                       max(e.id) FILTER (WHERE e.is_nudge) AS nudge_id
                  FROM r2_crm_contact e
                  JOIN r2_crm_case c ON c.id = e.case_id AND c.state = %(open)s
                 GROUP BY e.case_id
            )
            SELECT c.id,
                   to_char(coalesce(e.last_date::date, c.date_open), 'YYYY-MM-DD'),
                   coalesce(e.last_id, 0)
              FROM r2_crm_case c
              JOIN res_users u ON u.id = c.user_id AND u.active
              LEFT JOIN res_company co ON co.id = c.company_id
              LEFT JOIN entries e ON e.case_id = c.id
             WHERE c.state = %(open)s
               AND NOT coalesce(c.waiting, false)
               AND coalesce(e.last_date::date, c.date_open)
                   <= %(today)s::date - coalesce(co.r2_crm_nudge_days, %(days)s)
               AND (e.nudge_id IS NULL OR e.nudge_id < coalesce(e.last_id, 0))
             ORDER BY c.id
            """,
            {
                "open": rules.OPEN,
                "today": fields.Date.to_string(today),
                "days": rules.NUDGE_DAYS,
            },
        )
        return self.env.cr.fetchall()
