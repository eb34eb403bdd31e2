// Admin export page: “Select all” ticks every field (django-import-export's own handler,
// attached here because the Content-Security-Policy refuses inline onchange attributes).
document.addEventListener("change", function (event) {
  if (event.target.matches(".select-toggle") && typeof onSelectToggleChange === "function") {
    onSelectToggleChange(event);
  }
});
