// Relevance of the search page against Pagefind, on the judged queries of
// bench/relevance/queries.json, in headless Chromium, in one run.
//
//   node bench/relevance/run.mjs SITE_DIR PAGEFIND_DIR [QUERIES_JSON]
//
// SITE_DIR is the example collection built by `almanac build`. PAGEFIND_DIR
// holds the npm package `pagefind` (bench/relevance/run.sh installs it). Both
// engines index the same pages: every resource, glossary term and plain page
// (Pagefind reads their <main>, marked with data-pagefind-body in a copy of
// the site, so that lists, taxonomy and home pages are left out as Almanac
// leaves them out). Each query is typed into the real search page for Almanac
// and run through Pagefind's JS API for Pagefind; the first ten results of
// each are judged against the pages the set accepts.
//
// Prints, per engine and for the tuning part, the held-out part and the
// whole set: MRR@10 (the mean of 1/rank of the first accepted result, 0 when
// none is in the first ten) and top-1 (the share of queries whose first result
// is accepted); then every query whose first result is not accepted by either
// engine. The JSON of every query's ranks goes to RESULTS_JSON when set.

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIMEOUT, launch, serve } from '../../tests/browser/lib.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const [siteArg, pagefindArg, queriesArg] = process.argv.slice(2);
if (!siteArg || !pagefindArg) {
  console.error('usage: node bench/relevance/run.mjs SITE_DIR PAGEFIND_DIR [QUERIES_JSON]');
  process.exit(2);
}
const set = JSON.parse(readFileSync(queriesArg ?? join(here, 'queries.json'), 'utf8'));
const catalogue = JSON.parse(readFileSync(join(siteArg, 'resources.json'), 'utf8'));
const base = new URL(catalogue.base_url).pathname;
const DEPTH = 10;

// A copy of the site in which only the pages Almanac indexes are Pagefind's.
const work = mkdtempSync(join(tmpdir(), 'relevance-'));
const site = join(work, 'site');
cpSync(resolve(siteArg), site, { recursive: true });
let marked = 0;
for (const file of htmlFiles(site)) {
  const html = readFileSync(file, 'utf8');
  if (!/<body class="kind-(resource|glossary-term|page)"/.test(html)) continue;
  writeFileSync(file, html.replace('<main id="main"', '<main id="main" data-pagefind-body'));
  marked += 1;
}
const pagefindBin = join(resolve(pagefindArg), 'node_modules/.bin/pagefind');
execFileSync(pagefindBin, ['--site', site, '--silent'], { stdio: 'inherit' });
const pagefindVersion = JSON.parse(
  readFileSync(join(resolve(pagefindArg), 'node_modules/pagefind/package.json'), 'utf8'),
).version;
writeFileSync(
  join(site, 'pagefind-relevance.html'),
  '<!doctype html><meta charset="utf-8"><title>Pagefind</title><script type="module" src="pagefind-relevance.js"></script>\n',
);
writeFileSync(
  join(site, 'pagefind-relevance.js'),
  `const pagefind = await import(new URL("pagefind/pagefind.js", import.meta.url).href);
await pagefind.init();
window.runQuery = async (q) => {
  const search = await pagefind.search(q);
  const data = await Promise.all(search.results.slice(0, ${DEPTH}).map((r) => r.data()));
  return data.map((d) => new URL(d.url, location.href).pathname);
};
window.ready = true;
`,
);

const server = await serve(site, base);
const browser = await launch();
const ranks = { almanac: [], pagefind: [] };
try {
  const context = await browser.newContext();
  context.setDefaultTimeout(TIMEOUT);
  const errors = [];
  context.on('page', (page) => page.on('pageerror', (e) => errors.push(e.message)));

  const almanac = await context.newPage();
  await almanac.goto(server.url + 'search/');
  await almanac.waitForFunction(() => document.querySelector('.search-layout')?.hidden === false);
  for (const item of set.queries) {
    ranks.almanac.push(rank(item, await almanacTop(almanac, item.query)));
  }

  const pagefind = await context.newPage();
  await pagefind.goto(server.url + 'pagefind-relevance.html');
  await pagefind.waitForFunction(() => window.ready === true);
  for (const item of set.queries) {
    const top = await pagefind.evaluate((q) => window.runQuery(q), item.query);
    ranks.pagefind.push(rank(item, top));
  }
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

/** Types `query` into the search page and returns the paths of the first results. */
async function almanacTop(page, query) {
  await page.fill('#search-q', query);
  await page.waitForFunction(
    (q) => document.getElementById('search-status').textContent.includes(`“${q.trim()}”`),
    query,
  );
  return page.$$eval('#search-results li a', (links, depth) =>
    links.slice(0, depth).map((a) => new URL(a.href).pathname), DEPTH);
}

/** The 1-based rank of the first accepted page among `top`, or 0. */
function rank(item, top) {
  const accepted = new Set(item.accept.map((p) => base + p));
  const at = top.findIndex((path) => accepted.has(path));
  return { query: item.query, kind: item.kind, part: item.part, rank: at + 1, top: top.slice(0, 3) };
}

function scores(list) {
  const n = list.length || 1;
  const mrr = list.reduce((sum, r) => sum + (r.rank > 0 ? 1 / r.rank : 0), 0) / n;
  const top1 = list.filter((r) => r.rank === 1).length;
  return { queries: list.length, mrr_at_10: mrr.toFixed(3), top_1: `${top1}/${list.length} (${((100 * top1) / n).toFixed(1)} %)` };
}

function* htmlFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* htmlFiles(path);
    else if (name.endsWith('.html')) yield path;
  }
}

const engines = [['Almanac', ranks.almanac], [`Pagefind ${pagefindVersion}`, ranks.pagefind]];
console.log(`${set.queries.length} queries, ${marked} pages indexed by each engine\n`);
console.log('engine'.padEnd(16), 'part'.padEnd(10), 'queries'.padEnd(8), 'MRR@10'.padEnd(8), 'top-1');
for (const [name, list] of engines) {
  for (const part of ['tuning', 'held-out', 'all']) {
    const s = scores(part === 'all' ? list : list.filter((r) => r.part === part));
    console.log(name.padEnd(16), part.padEnd(10), String(s.queries).padEnd(8), s.mrr_at_10.padEnd(8), s.top_1);
  }
}
console.log('\nQueries either engine does not answer first (rank 0 = not in the first ten):');
set.queries.forEach((item, i) => {
  const a = ranks.almanac[i];
  const p = ranks.pagefind[i];
  if (a.rank === 1 && p.rank === 1) return;
  console.log(`  [${item.part}] ${JSON.stringify(item.query)}: Almanac ${a.rank}, Pagefind ${p.rank}`);
  if (a.rank !== 1) console.log(`      Almanac's first: ${a.top.join(', ') || '(nothing)'}`);
});
if (process.env.RESULTS_JSON) writeFileSync(process.env.RESULTS_JSON, JSON.stringify(ranks, null, 1));
