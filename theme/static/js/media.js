// Third-party video cards (theme/templates/media/embed.html). Without this
// script a card is a link to the platform. With it, « Lancer la vidéo »
// appears, and only its click (mouse, Enter or Space) puts the platform's
// player in the page: nothing is requested from that platform before.
(function () {
  "use strict";
  function launch(card, button) {
    var frame = document.createElement("iframe");
    frame.src = button.getAttribute("data-player");
    frame.title = button.getAttribute("data-frame-title");
    frame.className = "media__iframe";
    frame.setAttribute("allow", "autoplay; fullscreen; picture-in-picture; encrypted-media");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    var holder = card.querySelector(".media__frame");
    holder.textContent = "";
    holder.appendChild(frame);
    button.remove();
    frame.focus();
  }
  var cards = document.querySelectorAll("[data-media-embed]");
  Array.prototype.forEach.call(cards, function (card) {
    var button = card.querySelector(".media__play");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { launch(card, button); });
  });
}());
