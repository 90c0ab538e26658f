odoo.define('r2_crm.pager', function (require) {
"use strict";

/**
 * The pager of a list whose matches the server counted up to its limit
 * (r2_crm/controllers/dataset.py): "1-80 / 10000+", as later Odoo versions
 * show it, instead of one more than the limit.
 */
var Pager = require('web.Pager');
var session = require('web.session');

Pager.include({
    _render: function () {
        this._super.apply(this, arguments);
        // counted up to the limit (one more), or past it on a page beyond
        // the limit (one more than the page's last record)
        var limit = session.r2_crm_pager_count_limit;
        var size = this.state.size;
        if (limit && (size === limit + 1 ||
                      (size > limit && size === this.state.current_max + 1))) {
            this.$limit.html((size - 1) + "+");
        }
    },
});

});
