// The report process's entry. It is CommonJS because Node starts a file of this "type": "module"
// package with its ES module loader, which knows nothing of TypeScript; from CommonJS, the
// in-thread hook of `--require tsx/cjs` (renderer.ts) loads the TypeScript without a loader thread.
require("./render-process.ts");
