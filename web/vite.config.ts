import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Go server serves dist/ and owns /api, /auth, /s and the demo-mode emulator; in
// development Vite forwards those to a locally running `nezame` (PORT 8080).
const backend = process.env.NEZAME_DEV_BACKEND ?? 'http://127.0.0.1:8080';

/**
 * Writes a gzipped copy (name.gz) beside each compressible file in dist/assets, once, at the
 * highest level, so the server sends those bytes as they are (Content-Encoding: gzip) instead
 * of compressing on every request. The analyzer's .wasm is 3.8 MB raw and ~1 MB gzipped.
 */
function precompress(outDir: string): Plugin {
  return {
    name: 'nezame-precompress',
    apply: 'build',
    closeBundle() {
      const dir = join(outDir, 'assets');
      for (const name of readdirSync(dir)) {
        if (!/\.(wasm|js|css|svg|json)$/.test(name)) continue;
        const raw = readFileSync(join(dir, name));
        const gz = gzipSync(raw, { level: 9 });
        if (raw.length > 1024 && gz.length < raw.length * 0.9) writeFileSync(join(dir, `${name}.gz`), gz);
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress('dist')],
  server: {
    proxy: {
      '/api': backend,
      '/auth': backend,
      '/s/': backend,
      '/_twitter': backend,
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // Stylesheets stay unprocessed in tests, except when read as text (src/contrast.test.ts).
    css: { include: [/\.css\?raw$/] },
  },
});
