/* Birth-place suggestions: every <input data-places-url list="…"> fills its <datalist> with the labels
 * GET /api/places?q=… returns (offline gazetteer), a moment after the client stops typing. */
(function () {
  "use strict";

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.dataset.placesUrl;
    var timer = null;
    var last = "";
    if (!list || !url) { return; }
    input.addEventListener("input", function () {
      var text = input.value.trim();
      clearTimeout(timer);
      if (text.length < 2 || text === last) { return; }
      timer = setTimeout(function () {
        last = text;
        fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { places: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.places || []).forEach(function (label) {
              var option = document.createElement("option");
              option.value = label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience: typing the city still works */ });
      }, 200);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-places-url][list]"), attach);
})();
