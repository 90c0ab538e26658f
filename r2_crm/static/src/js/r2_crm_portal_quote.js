odoo.define('r2_crm.portal_quote', function (require) {
"use strict";

/**
 * The customer accepts a repair quote on the portal: he draws his signature
 * on the jSignature pad (web.assets_common ships it) and types his name; the
 * form posts both (controllers/portal.py). An empty pad or name is shown,
 * not sent.
 */
require('web.dom_ready');

$('.o_r2crm_quote_accept').each(function () {
    var $form = $(this);
    var $pad = $form.find('.o_r2crm_quote_pad');
    $pad.jSignature({
        'decor-color': '#D1D0CE',
        'color': '#000',
        'background-color': '#fff',
        'height': '150px',
    });
    var empty = $pad.jSignature('getData', 'image')[1];

    $form.find('.o_r2crm_quote_clear').on('click', function () {
        $pad.jSignature('reset');
    });
    $form.on('submit', function (ev) {
        var data = $pad.jSignature('getData', 'image');
        var blank = !data || data[1] === empty;
        var name = $.trim($form.find('input[name="name"]').val());
        $form.find('.o_r2crm_quote_sign').toggleClass('has-error', blank);
        $form.find('.o_r2crm_quote_name').toggleClass('has-error', !name);
        if (blank || !name) {
            ev.preventDefault();
            return;
        }
        $form.find('input[name="signature"]').val(data[1]);
        $form.find('button[type="submit"]').attr('disabled', true);
    });
});

});
