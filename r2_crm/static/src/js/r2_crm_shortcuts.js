odoo.define('r2_crm.shortcuts', function (require) {
"use strict";

/**
 * R2faktury's keys in the web client: F2 on a KONTAKTY note prints the
 * protocol that fits it (intake for the note that opened its case,
 * completion for the one that closed it); F4 opens the filters of the
 * KONTAKTY and KONTRAKTY/SPRAWY windows.
 */
var AbstractController = require('web.AbstractController');
var FormController = require('web.FormController');

var F2 = 113;
var F4 = 115;
var MODELS = ['r2.crm.contact', 'r2.crm.case'];

AbstractController.include({
    start: function () {
        if (MODELS.indexOf(this.modelName) !== -1) {
            this._r2crmOnKeydown = this._r2crmOnKeydown.bind(this);
            $(document).on('keydown', this._r2crmOnKeydown);
        }
        return this._super.apply(this, arguments);
    },
    destroy: function () {
        if (this._r2crmOnKeydown) {
            $(document).off('keydown', this._r2crmOnKeydown);
        }
        this._super.apply(this, arguments);
    },
    _r2crmOnKeydown: function (ev) {
        if (!this.$el || !this.$el.is(':visible') || $('.modal:visible').length) {
            return;
        }
        if (ev.which === F4) {
            ev.preventDefault();
            this._r2crmOpenFilters();
        } else if (ev.which === F2 && this instanceof FormController &&
                   this.modelName === 'r2.crm.contact') {
            ev.preventDefault();
            this._r2crmPrintProtocol();
        }
    },
    _r2crmOpenFilters: function () {
        var $panel = $('.o_control_panel:visible');
        if (!$panel.find('.o_search_options').is(':visible')) {
            $panel.find('.o_searchview_more').click();
        }
        $panel.find('.o_search_options .dropdown-toggle:visible').first().click();
    },
    _r2crmPrintProtocol: function () {
        var self = this;
        var record = this.model.get(this.handle, {raw: true});
        if (!record || !record.res_id) {
            return;
        }
        return this._rpc({
            model: 'r2.crm.contact',
            method: 'action_print_protocol',
            args: [[record.res_id]],
        }).then(function (action) {
            return self.do_action(action);
        });
    },
});

});
