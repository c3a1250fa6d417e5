// Upload with a progress bar: the same form posts without JavaScript; with it, XHR reports
// upload progress and the answer (report or row-level errors) is shown without leaving the page.
// Answers are written with textContent only.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form || !window.FormData) { return; }
  var box = document.getElementById("progress-box");
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  var outcome = document.getElementById("outcome");

  function cell(row, value) {
    var td = document.createElement("td");
    td.textContent = value === null || value === undefined ? "" : String(value);
    row.appendChild(td);
  }

  function show(answer) {
    outcome.innerHTML = "";
    var panel = document.createElement("div");
    panel.className = answer.ok ? "ok" : "errors";
    panel.setAttribute("role", answer.ok ? "status" : "alert");
    var p = document.createElement("p");
    p.textContent = answer.message || "";
    panel.appendChild(p);
    if (answer.ok) {
      var a = document.createElement("a");
      a.href = "/items";
      a.textContent = "See the items";
      panel.appendChild(a);
    } else if (answer.errors && answer.errors.length) {
      var table = document.createElement("table");
      table.className = "row-errors";
      var head = table.createTHead().insertRow();
      ["File", "Row", "Column", "Problem"].forEach(function (h) {
        var th = document.createElement("th");
        th.textContent = h;
        head.appendChild(th);
      });
      var body = table.createTBody();
      answer.errors.forEach(function (e) {
        var row = body.insertRow();
        cell(row, e.file); cell(row, e.row); cell(row, e.column); cell(row, e.reason);
      });
      panel.appendChild(table);
      if (answer.total_errors > answer.errors.length) {
        var more = document.createElement("p");
        more.textContent = "… and " + (answer.total_errors - answer.errors.length) + " more.";
        panel.appendChild(more);
      }
    }
    outcome.appendChild(panel);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("X-CSRF-Token", form.elements.csrf_token.value);
    box.hidden = false;
    bar.value = 0;
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        text.textContent = bar.value + "% of " + Math.ceil(e.total / 1024) + " KB";
      }
    };
    xhr.upload.onload = function () { text.textContent = "Uploaded; importing…"; };
    xhr.onload = function () {
      var answer;
      try { answer = JSON.parse(xhr.responseText); } catch (err) {
        answer = { ok: false, message: "The server answered " + xhr.status + ".", errors: [] };
      }
      if (!answer.message && answer.detail) { answer.message = String(answer.detail); }
      bar.value = 100;
      text.textContent = answer.ok ? "Done." : "Not imported.";
      show(answer);
    };
    xhr.onerror = function () {
      show({ ok: false, message: "The upload failed: the connection broke.", errors: [] });
    };
    xhr.send(new FormData(form));
  });
})();
