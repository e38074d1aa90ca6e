// Live reload for `almanac serve`; served only by the development server and never
// part of a built site. Listens to the server's events: `reload` after a good
// rebuild, `error` with the build's problems (shown in an overlay), `ok` when they
// are gone, `index` when a new search index is served (only the search page, which
// loads the index, reloads), and `hello` on every connection, which names the server's run so that a
// tab reconnecting to a restarted server reloads.
(function () {
  "use strict";
  var EVENTS = "/__almanac/events";
  var STYLE = "/__almanac/overlay.css";
  var instance = null;
  var overlay = null;
  var dismissed = null;
  var source = null;
  var retry = 500;

  function connect() {
    source = new EventSource(EVENTS);
    source.addEventListener("hello", function (event) {
      var hello = JSON.parse(event.data);
      retry = 500;
      if (instance !== null && instance !== hello.instance) {
        location.reload();
        return;
      }
      instance = hello.instance;
    });
    source.addEventListener("reload", function () {
      location.reload();
    });
    source.addEventListener("index", function () {
      if (document.querySelector("[data-search-index]")) location.reload();
    });
    source.addEventListener("ok", hideOverlay);
    source.addEventListener("error", function (event) {
      // A server-sent `error` carries data; the browser's own connection error does not.
      if (typeof event.data === "string") {
        showOverlay(JSON.parse(event.data));
      } else if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (for example the server answered while restarting):
        // keep trying, a little less often each time.
        source.close();
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 5000);
      }
    });
  }

  function ensureStyle() {
    if (document.querySelector('link[href="' + STYLE + '"]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLE;
    document.head.appendChild(link);
  }

  function location_of(problem) {
    if (!problem.file) return "";
    var where = problem.file;
    if (problem.line) where += ":" + problem.line;
    if (problem.line && problem.column) where += ":" + problem.column;
    return where;
  }

  function showOverlay(problems) {
    var key = JSON.stringify(problems);
    if (dismissed === key) return;
    hideOverlay();
    ensureStyle();
    overlay = document.createElement("section");
    overlay.className = "almanac-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "false");
    overlay.setAttribute("aria-labelledby", "almanac-overlay-title");
    overlay.setAttribute("aria-describedby", "almanac-overlay-note");

    var title = document.createElement("h2");
    title.id = "almanac-overlay-title";
    var errors = problems.filter(function (p) { return p.severity === "error"; }).length;
    title.textContent = "The site could not be rebuilt: " + errors + (errors === 1 ? " problem" : " problems");
    overlay.appendChild(title);

    var note = document.createElement("p");
    note.id = "almanac-overlay-note";
    note.textContent = "You are seeing the last version that built. Fix the file and save; this message goes away by itself.";
    overlay.appendChild(note);

    var list = document.createElement("ol");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var where = location_of(problem);
      if (where) {
        var code = document.createElement("code");
        code.textContent = where;
        item.appendChild(code);
      }
      var message = document.createElement("p");
      message.textContent = problem.message;
      item.appendChild(message);
      if (problem.help) {
        var help = document.createElement("p");
        help.className = "almanac-overlay-help";
        help.textContent = "Help: " + problem.help;
        item.appendChild(help);
      }
      list.appendChild(item);
    });
    overlay.appendChild(list);

    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.addEventListener("click", function () {
      dismissed = key;
      hideOverlay();
    });
    overlay.appendChild(close);
    overlay.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close.click();
    });

    document.body.appendChild(overlay);
    close.focus();
  }

  function hideOverlay() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
  }

  if (window.EventSource) connect();
})();
