// Builds the console: `node web/build.mjs --outdir OUT`.
// Bundles web/src with esbuild (minified, ES2020, one JS and one CSS file, no
// code splitting) into OUT/assets/<name>-<hash>.js|.css, copies the icon with its
// content hash, and writes OUT/index.html referencing them by absolute path under
// /console/assets/ (no inline script or style: the server's CSP forbids them).
// Checks that en.js and th.js have the same keys and that every literal t('key')
// in web/src exists. Prints each file's size raw and gzipped and fails when the
// first load (JS + CSS, gzipped) reaches 200 KB.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const FIRST_LOAD_LIMIT = 200 * 1024;
const ASSET_URL = '/console/assets/';

const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
if (!values.outdir) {
  console.error('usage: node web/build.mjs --outdir OUT');
  process.exit(2);
}
const out = resolve(values.outdir);
const assets = join(out, 'assets');

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.js') ? [p] : [];
  });
}

async function checkStrings() {
  const en = (await import(pathToFileURL(join(src, 'i18n/en.js')))).default;
  const th = (await import(pathToFileURL(join(src, 'i18n/th.js')))).default;
  const problems = [];
  for (const k of Object.keys(en)) if (!(k in th)) problems.push(`th.js lacks "${k}"`);
  for (const k of Object.keys(th)) if (!(k in en)) problems.push(`en.js lacks "${k}"`);
  for (const file of sourceFiles(src)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([a-z_]+\.[a-zA-Z0-9_.]+)'(?!\s*\+)/g)) {
      if (!(m[1] in en)) problems.push(`${relative(here, file)} uses "${m[1]}", missing from en.js`);
    }
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
}

function hashedCopy(file) {
  const data = readFileSync(file);
  const hash = createHash('sha256').update(data).digest('hex').slice(0, 10);
  const name = `${basename(file, extname(file))}-${hash}${extname(file)}`;
  copyFileSync(file, join(assets, name));
  return name;
}

// Only an earlier build (index.html and assets/) is ever deleted.
function clearOutdir() {
  if (!existsSync(out)) return;
  const left = readdirSync(out).filter((n) => n !== 'index.html' && n !== 'assets');
  if (left.length) {
    console.error(`${out} holds other files (${left.slice(0, 3).join(', ')}): not a console build, refusing to overwrite it`);
    process.exit(1);
  }
  rmSync(assets, { recursive: true, force: true });
  rmSync(join(out, 'index.html'), { force: true });
}

await checkStrings();
clearOutdir();
mkdirSync(assets, { recursive: true });

const result = await build({
  entryPoints: [join(src, 'main.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  splitting: false,
  outdir: assets,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => resolve(p));
const js = outputs.find((p) => p.endsWith('.js'));
const css = outputs.find((p) => p.endsWith('.css'));
const icon = hashedCopy(join(src, 'icon.svg'));
const page = readFileSync(join(src, 'index.html'), 'utf8')
  .replace('%JS%', ASSET_URL + basename(js))
  .replace('%CSS%', ASSET_URL + basename(css))
  .replace('%ICON%', ASSET_URL + icon);
writeFileSync(join(out, 'index.html'), page);

let firstLoad = 0;
for (const name of readdirSync(assets).sort()) {
  const data = readFileSync(join(assets, name));
  const gz = gzipSync(data, { level: 9 }).length;
  if (name.endsWith('.js') || name.endsWith('.css')) firstLoad += gz;
  console.log(`${('assets/' + name).padEnd(40)} ${String(data.length).padStart(8)} B raw ${String(gz).padStart(8)} B gzip`);
}
console.log(`first load (JS + CSS, gzip): ${firstLoad} B of ${FIRST_LOAD_LIMIT} B allowed`);
if (firstLoad >= FIRST_LOAD_LIMIT) {
  console.error('the first load is over budget');
  process.exit(1);
}
