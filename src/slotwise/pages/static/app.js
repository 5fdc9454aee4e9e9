// Slotwise web app: small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // The phone menu: a disclosure button for the navigation.
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("app-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // Forms that destroy something ask first (data-confirm holds the question).
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    // Copy buttons: data-copy holds the text.
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = button.getAttribute("data-copy");
        if (navigator.clipboard) navigator.clipboard.writeText(text);
        var live = document.getElementById("copy-status");
        if (live) live.textContent = button.getAttribute("data-copied") || "Copied";
      });
    });
    // Move focus to the error summary of a refused form.
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  });
})();
