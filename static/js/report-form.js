// The unit's report form: save each item without leaving the page, save a figure as soon
// as it changes (so its checks show at once), warn before leaving with unsaved changes.
// Without this script every item is a plain form that posts and comes back.
(function () {
  "use strict";
  var toolbar = document.querySelector("[data-report-form]");
  if (!toolbar || !window.fetch) return;

  function fields(form) {
    return form.querySelectorAll(".js-answer, .js-figure");
  }
  function isDirty(form) {
    return Array.prototype.some.call(fields(form), function (el) {
      return el.value !== (el.dataset.saved || "");
    });
  }
  function dirtyForms() {
    return Array.prototype.filter.call(document.querySelectorAll("form.js-item-form"), isDirty);
  }
  function setStatus(form, text, tone) {
    var status = form.querySelector(".js-item-status");
    if (!status) return;
    status.textContent = text;
    status.className = "small js-item-status text-" + (tone || "secondary");
  }
  function refreshState(form) {
    if (isDirty(form)) setStatus(form, "Có thay đổi chưa lưu", "warning-emphasis");
    else setStatus(form, "", "secondary");
    var anyDirty = dirtyForms().length > 0;
    var state = toolbar.querySelector(".js-save-state");
    if (state) state.textContent = anyDirty ? "Có thay đổi chưa lưu." : "Mọi thay đổi đã được lưu.";
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }
  function showMessages(all) {
    if (!all) return;
    document.querySelectorAll(".js-figure-messages").forEach(function (box) {
      var list = all[box.dataset.indicator] || [];
      box.textContent = "";
      list.forEach(function (m) {
        var div = document.createElement("div");
        div.className = m.level === "error" ? "text-danger" : "text-warning-emphasis";
        div.textContent = m.text;
        box.appendChild(div);
      });
    });
  }
  function showCompleteness(html) {
    var box = document.getElementById("completeness");
    if (!box || !html) return;
    // The list of parts, unfolded on a phone, stays unfolded when its progress is renewed.
    var open = box.querySelector("#report-parts.show");
    box.innerHTML = html;
    if (open) {
      box.querySelector("#report-parts").classList.add("show");
      box.querySelector(".report-parts-toggle").setAttribute("aria-expanded", "true");
    }
  }

  // Saves of one item run one after another: each request must carry the version the
  // previous one returned, or the server would take it for somebody else's edit.
  var queues = {};
  function enqueue(form, task) {
    var key = form.dataset.item;
    var next = (queues[key] || Promise.resolve()).then(task);
    queues[key] = next.catch(function () {});
    return next;
  }
  function currentForm(form) {
    // An item save replaces the item's HTML, so a queued task looks its form up again.
    return document.querySelector('form.js-item-form[data-item="' + form.dataset.item + '"]') || form;
  }

  function saveItem(form) {
    return enqueue(form, function () { return sendItem(currentForm(form)); });
  }

  function sendItem(form) {
    setStatus(form, "Đang lưu…", "secondary");
    return post(form.action, new FormData(form)).then(function (result) {
      var data = result.data;
      if (data.html) {
        var holder = document.createElement("div");
        holder.innerHTML = data.html;
        var fresh = holder.firstElementChild;
        var old = document.getElementById("item-" + form.dataset.item);
        old.replaceWith(fresh);
        bind(fresh);
        var newForm = fresh.querySelector("form.js-item-form");
        if (newForm) {
          if (result.status === 200) setStatus(newForm, "Đã lưu", "success");
          else if (result.status === 409)
            setStatus(newForm, "Chưa lưu: người khác vừa sửa mục này, xem bên trên", "danger");
          else setStatus(newForm, "Chưa lưu: kiểm tra các ô báo đỏ", "danger");
        }
      } else if (data.error) {
        setStatus(form, data.error, "danger");
      }
      showMessages(data.messages);
      showCompleteness(data.completeness);
      refreshState(form);
      return result.status === 200;
    }).catch(function () {
      setStatus(form, "Không kết nối được máy chủ; nội dung vẫn còn trên trang, hãy thử lưu lại.", "danger");
      return false;
    });
  }

  function saveFigure(form, input) {
    return enqueue(form, function () { return sendFigure(currentForm(form), input); });
  }

  function sendFigure(form, input) {
    var wrap = input.closest(".js-figure-wrap");
    if (!wrap || !document.body.contains(input) || input.value === (input.dataset.saved || "")) {
      return Promise.resolve();
    }
    var version = form.querySelector('[name="ver' + wrap.dataset.indicator + '"]');
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("value", input.value);
    body.append("version", version ? version.value : "0");
    var note = wrap.querySelector(".js-figure-note");
    if (!note) {
      note = document.createElement("div");
      note.className = "small js-figure-note";
      note.setAttribute("aria-live", "polite");
      wrap.appendChild(note);
    }
    note.textContent = "Đang lưu…";
    note.className = "small js-figure-note text-secondary";
    return post(wrap.dataset.saveUrl, body).then(function (result) {
      var data = result.data;
      if (result.status === 200) {
        if (version) version.value = data.version;
        input.dataset.saved = input.value;
        input.classList.remove("is-invalid");
        note.textContent = "Đã lưu";
        note.className = "small js-figure-note text-success";
        showMessages(data.messages);
        showCompleteness(data.completeness);
      } else if (result.status === 409 && data.conflict) {
        // Take their version so that saving again keeps what this person typed.
        if (version) version.value = data.conflict.version;
        input.classList.add("is-invalid");
        note.textContent = data.conflict.text + " Giá trị đã lưu: " + (data.conflict.theirs || "(trống)") +
          ". Giá trị của bạn vẫn ở trong ô; bấm “Lưu mục” để giữ giá trị của bạn.";
        note.className = "small js-figure-note text-danger";
      } else {
        input.classList.add("is-invalid");
        note.textContent = data.error || "Chưa lưu được.";
        note.className = "small js-figure-note text-danger";
      }
      refreshState(form);
    }).catch(function () {
      note.textContent = "Không kết nối được máy chủ; giá trị vẫn còn trong ô.";
      note.className = "small js-figure-note text-danger";
    });
  }

  function bind(root) {
    root.querySelectorAll("form.js-item-form").forEach(function (form) {
      form.addEventListener("input", function () { refreshState(form); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        saveItem(form);
      });
      form.querySelectorAll(".js-figure").forEach(function (input) {
        input.addEventListener("change", function () { saveFigure(form, input); });
      });
      if (isDirty(form)) refreshState(form);
    });
  }

  bind(document);

  var saveAll = toolbar.querySelector(".js-save-all");
  if (saveAll) {
    saveAll.classList.remove("d-none");
    saveAll.addEventListener("click", function () {
      var forms = dirtyForms();
      saveAll.disabled = true;
      forms.reduce(function (chain, form) {
        return chain.then(function () { return saveItem(form); });
      }, Promise.resolve()).then(function () {
        saveAll.disabled = false;
      });
    });
  }

  var submitForm = document.querySelector(".js-submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      if (dirtyForms().length) {
        event.preventDefault();
        window.alert("Còn mục có thay đổi chưa lưu. Hãy bấm “Lưu tất cả thay đổi” trước khi nộp báo cáo.");
        return;
      }
      if (!window.confirm("Nộp báo cáo? Sau khi nộp, báo cáo được khóa và không sửa được nữa.")) {
        event.preventDefault();
        return;
      }
      leaving = true;
    });
  }

  var leaving = false;
  window.addEventListener("beforeunload", function (event) {
    if (!leaving && dirtyForms().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
