import { describe, expect, it } from 'vitest';

// The layout's one rule: a feature never imports another feature. Shared drawing lives in
// src/components, hooks in src/hooks, the client in src/api; App.tsx composes the features.
const sources = import.meta.glob(['./**/*.{ts,tsx}', '!./**/*.test.{ts,tsx}'], { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

/** Resolves a relative import against the importing file ("./features/a/b.ts"). */
function resolve(from: string, spec: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

function featureOf(path: string): string | null {
  const m = /^\.\/features\/([^/]+)\//.exec(path);
  return m ? (m[1] ?? null) : null;
}

describe('source layout', () => {
  it('finds the sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20);
  });

  it('no feature imports another feature', () => {
    const crossings: string[] = [];
    for (const [path, text] of Object.entries(sources)) {
      const own = featureOf(path);
      if (own === null) continue;
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = featureOf(resolve(path, m[1] ?? ''));
        if (target !== null && target !== own) crossings.push(`${path} -> ${m[1]}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('shared code imports no feature', () => {
    const offenders: string[] = [];
    for (const [path, text] of Object.entries(sources)) {
      if (featureOf(path) !== null || path === './App.tsx' || path === './main.tsx' || path.startsWith('./test/')) continue;
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        if (featureOf(resolve(path, m[1] ?? '')) !== null) offenders.push(`${path} -> ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('hooks live in src/hooks or a feature’s hooks folder, not among components', () => {
    const misplaced = Object.keys(sources).filter((p) => /\/components\/(.*\/)?use[A-Z][^/]*\.tsx?$/.test(p));
    expect(misplaced).toEqual([]);
  });
});
