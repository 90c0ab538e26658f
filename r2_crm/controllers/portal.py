"""The customer's pages: /my/cases, one case, its protocols.

As account's invoices in Odoo 11: a portal user reads the service cases of
their company (record rule r2_crm_case_rule_portal); the link of the e-mails
carries the case's access_token and opens it without logging in. Anything
else, another customer's case above all, is "not found": no number, no
goods, no protocol."""

from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .. import rules


class R2CrmPortal(CustomerPortal):
    def _r2_crm_case_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [
            ("purpose", "=", rules.SERVICE),
            ("partner_id.commercial_partner_id", "=", partner.id),
        ]

    def _prepare_portal_layout_values(self):
        values = super(R2CrmPortal, self)._prepare_portal_layout_values()
        Case = request.env["r2.crm.case"]
        values["r2_crm_case_count"] = (
            Case.search_count(self._r2_crm_case_domain())
            if Case.check_access_rights("read", raise_exception=False)
            else 0
        )
        return values

    def _r2_crm_case_check_access(self, case_id, access_token=None):
        """The case, as superuser, if the user may read it or the token is
        its own; AccessError or MissingError otherwise."""
        case = request.env["r2.crm.case"].browse(case_id)
        case_sudo = case.sudo().exists()
        if not case_sudo or case_sudo.purpose != rules.SERVICE:
            raise MissingError(_("This case does not exist."))
        try:
            case.check_access_rights("read")
            case.check_access_rule("read")
        except AccessError:
            if not access_token or not consteq(
                case_sudo.access_token or "", access_token
            ):
                raise
        return case_sudo

    def _r2_crm_case_or_refusal(self, case_id, access_token):
        """(case, None), or (None, the response: the login for a visitor
        without token, "not found" for everyone else)."""
        try:
            return self._r2_crm_case_check_access(case_id, access_token), None
        except (AccessError, MissingError):
            if request.env.user._is_public() and not access_token:
                return None, request.redirect(
                    "/web/login?redirect=/my/cases/%s" % case_id
                )
            return None, self._r2_crm_not_found()

    def _r2_crm_not_found(self):
        """404 in the portal's layout, in the customer's language, with the
        way back to their cases (Odoo 11's portal has no page of its own)."""
        values = self._prepare_portal_layout_values()
        values["page_name"] = "r2_crm_case"
        return request.render("r2_crm.portal_case_not_found", values, status=404)

    @http.route(
        ["/my/cases", "/my/cases/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_r2_crm_cases(self, page=1, sortby=None, filterby=None, **kw):
        values = self._prepare_portal_layout_values()
        Case = request.env["r2.crm.case"]
        sortings = {
            "date": {"label": _("Newest"), "order": "date_open desc, id desc"},
            "deadline": {"label": _("Deadline"), "order": "date_deadline, id"},
            "name": {"label": _("Number"), "order": "name desc"},
        }
        filters = {
            "all": {"label": _("All"), "domain": []},
            "open": {
                "label": _("In progress"),
                "domain": [("state", "=", rules.OPEN)],
            },
            "closed": {
                "label": _("Closed"),
                "domain": [("state", "in", rules.CLOSED_STATES)],
            },
        }
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = self._r2_crm_case_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/cases",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Case.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        cases = Case.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values.update(
            {
                # read as superuser: the rule chose them, Wiek reads the dates
                "r2_cases": cases.sudo(),
                "page_name": "r2_crm_case",
                "pager": pager,
                "default_url": "/my/cases",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("r2_crm.portal_my_cases", values)

    @http.route(["/my/cases/<int:case_id>"], type="http", auth="public", website=True)
    def portal_my_r2_crm_case(self, case_id, access_token=None, **kw):
        case, refusal = self._r2_crm_case_or_refusal(case_id, access_token)
        if refusal:
            return refusal
        # a visitor with the e-mail's link has no account: no counts of his
        # documents (other modules' counts refuse the public user), no menu
        public = request.env.user._is_public()
        values = {} if public else self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "r2_crm_case",
                "r2_case": case,
                "access_token": access_token,
                "no_breadcrumbs": public,
                "has_intake": bool(case._r2_crm_protocol_note(rules.INTAKE)),
                "has_completion": bool(case._r2_crm_protocol_note(rules.COMPLETION)),
            }
        )
        return request.render("r2_crm.portal_case_page", values)

    @http.route(
        ["/my/cases/<int:case_id>/protocol/<string:kind>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_r2_crm_case_protocol(self, case_id, kind, access_token=None, **kw):
        case, refusal = self._r2_crm_case_or_refusal(case_id, access_token)
        if refusal:
            return refusal
        note = kind in rules.PROTOCOL_ACTIONS and case._r2_crm_protocol_note(kind)
        if not note:
            return self._r2_crm_not_found()
        pdf, _kind = note._r2_crm_ensure_protocol().sudo().render_qweb_pdf(note.ids)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                (
                    "Content-Disposition",
                    content_disposition("%s.pdf" % note._r2_crm_protocol_filename()),
                ),
            ],
        )
