import { ConfigError } from './config';

/**
 * Runs an entry point's work. A configuration error, or a CDK validation failure (such as a
 * rule-pack finding), is the user's to fix: it is printed as it is, without a stack trace,
 * and the process exits 1. Anything else is a defect and keeps its stack trace.
 */
export function runEntryPoint(main: () => void | Promise<void>): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (ConfigError.isConfigError(error) || isCdkValidationError(error)) {
        process.stderr.write(`${error.message}\n`);
      } else {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
      process.exitCode = 1;
    });
}

function isCdkValidationError(error: unknown): error is Error {
  return error instanceof Error && ['ValidationError', 'UnscopedValidationError'].includes(error.name);
}
