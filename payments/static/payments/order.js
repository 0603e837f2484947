/* Lumira order page: create the order, set the card up with Stripe.js, let the server confirm the payment.
 *
 * The flow works with Stripe and with localstripe (SPEC §10):
 *   1. POST create-payment-intent → the pending order, its PaymentIntent and a SetupIntent;
 *   2. stripe.confirmCardSetup(setupClientSecret, card element) → a payment method;
 *   3. POST confirm-payment → the server pays the order's PaymentIntent with it;
 *   4. requires_action (3-D Secure) → stripe.confirmCardPayment(clientSecret);
 *   5. the confirmation page follows the order until the webhook marks it paid.
 * After a refusal the order stays pending: the client types another card and a fresh SetupIntent is used.
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
    card_declined: "Votre carte a été refusée. Aucun montant n'a été débité : essayez avec une autre carte.",
    insufficient_funds: "Votre carte a été refusée (provision insuffisante). Essayez avec une autre carte.",
    expired_card: "Votre carte a expiré. Essayez avec une autre carte.",
    incorrect_cvc: "Le code de sécurité (CVC) de la carte est incorrect.",
    incorrect_number: "Le numéro de carte est incorrect.",
    invalid_number: "Le numéro de carte est incorrect.",
    incomplete_number: "Le numéro de carte est incomplet.",
    invalid_expiry_year: "La date d'expiration de la carte n'est pas valide.",
    incomplete_expiry: "La date d'expiration de la carte est incomplète.",
    incomplete_cvc: "Le code de sécurité (CVC) est incomplet.",
    processing_error: "Une erreur est survenue pendant le traitement de la carte. Réessayez dans un instant.",
    payment_intent_authentication_failure: "L'authentification de la carte (3-D Secure) a échoué. Réessayez ou utilisez une autre carte.",
    setup_intent_authentication_failure: "L'authentification de la carte (3-D Secure) a échoué. Réessayez ou utilisez une autre carte."
  };
  var CARD_CHECK = "Vérifiez les informations de la carte (numéro, date d'expiration, code de sécurité).";
  var UNEXPECTED = "Une erreur inattendue est survenue. Réessayez dans un instant ; aucun montant n'a été débité.";
  // Field names of the API → the element that shows their error.
  var ERROR_SLOTS = {
    level: "offer", service: "offer", expertId: "expertId", email: "email", name: "name", phone: "phone",
    birthDate: "birthDate", birthTime: "birthTime", birthTimeUnknown: "birthTime", birthPlace: "birthPlace",
    question: "question", objective: "objective", withdrawalWaiver: "withdrawalWaiver"
  };
  // Error slot → the control the error summary links to, and its label there.
  var FIELD_TARGETS = {
    offer: { id: "offer-picker", label: "Votre lecture" },
    expertId: { id: "expert", label: "Expert" },
    name: { id: "name", label: "Nom complet" },
    email: { id: "email", label: "Adresse e-mail" },
    phone: { id: "phone", label: "Téléphone" },
    birthDate: { id: "birthDate", label: "Date de naissance" },
    birthTime: { id: "birthTime", label: "Heure de naissance" },
    birthPlace: { id: "birthPlace", label: "Lieu de naissance" },
    question: { id: "question", label: "Votre question" },
    objective: { id: "objective", label: "Votre objectif" },
    withdrawalWaiver: { id: "withdrawal-waiver", label: "Livraison avant la fin du délai de rétractation" }
  };
  var ORDER_FIELDS = "input[name=offer], #expert, #name, #email, #phone, #birthDate, #birthTime, #birthTimeUnknown, " +
    "#birthPlace, #question, #objective, #withdrawal-waiver";

  var stripe = window.Stripe(config.publishableKey, { locale: "fr" });
  var elements = stripe.elements({ locale: "fr" });
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
    var hours = offer && /livrée sous (\d+) h/.exec(offer.dataset.details);
    if (promise) { promise.textContent = hours ? "Livraison promise sous " + hours[1] + " h après le paiement." : ""; }
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
    title.textContent = "Certains champs sont à corriger :";
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
    if (!selectedOffer()) { missing.level = ["Choisissez une lecture."]; }
    if (!body.birthDate) { missing.birthDate = ["Indiquez votre date de naissance."]; }
    if (!body.birthTime && !body.birthTimeUnknown) {
      missing.birthTime = ["Indiquez l'heure de naissance ou cochez « Je ne connais pas l'heure »."];
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
    payButton.textContent = "Payer avec cette carte";
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
    showFormError(message + " Saisissez une autre carte puis cliquez à nouveau sur « Payer avec cette carte ».");
  }

  async function pay() {
    if (state.orderId && JSON.stringify(orderBody()) !== state.orderBody) {
      // Details changed after a refusal: that pending order is left to expire, a new one is made.
      state.orderId = null;
      state.needsNewSetup = false;
    }
    if (!state.orderId) {
      setBusy(true, "Création de votre commande…");
      if (!(await createOrder())) { return; }
    } else if (state.needsNewSetup) {
      setBusy(true, "Préparation d'un nouvel essai…");
      if (!(await renewSetup())) { return; }
    }

    setBusy(true, "Vérification de la carte…");
    var setup = await stripe.confirmCardSetup(state.setupClientSecret, {
      payment_method: { card: card, billing_details: { name: document.getElementById("name").value.trim() } }
    });
    if (setup.error) {
      refused(cardErrorMessage(setup.error));
      return;
    }

    setBusy(true, "Paiement en cours…");
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
      setBusy(true, "Authentification auprès de votre banque…");
      var action = await stripe.confirmCardPayment(result.data.clientSecret);
      if (action.error) {
        refused(cardErrorMessage(action.error));
        return;
      }
    }
    setBusy(true, "Paiement accepté, redirection…");
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
      if (formStatus.textContent !== "Paiement accepté, redirection…") {
        setBusy(false);
        setOrderFieldsDisabled(false);
      }
    });
    // pay() has read the fields before its first await; they stay locked until it ends.
    setOrderFieldsDisabled(true);
  });

  updateTotal();
})();
