// HTML and CSS validation of a built site with the Nu HTML checker.
//
//   node validate.mjs SITE_DIR [--all]
//
// Checks a sample of pages — one of each kind the accessibility check visits,
// plus 404.html, the search page, the about page and a second page of a
// paginated list, where the site has them — and every stylesheet, or with
// --all every HTML file in the site. Prints a JSON summary on stdout; exits 1
// with each error as `file:line:column: message` on stderr if there are any,
// 2 on a usage error.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { languageFolders, samplePages } from './lib.mjs';

const require = createRequire(import.meta.url);
const VNU = join(dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');

const args = process.argv.slice(2);
const all = args.includes('--all');
const siteDir = args.find((a) => !a.startsWith('--'));
if (!siteDir) {
  console.error('usage: node validate.mjs SITE_DIR [--all]');
  process.exit(2);
}
const root = resolve(siteDir);

const files = walk(root);
const html = all ? files.filter((f) => f.endsWith('.html')) : sample();
const css = files.filter((f) => f.endsWith('.css'));
const checked = [...html, ...css].map((f) => join(root, f));

const run = spawnSync(
  process.env.JAVA || 'java',
  ['-Xss1024k', '-jar', VNU, '--errors-only', '--format', 'json', '--also-check-css', ...checked],
  { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
);
if (run.error) {
  console.error(`cannot run the Nu HTML checker (java -jar ${VNU}): ${run.error.message}`);
  console.error('Java 17 or newer is needed; run `npm ci --prefix tests/browser` for the checker.');
  process.exit(1);
}
let report;
try {
  // The checker writes its JSON report to standard error.
  report = JSON.parse(run.stderr || run.stdout);
} catch {
  console.error(`the Nu HTML checker did not answer with JSON (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  process.exit(1);
}

const problems = report.messages.map((m) => {
  const file = m.url ? relative(root, fileURLToPath(m.url)) : '(checker)';
  const at = m.lastLine ? `:${m.lastLine}:${m.firstColumn ?? m.lastColumn}` : '';
  const extract = m.extract ? `\n    ${m.extract.replace(/\n/g, '\n    ')}` : '';
  return `${file}${at}: ${m.type}: ${m.message}${extract}`;
});
console.log(
  JSON.stringify(
    { checker: report.version, html: html.length, css: css.length, files: all ? undefined : html, errors: problems.length },
    null,
    2,
  ),
);
if (problems.length || run.status !== 0) {
  console.error(`\n${problems.length} HTML/CSS validation error(s):\n`);
  for (const p of problems) console.error(`- ${p}\n`);
  if (!problems.length) console.error(`the checker exited with status ${run.status}`);
  process.exit(1);
}

/** The sample: one page of each kind, as site-relative file paths. */
function sample() {
  const pages = Object.values(samplePages(root)).map((p) => `${p}index.html`);
  const extra = ['404.html', 'search/index.html', 'about/index.html'];
  for (const folder of languageFolders(root)) {
    extra.push(`${folder}404.html`, `${folder}search/index.html`, `${folder}about/index.html`);
  }
  const second = files.find((f) => f.endsWith('/page/2/index.html'));
  if (second) extra.push(second);
  for (const f of extra) if (existsSync(join(root, f)) && !pages.includes(f)) pages.push(f);
  return pages;
}

/** Every file under `dir`, relative to it, sorted. */
function walk(dir, prefix = '') {
  const out = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}
