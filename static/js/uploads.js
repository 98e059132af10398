/* Agora: images in the post editor (forum/posts/partials/attachments.html).
 *
 * Without this file the file picker's images go with the form. With it, an
 * image dragged into the text, pasted, or picked uploads at once (a POST with
 * the form's CSRF token), its Markdown goes in at the cursor, and it joins the
 * ticked list under the editor. Errors come back as the server's message and
 * are shown next to the picker.
 */
(function () {
  "use strict";

  function imageFiles(list) {
    var files = [];
    for (var i = 0; list && i < list.length; i++) {
      if (list[i] && list[i].kind !== "string") {
        var file = list[i].getAsFile ? list[i].getAsFile() : list[i];
        if (file) { files.push(file); }
      }
    }
    return files;
  }

  function hasFiles(dataTransfer) {
    if (!dataTransfer || !dataTransfer.types) { return false; }
    for (var i = 0; i < dataTransfer.types.length; i++) {
      if (dataTransfer.types[i] === "Files") { return true; }
    }
    return false;
  }

  function setup(form) {
    var box = form.querySelector("[data-uploads]");
    var textarea = form.querySelector("textarea[name=body]");
    var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!box || !textarea || !tokenInput || !window.fetch || !window.FormData) { return; }
    if (box.hasAttribute("data-uploads-ready")) { return; }
    box.setAttribute("data-uploads-ready", "");

    var url = box.getAttribute("data-upload-url");
    var limit = parseInt(box.getAttribute("data-limit"), 10) || 10;
    var input = box.querySelector("input[type=file]");
    var list = box.querySelector("[data-upload-list]");
    var errors = box.querySelector("[data-upload-errors]");
    var hint = box.querySelector("[data-upload-hint]");
    var template = box.querySelector("template[data-upload-template]");
    var pending = 0;
    var serial = 0;

    var jsOnly = box.querySelectorAll("[data-js-only], .upload__insert");
    for (var i = 0; i < jsOnly.length; i++) { jsOnly[i].hidden = false; }

    function showError(message) {
      var line = document.createElement("p");
      line.className = "field-error";
      line.textContent = message;
      errors.appendChild(line);
      box.classList.add("field--error");
    }

    function clearErrors() {
      errors.textContent = "";
      box.classList.remove("field--error");
    }

    // Insert ``text`` at the cursor on a line of its own; return what went in.
    function insertAt(text) {
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      var value = textarea.value;
      var before = value.slice(0, start);
      var after = value.slice(end);
      var prefix = before && !/\n$/.test(before) ? "\n" : "";
      var suffix = after && !/^\n/.test(after) ? "\n" : "";
      textarea.value = before + prefix + text + suffix + after;
      var caret = (before + prefix + text).length;
      textarea.setSelectionRange(caret, caret);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      return { text: prefix + text + suffix, prefix: prefix, suffix: suffix };
    }

    // Put ``text`` where a placeholder went in, or take it out (and its line breaks).
    function replaceInserted(inserted, text) {
      var value = textarea.value;
      var at = value.indexOf(inserted.text);
      if (at === -1) {
        if (text) { insertAt(text); }
        return;
      }
      var replacement = text ? inserted.prefix + text + inserted.suffix : "";
      var caret = textarea.selectionStart;
      textarea.value = value.slice(0, at) + replacement + value.slice(at + inserted.text.length);
      if (caret > at) {
        caret = Math.max(at, caret + replacement.length - inserted.text.length);
        textarea.setSelectionRange(caret, caret);
      }
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function attachedCount() {
      return list.querySelectorAll("input[name=attachments]:checked").length + pending;
    }

    function addItem(data) {
      var item = template.content.firstElementChild.cloneNode(true);
      var thumb = item.querySelector("img");
      thumb.src = data.display_url;
      thumb.width = data.width;
      thumb.height = data.height;
      item.querySelector("input[name=attachments]").value = data.id;
      item.querySelector(".upload__name").textContent = data.name;
      var insert = item.querySelector(".upload__insert");
      insert.setAttribute("data-markdown", data.markdown);
      insert.hidden = false;
      list.appendChild(item);
      hint.hidden = false;
    }

    function upload(file) {
      if (attachedCount() >= limit) {
        showError(box.getAttribute("data-limit-message"));
        return;
      }
      pending += 1;
      serial += 1;
      var name = (file.name || "image").replace(/[\[\]()\\\n]/g, "");
      var placeholder = "![" + box.getAttribute("data-uploading-label") + " " + name +
        " #" + serial + "]()";
      var inserted = insertAt(placeholder);
      var body = new FormData();
      body.append("image", file, file.name || "pasted-image.png");
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokenInput.value, "Accept": "application/json" }
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (result) {
          if (!result.ok) {
            replaceInserted(inserted, "");
            showError(result.data.error || box.getAttribute("data-failed-message"));
            return;
          }
          replaceInserted(inserted, result.data.markdown);
          addItem(result.data);
        })
        .catch(function () {
          replaceInserted(inserted, "");
          showError(box.getAttribute("data-failed-message"));
        })
        .then(function () { pending -= 1; });
    }

    function uploadAll(files) {
      clearErrors();
      for (var i = 0; i < files.length; i++) { upload(files[i]); }
      textarea.focus();
    }

    textarea.addEventListener("dragover", function (event) {
      if (!hasFiles(event.dataTransfer)) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      textarea.classList.add("is-dropping");
    });
    textarea.addEventListener("dragleave", function () {
      textarea.classList.remove("is-dropping");
    });
    textarea.addEventListener("drop", function (event) {
      textarea.classList.remove("is-dropping");
      var files = imageFiles(event.dataTransfer && event.dataTransfer.files);
      if (!files.length) { return; }
      event.preventDefault();
      uploadAll(files);
    });
    textarea.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data || data.getData("text/plain")) { return; }
      var files = imageFiles(data.items && data.items.length ? data.items : data.files);
      if (!files.length) { return; }
      event.preventDefault();
      uploadAll(files);
    });
    if (input) {
      input.addEventListener("change", function () {
        var files = imageFiles(input.files);
        input.value = "";  // uploaded now; the form must not send them again
        uploadAll(files);
      });
    }
    list.addEventListener("click", function (event) {
      var button = event.target.closest(".upload__insert");
      if (!button) { return; }
      textarea.focus();
      insertAt(button.getAttribute("data-markdown"));
    });
    form.addEventListener("submit", function (event) {
      if (pending > 0) {
        event.preventDefault();
        showError(box.getAttribute("data-wait-message"));
      }
    });
  }

  function setupAll(root) {
    var forms = (root || document).querySelectorAll("form[data-editor]");
    for (var i = 0; i < forms.length; i++) { setup(forms[i]); }
  }

  document.addEventListener("DOMContentLoaded", function () { setupAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setupAll(event.target); });
})();
