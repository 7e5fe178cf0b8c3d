/*
 * "Ajouter un commentaire": progressive enhancement of the comment form.
 *
 * Without this script the form posts to the comment service, which answers
 * with its own page (anti-spam code, errors, everything typed kept). With it:
 *   - a live character counter that counts exactly as the server does
 *     (CRLF -> LF, NFC, Unicode code points), announced politely to screen
 *     readers when typing pauses (after GOV.UK Frontend's character count);
 *   - the anti-spam image on the page, "Regénérer" and "Écouter";
 *   - sending with fetch, inline errors and an error summary that takes the
 *     focus; the text is kept on every error, and saved as a draft in the
 *     browser until the comment is accepted.
 */
(function () {
  "use strict";

  var ANNOUNCE_DELAY = 1000; // ms of pause before the count is announced
  var NEAR = 0.9; // warn from 90 % of the limit

  /* The server's counting rule: see comment_service/validation.py. */
  function countCharacters(text) {
    var normalised = text.replace(/\r\n?/g, "\n");
    if (normalised.normalize) normalised = normalised.normalize("NFC");
    return Array.from(normalised).length;
  }

  function plural(n, one, many) {
    return n + "\u00a0" + (n > 1 ? many : one);
  }

  function countMessage(used, max) {
    if (used > max) {
      return "Vous avez dépassé la limite de " + plural(used - max, "caractère", "caractères") +
        ". Nombre de caractères utilisés : " + used + " / " + max;
    }
    var message = "Nombre de caractères utilisés : " + used + " / " + max;
    if (used >= max * NEAR) {
      message += ". Il vous reste " + plural(max - used, "caractère", "caractères") + ".";
    }
    return message;
  }

  function CommentForm(form) {
    this.form = form;
    this.root = form.closest(".comment-form");
    this.max = parseInt(form.getAttribute("data-max-length"), 10) || 500;
    this.captchaUrl = form.getAttribute("data-captcha-url");
    this.draftKey = "commentaire-brouillon:" + form.getAttribute("data-thread");
    this.text = form.querySelector("#comment-text");
    this.count = form.querySelector("#comment-text-count");
    this.status = form.querySelector("#comment-text-status");
    this.hint = form.querySelector("#comment-text-hint");
    this.summary = this.root.querySelector("#comment-form-errors");
    this.success = this.root.querySelector("#comment-form-success");
    this.captcha = form.querySelector("#field-captcha");
    this.captchaImage = form.querySelector("#comment-captcha-image") || this.createCaptchaImage();
    this.captchaToken = form.querySelector("#comment-captcha-token");
    this.captchaAnswer = form.querySelector("#comment-captcha-answer");
    this.audioLink = form.querySelector("[data-captcha-audio]");
    this.submit = form.querySelector('button[type="submit"]');
    this.announceTimer = null;
    this.sending = false;
  }

  CommentForm.prototype.createCaptchaImage = function () {
    var image = document.createElement("img");
    image.className = "captcha__image";
    image.id = "comment-captcha-image";
    image.width = 280;
    image.height = 90;
    image.alt = "";
    var challenge = this.form.querySelector("[data-captcha-challenge]");
    challenge.insertBefore(image, challenge.firstChild);
    return image;
  };

  CommentForm.prototype.init = function () {
    var self = this;
    this.form.noValidate = true; // our own messages, in French, in one place
    var note = this.form.querySelector("[data-nojs-note]");
    if (note) note.hidden = true;

    // Counter: the static hint stays for screen readers' description; the
    // visible count replaces it on screen.
    this.hint.classList.add("visually-hidden");
    this.count.hidden = false;
    this.restoreDraft();
    this.updateCount(false);
    this.text.addEventListener("input", function () {
      self.updateCount(true);
      self.saveDraft();
    });

    this.captcha.hidden = false;
    this.captchaAnswer.required = true;
    // The challenge is drawn when the reader starts on the form, not on every
    // page view: readers sharing one address (a school, an office) would use
    // up the service's limit on new challenges just by reading articles.
    var started = false;
    function startCaptcha() {
      if (started) return;
      started = true;
      self.loadCaptcha(false);
    }
    this.form.addEventListener("focusin", startCaptcha);
    this.form.addEventListener("input", startCaptcha);
    if (this.text.value) startCaptcha(); // a draft was restored: the reader is back
    this.form.querySelector("[data-captcha-refresh]").addEventListener("click", function () {
      self.loadCaptcha(true);
    });
    this.audioLink.addEventListener("click", function (event) {
      if (!self.audioLink.getAttribute("href") || self.audioLink.getAttribute("href") === "#") {
        event.preventDefault();
      }
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.send();
    });
  };

  CommentForm.prototype.updateCount = function (announce) {
    var self = this;
    var used = countCharacters(this.text.value);
    var message = countMessage(used, this.max);
    this.count.textContent = message;
    this.count.classList.toggle("char-count--near", used >= this.max * NEAR && used <= this.max);
    this.count.classList.toggle("char-count--over", used > this.max);
    this.text.classList.toggle("input--error", used > this.max);
    if (announce) {
      clearTimeout(this.announceTimer);
      this.announceTimer = setTimeout(function () {
        self.status.textContent = message;
      }, ANNOUNCE_DELAY);
    }
    return used;
  };

  CommentForm.prototype.saveDraft = function () {
    try {
      if (this.text.value) window.localStorage.setItem(this.draftKey, this.text.value);
      else window.localStorage.removeItem(this.draftKey);
    } catch (e) { /* storage disabled: nothing to do */ }
  };

  CommentForm.prototype.restoreDraft = function () {
    try {
      var draft = window.localStorage.getItem(this.draftKey);
      if (draft && !this.text.value) this.text.value = draft;
    } catch (e) { /* storage disabled */ }
  };

  CommentForm.prototype.clearDraft = function () {
    try { window.localStorage.removeItem(this.draftKey); } catch (e) { /* ignore */ }
  };

  CommentForm.prototype.loadCaptcha = function (focusAnswer) {
    var self = this;
    this.captchaAnswer.value = "";
    return fetch(this.captchaUrl, {
      headers: { Accept: "application/json" },
      cache: "no-store",
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error("captcha " + response.status);
      return response.json();
    }).then(function (data) {
      self.captchaToken.value = data.token;
      self.captchaImage.src = data.image;
      self.captchaImage.alt = "Code anti-spam à recopier : 5 lettres ou chiffres déformés. " +
        "Si vous ne pouvez pas le lire, utilisez le bouton Écouter.";
      self.audioLink.href = data.audio;
      if (focusAnswer) self.captchaAnswer.focus();
    }).catch(function () {
      self.captchaImage.removeAttribute("src");
      self.captchaImage.alt = "Le code anti-spam n'a pas pu être chargé. Utilisez le bouton Regénérer.";
    });
  };

  CommentForm.prototype.fields = function () {
    return {
      name: this.form.elements.name.value,
      email: this.form.elements.email.value,
      text: this.text.value,
      website: this.form.elements.website.value,
      captcha_token: this.captchaToken.value,
      captcha_answer: this.captchaAnswer.value
    };
  };

  var FIELD_IDS = {
    name: "comment-name",
    email: "comment-email",
    text: "comment-text",
    captcha_answer: "comment-captcha-answer",
    captcha_token: "comment-captcha-answer",
    website: "comment-text"
  };

  CommentForm.prototype.clearErrors = function () {
    var errors = this.form.querySelectorAll(".field__error");
    for (var i = 0; i < errors.length; i++) {
      errors[i].hidden = true;
      errors[i].textContent = "";
    }
    var inputs = this.form.querySelectorAll("[aria-invalid]");
    for (var j = 0; j < inputs.length; j++) {
      inputs[j].removeAttribute("aria-invalid");
      this.describe(inputs[j], inputs[j].id + "-error", false);
    }
    this.summary.hidden = true;
  };

  CommentForm.prototype.describe = function (input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (on) ids.unshift(id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  };

  CommentForm.prototype.showErrors = function (message, errors) {
    var list = this.summary.querySelector(".error-summary__list");
    list.textContent = "";
    this.summary.querySelector(".error-summary__message").textContent = message || "";
    var seen = {};
    for (var field in errors) {
      if (!Object.prototype.hasOwnProperty.call(errors, field)) continue;
      var id = FIELD_IDS[field] || "comment-text";
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + id;
      link.textContent = errors[field];
      link.addEventListener("click", focusTarget(id));
      item.appendChild(link);
      list.appendChild(item);
      if (seen[id]) continue;
      seen[id] = true;
      var input = document.getElementById(id);
      var inline = document.getElementById(id + "-error");
      if (inline) {
        inline.textContent = errors[field];
        inline.hidden = false;
      }
      if (input) {
        input.setAttribute("aria-invalid", "true");
        this.describe(input, id + "-error", true);
      }
    }
    this.success.hidden = true;
    this.summary.hidden = false;
    this.summary.focus();
  };

  function focusTarget(id) {
    return function (event) {
      var input = document.getElementById(id);
      if (input) {
        event.preventDefault();
        input.focus();
      }
    };
  }

  CommentForm.prototype.validateLocally = function () {
    var errors = {};
    var f = this.fields();
    if (!f.name.trim()) errors.name = "Indiquez votre nom (un pseudonyme convient).";
    if (!f.text.trim()) errors.text = "Écrivez votre commentaire.";
    else if (this.updateCount(false) > this.max) {
      errors.text = "Votre commentaire dépasse " + this.max + " caractères : raccourcissez-le.";
    }
    if (!f.captcha_answer.trim()) errors.captcha_answer = "Recopiez le code anti-spam.";
    return errors;
  };

  CommentForm.prototype.send = function () {
    var self = this;
    if (this.sending) return;
    this.clearErrors();
    var local = this.validateLocally();
    if (Object.keys(local).length) {
      this.showErrors("Corrigez les points suivants :", local);
      return;
    }
    this.sending = true;
    this.submit.disabled = true;
    this.submit.setAttribute("aria-busy", "true");
    fetch(this.form.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(this.fields()),
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (result) {
      if (result.status === 202 || result.status === 201) {
        self.succeed(result.data);
        return;
      }
      var data = result.data || {};
      var errors = data.errors || {};
      if (!Object.keys(errors).length) {
        errors = { text: data.message || "Le service de commentaires a refusé l'envoi. Votre texte est conservé : réessayez plus tard." };
      }
      self.showErrors(data.message || "Corrigez les points suivants :", errors);
      // A challenge is single use: a refused attempt needs a new one.
      self.loadCaptcha(false);
    }).catch(function () {
      self.showErrors("", {
        text: "Le service de commentaires ne répond pas. Votre texte est conservé : réessayez dans quelques instants."
      });
    }).then(function () {
      self.sending = false;
      self.submit.disabled = false;
      self.submit.removeAttribute("aria-busy");
    });
  };

  CommentForm.prototype.succeed = function (data) {
    this.clearDraft();
    this.text.value = "";
    this.updateCount(false);
    this.status.textContent = "";
    this.success.textContent = (data && data.message) ||
      "Merci, votre commentaire a été envoyé ; il sera publié après modération.";
    this.success.hidden = false;
    this.success.focus();
    this.loadCaptcha(false);
  };

  function start() {
    if (!window.fetch || !Array.from) return; // very old browser: plain form
    var forms = document.querySelectorAll("form[data-comment-form]");
    for (var i = 0; i < forms.length; i++) new CommentForm(forms[i]).init();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  window.countCommentCharacters = countCharacters; // exposed for tests
})();
