#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on load so `warbler` needs no build step.
require("tsx/cjs");
require("../cli/main.ts")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
