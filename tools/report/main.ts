import { runReportCli } from './cli';

// `npm run report`: real streams, and the exit code runReportCli resolves to.
void runReportCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
