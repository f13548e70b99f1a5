// The bot's entry (`npm start`). It is CommonJS, like the report process's, so that tsx's in-thread
// CommonJS hook loads the TypeScript: with `--import tsx` Node would run tsx's ES-module loader in a
// thread of its own, a second V8 isolate of about 30 MB, and start about 0.4 s later
// (bench/startup.ts).
require("tsx/cjs");
require("./main.ts");
