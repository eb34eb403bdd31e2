// Evidence and proof uploads: send through XHR to show a progress bar for large files.
// Without this script the form posts normally and the page says which files were refused.
(function () {
  "use strict";
  var form = document.querySelector("form.js-upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var progress = form.querySelector(".js-upload-progress");
  var bar = progress && progress.querySelector(".progress-bar");
  var problems = document.querySelector(".js-upload-problems");

  function showProblems(list) {
    if (!problems) return;
    problems.textContent = "";
    var box = document.createElement("div");
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "mb-1 fw-semibold";
    title.textContent = "Chưa lưu tệp nào. Lý do:";
    box.appendChild(title);
    var ul = document.createElement("ul");
    ul.className = "mb-0";
    list.forEach(function (p) {
      var li = document.createElement("li");
      if (p.name) {
        var strong = document.createElement("strong");
        strong.textContent = p.name + ": ";
        li.appendChild(strong);
      }
      li.appendChild(document.createTextNode(p.message));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    problems.appendChild(box);
    problems.scrollIntoView({ behavior: "smooth" });
  }
  function setProgress(percent) {
    if (!bar) return;
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    progress.setAttribute("aria-valuenow", percent);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    if (progress) progress.classList.remove("d-none");
    setProgress(0);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-Requested-With", "fetch");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) setProgress(Math.round((e.loaded / e.total) * 100));
    });
    xhr.addEventListener("load", function () {
      var data = {};
      try { data = JSON.parse(xhr.responseText); } catch (err) { data = {}; }
      if (xhr.status === 200 && data.redirect) {
        window.location.href = data.redirect;
        return;
      }
      if (button) button.disabled = false;
      if (progress) progress.classList.add("d-none");
      showProblems(data.problems && data.problems.length ? data.problems :
        [{ name: "", message: "Máy chủ không nhận tệp (mã " + xhr.status + "). Có thể tệp quá lớn." }]);
    });
    xhr.addEventListener("error", function () {
      if (button) button.disabled = false;
      if (progress) progress.classList.add("d-none");
      showProblems([{ name: "", message: "Mất kết nối khi tải lên; chưa tệp nào được lưu. Vui lòng thử lại." }]);
    });
    xhr.send(new FormData(form));
  });
})();
