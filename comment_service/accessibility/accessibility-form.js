/*
 * The accessibility request form, enhanced (template.html). Without this
 * script the form posts to the comment service, whose own page asks for the
 * security code and keeps everything typed. With it, the form still posts
 * (no fetch: the service answers with its acknowledgement page), and:
 *   - a live character count, counted as the server counts (CRLF -> LF, NFC,
 *     code points), with the comment form's words, announced politely once
 *     typing pauses;
 *   - the security code on the page as soon as the reader starts on the form,
 *     with « Régénérer le code de sécurité » and « Écouter le code ».
 * Every sentence comes from the page (#a11y-form-config, the markup).
 */
(function () {
  "use strict";

  var ANNOUNCE_DELAY = 1000; // ms of pause before the count is announced

  function countCharacters(text) {
    var normalised = text.replace(/\r\n?/g, "\n");
    if (normalised.normalize) normalised = normalised.normalize("NFC");
    return Array.from(normalised).length;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function countMessage(texts, used, max) {
    function characters(n) {
      return n + "\u00a0" + (n > 1 ? texts.character[1] : texts.character[0]);
    }
    var message = format(texts.countUsed, { used: used, max: max });
    if (used > max) return format(texts.countOver, { n: characters(used - max) }) + " " + message;
    if (used >= max * texts.countNear) return message + ". " + format(texts.countLeft, { n: characters(max - used) });
    return message;
  }

  function start() {
    var block = document.getElementById("a11y-form-config");
    var form = document.querySelector("form[data-a11y-form]");
    if (!block || !form || !window.fetch || !Array.from) return;
    var config = JSON.parse(block.textContent);
    var max = parseInt(form.getAttribute("data-max-length"), 10);
    var text = form.querySelector("#a11y-text");
    var count = form.querySelector("#a11y-text-count");
    var fieldset = form.querySelector("#a11y-captcha");
    var challenge = form.querySelector("[data-captcha-challenge]");
    var token = form.querySelector("#a11y-captcha-token");
    var audio = form.querySelector("[data-captcha-audio]");
    var refresh = form.querySelector("[data-captcha-refresh]");
    var note = form.querySelector("[data-nojs-note]");
    var status = form.querySelector("#a11y-text-status");
    var started = false;
    var timer = null;

    /* The visible count follows each key; screen readers hear it once typing pauses. */
    function updateCount() {
      var used = countCharacters(text.value);
      count.textContent = countMessage(config.texts, used, max);
      count.classList.toggle("char-count--over", used > max);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { status.textContent = count.textContent; }, ANNOUNCE_DELAY);
    }

    function loadCaptcha() {
      return fetch(form.getAttribute("data-captcha-url"), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        }).then(function (data) {
          var image = form.querySelector("#a11y-captcha-image");
          if (!image) {
            image = document.createElement("img");
            image.className = "captcha__image";
            image.id = "a11y-captcha-image";
            image.width = 280;
            image.height = 90;
            image.alt = challenge.getAttribute("data-image-alt");
            challenge.insertBefore(image, challenge.firstChild);
          }
          image.src = data.image;
          audio.href = data.audio;
          token.value = data.token;
          fieldset.hidden = false;
          refresh.hidden = false;
          if (note) note.hidden = true;
        }).catch(function () { /* the service's page will ask for the code */ });
    }

    function begin() {
      if (started || !fieldset || token.value) return;
      started = true;
      loadCaptcha();
    }

    text.addEventListener("input", updateCount);
    form.addEventListener("focusin", begin);
    count.textContent = countMessage(config.texts, countCharacters(text.value), max);
    if (refresh) {
      refresh.addEventListener("click", function (event) {
        event.preventDefault();
        loadCaptcha().then(function () { form.querySelector("#a11y-captcha-answer").focus(); });
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
