/*
 * The comment form component, enhanced (template.html, comment-form.css).
 *
 * Without this script the form posts to the comment service, whose own page
 * (the same component) asks for the security code and keeps everything typed.
 * With it:
 *   - a live character count that counts exactly as the server does
 *     (CRLF -> LF, NFC, Unicode code points), announced politely to screen
 *     readers when typing pauses (after GOV.UK Frontend's character count);
 *   - the captcha on the page once the reader starts on the form (the image
 *     is added when a challenge has arrived: no empty box before), with
 *     "Régénérer le code de sécurité" and "Écouter le code";
 *   - sending with fetch and a random submission id kept until a success (a
 *     repeat after a lost answer returns the first answer, stores nothing);
 *     inline errors and an error summary that takes the focus; a refusal that
 *     is not about a field (429, 503...) is one alert, on no field; the text
 *     is kept on every error, and saved as a draft until it is accepted.
 *
 * Every sentence comes from the page: the JSON block #comment-form-config
 * (texts from comment_service/rules/messages.py, field ids) and the markup itself.
 */
(function () {
  "use strict";

  var ANNOUNCE_DELAY = 1000; // ms of pause before the count is announced

  /* The server's counting rule: see comment_service/rules/validation.py. */
  function countCharacters(text) {
    var normalised = text.replace(/\r\n?/g, "\n");
    if (normalised.normalize) normalised = normalised.normalize("NFC");
    return Array.from(normalised).length;
  }

  /* "{name}" placeholders, as Python's str.format fills them in messages.py. */
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  /* messages.count_message, with the same texts. */
  function countMessage(texts, used, max) {
    function characters(n) {
      return n + "\u00a0" + (n > 1 ? texts.character[1] : texts.character[0]);
    }
    var message = format(texts.countUsed, { used: used, max: max });
    if (used > max) return format(texts.countOver, { n: characters(used - max) }) + " " + message;
    if (used >= max * texts.countNear) {
      return message + ". " + format(texts.countLeft, { n: characters(max - used) });
    }
    return message;
  }

  /* 18 random bytes as 24 characters of [A-Za-z0-9_-] (contract: 16 to 64). */
  function newSubmissionId() {
    var bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_");
  }

  function CommentForm(form, config) {
    this.form = form;
    this.texts = config.texts;
    this.fieldIds = config.fieldIds;
    this.root = form.closest(".comment-form");
    this.max = parseInt(form.getAttribute("data-max-length"), 10);
    this.captchaUrl = form.getAttribute("data-captcha-url");
    this.draftKey = "commentaire-brouillon:" + form.getAttribute("data-thread");
    this.text = form.querySelector("#comment-text");
    this.count = form.querySelector("#comment-text-count");
    this.status = form.querySelector("#comment-text-status");
    this.hint = form.querySelector("#comment-text-hint");
    this.summary = this.root.querySelector("#comment-form-errors");
    this.notice = this.root.querySelector("#comment-form-status");
    this.captcha = form.querySelector("#field-captcha");
    this.challenge = form.querySelector("[data-captcha-challenge]");
    this.captchaToken = form.querySelector("#comment-captcha-token");
    this.captchaAnswer = form.querySelector("#comment-captcha-answer");
    this.audioLink = form.querySelector("[data-captcha-audio]");
    this.refresh = form.querySelector("[data-captcha-refresh]");
    this.submissionId = form.querySelector("#comment-submission-id");
    this.submit = form.querySelector('button[type="submit"]:not([name])');
    this.announceTimer = null;
    this.sending = false;
  }

  CommentForm.prototype.init = function () {
    var self = this;
    this.form.noValidate = true; // our own messages, in French, in one place
    var note = this.form.querySelector("[data-nojs-note]");
    if (note) note.hidden = true;
    this.renewSubmissionId();

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
    this.refresh.hidden = false;
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
    this.refresh.addEventListener("click", function (event) {
      event.preventDefault(); // the no-JavaScript page posts it; here, fetch a new code
      started = true;
      self.loadCaptcha(true);
    });
    this.audioLink.addEventListener("click", function (event) {
      if (self.audioLink.getAttribute("href") === "#") event.preventDefault();
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.send();
    });
  };

  CommentForm.prototype.renewSubmissionId = function () {
    this.submissionId.value = newSubmissionId();
    this.submissionId.disabled = false;
  };

  CommentForm.prototype.updateCount = function (announce) {
    var self = this;
    var used = countCharacters(this.text.value);
    var message = countMessage(this.texts, used, this.max);
    this.count.textContent = message;
    this.count.classList.toggle("char-count--near", used >= this.max * this.texts.countNear && used <= this.max);
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

  /* The image exists only once a challenge has arrived: no empty box. */
  CommentForm.prototype.showImage = function (src) {
    var image = this.form.querySelector("#comment-captcha-image");
    if (!image) {
      image = document.createElement("img");
      image.className = "captcha__image";
      image.id = "comment-captcha-image";
      image.width = 280;
      image.height = 90;
      image.alt = this.challenge.getAttribute("data-image-alt");
      this.challenge.insertBefore(image, this.challenge.firstChild);
    }
    image.src = src;
  };

  CommentForm.prototype.captchaFailed = function () {
    var image = this.form.querySelector("#comment-captcha-image");
    if (image) image.parentNode.removeChild(image);
    this.captchaToken.value = "";
    this.audioLink.setAttribute("href", "#");
    this.markField(this.fieldIds.captcha_answer, this.texts.captchaLoadFailed);
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
      self.showImage(data.image);
      self.audioLink.href = data.audio;
      if (focusAnswer) self.captchaAnswer.focus();
    }).catch(function () {
      self.captchaFailed();
    });
  };

  CommentForm.prototype.fields = function () {
    return {
      name: this.form.elements.name.value,
      email: this.form.elements.email.value,
      notify: this.form.elements.notify && this.form.elements.notify.checked ? "oui" : "",
      text: this.text.value,
      website: this.form.elements.website.value,
      captcha_token: this.captchaToken.value,
      captcha_answer: this.captchaAnswer.value,
      submission_id: this.submissionId.value
    };
  };

  CommentForm.prototype.clearErrors = function () {
    var errors = this.form.querySelectorAll(".field__error[id]");
    for (var i = 0; i < errors.length; i++) {
      errors[i].hidden = true;
      errors[i].textContent = "";
    }
    var invalid = this.form.querySelectorAll("[aria-invalid]");
    for (var j = 0; j < invalid.length; j++) {
      invalid[j].removeAttribute("aria-invalid");
      this.describe(invalid[j], invalid[j].id + "-error", false);
    }
    var groups = this.form.querySelectorAll(".field--error");
    for (var k = 0; k < groups.length; k++) groups[k].classList.remove("field--error");
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

  /* The error summary: one heading (the message), then one link per field error. */
  CommentForm.prototype.showSummary = function (message, errors) {
    var list = this.summary.querySelector(".error-summary__list");
    list.textContent = "";
    this.summary.querySelector(".error-summary__title").textContent = message;
    var seen = {};
    for (var field in errors) {
      if (!Object.prototype.hasOwnProperty.call(errors, field)) continue;
      var id = this.fieldIds[field];
      var item = document.createElement("li");
      if (id) {
        var link = document.createElement("a");
        link.href = "#" + id;
        link.textContent = errors[field];
        link.addEventListener("click", focusTarget(id));
        item.appendChild(link);
      } else {
        item.textContent = errors[field];
      }
      list.appendChild(item);
      if (id && !seen[id]) {
        seen[id] = true;
        this.markField(id, errors[field]);
      }
    }
    list.hidden = !list.firstChild;
    this.notice.hidden = true;
    this.summary.hidden = false;
    this.summary.focus();
  };

  CommentForm.prototype.markField = function (id, message) {
    var input = document.getElementById(id);
    var inline = document.getElementById(id + "-error");
    if (inline) {
      inline.textContent = "";
      var prefix = document.createElement("span");
      prefix.className = "visually-hidden";
      prefix.textContent = this.texts.errorPrefix;
      inline.appendChild(prefix);
      inline.appendChild(document.createTextNode(message));
      inline.hidden = false;
    }
    if (input) {
      input.setAttribute("aria-invalid", "true");
      this.describe(input, id + "-error", true);
      var group = input.closest(".field");
      if (group) group.classList.add("field--error");
    }
  };

  /* A refusal that is not about a field (429, 503, 403...): one alert. */
  CommentForm.prototype.showAlert = function (message) {
    this.clearErrors();
    this.showSummary(message, {});
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
    var used = this.updateCount(false);
    if (!f.name.trim()) errors.name = this.texts.nameMissing;
    if (!f.text.trim()) errors.text = this.texts.textMissing;
    else if (used > this.max) errors.text = format(this.texts.textTooLong, { max: this.max, count: used });
    if (!f.captcha_answer.trim()) errors.captcha_answer = this.texts.captchaEmpty;
    return errors;
  };

  CommentForm.prototype.send = function () {
    var self = this;
    if (this.sending) return;
    this.clearErrors();
    var local = this.validateLocally();
    if (Object.keys(local).length) {
      this.showSummary(this.texts.summary, local);
      return;
    }
    this.sending = true;
    this.submit.disabled = true;
    this.submit.setAttribute("aria-busy", "true");
    // getAttribute: form.action is the "Régénérer" button, named "action".
    fetch(this.form.getAttribute("action"), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(this.fields()),
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data || {} };
      });
    }).then(function (result) {
      if (result.status === 202 || result.status === 201) {
        self.succeed(result.data);
        return;
      }
      var errors = result.data.errors || {};
      if (Object.keys(errors).length) self.showSummary(result.data.message || self.texts.summary, errors);
      else self.showAlert(result.data.message || self.texts.refused);
      // A challenge is single use: a refused attempt needs a new one.
      self.loadCaptcha(false);
    }, function () {
      self.showAlert(self.texts.unreachable);
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
    this.renewSubmissionId(); // the next comment is a new submission
    this.notice.textContent = data.message || this.texts.success;
    this.notice.classList.add("comment-form__status--success");
    this.notice.hidden = false;
    this.notice.focus();
    this.loadCaptcha(false);
  };

  function start() {
    if (!window.fetch || !Array.from || !window.crypto || !window.crypto.getRandomValues) return;
    var block = document.getElementById("comment-form-config");
    var form = document.querySelector("form[data-comment-form]");
    if (!block || !form) return;
    new CommentForm(form, JSON.parse(block.textContent)).init();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  window.countCommentCharacters = countCharacters; // exposed for tests
})();
