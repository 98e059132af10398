/* Agora: @mention suggestions in the post editor. Without this file, typing
   @name still mentions the member; this only suggests names as you type. */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="agora-mention-url"]');
  if (!meta || !window.fetch) { return; }
  var url = meta.getAttribute("content");
  var TRIGGER = /(^|[^\w@\/.\\])@([\w.+-]{1,30})$/;
  var counter = 0;

  function attach(textarea) {
    var id = "mention-suggestions-" + (++counter);
    var list = document.createElement("ul");
    list.className = "mention-suggestions";
    list.id = id;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", textarea.getAttribute("data-mention-label") || "Members");
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", id);
    textarea.setAttribute("aria-expanded", "false");

    var active = -1;
    var names = [];
    var timer = null;
    var asked = "";
    var controller = null;

    function close() {
      list.hidden = true;
      list.textContent = "";
      names = [];
      active = -1;
      textarea.setAttribute("aria-expanded", "false");
      textarea.removeAttribute("aria-activedescendant");
    }

    function query() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var found = TRIGGER.exec(before);
      return found && textarea.selectionStart === textarea.selectionEnd ? found[2] : null;
    }

    function highlight(index) {
      var items = list.children;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && items[index]) {
        textarea.setAttribute("aria-activedescendant", items[index].id);
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var name = names[index];
      var prefix = query();
      if (!name || prefix === null) { close(); return; }
      var caret = textarea.selectionStart;
      var start = caret - prefix.length;
      var after = textarea.value.slice(caret);
      var insert = name + (after.charAt(0) === " " ? "" : " ");
      textarea.value = textarea.value.slice(0, start) + insert + after;
      var position = start + insert.length;
      textarea.setSelectionRange(position, position);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      close();
      textarea.focus();
    }

    function show(members) {
      list.textContent = "";
      names = members.map(function (m) { return m.username; });
      if (!names.length) { close(); return; }
      names.forEach(function (name, index) {
        var item = document.createElement("li");
        item.id = id + "-" + index;
        item.setAttribute("role", "option");
        item.textContent = "@" + name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the editor
          choose(index);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      textarea.setAttribute("aria-expanded", "true");
      highlight(0);
    }

    function suggest() {
      var prefix = query();
      if (prefix === null) { close(); return; }
      if (prefix === asked && !list.hidden) { return; }
      asked = prefix;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(prefix), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : { members: [] };
      }).then(function (data) {
        if (query() === prefix) { show(data.members || []); }
      }).catch(function () { /* aborted, or offline: no suggestions */ });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      if (query() === null) { close(); asked = ""; return; }
      timer = window.setTimeout(suggest, 150);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % names.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + names.length) % names.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        if (active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    textarea.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  function init(root) {
    var areas = (root || document).querySelectorAll("form[data-editor] textarea[name=body]");
    for (var i = 0; i < areas.length; i++) {
      if (!areas[i].hasAttribute("data-mentions-ready")) {
        areas[i].setAttribute("data-mentions-ready", "");
        attach(areas[i]);
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
