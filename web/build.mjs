#!/usr/bin/env node
// PLACEHOLDER until the web front end lands (helper D replaces this file):
// copies web/src/index.html and web/src/app.js to OUT, the script under a
// content-hashed name (OUT/assets/app-<hash>.js) that index.html is
// rewritten to reference, as the real esbuild build does.
//
//   node web/build.mjs --outdir OUT

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const outIndex = process.argv.indexOf('--outdir');
const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
if (!out) {
  process.stderr.write('usage: node build.mjs --outdir OUT\n');
  process.exit(2);
}
const src = join(dirname(fileURLToPath(import.meta.url)), 'src');
const script = readFileSync(join(src, 'app.js'));
const hashed = `app-${createHash('sha256').update(script).digest('hex').slice(0, 12)}.js`;
mkdirSync(join(out, 'assets'), { recursive: true });
writeFileSync(join(out, 'assets', hashed), script);
const index = readFileSync(join(src, 'index.html'), 'utf8').replace('/console/assets/app.js', `/console/assets/${hashed}`);
writeFileSync(join(out, 'index.html'), index);
