/* The Stripe payment page: mount the Payment Element for the intent the server created, confirm
 * it with Stripe.js, then go to the order page, which asks Stripe how the payment stands.
 * Nothing here decides that a payment succeeded: the server checks with Stripe itself. */
(function () {
  "use strict";
  var form = document.getElementById("stripe-payment");
  if (!form) return;
  var data = form.dataset;
  var button = form.querySelector("button[type=submit]");
  var message = document.getElementById("payment-message");
  var loading = form.querySelector("[data-loading]");

  function showError(text) {
    message.textContent = text || data.errorGeneric;
    message.hidden = false;
  }

  // Stripe.js did not load (blocked, offline) or is too old for the Payment Element.
  if (typeof window.Stripe !== "function") {
    if (loading) loading.hidden = true;
    showError(data.errorUnavailable);
    return;
  }
  var stripe = window.Stripe(data.publishableKey, { locale: data.locale || "de" });
  if (typeof stripe.confirmPayment !== "function") {
    if (loading) loading.hidden = true;
    showError(data.errorUnavailable);
    return;
  }

  var elements = stripe.elements({ clientSecret: data.clientSecret });
  var paymentElement = elements.create("payment", { layout: "tabs" });
  paymentElement.on("ready", function () {
    if (loading) loading.hidden = true;
    button.disabled = false;
  });
  paymentElement.on("loaderror", function () {
    if (loading) loading.hidden = true;
    showError(data.errorUnavailable);
  });
  paymentElement.mount("#payment-element");

  var busy = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return; // a double click must not confirm twice
    busy = true;
    button.disabled = true;
    message.hidden = true;
    stripe
      .confirmPayment({
        elements: elements,
        confirmParams: { return_url: data.returnUrl },
        // Cards finish here; methods that need the bank's page redirect there and come back
        // to the same return URL.
        redirect: "if_required",
      })
      .then(function (result) {
        if (result.error) {
          // Card and validation errors carry a message meant for the buyer, in their language.
          var kind = result.error.type;
          showError(kind === "card_error" || kind === "validation_error" ? result.error.message : "");
          busy = false;
          button.disabled = false;
          return;
        }
        window.location.assign(data.returnUrl);
      })
      .catch(function () {
        showError("");
        busy = false;
        button.disabled = false;
      });
  });
})();
