// Search in headless Chromium over loopback: opens a built site's search page
// with ?q=… and records the time to the first rendered result, the bytes
// downloaded before it, and the time each further keystroke takes to render.
//
//   node bench/search-browser.mjs almanac SITE_DIR QUERY [RUNS]
//   node bench/search-browser.mjs pagefind SITE_DIR QUERY [RUNS]
//
// `almanac` opens SITE_DIR/search/?q=QUERY; `pagefind` opens a small page
// (written into SITE_DIR/pagefind-bench/) that runs Pagefind's JS API, shows
// the first five results as its default UI does and then asks for its filter
// counts. HOST says what the server compresses (gzip level 6, on the fly,
// cached): `all` (the default) every response, as a host that compresses every
// type; `text` only text types (HTML, CSS, JS, JSON, SVG, WebAssembly), not
// application/octet-stream (.bin and the like), as common static hosts do;
// `none` nothing. Bytes are reported as sent and as the files' sizes.
// PROFILE=slow4g emulates a mid-range phone through the DevTools protocol:
// 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up, and the CPU 4x slower.
// Besides the first result, each run records when the results and the filter
// counts have both settled and every byte sent for requests made before then.
// It speaks HTTP/1.1 (six connections per host: a burst of small files
// queues), or with PROTOCOL=h2 HTTP/2 over TLS with a throwaway certificate
// (one connection, requests side by side), as hosting services serve sites.
// Each run uses a fresh browser context (an empty cache). Prints JSON with the
// median and every run.

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import { contentType, launch } from '../tests/browser/lib.mjs';

const [engine, siteArg, query, runsArg] = process.argv.slice(2);
if (!['almanac', 'pagefind'].includes(engine) || !siteArg || !query) {
  console.error('usage: node bench/search-browser.mjs almanac|pagefind SITE_DIR QUERY [RUNS]');
  process.exit(2);
}
const site = resolve(siteArg);
const runs = Number(runsArg || 5);
const TIMEOUT = 120_000;
const host = process.env.HOST || 'all';
if (!['all', 'text', 'none'].includes(host)) {
  console.error('HOST is all, text or none');
  process.exit(2);
}
const profile = process.env.PROFILE || 'desktop';
if (!['desktop', 'slow4g'].includes(profile)) {
  console.error('PROFILE is desktop or slow4g');
  process.exit(2);
}
// What a host that compresses text types only compresses, by content type.
const TEXT_TYPES = /^(text\/|application\/(javascript|json|xml|wasm)|image\/svg\+xml)/;

if (engine === 'pagefind') {
  // A page of our own, not an inline script: the same constraints as ours.
  const dir = join(site, 'pagefind-bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>Pagefind</title>
<input id="q" type="search"><p id="status"></p><ol id="results"></ol>
<script type="module" src="bench.js"></script>
`,
  );
  writeFileSync(
    join(dir, 'bench.js'),
    `const pagefind = await import(new URL("../pagefind/pagefind.js", import.meta.url).href);
const input = document.getElementById("q");
const list = document.getElementById("results");
const status = document.getElementById("status");
let latest = 0;
async function run() {
  const ticket = ++latest;
  const q = input.value;
  const search = await pagefind.debouncedSearch(q, {}, 0);
  if (!search || ticket !== latest) return;
  const shown = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
  if (ticket !== latest) return;
  list.replaceChildren(...shown.map((d) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = d.url; a.textContent = d.meta.title;
    const p = document.createElement("p");
    p.innerHTML = d.excerpt;
    li.append(a, p);
    return li;
  }));
  status.textContent = search.results.length + " results for “" + q + "”";
}
input.addEventListener("input", run);
input.value = new URLSearchParams(location.search).get("q") || "";
await run();
// As a filtered search UI does: the filter counts for the search.
await pagefind.filters();
const counted = await pagefind.search(input.value);
if (counted) await Promise.all(Object.values(counted.filters || {}));
window.__settled = performance.now();
`,
  );
}

const cache = new Map();
function gzipped(file) {
  const { mtimeMs, size } = statSync(file);
  const key = `${file}\0${mtimeMs}\0${size}`;
  if (!cache.has(key)) cache.set(key, gzipSync(readFileSync(file), { level: 6 }));
  return cache.get(key);
}

// Every response, with when it finished: Pagefind fetches from a Web Worker,
// whose requests the page's Resource Timing does not list.
const sent = [];
const missing = [];
const http2 = process.env.PROTOCOL === 'h2';
const server = http2 ? createSecureServer({ ...certificate(), allowHTTP1: true }, serve) : createServer(serve);
function serve(req, res) {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = normalize(join(site, path));
  if (file !== site && !file.startsWith(site + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    statSync(file);
  } catch {
    missing.push(path);
    res.writeHead(404).end();
    return;
  }
  const type = contentType(file);
  const compress = host === 'all' || (host === 'text' && TEXT_TYPES.test(type));
  const body = compress ? gzipped(file) : readFileSync(file);
  const entry = { path, gzip: body.length, size: statSync(file).size, start: Date.now(), end: Infinity };
  sent.push(entry);
  res.on('finish', () => {
    entry.end = Date.now();
  });
  res.writeHead(200, {
    'Content-Type': type,
    ...(compress ? { 'Content-Encoding': 'gzip' } : {}),
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `${http2 ? 'https' : 'http'}://127.0.0.1:${server.address().port}`;

/** A self-signed certificate for 127.0.0.1, made with openssl for this run. */
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'search-bench-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const pagePath = engine === 'almanac' ? '/search/' : '/pagefind-bench/';
const resultSelector = engine === 'almanac' ? '#search-results li' : '#results li';
const statusSelector = engine === 'almanac' ? '#search-status' : '#status';
const inputSelector = engine === 'almanac' ? '#search-q' : '#q';

const browser = await launch();
const results = [];
try {
  for (let run = 0; run < runs; run++) {
    results.push(await once());
  }
} finally {
  await browser.close();
  server.close();
}

async function once() {
  const context = await browser.newContext({ ignoreHTTPSErrors: http2 });
  const page = await context.newPage();
  if (profile === 'slow4g') {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: 200_000,
      uploadThroughput: 93_750,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript((selector) => {
    new MutationObserver((_, observer) => {
      if (window.__first || !document.querySelector(selector)) return;
      window.__first = performance.now();
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  }, resultSelector);
  const mark = sent.length;
  await page.goto(`${origin}${pagePath}?q=${encodeURIComponent(query)}`);
  const first = await (
    await page.waitForFunction(() => window.__first, null, { timeout: TIMEOUT })
  ).jsonValue();
  // Responses the server finished before the first result was on screen.
  const firstAt = await page.evaluate((at) => performance.timeOrigin + at, first);
  const counted = sent.slice(mark).filter((s) => s.end <= firstAt);
  // Results and counts settled: the page's own mark, or the Pagefind page's.
  const settledAt = await (
    await page.waitForFunction(
      () =>
        window.__settled ??
        performance.getEntriesByName('search: counts shown')[0]?.startTime,
      null,
      { timeout: TIMEOUT },
    )
  ).jsonValue();
  const settledWall = await page.evaluate((at) => performance.timeOrigin + at, settledAt);
  // Every response to a request made before then (the server writes faster
  // than a throttled browser reads, so the request time is the fair cut).
  const settled = sent.slice(mark).filter((s) => s.start <= settledWall);
  // The page's own marks (search.js) and when each counted response finished,
  // in ms since navigation: where the time to the first result goes.
  const marks = await page.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .map((m) => `${Math.round(m.startTime)} ${m.name}`),
  );
  const origin0 = await page.evaluate(() => performance.timeOrigin);
  const sum = (list, key) => list.reduce((total, s) => total + s[key], 0);

  // Keystrokes: clear the box, then type a fresh query a letter at a time; each
  // letter is timed from the key to its status line (the page's debounce included).
  const keystrokes = [];
  const typed = profile === 'desktop' ? query.split(' ')[0] : '';
  await page.fill(inputSelector, '');
  await page.waitForTimeout(300);
  for (let i = 1; i <= typed.length; i++) {
    const text = typed.slice(0, i);
    const started = Date.now();
    await page.type(inputSelector, typed[i - 1]);
    try {
      await page.waitForFunction(
        ([sel, t]) => document.querySelector(sel)?.textContent.includes(`“${t}”`),
        [statusSelector, text],
        { timeout: TIMEOUT },
      );
      keystrokes.push(Date.now() - started);
    } catch {
      keystrokes.push(null);
    }
  }
  await context.close();
  return {
    ms_to_first_result: Math.round(first),
    ms_to_settled: Math.round(settledAt),
    bytes_until_settled: sum(settled, 'gzip'),
    responses_until_settled: settled.length,
    responses_before_first_result: counted.length,
    bytes_before_first_result_gzip: sum(counted, 'gzip'),
    bytes_before_first_result_files: sum(counted, 'size'),
    search_bytes_before_first_result_gzip: sum(
      counted.filter((s) => !s.path.endsWith('.css') && s.path !== pagePath && !s.path.endsWith('.svg')),
      'gzip',
    ),
    files: counted.map((s) => `${s.path} ${s.size} (${s.gzip} gzip) @${Math.round(s.end - origin0)}`),
    marks,
    keystroke_ms: keystrokes,
    errors,
    not_found: missing.splice(0),
  };
}

const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
};
console.log(
  JSON.stringify(
    {
      engine,
      query,
      runs,
      server: `node ${http2 ? 'HTTP/2 (TLS)' : 'HTTP/1.1'}, gzip level 6 on ${
        { all: 'every response', text: 'text types only', none: 'nothing' }[host]
      }`,
      profile,
      median_ms_to_first_result: median(results.map((r) => r.ms_to_first_result)),
      median_ms_to_settled: median(results.map((r) => r.ms_to_settled)),
      median_bytes_until_settled: median(results.map((r) => r.bytes_until_settled)),
      median_bytes_before_first_result_gzip: median(results.map((r) => r.bytes_before_first_result_gzip)),
      median_search_bytes_before_first_result_gzip: median(
        results.map((r) => r.search_bytes_before_first_result_gzip),
      ),
      median_bytes_before_first_result_files: median(results.map((r) => r.bytes_before_first_result_files)),
      median_keystroke_ms: median(results.flatMap((r) => r.keystroke_ms)),
      runs_detail: results,
    },
    null,
    1,
  ),
);
