// Accessibility check of chosen pages in headless Chromium.
//
//   node pages-a11y.mjs DIR BASE_PATH PAGE...
//
// Serves DIR under BASE_PATH and opens each PAGE (a path relative to the base,
// e.g. `guidance/old-guide/` or `report.html`) in the light and the dark colour
// scheme: axe-core with the WCAG 2.0/2.1/2.2 A and AA rules, exactly one h1,
// no request to any host but the local server, no console error. For pages
// that a11y.mjs's sample of a site does not reach (a superseded resource, the
// curator's report). Prints a JSON summary on stdout; exits 1 with a readable
// list of problems on stderr if there are any, 2 on a usage error.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TIMEOUT, launch, serve, withTimeout } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const SCHEMES = ['light', 'dark'];

const [dir, base, ...pages] = process.argv.slice(2);
if (!dir || !base || pages.length === 0) {
  console.error('usage: node pages-a11y.mjs DIR BASE_PATH PAGE...');
  process.exit(2);
}

const problems = [];
const summary = { base, pages: [] };
const server = await serve(dir, base);
const browser = await launch();
try {
  await withTimeout(
    Promise.all(SCHEMES.map((scheme) => checkScheme(scheme))),
    120_000,
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

async function checkScheme(scheme) {
  const context = await browser.newContext({ colorScheme: scheme, reducedMotion: 'reduce' });
  context.setDefaultTimeout(TIMEOUT);
  await context.route('**/*', (route) =>
    route.request().url().startsWith(server.origin + '/') ? route.continue() : route.abort('blockedbyclient'),
  );
  try {
    for (const path of pages) await checkPage(context, scheme, path);
  } finally {
    await context.close();
  }
}

async function checkPage(context, scheme, path) {
  const where = `${server.base}${path} (${scheme})`;
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(String(error)));
  const record = { path: server.base + path, scheme };
  try {
    const response = await page.goto(server.url + path, { waitUntil: 'load' });
    if (!response || response.status() !== 200) {
      problems.push(`${where}: HTTP ${response ? response.status() : 'no response'}`);
    }
    const h1 = await page.locator('h1').count();
    if (h1 !== 1) problems.push(`${where}: ${h1} <h1> elements, expected exactly one`);
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    record.violations = result.violations.length;
    for (const v of result.violations) {
      const nodes = v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(' ')}\n       ${n.failureSummary}`);
      problems.push(`${where}: axe ${v.id} (${v.impact}): ${v.help}\n${nodes.join('\n')}`);
    }
  } catch (error) {
    problems.push(`${where}: ${error.message || error}`);
  } finally {
    await page.close();
  }
  for (const e of errors) problems.push(`${where}: console error: ${e}`);
  summary.pages.push(record);
}
