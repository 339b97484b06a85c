// Survey, step 1: filter the list of people by name or organisation as the respondent types.
// Without JavaScript the whole list stays visible and usable.
(function () {
  "use strict";
  const box = document.getElementById("survey-search");
  if (!box) return;
  const count = document.getElementById("search-count");
  const items = Array.from(document.querySelectorAll("#people-list .pick"));
  const groups = Array.from(document.querySelectorAll("#people-list .pick-group"));
  box.closest(".search").hidden = false;
  box.addEventListener("input", function () {
    const words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    items.forEach(function (item) {
      const text = item.dataset.search || "";
      const match = words.every(function (w) { return text.includes(w); });
      item.hidden = !match;
      if (match) shown += 1;
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector(".pick:not([hidden])");
    });
    count.hidden = words.length === 0;
    count.textContent = (box.dataset.found || "{n}").replace("{n}", String(shown));
  });
})();
