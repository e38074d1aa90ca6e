// Shared pieces of the browser checks: a small static file server that serves a
// built site under its base path, the headless Chromium launcher, and helpers
// to find sample pages in a built site.

import { createServer } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

/** Upper bound, in milliseconds, for any single wait in the browser checks. */
export const TIMEOUT = 15_000;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** The content type a static host would send for `path`. */
export function contentType(path) {
  return TYPES[extname(path).toLowerCase()] || 'application/octet-stream';
}

/** `/ethics` or `ethics/` → `/ethics/`; empty → `/`. */
export function normalizeBase(base) {
  const trimmed = (base || '/').replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/**
 * Serves `root` at http://127.0.0.1:<free port><base>, as a plain static host
 * would: `index.html` for folders, `404.html` (status 404) for misses, nothing
 * outside `root` and nothing outside `base`. Resolves to
 * `{ origin, url, requests, close() }`; `url` ends with the base path.
 */
export async function serve(root, base = '/') {
  const dir = resolve(root);
  const prefix = normalizeBase(base);
  const requests = [];
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad request');
      return;
    }
    requests.push(path);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path + '/' === prefix) {
      res.writeHead(301, { Location: prefix }).end();
      return;
    }
    let file = null;
    if (path.startsWith(prefix) && !path.includes('\0')) {
      const candidate = normalize(join(dir, path.slice(prefix.length)));
      if (candidate === dir || candidate.startsWith(dir + sep)) file = candidate;
    }
    if (file && isDir(file)) {
      if (!path.endsWith('/')) {
        res.writeHead(301, { Location: path + '/' }).end();
        return;
      }
      file = join(file, 'index.html');
    }
    let status = 200;
    if (!file || !isFile(file)) {
      status = 404;
      file = join(dir, '404.html');
      if (!isFile(file)) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
    }
    res.writeHead(status, {
      'Content-Type': contentType(file),
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: origin + prefix,
    base: prefix,
    requests,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDir(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Debian's Chromium, headless, with nothing that talks to the network by itself. */
export async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath,
    timeout: TIMEOUT,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Extra switches for experiments, e.g. CHROMIUM_FLAGS=--js-flags=--no-wasm-lazy-compilation.
      ...(process.env.CHROMIUM_FLAGS ? process.env.CHROMIUM_FLAGS.split(' ') : []),
    ],
  });
}

/** Rejects after `ms` with `what` in the message, unless `promise` settles first. */
export function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/**
 * Site-relative paths (no leading slash, ending in `/`) of one page of each
 * kind the checks visit, found from the built site's own sitemap.xml and
 * resources.json so the checks follow the collection rather than hard-coding it.
 */
export function samplePages(siteDir) {
  const catalogue = JSON.parse(readFileSync(join(siteDir, 'resources.json'), 'utf8'));
  const siteBase = new URL(catalogue.base_url).pathname;
  const local = (url) => {
    const path = new URL(url, catalogue.base_url).pathname;
    if (!path.startsWith(siteBase)) throw new Error(`${url} is outside the site ${catalogue.base_url}`);
    return path.slice(siteBase.length);
  };
  const sitemap = readFileSync(join(siteDir, 'sitemap.xml'), 'utf8');
  const urls = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => local(m[1]));

  const resource = catalogue.resources.find((r) => Object.keys(r.taxonomies || {}).length);
  if (!resource) throw new Error('resources.json lists no resource with taxonomy terms');
  const resourcePath = local(resource.page);
  const section = resourcePath.replace(/[^/]+\/$/, '');
  const [taxonomy, terms] = Object.entries(resource.taxonomies).find(([, t]) => t.length);
  // Glossary term pages name their set too; the A–Z page is the shortest path.
  const glossaryRoot = urls
    .filter((u) => isGlossary(siteDir, u))
    .sort((a, b) => a.length - b.length)[0];
  const pages = {
    home: '',
    section,
    resource: resourcePath,
    taxonomy: `${taxonomy}/`,
    term: `${taxonomy}/${terms[0]}/`,
  };
  if (glossaryRoot !== undefined) {
    pages.glossary = glossaryRoot;
    const term = urls.find((u) => u.startsWith(glossaryRoot) && /^[^/]+\/$/.test(u.slice(glossaryRoot.length)));
    if (term) pages.glossary_term = term;
  }
  for (const [kind, path] of Object.entries(pages)) {
    if (!isFile(join(siteDir, path, 'index.html'))) {
      throw new Error(`sample ${kind} page ${path || '(home)'} was not built`);
    }
  }
  // A collection in several languages: the same pages in each other language,
  // where they have one (an untranslated entry has no page there).
  for (const folder of languageFolders(siteDir)) {
    for (const [kind, path] of Object.entries(pages)) {
      if (path.startsWith(folder)) continue;
      if (isFile(join(siteDir, folder + path, 'index.html'))) pages[`${kind} (${folder.slice(0, -1)})`] = folder + path;
    }
  }
  return pages;
}

/**
 * The folders of the languages other than the default (`fr/`, `ar/`): the
 * sitemap's hreflang alternates of the home page.
 */
export function languageFolders(siteDir) {
  const catalogue = JSON.parse(readFileSync(join(siteDir, 'resources.json'), 'utf8'));
  const siteBase = new URL(catalogue.base_url).pathname;
  const sitemap = readFileSync(join(siteDir, 'sitemap.xml'), 'utf8');
  const folders = new Set();
  for (const m of sitemap.matchAll(/hreflang="([^"]+)" href="([^"]+)"/g)) {
    if (m[1] === 'x-default') continue;
    const path = new URL(m[2]).pathname;
    if (!path.startsWith(siteBase)) continue;
    const rest = path.slice(siteBase.length);
    const folder = `${m[1].toLowerCase()}/`;
    if (rest === folder) folders.add(folder);
  }
  return [...folders].sort();
}

/** A glossary A–Z page marks itself with a DefinedTermSet. */
function isGlossary(siteDir, path) {
  const file = join(siteDir, path, 'index.html');
  return isFile(file) && readFileSync(file, 'utf8').includes('DefinedTermSet');
}
