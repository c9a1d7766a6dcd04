import { runCli } from './cli';

// The entry point of `npx hydraulic-rotate` (through bin/hydraulic-rotate.js) and of the image's
// bundle: real streams and clock, and the exit code runCli resolves to.
void runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
