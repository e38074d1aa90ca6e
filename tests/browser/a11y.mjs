// Accessibility check of a built site in headless Chromium.
//
//   node a11y.mjs SITE_DIR [BASE_PATH [PAGE...]]
//
// Serves SITE_DIR under BASE_PATH (default: the path of the site's base_url)
// and opens each PAGE given (a path relative to the base, e.g.
// `guidance/old-guide/` or `report.html`), else one page of each kind (home,
// section, resource, taxonomy index, term, glossary, glossary term; about and
// not-found where the site has them), and in a collection of several languages
// the same pages in each other language. On each, in the light and the dark
// colour scheme: axe-core with the WCAG 2.0/2.1/2.2 A and AA rules, exactly one
// h1, no request to any host but the local server, no console error, and a
// right-to-left page laid out mirrored. At 320 px wide: no horizontal overflow.
// Prints a JSON summary on stdout; exits 1 with a readable list of
// problems on stderr if there are any, 2 on a usage error.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { TIMEOUT, launch, samplePages, serve, withTimeout } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const SCHEMES = ['light', 'dark'];
const NARROW = { width: 320, height: 640 };
const WIDE = { width: 1280, height: 900 };

const [siteDir, baseArg, ...chosen] = process.argv.slice(2);
if (!siteDir) {
  console.error('usage: node a11y.mjs SITE_DIR [BASE_PATH [PAGE...]]');
  process.exit(2);
}
const base =
  baseArg ?? new URL(JSON.parse(readFileSync(join(siteDir, 'resources.json'), 'utf8')).base_url).pathname;

const problems = [];
const summary = { base, pages: [] };
const server = await serve(siteDir, base);
const browser = await launch();
try {
  const pages = chosen.length ? Object.fromEntries(chosen.map((path) => [path, path])) : sampled();
  // The two schemes are independent: check them side by side. A page takes a
  // second or two, several on a busy machine: the limit grows with the pages.
  await withTimeout(
    Promise.all(SCHEMES.map((scheme) => checkScheme(scheme, pages))),
    Math.max(120_000, 8_000 * Object.keys(pages).length),
    'the accessibility checks',
  );
} catch (error) {
  problems.push(`the check itself failed: ${error.stack || error}`);
} finally {
  await browser.close().catch(() => {});
  await server.close();
}

summary.pages.sort((a, b) => (a.path + a.scheme).localeCompare(b.path + b.scheme));
summary.problems = problems;
console.log(JSON.stringify(summary, null, 2));
if (problems.length) {
  console.error(`\n${problems.length} accessibility problem(s):\n`);
  for (const problem of problems) console.error(`- ${problem}\n`);
  process.exit(1);
}

function sampled() {
  const pages = samplePages(siteDir);
  // Plain pages and the not-found page come from theme templates too.
  if (existsSync(join(siteDir, 'about/index.html'))) pages.about = 'about/';
  if (existsSync(join(siteDir, '404.html'))) pages.not_found = 'no-such-page/';
  return pages;
}

async function checkScheme(scheme, pages) {
  const context = await browser.newContext({ colorScheme: scheme, viewport: WIDE, reducedMotion: 'reduce' });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  // Anything not from the local server is a leak: note it and never let it out.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.origin + '/')) return route.continue();
    return route.abort('blockedbyclient');
  });
  try {
    for (const [kind, path] of Object.entries(pages)) {
      await checkPage(context, scheme, kind, path);
    }
  } finally {
    await context.close();
  }
}

async function checkPage(context, scheme, kind, path) {
  const where = `${kind} page ${server.base}${path} (${scheme})`;
  const page = await context.newPage();
  const errors = [];
  const foreign = [];
  const address = server.url + path;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The not-found page is meant to arrive with status 404.
    if (kind === 'not_found' && message.location().url === address && /status of 404/.test(message.text())) return;
    errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(server.origin + '/') && !/^(data|blob):/.test(url)) foreign.push(url);
  });
  const record = { kind, path: server.base + path, scheme };
  try {
    const response = await page.goto(address, { waitUntil: 'load' });
    const expected = kind === 'not_found' ? 404 : 200;
    if (!response || response.status() !== expected) {
      problems.push(`${where}: HTTP ${response ? response.status() : 'no response'}`);
    }

    // A right-to-left page is laid out mirrored: the site's name, first in
    // the header, sits at the right, and so does the start of the heading.
    if ((await page.evaluate(() => document.documentElement.dir)) === 'rtl') {
      const layout = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const text = (el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return range.getBoundingClientRect();
        };
        const name = document.querySelector('.site-name').getBoundingClientRect();
        const heading = text(document.querySelector('h1'));
        return { width, name: [name.left, name.right], heading: [heading.left, heading.right] };
      });
      const atRight = ([left, right]) => layout.width - right < left;
      record.mirrored = atRight(layout.name) && atRight(layout.heading);
      if (!record.mirrored) {
        problems.push(`${where}: right to left, yet laid out left to right: ${JSON.stringify(layout)}`);
      }
    }

    const h1 = await page.locator('h1').count();
    record.h1 = h1;
    if (h1 !== 1) problems.push(`${where}: ${h1} <h1> elements, expected exactly one`);

    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    record.violations = result.violations.length;
    for (const v of result.violations) {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `    at ${n.target.join(' ')}\n       ${n.failureSummary.replace(/\n/g, '\n       ')}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : '';
      problems.push(`${where}: axe ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`);
    }

    if (scheme === SCHEMES[0]) {
      await page.setViewportSize(NARROW);
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const scroll = document.documentElement.scrollWidth;
        if (scroll <= width) return null;
        // Name the outermost elements that stick out and are not inside a
        // box that scrolls or clips them itself, so the fix is easy to find.
        const clipped = (el) => {
          for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return true;
          }
          return false;
        };
        const sticksOut = (el) => el.getBoundingClientRect().right > width + 1 && !clipped(el);
        const wide = [...document.body.querySelectorAll('*')]
          .filter((el) => sticksOut(el) && !(el.parentElement && sticksOut(el.parentElement)))
          .slice(0, 5)
          .map((el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''));
        return { width, scroll, wide };
      });
      record.overflow_320 = overflow ? overflow.scroll - overflow.width : 0;
      if (overflow) {
        problems.push(
          `${where}: scrolls sideways at ${NARROW.width} px (${overflow.scroll} px wide); sticking out: ${overflow.wide.join(', ')}`,
        );
      }
    }
  } catch (error) {
    problems.push(`${where}: ${error.message || error}`);
  } finally {
    await page.close();
  }
  record.console_errors = errors.length;
  record.foreign_requests = foreign.length;
  for (const e of errors) problems.push(`${where}: console error: ${e}`);
  for (const u of foreign) problems.push(`${where}: request to another host: ${u}`);
  summary.pages.push(record);
}
