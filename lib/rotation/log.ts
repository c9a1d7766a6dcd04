/** Fields a log line may carry: identifiers and states, never a secret value. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Where rotation code reports what it did. */
export interface RotationLog {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
}

/**
 * Writes one JSON object per line to the function's log group (the Lambda JSON log format).
 * Only messages and identifiers are logged; callers never pass a secret value.
 */
export const consoleLog: RotationLog = {
  // The Lambda runtime captures the console; it is the function's only log sink.
  // eslint-disable-next-line no-console
  info: (message, fields) => console.info(JSON.stringify({ message, ...fields })),
  // eslint-disable-next-line no-console
  warn: (message, fields) => console.warn(JSON.stringify({ message, ...fields })),
};

/** A log that keeps its lines in memory, for tests. */
export function memoryLog(): RotationLog & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message, fields) => lines.push(JSON.stringify({ level: 'info', message, ...fields })),
    warn: (message, fields) => lines.push(JSON.stringify({ level: 'warn', message, ...fields })),
  };
}
