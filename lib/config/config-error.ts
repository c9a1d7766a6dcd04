/** One thing wrong with a configuration file. */
export interface ConfigProblem {
  /** The file the problem is in. */
  readonly file: string;
  /** The field's path, dotted with indexes in brackets: `serviceGraph.calls[2].to`. Empty for the whole file. */
  readonly path: string;
  /** The 1-based line in the file where the field (or its nearest parent) stands, when known. */
  readonly line?: number;
  /** The value given, rendered for a human; undefined when the field is missing. */
  readonly given?: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/**
 * A user error in configuration. Entry points print its message and exit non-zero
 * without a stack trace; it is the only error they treat that way.
 */
export class ConfigError extends Error {
  /** Whether an error is a ConfigError, across module copies. */
  public static isConfigError(error: unknown): error is ConfigError {
    return error instanceof Error && error.name === 'ConfigError';
  }

  /** Everything wrong, grouped by file in the order the files were read. */
  public readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const files = [...new Set(problems.map((problem) => problem.file))];
  return files
    .map((file) => {
      const inFile = problems.filter((problem) => problem.file === file);
      const count = inFile.length === 1 ? '1 problem' : `${inFile.length} problems`;
      const lines = inFile.map((problem) => {
        const where = `${problem.path || '(file)'}${problem.line ? ` (line ${problem.line})` : ''}`;
        const given = problem.given === undefined ? '' : `got ${problem.given}; `;
        return `  - ${where}: ${given}${problem.message}`;
      });
      return [`Invalid configuration in ${file} (${count}):`, ...lines].join('\n');
    })
    .join('\n');
}
