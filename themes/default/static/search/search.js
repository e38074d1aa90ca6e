// The search page: loads the WebAssembly reader and the index, answers as the
// reader types, and keeps the query, filters and order in the URL. Arrow keys
// move between the box and the results; with nothing found it suggests a
// query and the browse links. Result links carry ?highlight= with the matched
// stems, which highlight.js marks on the page opened.
//
// Expects the markup of templates/search.html (its comment lists the hooks).
// Loaded as an ES module from that page only. The addresses of the module,
// its glue, the stemmer and the index come from the page's preload links
// (content-hashed names), so the site works under any sub-path. The index URL
// names the hot file; the chunks a search needs are fetched from the folder
// beside it. Index files are stored deflated and inflated here with
// DecompressionStream, so they cost the same bytes on any host.
//
// The page loads this script `async` from its head: the reader starts loading
// as soon as the script runs, from the preload links' addresses, while the
// rest of the page is parsed; the form is wired up once it has been.

const TYPING_DELAY_MS = 120;
// Screen readers hear the count once the reader pauses, not at every keystroke.
const ANNOUNCE_DELAY_MS = 700;
// A screenful: more would delay the first results (each needs its stored
// text fetched) for results few readers scroll to.
const PAGE_SIZE = 10;

const early = startEarly();

// Counts read as the page's language writes them. The first number format
// loads the browser's locale data, 20-40 ms of the main thread; run() makes
// it while a search's chunks download, off the way to the first results.
let numbers = null;
// The page's messages and plural rules, read when first needed (see say()).
let messages = null;
let statusNames = null;
let plurals = null;
function formatNumber(number) {
  numbers ??= numberFormat(document.documentElement.lang);
  return numbers.format(number);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", begin);
} else {
  begin();
}

function begin() {
  const root = document.getElementById("search");
  if (root) start(root);
}

// The reader, started from the preload links (the page names its files there
// so that this need not wait for #search to be parsed).
function startEarly() {
  const href = (name) => document.querySelector(`link[data-search-${name}]`)?.href ?? null;
  const loading = load({
    module: href("module"),
    glue: href("glue"),
    stemmer: href("stemmer"),
    index: href("index"),
  });
  // Handled by start(); this keeps a failure before then from being reported
  // as unhandled.
  loading.catch(() => {});
  return loading;
}

function start(root) {
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-q");
  const status = document.getElementById("search-status");
  const announcer = document.getElementById("search-announce");
  const definitions = document.getElementById("search-definitions");
  const results = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const unavailable = document.getElementById("search-unavailable");
  const sort = document.getElementById("search-sort");
  const nothing = document.getElementById("search-nothing");
  const didYouMean = document.getElementById("search-did-you-mean");
  const layout = root.querySelector(".search-layout");
  const boxes = Array.from(
    document.querySelectorAll('input[type="checkbox"][form="search-form"]'),
  );

  let searcher = null;
  // Searches finish out of order while chunks arrive; only the latest is shown.
  let latest = 0;
  let limit = PAGE_SIZE;
  let typingTimer = 0;
  let announceTimer = 0;

  // Filters and results mean nothing without this script, so the page
  // shows them only now.
  if (layout) layout.hidden = false;

  readUrl();
  const ready = early
    .then((opened) => {
      searcher = opened;
      run();
    })
    .catch((error) => {
      unavailable.hidden = false;
      if (layout) layout.hidden = true;
      status.textContent = "";
      console.warn("Search could not start:", error);
    });
  if (input.value.trim() !== "" || selectedFilters().length > 0) {
    status.textContent = say("loading");
  }

  input.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      limit = PAGE_SIZE;
      run();
      writeUrl(false);
    }, TYPING_DELAY_MS);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typingTimer);
    limit = PAGE_SIZE;
    run();
    writeUrl(true);
  });

  if (sort) {
    sort.addEventListener("change", () => {
      limit = PAGE_SIZE;
      run();
      writeUrl(true);
    });
  }

  // Arrow keys: from the box to the first result, between results, and back
  // up to the box; Escape returns to the box. Enter opens a result (a link).
  input.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown") return;
    const first = results.querySelector("a");
    if (!first) return;
    event.preventDefault();
    first.focus();
  });
  results.addEventListener("keydown", (event) => {
    const links = Array.from(results.querySelectorAll(".search-result-title a"));
    const at = links.indexOf(document.activeElement);
    if (at < 0) return;
    let next = null;
    if (event.key === "ArrowDown") next = links[at + 1] ?? null;
    else if (event.key === "ArrowUp") next = at === 0 ? input : links[at - 1];
    else if (event.key === "Escape") next = input;
    else return;
    event.preventDefault();
    if (next) next.focus();
  });

  for (const box of boxes) {
    box.addEventListener("change", () => {
      limit = PAGE_SIZE;
      run();
      writeUrl(true);
    });
  }

  more.addEventListener("click", async () => {
    const shown = results.children.length;
    limit += PAGE_SIZE;
    await run();
    // Keyboard users continue from the first new result.
    const next = results.children[shown];
    const link = next && next.querySelector("a");
    if (link) link.focus();
  });

  // Back and Forward restore the search they lead to.
  window.addEventListener("popstate", () => {
    readUrl();
    limit = PAGE_SIZE;
    ready.then(run);
  });

  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    if (sort) sort.value = params.get("sort") === "newest" ? "newest" : "";
    for (const box of boxes) {
      box.checked = params.getAll(box.name).includes(box.value);
    }
  }

  function writeUrl(push) {
    const params = new URLSearchParams();
    const query = input.value;
    if (query.trim() !== "") params.set("q", query);
    for (const [name, value] of selectedFilters()) params.append(name, value);
    if (sort && sort.value === "newest") params.set("sort", "newest");
    const search = params.toString();
    const url = window.location.pathname + (search ? "?" + search : "");
    if (url === window.location.pathname + window.location.search) return;
    if (push) {
      window.history.pushState(null, "", url);
    } else {
      window.history.replaceState(null, "", url);
    }
  }

  function selectedFilters() {
    return boxes.filter((box) => box.checked).map((box) => [box.name, box.value]);
  }

  // Results first, then the filters' counts: counting reads the postings of
  // every taxonomy term, which the results do not need.
  async function run() {
    if (!searcher) return;
    const ticket = ++latest;
    const query = input.value;
    const filters = selectedFilters();
    const order = sort && sort.value === "newest" ? "newest" : "relevance";
    const request = { query, filters, limit, offset: 0, facets: false, sort: order };
    try {
      const searching = searcher.search(request);
      formatNumber(0);
      const response = await searching;
      if (ticket !== latest) return;
      render(query.trim(), filters, response);
      mark("results shown");
      const counts = await searcher.search({ ...request, limit: 0, facets: true });
      if (ticket !== latest) return;
      renderCounts(counts.facets);
      mark("counts shown");
    } catch (error) {
      if (ticket === latest) console.warn("Search failed:", error);
    }
  }

  function render(query, filters, response) {
    const searching = query !== "" || filters.length > 0;
    renderDefinitions(response.definitions);
    renderHits(response.hits, response.highlight);
    more.hidden = response.hits.length >= response.total;
    const suggestion = response.total === 0 ? response.suggestions[0] : undefined;
    renderNothing(searching && response.total === 0, suggestion);

    let message = "";
    if (searching) {
      message = summary(query, filters.length, response.total);
      if (suggestion) message += ` ${say("did_you_mean").replace("{suggestion}", `“${suggestion}”`)}`;
    }
    status.textContent = message;
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      announcer.textContent = message;
    }, ANNOUNCE_DELAY_MS);
  }

  function summary(query, filterCount, total) {
    const filtered = filterCount > 0 ? "_filtered" : "";
    if (total === 0) {
      return say(query ? `none_for${filtered}` : "none_filtered", { query });
    }
    return say(query ? `results_for${filtered}` : `results${filtered}`, { count: total, query });
  }

  function renderDefinitions(entries) {
    definitions.replaceChildren();
    if (entries.length === 0) return;
    const list = document.createElement("dl");
    list.className = "search-definition-list";
    for (const entry of entries) {
      const term = document.createElement("dt");
      const link = document.createElement("a");
      link.href = entry.url;
      link.textContent = entry.title;
      term.append(link);
      const description = document.createElement("dd");
      description.textContent = entry.summary;
      list.append(term, description);
    }
    const heading = document.createElement("h3");
    heading.className = "search-definitions-heading";
    heading.textContent = say("definitions", { count: entries.length });
    definitions.append(heading, list);
  }

  // With nothing found: a query made of the index's own words, if there is
  // one, and the ways to browse.
  function renderNothing(empty, suggestion) {
    if (!nothing) return;
    nothing.hidden = !empty;
    if (!didYouMean) return;
    didYouMean.replaceChildren();
    didYouMean.hidden = !suggestion;
    if (!suggestion) return;
    const link = document.createElement("a");
    const params = new URLSearchParams({ q: suggestion });
    link.href = `${window.location.pathname}?${params}`;
    link.textContent = suggestion;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      input.value = suggestion;
      limit = PAGE_SIZE;
      run();
      writeUrl(true);
      input.focus();
    });
    // The message keeps its `{suggestion}` placeholder: the link goes there.
    const [before, after = ""] = say("did_you_mean").split("{suggestion}");
    didYouMean.append(before, link, after);
  }

  function renderHits(hits, highlight) {
    // The page opened marks the matched words (highlight.js reads this).
    const marked = highlight && highlight.length ? `?highlight=${encodeURIComponent(highlight.join(" "))}` : "";
    const items = hits.map((hit) => {
      const item = document.createElement("li");
      item.className = `search-result search-result-${hit.kind}`;
      const title = document.createElement("h3");
      title.className = "search-result-title";
      const link = document.createElement("a");
      link.href = hit.url + marked;
      link.textContent = hit.title;
      title.append(link);
      item.append(title);
      // A resource that is not current says so, in the words its page uses.
      if (hit.status) {
        const status = document.createElement("p");
        status.className = "search-result-status";
        const badge = document.createElement("span");
        badge.className = `badge badge-${hit.status}`;
        badge.textContent = statusName(hit.status);
        status.append(badge);
        item.append(status);
      }
      const about = [];
      if (hit.kind !== "resource") about.push(say(hit.kind === "glossary" ? "kind_glossary" : "kind_page"));
      if (hit.date) about.push(hit.date);
      if (about.length) {
        const kind = document.createElement("p");
        kind.className = "search-result-kind";
        kind.textContent = about.join(" · ");
        item.append(kind);
      }
      if (hit.snippet) {
        const snippet = document.createElement("p");
        snippet.className = "search-result-snippet";
        // The reader escapes the text and adds only <mark> elements.
        snippet.innerHTML = hit.snippet;
        item.append(snippet);
      }
      return item;
    });
    results.replaceChildren(...items);
  }

  function renderCounts(facets) {
    const counts = new Map();
    for (const facet of facets) {
      for (const term of facet.terms) {
        counts.set(`${facet.name}\u0000${term.slug}`, term.count);
      }
    }
    for (const box of boxes) {
      const count = counts.get(`${box.name}\u0000${box.value}`) ?? 0;
      const label = box.closest("label");
      const badge = label && label.querySelector("[data-count]");
      if (badge) badge.textContent = `(${formatNumber(count)})`;
      if (label) label.classList.toggle("search-term-empty", count === 0 && !box.checked);
    }
  }
}

// Fetches the module, its glue, the stemmer and the index's hot file side by
// side and opens the index; the searcher it returns fetches chunks as
// searches ask for them.
async function load(files) {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    throw new Error("WebAssembly is not available");
  }
  if (typeof DecompressionStream !== "function") {
    throw new Error("DecompressionStream is not available");
  }
  if (!files.module || !files.glue || !files.index) {
    throw new Error("the page names no search module or index");
  }
  // The module compiles as it streams in, without waiting for the glue.
  const wasm = compile(files.module);
  const glue = import(files.glue);
  const stemmer = files.stemmer ? loadStemmer(files.stemmer) : null;
  const hot = fetchInflated(files.index);
  const { default: init, Searcher } = await glue;
  await init({ module_or_path: await wasm });
  mark("module ready");
  const index = new Searcher(await hot, await stemmer);
  mark("index open");
  const chunks = files.index.replace(/\.bin$/, "/");
  const arriving = new Map();

  function chunk(number) {
    if (!arriving.has(number)) {
      const done = fetchInflated(`${chunks}${number}.bin`).then(
        (bytes) => index.addChunk(number, bytes),
        (error) => {
          // A failed fetch may succeed when the reader types on.
          arriving.delete(number);
          throw error;
        },
      );
      arriving.set(number, done);
    }
    return arriving.get(number);
  }

  return {
    async search(request) {
      const filters = request.filters.flat();
      const newest = request.sort === "newest";
      // A new query needs two rounds (postings, then the results' stored
      // text); more means chunks that never arrive.
      for (let round = 0; round < 6; round++) {
        const answer = JSON.parse(
          index.search(request.query, filters, request.limit, request.offset, request.facets, newest),
        );
        if (!answer.need) return answer;
        mark(`needs ${answer.need.length} chunks`);
        await Promise.all(answer.need.map(chunk));
        mark("chunks arrived");
      }
      throw new Error("the search index keeps asking for more chunks");
    },
  };
}

// The collection's stemmer, a module of its own (crates/search-stemmer): the
// reader hands each word to stem() and gets its stem back. The word and the
// stem pass through the module's buffer as UTF-8.
async function loadStemmer(url) {
  // Given a compiled module, instantiate() resolves to the instance itself.
  const instance = await WebAssembly.instantiate(await compile(url));
  const { memory, buffer, stem } = instance.exports;
  const at = buffer();
  const capacity = 1024;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    stem(word) {
      const bytes = encoder.encode(word);
      if (bytes.length > capacity) return word;
      new Uint8Array(memory.buffer, at, bytes.length).set(bytes);
      const length = stem(bytes.length);
      return decoder.decode(new Uint8Array(memory.buffer, at, length));
    },
  };
}

// The messages in the page's language, from the JSON block the page writes
// (#search-strings): `{name}` placeholders, and for counted phrases a form per
// plural category, chosen by the `count` value with the browser's plural rules.
function say(key, values = {}) {
  messages ??= readMessages();
  let message = messages[key] ?? key;
  if (typeof message === "object") {
    const category = typeof values.count === "number" ? pluralRules().select(values.count) : "other";
    message = message[category] ?? message.other ?? key;
  }
  return message.replace(/\{([a-z0-9_]+)\}/g, (whole, name) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? formatNumber(value) : String(value);
  });
}

// The name of a status (`under-review`) from the page's lifecycle strings
// (#search-lifecycle-strings, `status_under_review`).
function statusName(status) {
  statusNames ??= readMessages("search-lifecycle-strings");
  return statusNames[`status_${status.replace(/-/g, "_")}`] ?? status;
}

function readMessages(id = "search-strings") {
  const block = document.getElementById(id);
  try {
    return block ? JSON.parse(block.textContent) : {};
  } catch {
    return {};
  }
}

function pluralRules() {
  try {
    plurals ??= new Intl.PluralRules(document.documentElement.lang || undefined);
  } catch {
    plurals = new Intl.PluralRules();
  }
  return plurals;
}

function numberFormat(language) {
  try {
    return new Intl.NumberFormat(language || undefined);
  } catch {
    // A tag the browser does not know: its own language's format.
    return new Intl.NumberFormat();
  }
}

// Timeline marks for the browser's performance tools (and bench/search-browser.mjs).
function mark(name) {
  performance.mark(`search: ${name}`);
}

async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  // Streaming compilation needs the right content type; a host that sends
  // another gets the slower way rather than a broken search.
  const type = response.headers.get("Content-Type") || "";
  if (typeof WebAssembly.compileStreaming === "function" && type.startsWith("application/wasm")) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

// An index file's bytes, inflated: the files are stored deflated, whatever
// the host does (a host that compresses them too is undone by the browser).
async function fetchInflated(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const inflated = response.body.pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}
