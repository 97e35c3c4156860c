/* shop.js: small enhancements of the shop's pages. Every page works without it; with it,
 * forms on cached or static pages get the session's token, cart quantities change in
 * place, and a checkout button cannot be pressed twice. Loaded as a file (no inline
 * script), so the pages' Content-Security-Policy can forbid inline code. */
(function () {
  'use strict';
  document.documentElement.className += ' js';

  function say(text) {
    var live = document.querySelector('.live');
    if (!live) return;
    live.textContent = text;
    live.hidden = !text;
  }

  function postForm(form) {
    return fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json' },
      body: new URLSearchParams(new FormData(form))
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) throw new Error(data && data.error ? data.error.message : 'Something went wrong.');
        return data;
      });
    });
  }

  /* Forms on pages that are the same for everyone carry no token: ask for this
     browser's one (this also starts its session). */
  function fillTokens() {
    var forms = document.querySelectorAll('form[data-shop-token]');
    if (!forms.length) return;
    var url = forms[0].getAttribute('data-shop-token');
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (res) { return res.json(); })
      .then(function (data) {
        forms.forEach(function (form) {
          var input = form.querySelector('input[name=csrf]');
          if (input && data.csrf) input.value = data.csrf;
          form.setAttribute('data-shop-ready', '');
        });
      })
      .catch(function () { say('The shop cannot be reached right now.'); });
  }

  function showCart(cart) {
    function set(selector, text) {
      var el = document.querySelector(selector);
      if (el) el.textContent = text;
    }
    set('.cart-items', String(cart.items));
    set('.cart-subtotal', cart.subtotal_text);
    set('.cart-shipping', cart.free_shipping ? 'Free' : cart.shipping_text);
    set('.cart-total', cart.total_text);
    var shown = {};
    cart.lines.forEach(function (line) {
      shown[line.product_id] = true;
      var row = document.querySelector('tr[data-product="' + CSS.escape(line.product_id) + '"]');
      if (!row) return;
      row.querySelector('.line-total').textContent = line.line_total_text;
      row.querySelector('input.qty').value = line.quantity;
    });
    document.querySelectorAll('tr[data-product]').forEach(function (row) {
      if (!shown[row.getAttribute('data-product')]) row.remove();
    });
    if (cart.empty) window.location.reload();
  }

  /* Cart lines: a changed quantity or a removal is sent at once and the totals follow. */
  function enhanceCart() {
    document.querySelectorAll('form[data-shop=update]').forEach(function (form) {
      var input = form.querySelector('input.qty');
      input.addEventListener('change', function () {
        if (!input.checkValidity()) { say('Please enter a quantity from 0 to 99.'); return; }
        postForm(form).then(function (data) { say(''); showCart(data.cart); })
          .catch(function (e) { say(e.message); });
      });
      form.addEventListener('submit', function (ev) { ev.preventDefault(); input.dispatchEvent(new Event('change')); });
    });
    document.querySelectorAll('form[data-shop=remove]').forEach(function (form) {
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        postForm(form).then(function (data) { say('Removed.'); showCart(data.cart); })
          .catch(function (e) { say(e.message); });
      });
    });
  }

  /* Checkout: one press of the button is enough (the server also ignores a repeat). */
  function guardCheckout() {
    var form = document.querySelector('form[data-shop=checkout]');
    if (!form) return;
    form.addEventListener('submit', function () {
      var button = form.querySelector('button[type=submit]');
      setTimeout(function () { button.disabled = true; button.textContent = 'Placing your order…'; }, 0);
    });
  }

  fillTokens();
  enhanceCart();
  guardCheckout();
}());
