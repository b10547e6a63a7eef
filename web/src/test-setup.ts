import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// The page's live region repeats what a screen shows; queries look at the screen itself.
configure({ defaultIgnore: 'script, style, [data-testid=announcer] *' });

afterEach(() => {
  cleanup();
  localStorage.clear();
});
