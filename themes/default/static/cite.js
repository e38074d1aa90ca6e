// Adds a "Copy" button to the formatted reference of a resource page. Without
// scripts the reference stays plain, selectable text.
(function () {
  "use strict";
  var reference = document.getElementById("reference");
  if (!reference || !navigator.clipboard) {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button cite-copy";
  button.textContent = reference.getAttribute("data-copy-label") || "Copy";
  var status = document.createElement("span");
  status.className = "cite-status";
  status.setAttribute("role", "status");
  button.addEventListener("click", function () {
    var text = reference.innerText.replace(/\s+/g, " ").trim();
    navigator.clipboard.writeText(text).then(function () {
      status.textContent = reference.getAttribute("data-copied-label") || "Copied";
    }, function () {
      status.textContent = "";
    });
  });
  var actions = document.createElement("p");
  actions.className = "cite-actions";
  actions.appendChild(button);
  actions.appendChild(status);
  reference.insertAdjacentElement("afterend", actions);
})();
