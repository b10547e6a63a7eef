import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Go server serves dist/ and owns /api, /auth, /s and the demo-mode emulator; in
// development Vite forwards those to a locally running `nezame` (PORT 8080).
const backend = process.env.NEZAME_DEV_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
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
  },
});
