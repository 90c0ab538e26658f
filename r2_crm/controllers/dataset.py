"""The lists of KONTAKTY and cases count their matches up to a limit.

Odoo 11's list asks /web/dataset/search_read for a page and, when the page is
full, counts every match for the pager: at ten years of entries the count
takes longer than the page (bench/run_bench.py, SCALE=huge). Later Odoo
versions stop counting at a limit and show "1-80 / 10000+"; so does this
(static/src/js/r2_crm_pager.js shows the "+")."""

from odoo.http import request

from odoo.addons.web.controllers.main import DataSet

CAPPED_MODELS = ("r2.crm.contact", "r2.crm.case")


def count_up_to(model, domain, limit):
    """The number of records of ``model`` the user may read that match
    ``domain``, counted up to ``limit``: one query, with the record rules."""
    model.check_access_rights("read")
    query = model._where_calc(domain or [])
    model._apply_ir_rules(query, "read")
    from_clause, where_clause, params = query.get_sql()
    where = " WHERE %s" % where_clause if where_clause else ""
    model.env.cr.execute(
        "SELECT count(*) FROM (SELECT 1 FROM %s%s LIMIT %%s) page"
        % (from_clause, where),
        params + [limit],
    )
    return model.env.cr.fetchone()[0]


class R2CrmDataSet(DataSet):
    def do_search_read(
        self, model, fields=False, offset=0, limit=False, domain=None, sort=None
    ):
        Model = request.env[model]
        count_limit = (
            model in CAPPED_MODELS
            and request.env["ir.config_parameter"]._r2_crm_pager_count_limit()
        )
        if not count_limit:
            return super(R2CrmDataSet, self).do_search_read(
                model, fields, offset, limit, domain, sort
            )
        records = Model.search_read(
            domain,
            fields,
            offset=offset or 0,
            limit=limit or False,
            order=sort or False,
        )
        if limit and len(records) == limit:
            # one more than the limit: the pager shows "<limit>+"
            length = count_up_to(
                Model, domain, max(count_limit, (offset or 0) + limit) + 1
            )
        else:
            length = len(records) + (offset or 0) if records else 0
        return {"length": length, "records": records}
