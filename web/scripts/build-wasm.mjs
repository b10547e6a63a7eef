// Builds the analyzer for the browser: the Go package analyzer/wasm compiled with GOOS=js
// GOARCH=wasm into src/features/archive/wasm/analyzer.wasm, next to the wasm_exec.js of the
// same Go toolchain (the two must match). Vite then gives the .wasm a hashed name and
// vite.config.ts writes a gzipped copy that the server sends to browsers that accept gzip.
//
// Without a Go toolchain (the Dockerfile's Node stage) it keeps files already in place, which
// the Dockerfile builds in a Go stage and copies in.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const web = resolve(fileURLToPath(new URL('..', import.meta.url)));
const repo = resolve(web, '..');
const outDir = join(web, 'src', 'features', 'archive', 'wasm');
const wasm = join(outDir, 'analyzer.wasm');
const exec = join(outDir, 'wasm_exec.js');
const go = process.env.GO ?? 'go';

/** The gzipped size the budget is about (the README's target: ≤ 1.2 MB). */
const BUDGET = 1.2e6;

function haveGo() {
  try {
    execFileSync(go, ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!haveGo()) {
  if (existsSync(wasm) && existsSync(exec)) {
    console.log(`build-wasm: no Go toolchain; using the analyzer.wasm already in ${outDir}`);
    process.exit(0);
  }
  console.error(`build-wasm: needs Go (${go}) to compile analyzer/wasm, or analyzer.wasm and wasm_exec.js in ${outDir}`);
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
execFileSync(go, ['build', '-trimpath', '-ldflags', '-s -w', '-o', wasm, './analyzer/wasm'], {
  cwd: repo,
  stdio: 'inherit',
  env: { ...process.env, GOOS: 'js', GOARCH: 'wasm', CGO_ENABLED: '0' },
});
const goroot = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
// Go 1.24 moved it from misc/wasm to lib/wasm.
const support = [join(goroot, 'lib', 'wasm', 'wasm_exec.js'), join(goroot, 'misc', 'wasm', 'wasm_exec.js')].find((p) => existsSync(p));
if (support === undefined) {
  console.error(`build-wasm: no wasm_exec.js in ${goroot}/lib/wasm or misc/wasm`);
  process.exit(1);
}
copyFileSync(support, exec);
const gz = gzipSync(readFileSync(wasm), { level: 9 }).length;
console.log(`build-wasm: analyzer.wasm ${(statSync(wasm).size / 1e6).toFixed(2)} MB, ${(gz / 1e6).toFixed(3)} MB gzipped (budget ${BUDGET / 1e6} MB)`);
if (gz > BUDGET) {
  console.error('build-wasm: over budget; see analyzer/wasm/README.md for what keeps it small');
  process.exit(1);
}
