odoo.define('r2_crm.activity_menu', function (require) {
"use strict";

/**
 * The activity (clock) menu of the navbar: its line for KONTAKTY tasks opens
 * r2_crm's task list of the user (today's, or all open ones), not the bare
 * kanban of subjects Odoo opens for any model. Other models are untouched.
 */
var ActivityMenu = require('mail.systray').ActivityMenu;

ActivityMenu.include({
    _onActivityFilterClick: function (event) {
        var data = _.extend({}, $(event.currentTarget).data(), $(event.target).data());
        if (data.res_model !== 'r2.crm.contact') {
            return this._super.apply(this, arguments);
        }
        this.do_action(data.filter === 'upcoming_all'
            ? 'r2_crm.r2_crm_contact_action_my_tasks'
            : 'r2_crm.r2_crm_contact_action_my_tasks_today');
    },
});

});
