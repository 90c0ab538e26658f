odoo.define('r2_crm.shortcuts', function (require) {
"use strict";

/**
 * R2faktury's keys in the web client, on r2_crm's own views only (their
 * arch names these views in js_class): F2 on a KONTAKTY note prints the
 * protocol that fits it (intake for the note that opened its case,
 * completion for the one that closed it); F4 opens the filters of the
 * KONTAKTY and KONTRAKTY/SPRAWY windows. The entry's form offers no Edit
 * on an entry of another department.
 */
var FormController = require('web.FormController');
var FormView = require('web.FormView');
var KanbanController = require('web.KanbanController');
var KanbanView = require('web.KanbanView');
var ListController = require('web.ListController');
var ListView = require('web.ListView');
var viewRegistry = require('web.view_registry');

var F2 = 113;
var F4 = 115;

var ShortcutsMixin = {
    start: function () {
        this._r2crmOnKeydown = this._r2crmOnKeydown.bind(this);
        $(document).on('keydown', this._r2crmOnKeydown);
        return this._super.apply(this, arguments);
    },
    destroy: function () {
        $(document).off('keydown', this._r2crmOnKeydown);
        this._super.apply(this, arguments);
    },
    _r2crmOnKeydown: function (ev) {
        if (!this.$el || !this.$el.is(':visible') || $('.modal:visible').length) {
            return;
        }
        if (ev.which === F4) {
            ev.preventDefault();
            this._r2crmOpenFilters();
        } else if (ev.which === F2 && this._r2crmPrintProtocol) {
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
};

var R2FormController = FormController.extend(ShortcutsMixin, {
    /**
     * An entry of another department opens read-only (its can_edit is false):
     * Edit is not offered on it, record by record.
     */
    _updateButtons: function () {
        this._super.apply(this, arguments);
        if (this.$buttons && this.modelName === 'r2.crm.contact') {
            var record = this.model.get(this.handle, {raw: true});
            var readOnly = !!(record && record.res_id && record.data.can_edit === false);
            this.$buttons.find('.o_form_button_edit').toggleClass('o_hidden', readOnly);
        }
    },
    _r2crmPrintProtocol: function () {
        if (this.modelName !== 'r2.crm.contact') {
            return;
        }
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
var R2ListController = ListController.extend(ShortcutsMixin);
var R2KanbanController = KanbanController.extend(ShortcutsMixin);

function withController(View, Controller) {
    return View.extend({
        config: _.extend({}, View.prototype.config, {Controller: Controller}),
    });
}

viewRegistry.add('r2_crm_form', withController(FormView, R2FormController));
viewRegistry.add('r2_crm_list', withController(ListView, R2ListController));
viewRegistry.add('r2_crm_kanban', withController(KanbanView, R2KanbanController));

return {ShortcutsMixin: ShortcutsMixin};

});
