"""The customer's pages: /my/cases, one case, its protocols, and the
answer to its repair quote (accept with a signature, or reject).

As account's invoices in Odoo 11: a portal user reads the service cases of
their company (record rule r2_crm_case_rule_portal); the link of the e-mails
carries the case's access_token and opens it without logging in. Anything
else, another customer's case above all, is "not found": no number, no
goods, no protocol."""

from werkzeug.urls import url_encode

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
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
        # a visitor (a wrong link) has no account: no counts of documents
        public = request.env.user._is_public()
        values = {} if public else self._prepare_portal_layout_values()
        values.update({"page_name": "r2_crm_case", "no_breadcrumbs": public})
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
    def portal_my_r2_crm_case(self, case_id, access_token=None, quote=None, **kw):
        case, refusal = self._r2_crm_case_or_refusal(case_id, access_token)
        if refusal:
            return refusal
        case = self._r2_crm_in_customer_language(case)
        messages = {
            "accept": _("Thank you: you accepted the quote. We start the repair."),
            "reject": _("You rejected the quote. We will contact you to return it."),
        }
        return self._r2_crm_case_page(case, access_token, message=messages.get(quote))

    def _r2_crm_in_customer_language(self, case):
        """A visitor with the e-mail's link reads the case in its customer's
        language (a logged-in customer, in his own)."""
        if request.env.user._is_public() and case.partner_id.lang:
            request.context = dict(request.context, lang=case.partner_id.lang)
        return case.with_env(request.env(user=case.env.uid))

    def _r2_crm_case_page(self, case, access_token, message=None, error=None):
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
                "r2_quote_shown": case._r2_crm_quote_shown(),
                "r2_quote_open": case.quote_state == rules.QUOTE_SENT
                and not rules.quote_answer_problem(
                    rules.ON_PORTAL,
                    case.purpose,
                    case.state,
                    case.warranty,
                    len(case.line_ids),
                    case.quote_state,
                    case.quote_valid_until
                    and fields.Date.from_string(case.quote_valid_until),
                    case._r2_crm_today(),
                ),
                "r2_message": message,
                "r2_error": error,
                # the name the acceptance proposes: the customer's, if a person
                "r2_signer": self._r2_crm_signer(case, public),
            }
        )
        # 409: the answer was refused (the quote is not open, a name is missing)
        return request.render(
            "r2_crm.portal_case_page", values, status=409 if error else 200
        )

    @staticmethod
    def _r2_crm_signer(case, public):
        partner = case.partner_id if public else request.env.user.partner_id
        return "" if partner.is_company else partner.name

    @http.route(
        ["/my/cases/<int:case_id>/quote/accept"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_r2_crm_quote_accept(
        self, case_id, access_token=None, name=None, signature=None, **kw
    ):
        """The customer accepts the quote with his name and drawn signature."""
        return self._r2_crm_quote_answer(
            case_id, access_token, "accept", name=name, signature=signature
        )

    @http.route(
        ["/my/cases/<int:case_id>/quote/reject"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_r2_crm_quote_reject(self, case_id, access_token=None, reason=None, **kw):
        """The customer rejects the quote, saying why if he likes."""
        return self._r2_crm_quote_answer(case_id, access_token, "reject", reason=reason)

    def _r2_crm_quote_answer(self, case_id, access_token, answer, **values):
        """Odoo checked the form's CSRF token; the case is the customer's (or
        the token its own), and only a quote sent to him is answered. A
        refusal changes nothing and shows the case with the reason."""
        case, refusal = self._r2_crm_case_or_refusal(case_id, access_token)
        if refusal:
            return refusal
        case = self._r2_crm_in_customer_language(case)
        public = request.env.user._is_public()
        author = case.partner_id if public else request.env.user.partner_id
        # each answer checks everything before it writes anything (a savepoint
        # would not do: printing the quote may commit Odoo's assets bundle),
        # and a failed print of the accepted quote does not undo the answer
        try:
            if answer == "accept":
                case._r2_crm_quote_accept(
                    values.get("signature"),
                    values.get("name"),
                    rules.ON_PORTAL,
                    author=author,
                )
            else:
                case._r2_crm_quote_reject(
                    values.get("reason"), rules.ON_PORTAL, author=author
                )
        except (UserError, ValidationError) as error:
            case.invalidate_cache()
            return self._r2_crm_case_page(case, access_token, error=error.name)
        query = {"quote": answer}
        if access_token:
            query["access_token"] = access_token
        return request.redirect("/my/cases/%s?%s" % (case.id, url_encode(query)))

    @http.route(
        ["/my/cases/<int:case_id>/quote"], type="http", auth="public", website=True
    )
    def portal_r2_crm_quote_pdf(self, case_id, access_token=None, **kw):
        """The quote's PDF, as it was sent (or accepted, with the signature)."""
        case, refusal = self._r2_crm_case_or_refusal(case_id, access_token)
        if refusal:
            return refusal
        if not case._r2_crm_quote_shown():
            return self._r2_crm_not_found()
        pdf = case._r2_crm_render_quote()
        return self._r2_crm_pdf_response(pdf, case._r2_crm_quote_filename())

    def _r2_crm_pdf_response(self, pdf, filename):
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition("%s.pdf" % filename)),
            ],
        )

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
        pdf = note.sudo()._r2_crm_render_protocol()
        return self._r2_crm_pdf_response(pdf, note._r2_crm_protocol_filename())
