/* Lumira order page: create the order, set the card up with Stripe.js, let the server confirm the payment.
 *
 * The flow works with Stripe and with localstripe (SPEC §10):
 *   1. POST create-payment-intent → the pending order, its PaymentIntent and a SetupIntent;
 *   2. stripe.confirmCardSetup(setupClientSecret, card element) → a payment method;
 *   3. POST confirm-payment → the server pays the order's PaymentIntent with it;
 *   4. requires_action (3-D Secure) → stripe.confirmCardPayment(clientSecret);
 *   5. the confirmation page follows the order until the webhook marks it paid.
 * After a refusal the order stays pending: the client types another card and a fresh SetupIntent is used.
 * Its texts come from Django's JavaScript catalogue (gettext, interpolate: the page loads /jsi18n/ first),
 * French unless the visitor chose English; the French is in locale/fr/LC_MESSAGES/djangojs.po.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("payments-config").textContent);
  var form = document.getElementById("order-form");
  var payButton = document.getElementById("pay-button");
  var formError = document.getElementById("form-error");
  var formStatus = document.getElementById("form-status");
  var total = document.getElementById("total");

  var CARD_MESSAGES = {
    card_declined: gettext("Your card was declined. No amount was charged: try another card."),
    insufficient_funds: gettext("Your card was declined (insufficient funds). Try another card."),
    expired_card: gettext("Your card has expired. Try another card."),
    incorrect_cvc: gettext("The card's security code (CVC) is incorrect."),
    incorrect_number: gettext("The card number is incorrect."),
    invalid_number: gettext("The card number is incorrect."),
    incomplete_number: gettext("The card number is incomplete."),
    invalid_expiry_year: gettext("The card's expiry date is not valid."),
    incomplete_expiry: gettext("The card's expiry date is incomplete."),
    incomplete_cvc: gettext("The security code (CVC) is incomplete."),
    processing_error: gettext("An error occurred while processing the card. Try again in a moment."),
    payment_intent_authentication_failure: gettext("The card's authentication (3-D Secure) failed. Try again or use another card."),
    setup_intent_authentication_failure: gettext("The card's authentication (3-D Secure) failed. Try again or use another card.")
  };
  var CARD_CHECK = gettext("Check the card's details (number, expiry date, security code).");
  var UNEXPECTED = gettext("An unexpected error occurred. Try again in a moment; no amount was charged.");
  // Field names of the API → the element that shows their error.
  var ERROR_SLOTS = {
    level: "offer", service: "offer", expertId: "expertId", email: "email", name: "name", phone: "phone",
    birthDate: "birthDate", birthTime: "birthTime", birthTimeUnknown: "birthTime", birthPlace: "birthPlace",
    question: "question", objective: "objective", withdrawalWaiver: "withdrawalWaiver"
  };
  // Error slot → the control the error summary links to, and its label there.
  var FIELD_TARGETS = {
    offer: { id: "offer-picker", label: gettext("Your reading") },
    expertId: { id: "expert", label: gettext("Expert") },
    name: { id: "name", label: gettext("Full name") },
    email: { id: "email", label: gettext("E-mail address") },
    phone: { id: "phone", label: gettext("Phone") },
    birthDate: { id: "birthDate", label: gettext("Date of birth") },
    birthTime: { id: "birthTime", label: gettext("Time of birth") },
    birthPlace: { id: "birthPlace", label: gettext("Place of birth") },
    question: { id: "question", label: gettext("Your question") },
    objective: { id: "objective", label: gettext("Your objective") },
    withdrawalWaiver: { id: "withdrawal-waiver", label: gettext("Delivery before the end of the withdrawal period") }
  };
  var ORDER_FIELDS = "input[name=offer], #expert, #name, #email, #phone, #birthDate, #birthTime, #birthTimeUnknown, " +
    "#birthPlace, #question, #objective, #withdrawal-waiver";

  // Stripe's own texts (the card field) in the page's language: French unless the visitor chose English.
  var locale = document.documentElement.lang === "en" ? "en" : "fr";
  var stripe = window.Stripe(config.publishableKey, { locale: locale });
  var elements = stripe.elements({ locale: locale });
  var card = elements.create("card", { hidePostalCode: true });
  card.mount("#card-element");

  // Once the order exists, retries pay the same order (orderId is kept) as long as the client leaves the
  // order's details as they were (orderBody); changed details after a refusal start a new order.
  var state = { orderId: null, orderBody: null, setupClientSecret: null, needsNewSetup: false, busy: false };

  function selectedOffer() {
    return form.querySelector("input[name=offer]:checked");
  }

  function updateTotal() {
    var offer = selectedOffer();
    total.textContent = offer ? offer.dataset.price : "—";
    var chosen = document.getElementById("chosen-offer");
    if (offer && chosen) {
      document.getElementById("chosen-name").textContent = offer.dataset.name;
      document.getElementById("chosen-price").textContent = offer.dataset.price;
      document.getElementById("chosen-details").textContent = offer.dataset.details;
      chosen.hidden = false;
    }
    var promise = document.getElementById("delivery-promise");
    var hours = offer && offer.dataset.hours;
    if (promise) {
      promise.textContent = hours ? interpolate(gettext("Delivery promised within %(hours)s h of payment."), { hours: hours }, true) : "";
    }
  }

  function setBusy(busy, message) {
    state.busy = busy;
    payButton.disabled = busy;
    payButton.setAttribute("aria-busy", busy ? "true" : "false");
    formStatus.textContent = message || "";
  }

  function showFormError(message) {
    formError.textContent = message;
    formError.hidden = !message;
    if (message) { formError.scrollIntoView({ block: "center" }); }
  }

  // The error summary: one link per field in error, each moving the focus to that field.
  function showErrorSummary(errors) {
    formError.textContent = "";
    var title = document.createElement("p");
    title.className = "error-summary-title";
    title.textContent = gettext("Some fields need correcting:");
    var list = document.createElement("ul");
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + error.target.id;
      link.textContent = error.target.label + " : " + error.message;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        focusField(error.target.id);
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    formError.appendChild(title);
    formError.appendChild(list);
    formError.hidden = false;
    formError.focus();
  }

  function focusField(id) {
    var element = document.getElementById(id);
    if (!element) { return; }
    if (element.tagName === "DETAILS") {
      element.open = true;
      element = element.querySelector("input[name=offer]") || element.querySelector("summary");
    }
    element.focus();
    element.scrollIntoView({ block: "center" });
  }

  function clearErrors() {
    showFormError("");
    Array.prototype.forEach.call(form.querySelectorAll(".error"), function (slot) { slot.textContent = ""; });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (input) {
      input.removeAttribute("aria-invalid");
    });
  }

  function slotOf(target) {
    return Object.keys(FIELD_TARGETS).filter(function (slot) { return FIELD_TARGETS[slot] === target; })[0];
  }

  function showFieldErrors(fields) {
    var summary = [];
    var other = [];
    Object.keys(fields).forEach(function (name) {
      var slotName = ERROR_SLOTS[name];
      var slot = slotName && document.getElementById("error-" + slotName);
      var messages = [].concat(fields[name]).join(" ");
      if (slot) {
        slot.textContent = messages;
        var target = FIELD_TARGETS[slotName];
        var input = document.getElementById(target.id);
        if (input && input.tagName !== "DETAILS") { input.setAttribute("aria-invalid", "true"); }
        if (slotName === "offer") { document.getElementById("offer-picker").open = true; }
        summary.push({ target: target, message: messages });
      } else {
        other.push(messages);
      }
    });
    // In the order of the form, whatever the order of the API's answer.
    var order = Object.keys(FIELD_TARGETS);
    summary.sort(function (a, b) {
      return order.indexOf(slotOf(a.target)) - order.indexOf(slotOf(b.target));
    });
    if (summary.length) { showErrorSummary(summary); } else if (other.length) { showFormError(other.join(" ")); }
  }

  function cardErrorMessage(error) {
    if (!error) { return UNEXPECTED; }
    return CARD_MESSAGES[error.decline_code] || CARD_MESSAGES[error.code] ||
      (error.type === "validation_error" && error.message) || CARD_CHECK;
  }

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function apiErrorMessage(result) {
    return (result.data && result.data.error && result.data.error.message) || UNEXPECTED;
  }

  // While a payment runs the order's details cannot change; after a refusal they are editable again.
  function setOrderFieldsDisabled(disabled) {
    Array.prototype.forEach.call(form.querySelectorAll(ORDER_FIELDS), function (input) { input.disabled = disabled; });
  }

  function orderBody() {
    var offer = selectedOffer();
    var expert = document.getElementById("expert").value;
    var timeUnknown = document.getElementById("birthTimeUnknown").checked;
    return {
      level: offer ? offer.dataset.level : "",
      service: offer ? offer.dataset.service : "",
      expertId: expert ? Number(expert) : null,
      name: document.getElementById("name").value.trim(),
      email: document.getElementById("email").value.trim(),
      phone: document.getElementById("phone").value.trim(),
      birthDate: document.getElementById("birthDate").value || null,
      birthTime: timeUnknown ? null : (document.getElementById("birthTime").value || null),
      birthTimeUnknown: timeUnknown,
      birthPlace: document.getElementById("birthPlace").value.trim(),
      question: document.getElementById("question").value.trim(),
      objective: document.getElementById("objective").value.trim(),
      withdrawalWaiver: document.getElementById("withdrawal-waiver").checked
    };
  }

  async function createOrder() {
    var body = orderBody();
    // The page asks for the birth date and a time (or "unknown"); the API itself leaves them optional.
    var missing = {};
    if (!selectedOffer()) { missing.level = [gettext("Choose a reading.")]; }
    if (!body.birthDate) { missing.birthDate = [gettext("Give your date of birth.")]; }
    if (!body.birthTime && !body.birthTimeUnknown) {
      missing.birthTime = [gettext("Give the time of birth or tick \u201cI do not know the time\u201d.")];
    }
    if (Object.keys(missing).length) {
      showFieldErrors(missing);
      return false;
    }
    var result = await postJSON(config.createUrl, body);
    if (result.status !== 201) {
      var fields = result.data && result.data.error && result.data.error.fields;
      if (fields) { showFieldErrors(fields); } else { showFormError(apiErrorMessage(result)); }
      return false;
    }
    state.orderId = result.data.orderId;
    state.orderBody = JSON.stringify(body);
    state.setupClientSecret = result.data.setupClientSecret;
    payButton.textContent = gettext("Pay with this card");
    return true;
  }

  async function renewSetup() {
    var result = await postJSON(config.setupUrl, { orderId: state.orderId });
    if (result.status !== 201) {
      showFormError(apiErrorMessage(result));
      return false;
    }
    state.setupClientSecret = result.data.setupClientSecret;
    state.needsNewSetup = false;
    return true;
  }

  function refused(message) {
    // The order stays pending; the next attempt needs a new SetupIntent (a used one cannot be confirmed again).
    state.needsNewSetup = true;
    showFormError(message + " " + gettext("Type another card then click \u201cPay with this card\u201d again."));
  }

  async function pay() {
    if (state.orderId && JSON.stringify(orderBody()) !== state.orderBody) {
      // Details changed after a refusal: that pending order is left to expire, a new one is made.
      state.orderId = null;
      state.needsNewSetup = false;
    }
    if (!state.orderId) {
      setBusy(true, gettext("Creating your order…"));
      if (!(await createOrder())) { return; }
    } else if (state.needsNewSetup) {
      setBusy(true, gettext("Preparing a new try…"));
      if (!(await renewSetup())) { return; }
    }

    setBusy(true, gettext("Checking the card…"));
    var setup = await stripe.confirmCardSetup(state.setupClientSecret, {
      payment_method: { card: card, billing_details: { name: document.getElementById("name").value.trim() } }
    });
    if (setup.error) {
      refused(cardErrorMessage(setup.error));
      return;
    }

    setBusy(true, gettext("Payment under way…"));
    var result = await postJSON(config.confirmUrl, { orderId: state.orderId, setupIntentId: setup.setupIntent.id });
    if (result.status === 402) {
      refused(apiErrorMessage(result));
      return;
    }
    if (result.status !== 200) {
      showFormError(apiErrorMessage(result));
      state.needsNewSetup = true;
      return;
    }
    if (result.data.status === "requires_action") {
      setBusy(true, gettext("Authenticating with your bank…"));
      var action = await stripe.confirmCardPayment(result.data.clientSecret);
      if (action.error) {
        refused(cardErrorMessage(action.error));
        return;
      }
    }
    setBusy(true, gettext("Payment accepted, redirecting…"));
    window.location.assign(result.data.redirectUrl);
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "offer") { updateTotal(); }
    if (event.target.id === "birthTimeUnknown") { document.getElementById("birthTime").disabled = event.target.checked; }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (state.busy) { return; }
    clearErrors();
    pay().catch(function () {
      showFormError(UNEXPECTED);
    }).finally(function () {
      if (formStatus.textContent !== gettext("Payment accepted, redirecting…")) {
        setBusy(false);
        setOrderFieldsDisabled(false);
      }
    });
    // pay() has read the fields before its first await; they stay locked until it ends.
    setOrderFieldsDisabled(true);
  });

  updateTotal();
})();
