// Loads the analyzer (the Go package compiled to WebAssembly, analyzer/wasm) inside the archive
// worker. Only this module refers to the .wasm, and only the worker imports this module, so
// the ~1 MB download happens when someone imports an archive, never on the landing page.
import './wasm/wasm_exec.js';
import wasmUrl from './wasm/analyzer.wasm?url';
import { ArchiveError } from './errors';

/** The analyzer's functions, as analyzer/wasm registers them (see its bridge.go). */
interface WasmApi {
  analyze(times: Uint8Array, tz: string, sources?: string[], sourceOf?: Uint8Array): { json?: string; error?: string; message?: string };
  stats(times: Uint8Array, tz: string): { json?: string; error?: string; message?: string };
  automated(sources: string[]): Uint8Array | { error: string; message: string };
}

/** The analyzer on this device: the same code and JSON as the server's POST /api/analyze. */
export interface Analyzer {
  /**
   * The Analysis of `times` (Unix ms) in `tz`, as JSON. With `sources` (one index into
   * `sources` per time, in `sourceOf`), automated posts are dropped first, as the server does.
   */
  analyze(times: Float64Array, tz: string, sources?: string[], sourceOf?: Uint32Array): string;
  /** The analysis' statistics alone, as JSON. */
  stats(times: Float64Array, tz: string): string;
  /** For each source, whether the analyzer's rules call it automated. */
  automated(sources: string[]): Uint8Array;
}

const GLOBAL = 'nezameAnalyzer';

const bytes = (a: Float64Array | Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** A failure of the analyzer itself (never the archive's fault). */
const failed = (message: string) => new ArchiveError('analyzer_failed', message);

/** Fetches, compiles and starts the module. */
export async function loadAnalyzer(url: string = wasmUrl): Promise<Analyzer> {
  const go = new Go();
  let instance: WebAssembly.Instance;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    if (res.headers.get('Content-Type')?.startsWith('application/wasm')) {
      instance = (await WebAssembly.instantiateStreaming(res, go.importObject)).instance;
    } else {
      // A proxy that serves the module with another type: compile it from its bytes instead.
      instance = (await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject)).instance;
    }
  } catch (err) {
    throw failed(`the analyzer could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
  }
  // main() registers the functions and blocks; run's promise settles only if it exits.
  void go.run(instance);
  const api = (globalThis as unknown as Record<string, WasmApi | undefined>)[GLOBAL];
  if (api === undefined) throw failed('the analyzer did not start');
  const call = <T>(fn: () => T): T => {
    if (go.exited) throw failed('the analyzer has stopped');
    try {
      return fn();
    } catch (err) {
      throw failed(err instanceof Error ? err.message : String(err));
    }
  };
  return {
    analyze(times, tz, sources, sourceOf) {
      const res = call(() => api.analyze(bytes(times), tz, sources, sourceOf && bytes(sourceOf)));
      if (res.json === undefined) throw failed(`${res.error ?? 'error'}: ${res.message ?? ''}`);
      return res.json;
    },
    stats(times, tz) {
      const res = call(() => api.stats(bytes(times), tz));
      if (res.json === undefined) throw failed(`${res.error ?? 'error'}: ${res.message ?? ''}`);
      return res.json;
    },
    automated(sources) {
      const res = call(() => api.automated(sources));
      if (!(res instanceof Uint8Array)) throw failed(`${res.error}: ${res.message}`);
      return res;
    },
  };
}
