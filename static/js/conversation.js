/* Agora: quoting and reactions on the topic page.
 *
 * Every control here is a plain form that works without this file: Quote opens
 * the reply form with the quote in it, Multi-quote and React post and come back
 * to the post. This script inserts quotes at the editor's cursor instead, lets
 * htmx swap the reaction bar and the multi-quote buttons in place (keeping the
 * keyboard focus), shows who reacted in a popover, and folds deep or long quotes.
 */
(function () {
  "use strict";

  var HX_HEADERS = { "HX-Request": "true" };

  function editor() {
    return document.querySelector("#reply textarea[name=body]");
  }

  // --- Quotes into the editor ---------------------------------------------------

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    var prefix = "";
    if (before && !/\n\n$/.test(before)) { prefix = /\n$/.test(before) ? "\n" : "\n\n"; }
    var suffix = after && !/^\n/.test(after) ? "\n" : "";
    var insert = prefix + text.replace(/\s+$/, "") + "\n\n" + suffix;
    textarea.setRangeText(insert, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
    textarea.scrollIntoView({ block: "center" });
  }

  function fetchText(url, options) {
    options = options || {};
    options.headers = HX_HEADERS;
    options.credentials = "same-origin";
    return fetch(url, options).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    });
  }

  function resetMultiquote() {
    var pressed = document.querySelectorAll(".multiquote-toggle button[aria-pressed=true]");
    for (var i = 0; i < pressed.length; i++) {
      pressed[i].setAttribute("aria-pressed", "false");
      pressed[i].classList.remove("is-selected");
      var mark = pressed[i].querySelector("[aria-hidden]");
      if (mark) { mark.textContent = "+"; }
    }
    var bar = document.getElementById("multiquote-bar");
    if (bar) { bar.hidden = true; }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var textarea = editor();
    if (!textarea) { return; }  // no editor on this page: the form opens the reply page
    if (form.matches("form.quote-action")) {
      event.preventDefault();
      var button = form.querySelector("button[name=quote]");
      fetchText(form.getAttribute("data-quote-text"))
        .then(function (text) { insertAtCursor(textarea, text); })
        .catch(function () {
          // Fall back to what the form does without this script: the reply page.
          window.location.assign(form.action + "?quote=" + encodeURIComponent(button.value));
        });
    } else if (form.matches("form.multiquote-bar")) {
      event.preventDefault();
      fetchText(form.action, { method: "POST", body: new FormData(form) })
        .then(function (text) {
          resetMultiquote();
          insertAtCursor(textarea, text);
        })
        .catch(function () { form.submit(); });
    }
  });

  // --- Keep the keyboard focus through htmx swaps --------------------------------

  var focusKey = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusKey = active && active.getAttribute ? active.getAttribute("data-focus-key") : null;
  });
  // After the swap, in the same task: no moment with the focus on <body>
  // (settling comes a little later).
  document.addEventListener("htmx:afterSwap", function () {
    if (!focusKey) { return; }
    var target = document.querySelector('[data-focus-key="' + focusKey + '"]');
    focusKey = null;
    if (target) { target.focus(); }
  });

  // --- Who reacted: a popover, or the page without this script ---------------------

  var openPopover = null;

  function closePopover(returnFocus) {
    if (!openPopover) { return; }
    var popover = openPopover.popover;
    var opener = openPopover.opener;
    popover.hidden = true;
    popover.innerHTML = "";
    openPopover = null;
    if (returnFocus && opener && document.contains(opener)) { opener.focus(); }
  }

  function loadPopover(popover, url, opener) {
    fetchText(url).then(function (html) {
      popover.innerHTML = html;
      popover.hidden = false;
      popover.setAttribute("role", "dialog");
      popover.setAttribute("tabindex", "-1");
      var title = popover.querySelector(".reactors__title");
      if (title && title.id) { popover.setAttribute("aria-labelledby", title.id); }
      openPopover = { popover: popover, opener: opener };
      if (window.Agora && window.Agora.refreshTimes) { window.Agora.refreshTimes(popover); }
      popover.focus();
    }).catch(function () { window.location.href = url; });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-reactors]");
    if (link) {
      event.preventDefault();
      var popover = document.getElementById("reactors-" + link.getAttribute("data-reactors"));
      if (!popover) { window.location.href = link.href; return; }
      var wasOpen = openPopover && openPopover.opener === link;
      closePopover(false);
      if (!wasOpen) { loadPopover(popover, link.href, link); }
      return;
    }
    if (!openPopover) { return; }
    var popoverEl = openPopover.popover;
    if (event.target.closest("[data-reactors-close]")) {
      closePopover(true);
    } else if (popoverEl.contains(event.target)) {
      var inner = event.target.closest(".reactors__tabs a, .pagination a");
      if (inner) {
        event.preventDefault();
        loadPopover(popoverEl, inner.href, openPopover.opener);
      }
    } else {
      closePopover(false);
    }
  });

  // Escape closes the popover, then an open reaction menu (agora.js closes menus).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && openPopover) { closePopover(true); }
  });

  // --- Deep and long quotes fold ----------------------------------------------------

  var LONG_QUOTE_PX = 360;
  var counter = 0;

  function addToggle(quote, body, label, collapsedClass) {
    counter += 1;
    if (!body.id) { body.id = "quote-body-" + counter; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "quote__toggle";
    button.textContent = label;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", body.id);
    button.addEventListener("click", function () {
      quote.classList.remove(collapsedClass);
      button.remove();
      body.setAttribute("tabindex", "-1");
      body.focus();
    });
    quote.classList.add(collapsedClass);
    return button;
  }

  function foldQuotes(root) {
    var labels = document.getElementById("conversation-labels");
    var showMore = labels ? labels.getAttribute("data-show-more") : "Show more";
    var expand = labels ? labels.getAttribute("data-expand") : "Expand";
    var quotes = root.querySelectorAll(".post__content blockquote.quote");
    for (var i = 0; i < quotes.length; i++) {
      var quote = quotes[i];
      var body = quote.querySelector(":scope > .quote__body");
      if (!body || quote.hasAttribute("data-folded")) { continue; }
      quote.setAttribute("data-folded", "");
      var depth = 0;
      for (var up = quote.parentElement; up; up = up.parentElement) {
        if (up.classList.contains("post__content")) { break; }
        if (up.matches("blockquote.quote")) { depth += 1; }
      }
      if (depth === 2) {
        // The third level and below: folded behind "Show more".
        quote.insertBefore(addToggle(quote, body, showMore, "is-collapsed"), body);
      } else if (depth === 0 && body.scrollHeight > LONG_QUOTE_PX) {
        quote.appendChild(addToggle(quote, body, expand, "is-clipped"));
      }
    }
  }

  function start() { foldQuotes(document); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
