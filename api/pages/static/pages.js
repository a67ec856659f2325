// Reading pages: a highlight and its margin note light up together. The pages work without it.
"use strict";

function statementParts(id) {
  return document.querySelectorAll('[data-claim="' + CSS.escape(id) + '"]');
}

function showStatement(id, scroll) {
  document.querySelectorAll(".active").forEach(function (element) {
    element.classList.remove("active");
  });
  statementParts(id).forEach(function (element) {
    element.classList.add("active");
  });
  var note = document.getElementById("note-" + id);
  if (note && scroll) {
    note.scrollIntoView({ block: "nearest" });
  }
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("#body mark.claim").forEach(function (mark) {
    var id = mark.dataset.claim;
    mark.addEventListener("focus", function () { showStatement(id, true); });
    mark.addEventListener("mouseenter", function () { showStatement(id, false); });
    mark.addEventListener("click", function () { showStatement(id, true); });
  });
  document.querySelectorAll("li.note").forEach(function (note) {
    note.addEventListener("mouseenter", function () { showStatement(note.dataset.claim, false); });
  });
});
