// Screenshots of a built site for people to look at (not run by the tests).
//
//   node screenshots.mjs SITE_DIR OUT_DIR [BASE_PATH]
//
// Takes full-page PNGs of the home page and a resource page at 1280 px and
// 375 px wide (and in each other language of a multilingual site), in the
// light and the dark colour scheme, and a section page and
// a resource page as the print stylesheet lays them out (PDF and PNG).

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TIMEOUT, launch, samplePages, serve } from './lib.mjs';

const [siteDir, outDir, baseArg] = process.argv.slice(2);
if (!siteDir || !outDir) {
  console.error('usage: node screenshots.mjs SITE_DIR OUT_DIR [BASE_PATH]');
  process.exit(2);
}
const base =
  baseArg ?? new URL(JSON.parse(readFileSync(join(siteDir, 'resources.json'), 'utf8')).base_url).pathname;
mkdirSync(outDir, { recursive: true });

const sample = samplePages(siteDir);
const shots = { home: sample.home, resource: sample.resource };
// In a collection of several languages, the same two pages in each other one
// (right-to-left languages are laid out mirrored).
for (const [kind, path] of Object.entries(sample)) {
  const language = /^(home|resource) \((.+)\)$/.exec(kind);
  if (language) shots[`${language[1]}-${language[2]}`] = path;
}
const server = await serve(siteDir, base);
const browser = await launch();
try {
  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 375]) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
      context.setDefaultTimeout(TIMEOUT);
      const page = await context.newPage();
      for (const [name, path] of Object.entries(shots)) {
        await page.goto(server.url + path, { waitUntil: 'load' });
        const file = join(outDir, `${name}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true, timeout: TIMEOUT });
        console.log(file);
      }
      await context.close();
    }
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + sample.section, { waitUntil: 'load', timeout: TIMEOUT });
  const pdf = join(outDir, 'section-print.pdf');
  await page.pdf({ path: pdf, format: 'A4', timeout: TIMEOUT });
  console.log(pdf);
  // The same page in print media at an A4 page's width, as a picture.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  for (const [name, path] of Object.entries({ section: sample.section, resource: sample.resource })) {
    await page.goto(server.url + path, { waitUntil: 'load', timeout: TIMEOUT });
    const file = join(outDir, `${name}-print.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: TIMEOUT });
    console.log(file);
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
