// The order panel polls while a generation runs. htmx swaps nothing when a poll fails (server error,
// network down): without this the page would freeze silently on stale information.
(function () {
  function pollFailed(event) {
    var panel = event.detail && event.detail.elt;
    if (!panel || panel.id !== "order-panel") return;
    var note = document.getElementById("poll-error");
    if (note) note.hidden = false;
  }
  document.addEventListener("htmx:responseError", pollFailed);
  document.addEventListener("htmx:sendError", pollFailed);
})();
