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
  document.querySelectorAll("#body mark.proposal[id]").forEach(function (mark) {
    mark.addEventListener("click", function () {
      document.getElementById("review-" + mark.dataset.proposal).scrollIntoView({ block: "nearest" });
    });
  });
  document.querySelectorAll("li.note").forEach(function (note) {
    note.addEventListener("mouseenter", function () { showStatement(note.dataset.claim, false); });
  });
});

// Review of proposals: the buttons call this app's API (relative URLs, so its own origin) with
// the key pasted in the field. The key stays in this tab's sessionStorage, never in a URL.
var KEY_STORAGE = "claims-api-key";
var RESULT_STORAGE = "claims-review-result";

function showResult(result) {
  var line = document.getElementById("review-result");
  line.textContent = result.text;
  if (result.href) {
    var link = document.createElement("a");
    link.href = result.href;
    link.textContent = result.link;
    line.append(" ", link);
  }
}

function callApi(path, body) {
  var key = sessionStorage.getItem(KEY_STORAGE) || "";
  if (!key) {
    return Promise.resolve({ ok: false, answer: { detail: "Paste an API key with the write scope first." } });
  }
  var headers = { Authorization: "Bearer " + key, Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  return fetch(path, {
    method: "POST",
    headers: headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
    redirect: "error",
  }).then(function (response) {
    return response.json().catch(function () { return {}; }).then(function (answer) {
      return { ok: response.ok, status: response.status, answer: answer };
    });
  }, function () {
    return { ok: false, answer: { detail: "The API could not be reached." } };
  });
}

function answered(outcome, success) {
  if (!outcome.ok) {
    var detail = outcome.answer.detail || outcome.answer.title || "HTTP " + outcome.status;
    showResult({ text: "Not done: " + detail });
    return;
  }
  // Keep the outcome across the reload that redraws the highlights.
  sessionStorage.setItem(RESULT_STORAGE, JSON.stringify(success(outcome.answer)));
  location.reload();
}

function claimMade(answer) {
  return { text: "Accepted: claim " + answer.id + " made.", href: "/v1/claims/" + answer.id, link: "claim " + answer.id + " (JSON)" };
}

function corrections(form) {
  var data = new FormData(form);
  var chosen = {};
  var speakerId = data.get("speaker_id").trim();
  var speakerName = data.get("speaker_name").trim();
  if (speakerId) {
    chosen.speaker_id = Number(speakerId);
  } else if (speakerName) {
    chosen.speaker = { name: speakerName, kind: data.get("speaker_kind") };
  }
  chosen.quote_type = data.get("quote_type");
  chosen.cue = data.get("cue").trim() || null;
  return chosen;
}

function startReview(review) {
  var field = document.getElementById("api-key");
  review.querySelector(".needs-script").hidden = true;
  review.querySelector("form.api-key").hidden = false;
  review.querySelectorAll(".review-controls").forEach(function (controls) {
    controls.hidden = false;
  });
  field.value = sessionStorage.getItem(KEY_STORAGE) || "";
  field.addEventListener("input", function () {
    sessionStorage.setItem(KEY_STORAGE, field.value.trim());
  });
  review.querySelector("form.api-key").addEventListener("submit", function (event) {
    event.preventDefault();
  });
  var kept = sessionStorage.getItem(RESULT_STORAGE);
  if (kept) {
    sessionStorage.removeItem(RESULT_STORAGE);
    showResult(JSON.parse(kept));
  }
  var run = review.querySelector("button.run-extractor");
  if (run) {
    run.addEventListener("click", function () {
      callApi("/v1/articles/" + review.dataset.article + "/proposals").then(function (outcome) {
        answered(outcome, function (answer) {
          return { text: "The extractor proposed " + answer.data.length + " attribution(s)." };
        });
      });
    });
  }
  review.querySelectorAll("li.proposal-note").forEach(function (note) {
    var path = "/v1/proposals/" + note.dataset.proposal;
    note.querySelector("button.accept").addEventListener("click", function () {
      callApi(path + "/accept", {}).then(function (outcome) { answered(outcome, claimMade); });
    });
    note.querySelector("button.reject").addEventListener("click", function () {
      callApi(path + "/reject").then(function (outcome) {
        answered(outcome, function (answer) { return { text: "Rejected proposal " + answer.id + "." }; });
      });
    });
    note.querySelector("form.corrections").addEventListener("submit", function (event) {
      event.preventDefault();
      callApi(path + "/accept", corrections(event.target)).then(function (outcome) {
        answered(outcome, claimMade);
      });
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  var review = document.getElementById("review");
  if (review) {
    startReview(review);
  }
});
