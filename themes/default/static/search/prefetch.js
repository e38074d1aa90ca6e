// On every page but the search page: when a reader focuses a search box, the
// search reader's files start downloading (the module, its glue, the stemmer,
// the script and the index's hot file), so that the search page, opened a
// moment later, finds them in the browser's cache and answers sooner.
//
// The search page names those files (content-hashed) in its
// link[data-search-prefetch] and script[data-search-prefetch] elements; this
// reads them from it, then asks the browser to prefetch each.

const started = new Set();

document.addEventListener("focusin", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || box.type !== "search" || !box.form) return;
  const page = box.form.action;
  if (!page || started.has(page)) return;
  started.add(page);
  prefetch(page).catch(() => {
    // Offline or a host error: the search page loads them itself.
    started.delete(page);
  });
});

async function prefetch(page) {
  const response = await fetch(page);
  if (!response.ok) throw new Error(`${page}: HTTP ${response.status}`);
  const html = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const element of html.querySelectorAll("[data-search-prefetch]")) {
    const address = element.getAttribute("href") || element.getAttribute("src");
    if (!address) continue;
    const link = document.createElement("link");
    link.rel = "prefetch";
    link.href = new URL(address, page).href;
    // The search page fetches these in CORS mode (fetch(), module scripts);
    // the same mode here lets it use the prefetched copies.
    link.crossOrigin = "anonymous";
    document.head.append(link);
  }
}
