// The "Cite this" section of a resource page in headless Chromium.
//
//   node cite.mjs SITE_DIR [BASE_PATH]
//
// With scripts: a copy button follows the formatted reference, and pressing it
// puts the reference's text on the clipboard and says so. Without scripts: the
// reference is there as text, no button. Either way the reference files it links
// to are served. Exits 1 with the problems on stderr, 2 on a usage error.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TIMEOUT, launch, samplePages, serve, withTimeout } from './lib.mjs';

const [siteDir, baseArg] = process.argv.slice(2);
if (!siteDir) {
  console.error('usage: node cite.mjs SITE_DIR [BASE_PATH]');
  process.exit(2);
}
const base =
  baseArg ?? new URL(JSON.parse(readFileSync(join(siteDir, 'resources.json'), 'utf8')).base_url).pathname;

const problems = [];
const server = await serve(siteDir, base);
const browser = await launch();
try {
  const path = samplePages(siteDir).resource;
  await withTimeout(check(`${server.url}${path}`), 60_000, 'the citation checks');
} catch (error) {
  problems.push(`the check itself failed: ${error.stack || error}`);
} finally {
  await browser.close();
  await server.close();
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(JSON.stringify({ ok: true }));

async function check(url) {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(url);
  const reference = (await page.locator('#reference').innerText()).replace(/\s+/g, ' ').trim();
  if (!reference) problems.push(`${url}: no formatted reference`);
  const button = page.locator('button.cite-copy');
  if ((await button.count()) !== 1) {
    problems.push(`${url}: no copy button with scripts on`);
  } else {
    await button.click();
    await page.locator('.cite-status', { hasText: /\S/ }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    if (copied !== reference) problems.push(`${url}: the clipboard holds ${JSON.stringify(copied)}`);
  }
  for (const href of await page.locator('.cite-downloads a').evaluateAll((as) => as.map((a) => a.href))) {
    const response = await page.request.get(href);
    if (!response.ok()) problems.push(`${href}: ${response.status()}`);
  }
  await context.close();

  const plain = await browser.newContext({ javaScriptEnabled: false });
  const still = await plain.newPage();
  await still.goto(url);
  if (!(await still.locator('#reference').innerText()).trim()) {
    problems.push(`${url}: no reference without scripts`);
  }
  if ((await still.locator('button.cite-copy').count()) !== 0) {
    problems.push(`${url}: a copy button without scripts`);
  }
  await plain.close();
}
