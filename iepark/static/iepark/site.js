/* iepark site script: Tom Select on choice fields, flatpickr on date fields, confirm prompts. */
(function () {
  "use strict";

  var lang = (document.documentElement.lang || "").toLowerCase();

  function enhanceSelects(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-tom-select]").forEach(function (el) {
      if (el.tomselect) return;
      var options = {
        allowEmptyOption: true,
        maxOptions: 500,
        plugins: el.multiple ? ["remove_button"] : [],
      };
      if (el.classList.contains("is-invalid")) options.wrapperClass = "ts-wrapper is-invalid";
      new TomSelect(el, options);
    });
  }

  function enhanceDates(root) {
    if (typeof flatpickr === "undefined") return;
    var locale = lang.indexOf("zh") === 0 && flatpickr.l10ns && flatpickr.l10ns.zh ? "zh" : "default";
    root.querySelectorAll("input[data-datepicker]").forEach(function (el) {
      if (el._flatpickr) return;
      var withTime = el.dataset.datepicker === "datetime";
      flatpickr(el, {
        locale: locale,
        allowInput: true,
        enableTime: withTime,
        time_24hr: true,
        dateFormat: withTime ? "Y-m-d H:i" : "Y-m-d",
      });
    });
  }

  function enhance(root) {
    enhanceSelects(root);
    enhanceDates(root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });

  // Filter forms leave empty fields out of the URL they push (?q=x, not ?q=x&college=&major=).
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (detail.verb !== "get" || !detail.elt.matches("[data-drop-empty]") || !detail.formData) return;
    Array.from(new Set(detail.formData.keys())).forEach(function (key) {
      if (detail.formData.getAll(key).every(function (value) { return value === ""; })) detail.formData.delete(key);
    });
  });

  // Forms with data-confirm ask before they submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
