"""Wiek: days left until the deadline (green) or days overdue (red); a
waiting case's days stand still. The rules are rules.days_left and rules.wiek;
the list sorts Wiek by the deadline."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .. import rules


class R2CrmCase(models.Model):
    _inherit = "r2.crm.case"

    days_left = fields.Integer(
        string="Days left",
        compute="_compute_wiek",
        search="_search_days_left",
        help="Days until the deadline of an open case, negative when it is "
        "overdue; a closed case and one without deadline have none.",
    )
    wiek = fields.Char(
        compute="_compute_wiek",
        help="Days left until the deadline (green), or days overdue (red). "
        "A closed case shows how long it took instead.",
    )
    wiek_state = fields.Selection(
        rules.WIEK_STATES, string="Wiek state", compute="_compute_wiek"
    )
    duration_days = fields.Integer(
        string="Took (days)",
        compute="_compute_wiek",
        help="Days from opening to closing.",
    )

    def _r2_crm_today(self):
        """Today in the user's timezone, as a date (tests freeze it)."""
        return fields.Date.from_string(fields.Date.context_today(self))

    @api.depends(
        "date_deadline", "state", "date_open", "date_closed", "waiting", "waiting_since"
    )
    def _compute_wiek(self):
        today = self._r2_crm_today()
        to_date = fields.Date.from_string
        label = self._r2_crm_wiek_labeller()
        for case in self:
            days = rules.days_left(
                to_date(case.date_deadline),
                today,
                case.state,
                to_date(case.waiting_since) if case.waiting else None,
            )
            kind, number = rules.wiek(days, case.waiting)
            case.days_left = days or 0
            case.wiek_state = kind
            case.wiek = label(kind, number, case.waiting_reason)
            case.duration_days = (
                (to_date(case.date_closed) - to_date(case.date_open)).days
                if case.date_closed and case.date_open
                else 0
            )

    def _r2_crm_wiek_labeller(self):
        """A function (kind, days, waiting reason) -> Wiek's label, in the
        user's language. The labels are translated once for all the cases of a
        list: looking a term up costs more than the rest of Wiek."""
        reasons = dict(
            self._fields["waiting_reason"].get_description(self.env)["selection"]
        )
        overdue_1, overdue = _("1 day overdue"), _("%(days)s days overdue")
        today, left_1, left = _("due today"), _("1 day"), _("%(days)s days")

        def label(kind, days, reason):
            if kind == rules.WIEK_WAITING:
                return reasons.get(reason or rules.WAIT_OTHER)
            if kind == rules.WIEK_OVERDUE:
                return overdue_1 if days == 1 else overdue % {"days": days}
            if kind == rules.WIEK_LEFT:
                return {0: today, 1: left_1}.get(days) or left % {"days": days}
            return False

        return label

    def _search_days_left(self, operator, value):
        """days_left compares with the deadline: ``days_left < 0`` finds the
        open cases whose deadline has passed, and nothing closed. A waiting
        case's days stand still at the day it began to wait."""
        if operator not in ("<", "<=", ">", ">=", "=", "!=") or not isinstance(
            value, int
        ):
            raise UserError(
                _("Days left: search with a number and <, <=, >, >=, = or !=.")
            )
        deadline = rules.add_days(self._r2_crm_today(), value)
        if deadline is None:
            return [("id", "=", 0)]
        # the operator is one of the six above
        self.env.cr.execute(
            "SELECT id FROM r2_crm_case WHERE state = %%s AND waiting "
            "AND date_deadline - waiting_since %s %%s" % operator,
            (rules.OPEN, value),
        )
        waiting = [row[0] for row in self.env.cr.fetchall()]
        return expression.normalize_domain(
            [
                ("state", "=", rules.OPEN),
                ("date_deadline", "!=", False),
                "|",
                "&",
                ("waiting", "=", False),
                ("date_deadline", operator, fields.Date.to_string(deadline)),
                ("id", "in", waiting),
            ]
        )

    @api.model
    def _generate_order_by(self, order_spec, query):
        """Wiek sorts by the deadline (Odoo drops a non-stored field from
        ORDER BY): fewest days left first."""
        if order_spec:
            parts = []
            for part in order_spec.split(","):
                words = part.split()
                if words and words[0] in self._r2_crm_sorted_by_deadline:
                    words[0] = "date_deadline"
                parts.append(" ".join(words))
            order_spec = ", ".join(parts)
        return super(R2CrmCase, self)._generate_order_by(order_spec, query)

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        res = super(R2CrmCase, self).fields_get(allfields, attributes)
        for name in self._r2_crm_sorted_by_deadline:
            if name in res and (not attributes or "sortable" in attributes):
                res[name]["sortable"] = True
        return res
