// A search box that narrows a long <select>: <input data-filter-select="#id_unit">.
// Matching ignores case and Vietnamese diacritics ("dong son" finds "Huyện Đông Sơn").
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }
  document.querySelectorAll("[data-filter-select]").forEach(function (box) {
    var select = document.querySelector(box.getAttribute("data-filter-select"));
    if (!select) { return; }
    var options = Array.prototype.slice.call(select.options).map(function (option) {
      return { option: option, text: fold(option.text) };
    });
    box.addEventListener("input", function () {
      var wanted = fold(box.value);
      var first = null;
      options.forEach(function (item) {
        var show = !item.option.value || item.text.indexOf(wanted) !== -1;
        item.option.hidden = !show;
        item.option.disabled = !show;
        if (show && item.option.value && !first) { first = item.option; }
      });
      if (first && (select.selectedOptions.length === 0 || select.selectedOptions[0].hidden)) {
        first.selected = true;
      }
    });
  });
})();
