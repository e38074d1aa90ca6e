// Marks, on a page opened from the search results, the words the search
// matched: the result links carry `?highlight=` with the matched stems (the
// search page's response.highlight). Independent of the search module; does
// nothing on a page opened any other way.
//
// A word of the page's <main> is marked when its lowercased, accent-folded
// form starts with a stem of four letters or more, or is a shorter stem; the
// parameter is then taken out of the address bar, so a copied link is clean.

const MIN_PREFIX = 4;
const SKIP = new Set(["SCRIPT", "STYLE", "MARK", "TEXTAREA", "INPUT", "SELECT", "CODE", "PRE"]);

const params = new URLSearchParams(window.location.search);
const stems = (params.get("highlight") || "")
  .split(/\s+/)
  .map(fold)
  .filter((stem) => stem.length > 0);
const main = document.getElementById("main");
if (stems.length > 0 && main) {
  mark(main, stems);
  params.delete("highlight");
  const rest = params.toString();
  history.replaceState(history.state, "", window.location.pathname + (rest ? `?${rest}` : "") + window.location.hash);
}

function fold(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function matches(word, stems) {
  const folded = fold(word);
  return stems.some((stem) => (stem.length >= MIN_PREFIX ? folded.startsWith(stem) : folded === stem));
}

function mark(root, stems) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let parent = node.parentElement; parent && parent !== root; parent = parent.parentElement) {
        if (SKIP.has(parent.tagName)) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const text = node.nodeValue;
    const words = Array.from(text.matchAll(/[\p{L}\p{N}]+/gu)).filter((m) => matches(m[0], stems));
    if (words.length === 0) continue;
    const pieces = [];
    let at = 0;
    for (const word of words) {
      pieces.push(text.slice(at, word.index));
      const highlighted = document.createElement("mark");
      highlighted.className = "search-highlight";
      highlighted.textContent = word[0];
      pieces.push(highlighted);
      at = word.index + word[0].length;
    }
    pieces.push(text.slice(at));
    node.replaceWith(...pieces.filter((piece) => piece !== ""));
  }
}
