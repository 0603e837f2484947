// Listen to the reading: the browser's speech synthesis reads the unlocked text aloud, in French.
(function () {
  var button = document.getElementById("audio-toggle");
  var status = document.getElementById("audio-status");
  if (!button) return;
  if (!("speechSynthesis" in window)) {
    button.disabled = true;
    status.textContent = "Votre navigateur ne permet pas l'écoute de la lecture.";
    return;
  }
  function stop() {
    window.speechSynthesis.cancel();
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Écouter ma lecture";
  }
  button.addEventListener("click", function () {
    if (button.getAttribute("aria-pressed") === "true") { stop(); return; }
    var text = Array.prototype.map.call(document.querySelectorAll("[data-audio-text]"), function (node) {
      return node.innerText;
    }).join("\n\n");
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "fr-FR";
    utterance.rate = 0.95;
    utterance.onend = stop;
    window.speechSynthesis.speak(utterance);
    button.setAttribute("aria-pressed", "true");
    button.textContent = "Arrêter l'écoute";
    status.textContent = "Lecture audio en cours.";
  });
})();
