// The conclusion draft: “Thêm yêu cầu” adds an empty remediation action form.
(function () {
  var button = document.getElementById("action-add");
  var total = document.getElementById("id_actions-TOTAL_FORMS");
  var template = document.getElementById("action-empty");
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, index);
    document.getElementById("action-forms").insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
  });
})();
