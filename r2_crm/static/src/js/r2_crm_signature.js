odoo.define('r2_crm.signature', function (require) {
"use strict";

/**
 * The customer's signature, drawn with finger or mouse on the jSignature pad
 * that Odoo ships (web/static/lib/jSignature, in the common assets through
 * portal). In edit mode the pad, a Clear button; read-only, the image.
 */
var AbstractField = require('web.AbstractField');
var core = require('web.core');
var field_registry = require('web.field_registry');
var field_utils = require('web.field_utils');
var session = require('web.session');
var utils = require('web.utils');

var _t = core._t;

var SignatureField = AbstractField.extend({
    className: 'o_field_r2_crm_signature',
    supportedFieldTypes: ['binary'],
    fieldDependencies: {__last_update: {type: 'datetime'}},
    events: _.extend({}, AbstractField.prototype.events, {
        'click .o_r2crm_sign_clear': '_onClear',
    }),

    /**
     * The pad's own strokes change the value: keep the pad, do not redraw.
     */
    reset: function (record, event) {
        this._reset(record, event);
        if (event && event.target === this) {
            return $.when();
        }
        return this._render() || $.when();
    },

    _imageUrl: function () {
        if (!this.value) {
            return null;
        }
        if (!utils.is_bin_size(this.value)) {
            return 'data:image/png;base64,' + this.value;
        }
        return session.url('/web/image', {
            model: this.model,
            id: JSON.stringify(this.res_id),
            field: this.name,
            unique: field_utils.format.datetime(this.recordData.__last_update)
                .replace(/[^0-9]/g, ''),
        });
    },
    _renderReadonly: function () {
        this.$el.empty();
        var url = this._imageUrl();
        if (url) {
            $('<img/>', {src: url, 'class': 'img img-responsive o_r2crm_signature'})
                .appendTo(this.$el);
        }
    },
    _renderEdit: function () {
        this.$el.empty();
        this.$pad = $('<div class="o_r2crm_sign_pad"/>').appendTo(this.$el);
        $('<button type="button" class="btn btn-default btn-sm o_r2crm_sign_clear"/>')
            .text(_t('Clear')).appendTo(this.$el);
        this._startPad(this.$pad, 50);
    },
    /**
     * jSignature measures its element and draws no canvas in a detached or
     * hidden one: wait until the dialog shows the pad (up to 5 s).
     */
    _startPad: function ($pad, tries) {
        var self = this;
        if ($pad !== this.$pad || this.isDestroyed()) {
            return;  // rendered again meanwhile: the new pad starts itself
        }
        if (!$.contains(document.body, $pad[0]) || !$pad.is(':visible')) {
            if (tries > 0) {
                setTimeout(function () { self._startPad($pad, tries - 1); }, 100);
            }
            return;
        }
        $pad.jSignature({
            'decor-color': 'transparent',  // no guide line in the image
            'color': '#000',
            'background-color': '#fff',
            'height': '180px',
            'width': '100%',
        });
        this.emptySign = $pad.jSignature('getData', 'image');
        $pad.on('change', function () {
            var data = $pad.jSignature('getData', 'image');
            if (data && data[1] !== self.emptySign[1]) {
                self._setValue(data[1]);
            }
        });
    },
    _onClear: function () {
        if (this.$pad && this.$pad.find('canvas').length) {
            this.$pad.jSignature('reset');
        }
        this._setValue(false);
    },
});

field_registry.add('r2_crm_signature', SignatureField);

return SignatureField;
});
