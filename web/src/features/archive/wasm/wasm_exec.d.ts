// Types for wasm_exec.js, the Go toolchain's JavaScript support for GOOS=js GOARCH=wasm
// programs. The .js file itself is copied from the Go toolchain by `npm run build:wasm`
// (scripts/build-wasm.mjs), so that it always matches the compiler that built analyzer.wasm.
declare global {
  class Go {
    importObject: WebAssembly.Imports;
    argv: string[];
    env: Record<string, string>;
    exited: boolean;
    run(instance: WebAssembly.Instance): Promise<void>;
  }
}
export {};
