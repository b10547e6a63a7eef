// Vite empties dist/ on every build; the Go embed (web/embed.go) needs the tracked
// placeholder so that `go build` works on a fresh clone before any npm build.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

writeFileSync(fileURLToPath(new URL('../dist/.gitkeep', import.meta.url)), '');
