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

// Survey cards: the progress bar moves as the respondent answers, a card shows it is complete,
// and "Save and continue later" brings the respondent back to the card they were on.
(function () {
  "use strict";
  const form = document.querySelector(".survey-form");
  if (!form) return;
  const bar = document.getElementById("survey-progress");
  const label = document.querySelector("label[for=survey-progress]");
  const at = form.querySelector("input[name=at]");
  const questions = Array.from(form.querySelectorAll("fieldset.question"));
  function answered(list) {
    return list.filter(function (q) { return q.querySelector("input:checked"); }).length;
  }
  // answers on other steps are counted by the server; this page adds its own as they change
  const elsewhere = bar ? Number(bar.value) - answered(questions) : 0;
  form.addEventListener("change", function (event) {
    const card = event.target.closest("fieldset.card");
    if (!card) return;
    if (at) at.value = card.id;
    const own = Array.from(card.querySelectorAll("fieldset.question"));
    card.classList.toggle("complete", answered(own) === own.length);
    if (!bar) return;
    const done = elsewhere + answered(questions);
    bar.value = done;
    label.textContent = label.dataset.template.replace("{done}", String(done));
  });
})();
