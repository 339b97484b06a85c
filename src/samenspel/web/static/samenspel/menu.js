// On a phone the menus fold behind one "Menu" button; without JavaScript they all stay shown.
(function () {
  "use strict";
  var button = document.querySelector(".menu-button");
  if (!button) {
    return;
  }
  document.documentElement.classList.add("js-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    document.documentElement.classList.toggle("menu-open", open);
  });
})();
