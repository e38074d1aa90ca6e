// End-to-end check of the search page in headless Chromium.
//
//   node search.mjs SITE_DIR [BASE_PATH] [LANG]
//
// With LANG (`fr`, `de`), checks that language's search page instead, see
// LANGUAGES below: BASE_PATH + LANG + '/search/' names and fetches that
// language's index and stemmer, and a query in the language (in another form
// than the entry's words) finds the entry's page in that language.
//
// Serves SITE_DIR under BASE_PATH (default: the path of the site's base_url)
// and uses BASE_PATH + 'search/' as a reader would:
//
// - the home page loads neither the WebAssembly reader nor the index; the
//   search page fetches each exactly once, from under BASE_PATH, and no
//   request leaves the local server;
// - typing "algorithmic impact assessment" on the keyboard shows results as
//   the words come (no Enter), the Canadian "Algorithmic Impact Assessment
//   tool" among the first five, matches marked with <mark>, the result count
//   in the status line and, once typing pauses, in the aria-live region, and
//   the glossary's definition above the results;
// - ticking principles=transparency narrows the results to resources tagged
//   transparency (checked against SITE_DIR/resources.json), as many as the
//   count beside the box said;
// - the URL carries the query and the filter; opening it in a new page
//   restores the box, the ticked filter and the same results; Back returns
//   to the unfiltered search and Forward to the filtered one;
// - keyboard only: Tab reaches the box and the filters, Space ticks one;
// - the arrow keys move from the box to the results and between them, Escape
//   returns to the box, Enter opens a result, whose page marks the matched
//   words (?highlight=, highlight.js);
// - a reader's question ("what is automation bias") and an acronym ("AI Act")
//   find the glossary term and the EU AI Act first; sorting by newest reorders
//   the results by date and is kept in the URL; a misspelt word beyond the
//   typo widening finds nothing but offers "Did you mean" with a word of the
//   index, which searches it, and the browse links;
// - a search that finds the superseded 2019 UK guide shows its "Superseded"
//   badge, every result not current shows its status (from resources.json)
//   and current ones none, and the superseded and withdrawn results come
//   after the others;
// - without WebAssembly the page says search is unavailable; without
//   JavaScript the form is a plain GET form and the no-JavaScript notice
//   shows;
// - no console error and no page error anywhere.
//
// Also measures, without asserting, the time from navigation to the first
// rendered result and the bytes transferred before it (all responses, and the
// .wasm plus the index alone). Prints a JSON summary on stdout; exits 1 with
// a readable list of problems on stderr if there are any, 2 on a usage error.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TIMEOUT, launch, serve, withTimeout } from './lib.mjs';

const QUERY = 'algorithmic impact assessment';
const EXPECTED = { title: 'Algorithmic Impact Assessment tool', path: '/standards/canada-aia-tool/' };
const GLOSSARY_TERM = 'Algorithmic impact assessment';
const FILTER = { name: 'principles', value: 'transparency' };
const TOP = 5;
// A query that finds the 2019 UK guide, superseded by the 2025 playbook.
const STATUS_QUERY = 'artificial intelligence public sector';
const STATUS_EXPECTED = 'standards/uk-guide-ai-public-sector-2019/';
const STATUS_NAMES = { superseded: 'Superseded', withdrawn: 'Withdrawn', 'under-review': 'Under review' };
const RETIRED = ['superseded', 'withdrawn'];
const WIDE = { width: 1280, height: 900 };
// The page waits this long after the last keystroke before announcing the
// count; the check allows it plus the usual bound.
const ANNOUNCE_WAIT = TIMEOUT;

// Per language of the example collection: a query and the entry it must find.
const LANGUAGES = {
  fr: { query: 'donnée personnelle', title: 'Données à caractère personnel', path: 'fr/glossary/personal-data/' },
  de: { query: 'personenbezogenen Daten', title: 'Personenbezogene Daten', path: 'de/glossary/personal-data/' },
};

const [siteDir, baseArg, lang] = process.argv.slice(2);
if (!siteDir || (lang && !LANGUAGES[lang])) {
  console.error(`usage: node search.mjs SITE_DIR [BASE_PATH] [${Object.keys(LANGUAGES).join('|')}]`);
  process.exit(2);
}
const folder = lang ? `${lang}/` : '';
const catalogue = JSON.parse(readFileSync(join(siteDir, 'resources.json'), 'utf8'));
const base = baseArg ?? new URL(catalogue.base_url).pathname;

const problems = [];
const gzipSizes = new Map();
const summary = { base, lang: lang ?? null, query: lang ? LANGUAGES[lang].query : QUERY, checks: [], measured: {} };
const check = (ok, what, detail) => {
  summary.checks.push({ ok: Boolean(ok), what });
  if (!ok) problems.push(detail === undefined ? what : `${what}: ${detail}`);
  return Boolean(ok);
};

const server = await serve(siteDir, base);
const searchPath = server.base + folder + 'search/';
const searchUrl = server.url + folder + 'search/';
const searchHtml = readFileSync(join(siteDir, folder, 'search/index.html'), 'utf8');
// The page names the reader's files in its preload links (content-hashed).
const wasmUrl = linkTo(searchHtml, 'data-search-module');
const wasmPath = wasmUrl;
const indexPath = linkTo(searchHtml, 'data-search-index');
summary.wasm = wasmUrl;
summary.index = indexPath;

// Site path of each resource page → its status when it is not current.
const statusOf = new Map(
  catalogue.resources.filter((r) => r.status && r.status !== 'current').map((r) => [new URL(r.page).pathname, r.status]),
);
// Site path of each resource page → its terms in FILTER.name.
const taxonomyOf = new Map(
  catalogue.resources.map((r) => [new URL(r.page).pathname, r.taxonomies?.[FILTER.name] ?? []]),
);

const browser = await launch();
try {
  await withTimeout(lang ? runLanguage() : run(), 90_000, 'the search checks');
} catch (error) {
  problems.push(`the check itself failed: ${error.stack || error}`);
} finally {
  await browser.close().catch(() => {});
  await server.close();
}

summary.problems = problems;
console.log(JSON.stringify(summary, null, 2));
if (problems.length) {
  console.error(`\n${problems.length} search problem(s):\n`);
  for (const problem of problems) console.error(`- ${problem}\n`);
  process.exit(1);
}

/** A language's search page: its own index and stemmer, and a query in its words. */
async function runLanguage() {
  const { query, title, path } = LANGUAGES[lang];
  const stemmerPath = linkTo(searchHtml, 'data-search-stemmer');
  check(indexPath?.startsWith(searchPath), `the page names its index under ${searchPath}`, indexPath);
  check(stemmerPath?.includes('/stemmers/'), 'the page names its language\'s stemmer', stemmerPath);
  const context = await newContext();
  try {
    const page = await context.newPage();
    const mark = server.requests.length;
    await page.goto(searchUrl, { waitUntil: 'load' });
    check((await page.getAttribute('html', 'lang')) === lang, `the page is in ${lang}`);
    await page.locator('#search-q').fill(query);
    // The entry, among the results or the glossary's definitions above them.
    const found = await waitFor(
      page,
      (p) => [...document.querySelectorAll('#search-results a, #search-definitions a')].some((a) => new URL(a.href).pathname === p),
      server.base + path,
      `a link to ${path}`,
    );
    const links = await page.$$eval('#search-results a, #search-definitions a', (as) =>
      as.map((a) => ({ title: a.textContent.trim(), path: new URL(a.href).pathname })),
    );
    summary.links = links.slice(0, 10);
    check(found, `“${query}” finds ${path}`, JSON.stringify(summary.links));
    check(
      links.some((l) => l.path === server.base + path && l.title.includes(title)),
      `the link to ${path} is titled “${title}”`,
      JSON.stringify(summary.links),
    );
    const fetched = server.requests.slice(mark);
    check(fetched.includes(indexPath), `the page fetched ${indexPath}`, fetched.join(', '));
    check(fetched.includes(stemmerPath), `the page fetched ${stemmerPath}`, fetched.join(', '));
    await page.close();
  } finally {
    await context.close();
  }
}

async function run() {
  check(wasmPath?.startsWith(searchPath), `the page names its .wasm under ${searchPath}`, wasmUrl);
  check(/\.[0-9a-f]{12}\.wasm$/.test(wasmUrl ?? ''), 'the .wasm address carries a hash of its bytes', wasmUrl);
  check(indexPath?.startsWith(searchPath), `the page names its index under ${searchPath}`, indexPath);

  const context = await newContext();
  try {
    await homePageLoadsNoReader(context);
    const state = await typeAndFilter(context);
    await sharedUrl(context, state);
  } finally {
    await context.close();
  }
  const keys = await newContext();
  try {
    await keyboardOnly(keys);
    await arrowKeys(keys);
    await readersQueries(keys);
  } finally {
    await keys.close();
  }
  await withoutWebAssembly();
  await withoutJavaScript();
}

/** A context that keeps every request on the local server and reports errors. */
async function newContext(options = {}, watching = {}) {
  const context = await browser.newContext({ viewport: WIDE, reducedMotion: 'reduce', ...options });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.origin + '/')) return route.continue();
    problems.push(`request to another host: ${url}`);
    return route.abort('blockedbyclient');
  });
  context.on('page', (page) => watch(page, watching));
  return context;
}

/** Console errors and uncaught exceptions are failures, whatever the page. */
function watch(page, { allowWarnings = false } = {}) {
  page.on('console', (message) => {
    const type = message.type();
    if (type === 'error' || (type === 'warning' && !allowWarnings && /search/i.test(message.text()))) {
      problems.push(`console ${type} on ${page.url()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
}

/** Records, from navigation on, when the first result is rendered and what had arrived by then. */
async function measureFirstResult(page) {
  await page.addInitScript(() => {
    const note = () => {
      const results = document.getElementById('search-results');
      if (!results || window.__firstResult) return Boolean(window.__firstResult);
      if (!results.querySelector('li')) return false;
      const at = performance.now();
      const entries = [
        ...performance.getEntriesByType('navigation'),
        ...performance.getEntriesByType('resource'),
      ]
        .filter((e) => e.responseEnd > 0 && e.responseEnd <= at)
        .map((e) => ({
          path: new URL(e.name).pathname,
          transfer: e.transferSize,
          body: e.encodedBodySize,
        }));
      window.__firstResult = { at, entries };
      return true;
    };
    new MutationObserver((_, observer) => {
      if (note()) observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
}

async function firstResultFigures(page) {
  const seen = await page.waitForFunction(() => window.__firstResult, null, { timeout: TIMEOUT });
  const { at, entries } = await seen.jsonValue();
  const bytes = (list) => list.reduce((sum, e) => sum + e.body, 0);
  // The module, the index's hot file and the chunks fetched from beside it.
  const chunks = indexPath.replace(/\.bin$/, '/');
  const reader = entries.filter(
    (e) => e.path === wasmPath || e.path === indexPath || e.path.startsWith(chunks),
  );
  return {
    ms_to_first_result: Math.round(at),
    bytes_before_first_result: bytes(entries),
    wasm_and_index_bytes: bytes(reader),
    index_chunks_fetched: reader.filter((e) => e.path.startsWith(chunks)).length,
    // What a host that compresses would send for the two (the local server does not).
    wasm_and_index_gzip_bytes: reader.reduce((sum, e) => sum + gzipped(e.path), 0),
    responses_before_first_result: entries.length,
    files: Object.fromEntries(entries.map((e) => [e.path, e.body])),
  };
}

function requestsSince(mark, path) {
  return server.requests.slice(mark).filter((p) => p === path).length;
}

async function homePageLoadsNoReader(context) {
  const page = await context.newPage();
  const mark = server.requests.length;
  await page.goto(server.url, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  const fetched = server.requests.slice(mark).filter((p) => p === wasmPath || p === indexPath || p.endsWith('.wasm'));
  check(fetched.length === 0, 'the home page loads neither the .wasm nor the index', fetched.join(', '));
  await page.close();
}

/** Opens the search page, types the query, ticks the filter; returns what later steps compare. */
async function typeAndFilter(context) {
  const page = await context.newPage();
  await measureFirstResult(page);
  const mark = server.requests.length;
  await page.goto(searchUrl, { waitUntil: 'load' });

  // Progressive: every status the page shows while the reader types.
  await page.evaluate(() => {
    window.__statuses = [];
    const status = document.getElementById('search-status');
    new MutationObserver(() => {
      const text = status.textContent;
      if (text && window.__statuses.at(-1) !== text) window.__statuses.push(text);
    }).observe(status, { childList: true, characterData: true, subtree: true });
  });

  const [first, ...rest] = QUERY.split(' ');
  const box = page.locator('#search-q');
  await box.click();
  await page.keyboard.type(first, { delay: 40 });
  const early = await waitFor(
    page,
    (word) =>
      document.querySelector('#search-results li') &&
      document.getElementById('search-status').textContent.includes(`“${word}”`),
    first,
    `results for “${first}” while typing`,
  );
  check(early, `results appear after typing “${first}”, before the rest of the query and without Enter`);
  await page.keyboard.type(' ' + rest.join(' '), { delay: 40 });
  check(
    await waitFor(
      page,
      (q) => document.getElementById('search-status').textContent.includes(`“${q}”`),
      QUERY,
      `the status for “${QUERY}”`,
    ),
    `the status line shows the result count for “${QUERY}”`,
    await text(page, '#search-status'),
  );
  const statuses = await page.evaluate(() => window.__statuses);
  summary.statuses_while_typing = statuses;
  check(
    new Set(statuses.map((s) => s.match(/“(.*)”/)?.[1]).filter(Boolean)).size >= 2,
    'results are rendered again as the query grows (at least two queries shown while typing)',
    JSON.stringify(statuses),
  );
  summary.measured.typing = await firstResultFigures(page);

  const unfiltered = await resultsOf(page);
  summary.unfiltered = { status: unfiltered.status, total: unfiltered.total, top: unfiltered.hits.slice(0, TOP) };
  const top = unfiltered.hits.slice(0, TOP);
  check(
    top.some((h) => h.title === EXPECTED.title && h.path.endsWith(EXPECTED.path)),
    `“${EXPECTED.title}” (${EXPECTED.path}) is among the first ${TOP} results`,
    JSON.stringify(top),
  );
  check(
    unfiltered.total >= unfiltered.hits.length && unfiltered.hits.length > 0,
    'the status line counts the results',
    unfiltered.status,
  );
  check(
    top.every((h) => h.path.startsWith(server.base)),
    `result links stay under ${server.base}`,
    JSON.stringify(top.map((h) => h.path)),
  );

  const marks = await page.$$eval('#search-results mark', (els) => els.map((e) => e.textContent.toLowerCase()));
  summary.marked = [...new Set(marks)].slice(0, 10);
  check(
    marks.some((m) => /^(algorithm|impact|assess)/.test(m)),
    'matches of the query are highlighted with <mark>',
    JSON.stringify(summary.marked),
  );

  const live = await page.locator('#search-announce').evaluate((el) => ({
    live: el.getAttribute('aria-live'),
    role: el.getAttribute('role'),
  }));
  check(live.live === 'polite' || live.role === 'status', 'the announcer is a live region', JSON.stringify(live));
  check(
    await waitFor(
      page,
      (status) => document.getElementById('search-announce').textContent === status,
      unfiltered.status,
      'the announcement',
      ANNOUNCE_WAIT,
    ),
    'the live region announces the result count once typing pauses',
    `${JSON.stringify(await text(page, '#search-announce'))} vs ${JSON.stringify(unfiltered.status)}`,
  );

  const definition = await page.evaluate(() => {
    const defs = document.getElementById('search-definitions');
    const results = document.getElementById('search-results');
    const terms = [...defs.querySelectorAll('dt')].map((dt) => ({
      term: dt.textContent.trim(),
      href: dt.querySelector('a')?.getAttribute('href') ?? null,
      definition: dt.nextElementSibling?.textContent.trim() ?? '',
    }));
    const above =
      defs.getBoundingClientRect().bottom <= results.getBoundingClientRect().top + 1 &&
      Boolean(defs.compareDocumentPosition(results) & Node.DOCUMENT_POSITION_FOLLOWING);
    return { terms, above };
  });
  summary.definitions = definition.terms;
  const glossary = definition.terms.find((t) => t.term === GLOSSARY_TERM);
  check(
    glossary && glossary.definition.length > 20,
    `the glossary's “${GLOSSARY_TERM}” is defined for the query`,
    JSON.stringify(definition.terms),
  );
  check(definition.above, 'the definition is shown above the results');

  // The reader is fetched once, from under the base path.
  check(requestsSince(mark, wasmPath) === 1, 'the .wasm is fetched exactly once', requestsSince(mark, wasmPath));
  check(requestsSince(mark, indexPath) === 1, 'the index is fetched exactly once', requestsSince(mark, indexPath));
  const strays = server.requests.slice(mark).filter((p) => !p.startsWith(server.base));
  check(strays.length === 0, `every request stays under ${server.base}`, strays.join(', '));

  // The filter.
  const boxSelector = `input[type="checkbox"][name="${FILTER.name}"][value="${FILTER.value}"]`;
  // The counts follow the results.
  const countSelector = `label:has(${boxSelector}) [data-count]`;
  await waitFor(
    page,
    (selector) => document.querySelector(selector)?.textContent.trim() !== '',
    countSelector,
    'the filter counts',
  );
  const said = Number((await text(page, countSelector)).replace(/[^0-9]/g, ''));
  const urlBefore = page.url();
  await page.locator(boxSelector).check();
  check(
    await waitFor(
      page,
      (before) => document.getElementById('search-status').textContent !== before,
      unfiltered.status,
      'results after ticking the filter',
    ),
    `ticking ${FILTER.name}=${FILTER.value} updates the results`,
  );
  await showAll(page);
  const filtered = await resultsOf(page);
  summary.filtered = { status: filtered.status, total: filtered.total, shown: filtered.hits.length };
  check(
    filtered.total > 0 && filtered.total < unfiltered.total,
    `the filter narrows the results (${unfiltered.total} → ${filtered.total}, more than none)`,
    filtered.status,
  );
  check(filtered.total === said, `the count beside the box (${said}) is the number of results it leaves`, filtered.status);
  check(filtered.hits.length === filtered.total, 'every filtered result can be shown', `${filtered.hits.length} of ${filtered.total}`);
  const wrong = filtered.hits.filter((h) => !(taxonomyOf.get(h.path) ?? []).includes(FILTER.value));
  check(
    wrong.length === 0,
    `every filtered result is a resource tagged ${FILTER.name}=${FILTER.value} in resources.json`,
    JSON.stringify(wrong),
  );

  // The URL carries the state, and a new entry was pushed for the filter.
  const url = new URL(page.url());
  check(url.pathname === searchPath, `the URL stays on ${searchPath}`, url.pathname);
  check(sameParams(url.searchParams, [['q', QUERY], [FILTER.name, FILTER.value]]), 'the URL carries the query and the filter', url.search);
  summary.shared_url = url.pathname + url.search;
  return { page, urlBefore, unfiltered, filtered, boxSelector };
}

async function sharedUrl(context, state) {
  const { page, urlBefore, unfiltered, filtered, boxSelector } = state;

  // A fresh page, from the shared address.
  const fresh = await context.newPage();
  await measureFirstResult(fresh);
  await fresh.goto(server.origin + summary.shared_url, { waitUntil: 'load' });
  summary.measured.shared_url = await firstResultFigures(fresh);
  check(
    await waitFor(fresh, (s) => document.getElementById('search-status').textContent === s, filtered.status, 'the restored search'),
    'the shared URL restores the result count',
    await text(fresh, '#search-status'),
  );
  check((await fresh.inputValue('#search-q')) === QUERY, 'the shared URL restores the query in the box', await fresh.inputValue('#search-q'));
  check(await fresh.locator(boxSelector).isChecked(), 'the shared URL restores the ticked filter');
  const ticked = await fresh.$$eval('input[type="checkbox"][form="search-form"]:checked', (els) => els.map((e) => `${e.name}=${e.value}`));
  check(ticked.length === 1, 'only that filter is ticked', ticked.join(', '));
  await showAll(fresh);
  const restored = await resultsOf(fresh);
  check(
    sameHits(restored.hits, filtered.hits),
    'the shared URL shows the same results in the same order',
    JSON.stringify(restored.hits.slice(0, TOP)),
  );
  await fresh.close();

  // Back: the search before the filter; Forward: the filtered one again.
  await page.goBack({ waitUntil: 'commit' });
  const back = check(page.url() === urlBefore, 'Back returns to the address before the filter', page.url());
  if (!back) return page.close();
  check(
    await waitFor(
      page,
      ([selector, status]) => !document.querySelector(selector).checked && document.getElementById('search-status').textContent === status,
      [boxSelector, unfiltered.status],
      'the state Back leads to',
    ),
    'Back unticks the filter and shows the unfiltered results',
    await text(page, '#search-status'),
  );
  check((await page.inputValue('#search-q')) === QUERY, 'Back keeps the query in the box');
  check(sameHits((await resultsOf(page)).hits, unfiltered.hits), 'Back shows the unfiltered results again');
  await page.goForward({ waitUntil: 'commit' });
  check(
    await waitFor(
      page,
      ([selector, status]) => document.querySelector(selector).checked && document.getElementById('search-status').textContent === status,
      [boxSelector, filtered.status],
      'the state Forward leads to',
    ),
    'Forward ticks the filter again',
    await text(page, '#search-status'),
  );
  await page.close();
}

async function keyboardOnly(context) {
  const page = await context.newPage();
  await page.goto(searchUrl, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return '';
      if (el.id) return `#${el.id}`;
      if (el.type === 'checkbox') return `${el.name}=${el.value}`;
      return el.tagName.toLowerCase();
    });
  // From the top of the page to the box.
  const path = [];
  let at = '';
  for (let i = 0; i < 80 && at !== '#search-q'; i++) {
    await page.keyboard.press('Tab');
    at = await focused();
    path.push(at);
  }
  summary.tab_to_box = path.length;
  if (!check(at === '#search-q', 'Tab reaches the search box', path.join(' → '))) return page.close();

  await page.keyboard.type(QUERY);
  await waitFor(page, (q) => document.getElementById('search-status').textContent.includes(`“${q}”`), QUERY, 'results typed from the keyboard');
  const before = await text(page, '#search-status');
  const target = `${FILTER.name}=${FILTER.value}`;
  let tabs = 0;
  let firstFilter = null;
  for (; tabs < 200 && at !== target; tabs++) {
    await page.keyboard.press('Tab');
    at = await focused();
    if (!firstFilter && at.includes('=')) firstFilter = at;
  }
  summary.tab_from_box_to_filter = tabs;
  check(firstFilter, 'Tab reaches the filters from the box');
  if (!check(at === target, `Tab reaches the ${target} filter`, `stopped at ${at}`)) return page.close();
  await page.keyboard.press('Space');
  check(
    await waitFor(page, (s) => document.getElementById('search-status').textContent !== s, before, 'results after Space'),
    'Space on a focused filter ticks it and updates the results',
  );
  check(new URL(page.url()).searchParams.getAll(FILTER.name).includes(FILTER.value), 'the filter ticked from the keyboard is in the URL', page.url());
  await page.close();
}

/** Types `query` into the box of `page` and waits for its results. */
async function searchFor(page, query) {
  await page.fill('#search-q', query);
  return waitFor(
    page,
    (q) => document.getElementById('search-status').textContent.includes(`“${q}”`),
    query,
    `results for “${query}”`,
  );
}

async function arrowKeys(context) {
  const page = await context.newPage();
  await page.goto(searchUrl, { waitUntil: 'load' });
  await page.locator('#search-q').focus();
  await searchFor(page, QUERY);
  const focusedResult = () =>
    page.evaluate(() => {
      const links = [...document.querySelectorAll('#search-results .search-result-title a')];
      return document.activeElement === document.getElementById('search-q') ? 'box' : links.indexOf(document.activeElement);
    });
  await page.keyboard.press('ArrowDown');
  check((await focusedResult()) === 0, 'ArrowDown in the box moves to the first result', String(await focusedResult()));
  await page.keyboard.press('ArrowDown');
  check((await focusedResult()) === 1, 'ArrowDown moves to the next result', String(await focusedResult()));
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  check((await focusedResult()) === 'box', 'ArrowUp from the first result returns to the box', String(await focusedResult()));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Escape');
  check((await focusedResult()) === 'box', 'Escape returns to the box', String(await focusedResult()));
  await page.keyboard.press('ArrowDown');
  const target = await page.evaluate(() => document.activeElement.href);
  await Promise.all([page.waitForURL((u) => u.pathname === new URL(target).pathname), page.keyboard.press('Enter')]);
  check(new URL(page.url()).pathname === new URL(target).pathname, 'Enter opens the focused result', page.url());
  const marks = await page
    .waitForSelector('#main mark.search-highlight', { timeout: TIMEOUT })
    .then(() => page.$$eval('#main mark.search-highlight', (els) => els.map((e) => e.textContent.toLowerCase())), () => []);
  summary.highlighted_on_page = [...new Set(marks)].slice(0, 10);
  check(
    marks.some((m) => /^(algorithm|impact|assess)/.test(m)),
    'the opened page marks the words the search matched',
    JSON.stringify(summary.highlighted_on_page),
  );
  check(!new URL(page.url()).searchParams.has('highlight'), 'the opened page takes ?highlight= out of its address', page.url());
  await page.close();
}

async function readersQueries(context) {
  const page = await context.newPage();
  await page.goto(searchUrl, { waitUntil: 'load' });
  const first = async () => (await resultsOf(page)).hits[0]?.path ?? '';
  const expectations = [
    ['what is automation bias', 'glossary/automation-bias/', 'a question'],
    ['AI Act', 'leadership/governance/eu-ai-act/', 'an acronym'],
  ];
  for (const [query, path, what] of expectations) {
    await searchFor(page, query);
    check((await first()) === server.base + path, `${what} (“${query}”) finds ${path} first`, await first());
  }

  // Statuses: each result not current carries the badge its page shows, and
  // the superseded or withdrawn ones come after every other result.
  await searchFor(page, STATUS_QUERY);
  await showAll(page);
  const listed = await page.$$eval('#search-results > li', (items) =>
    items.map((li) => ({
      path: new URL(li.querySelector('a').href).pathname,
      badge: li.querySelector('.search-result-status .badge')?.textContent.trim() ?? '',
    })),
  );
  summary.statuses = listed.filter((r) => r.badge);
  const wrong = listed.filter((r) => r.badge !== (STATUS_NAMES[statusOf.get(r.path)] ?? ''));
  check(
    listed.some((r) => r.path === server.base + STATUS_EXPECTED && r.badge === 'Superseded'),
    `“${STATUS_QUERY}” lists ${STATUS_EXPECTED} with a “Superseded” badge`,
    JSON.stringify(listed),
  );
  check(wrong.length === 0, 'every result shows the badge of its status, and current ones none', JSON.stringify(wrong));
  const retired = listed.map((r) => RETIRED.includes(statusOf.get(r.path)));
  check(
    retired.indexOf(true) > 0 && retired.lastIndexOf(false) < retired.indexOf(true),
    'superseded and withdrawn results come after the current ones',
    JSON.stringify(listed),
  );

  // Newest first, kept in the URL.
  await searchFor(page, 'algorithmic impact assessment');
  const byRelevance = (await resultsOf(page)).hits.map((h) => h.path);
  await page.selectOption('#search-sort', 'newest');
  await waitFor(
    page,
    (before) => [...document.querySelectorAll('#search-results a')].map((a) => new URL(a.href).pathname).join() !== before,
    byRelevance.join(),
    'the results sorted by newest',
  );
  const dates = await page.$$eval('#search-results .search-result-kind', (els) =>
    els.map((e) => e.textContent.match(/\d{4}(-\d{2})?(-\d{2})?/)?.[0] ?? ''),
  );
  const dated = dates.filter(Boolean);
  check(
    dated.length > 1 && dated.every((d, i) => i === 0 || dated[i - 1] >= d),
    'sorting by newest lists the results newest first',
    JSON.stringify(dates),
  );
  check(new URL(page.url()).searchParams.get('sort') === 'newest', 'the order is kept in the URL', page.url());
  await page.selectOption('#search-sort', '');

  // Nothing found: a suggestion from the index's words, and the browse links.
  await searchFor(page, 'prfling');
  const nothing = await page.evaluate(() => ({
    shown: !document.getElementById('search-nothing').hidden,
    suggestion: document.querySelector('#search-did-you-mean a')?.textContent ?? '',
    browse: document.querySelectorAll('#search-nothing a').length,
    status: document.getElementById('search-status').textContent,
  }));
  summary.zero_results = nothing;
  check(nothing.shown && nothing.status.startsWith('No results'), 'a misspelt query finds nothing and says so', JSON.stringify(nothing));
  check(nothing.suggestion === 'profiling', 'it suggests “profiling”', JSON.stringify(nothing));
  check(nothing.browse > 1, 'it offers the browse links', JSON.stringify(nothing));
  await page.click('#search-did-you-mean a');
  check(
    await waitFor(page, () => document.getElementById('search-q').value === 'profiling' && document.querySelector('#search-results li'), null, 'the suggested search'),
    'following the suggestion searches it',
  );
  check(
    await waitFor(page, () => document.getElementById('search-nothing').hidden, null, 'the suggestion to go'),
    'with results the suggestion and browse links are hidden',
  );
  await page.close();
}

async function withoutWebAssembly() {
  // The page reports its failure with a warning; only errors count here.
  const context = await newContext({}, { allowWarnings: true });
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      delete globalThis.WebAssembly;
    });
    await page.goto(`${searchUrl}?q=${encodeURIComponent(QUERY)}`, { waitUntil: 'load' });
    const shown = await page
      .waitForSelector('#search-unavailable', { state: 'visible', timeout: TIMEOUT })
      .then(() => true, () => false);
    check(shown, 'without WebAssembly the page says search is not available');
    check(!(await page.isVisible('.search-layout')), 'without WebAssembly no filters or results are offered');
  } finally {
    await context.close();
  }
}

async function withoutJavaScript() {
  const context = await newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(searchUrl, { waitUntil: 'load' });
    const form = await page.locator('#search-form').evaluate((f) => ({
      method: f.getAttribute('method')?.toLowerCase(),
      action: new URL(f.action, location.href).pathname,
      box: f.elements.q?.type,
    }));
    check(form.method === 'get' && form.action === searchPath && form.box === 'search', `without JavaScript the form is a GET form to ${searchPath}`, JSON.stringify(form));
    const notice = page.locator('.search-notice', { hasText: 'needs JavaScript' });
    check(await notice.isVisible(), 'without JavaScript the no-JavaScript notice is visible');
    check(!(await page.isVisible('.search-layout')), 'without JavaScript no filters or results are offered');
    check(!(await page.isVisible('#search-unavailable')), 'without JavaScript the WebAssembly notice stays hidden');
    await page.locator('#search-q').click();
    await page.keyboard.type(QUERY);
    await Promise.all([page.waitForURL((u) => u.searchParams.has('q')), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    check(url.pathname === searchPath && url.searchParams.get('q') === QUERY, 'without JavaScript Enter submits the query as ?q=', page.url());
  } finally {
    await context.close();
  }
}

// Helpers.

/** Waits for `fn(arg)` to be true in the page; false (not a throw) on timeout. */
function waitFor(page, fn, arg, what, timeout = TIMEOUT) {
  return page.waitForFunction(fn, arg, { timeout, polling: 50 }).then(
    () => true,
    (error) => {
      problems.push(`waiting for ${what}: ${error.message.split('\n')[0]}`);
      return false;
    },
  );
}

async function text(page, selector) {
  return (await page.locator(selector).first().textContent({ timeout: TIMEOUT }).catch(() => null)) ?? '';
}

/** The status line, the total it states, and the hits shown (title, path, kind). */
async function resultsOf(page) {
  return page.evaluate(() => {
    const status = document.getElementById('search-status').textContent;
    const total = /^No results/.test(status) ? 0 : Number((status.match(/^[\d,.\s]+/)?.[0] ?? 'NaN').replace(/[^0-9]/g, ''));
    const hits = [...document.querySelectorAll('#search-results > li')].map((li) => {
      const link = li.querySelector('a');
      return {
        title: link?.textContent.trim() ?? '',
        path: link ? new URL(link.href).pathname : '',
        kind: [...li.classList].find((c) => c.startsWith('search-result-'))?.slice('search-result-'.length) ?? '',
      };
    });
    return { status, total, hits };
  });
}

/** Presses "Show more results" until every result is listed (bounded). */
async function showAll(page) {
  for (let i = 0; i < 20; i++) {
    const more = page.locator('#search-more');
    if (!(await more.isVisible())) return;
    const shown = await page.locator('#search-results > li').count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('#search-results > li').length > n, shown, { timeout: TIMEOUT });
  }
}

function sameHits(a, b) {
  return a.length === b.length && a.every((h, i) => h.path === b[i].path && h.title === b[i].title);
}

/** Same names and values, in any order. */
function sameParams(params, expected) {
  const key = (pairs) => pairs.map(([k, v]) => `${k}\u0000${v}`).sort().join('\u0001');
  return key([...params]) === key(expected);
}

function gzipped(path) {
  if (!gzipSizes.has(path)) {
    const file = join(siteDir, path.slice(server.base.length));
    gzipSizes.set(path, gzipSync(readFileSync(file), { level: 9 }).length);
  }
  return gzipSizes.get(path);
}

/** The href of the <link> that carries attribute `marker`. */
function linkTo(html, marker) {
  const link = [...html.matchAll(/<link\s[^>]*>/g)].map((m) => m[0]).find((tag) => tag.includes(` ${marker}`));
  return link?.match(/\shref="([^"]*)"/)?.[1]?.replace(/&amp;/g, '&');
}
