import * as fs from 'node:fs';
import * as path from 'node:path';

/** The suffix of a file of tests that an aggregating test file runs (jest runs only `*.test.ts`). */
export const CASE_FILE_SUFFIX = '.cases.ts';

/**
 * Every `*.cases.ts` file below a folder, relative to it, sorted.
 */
export function caseFilesBelow(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => file.endsWith(CASE_FILE_SUFFIX)).sort();
}

/**
 * Loads every `*.cases.ts` file below the calling test file's folder, so their tests run as one
 * jest test file. Jest gives each test file its own module registry: nine stack test files built
 * each committed stage nine times and loaded aws-cdk-lib nine times, the chart files likewise for
 * cdk8s and the Kubernetes models. Run together, they share one load and the harness's one build
 * of each stage, while each concern keeps its own file.
 *
 * @returns the files loaded
 * @throws when there is none: an aggregating file that runs nothing must not pass
 */
export function requireCaseFiles(dir: string): string[] {
  const files = caseFilesBelow(dir);
  if (files.length === 0) throw new Error(`No *${CASE_FILE_SUFFIX} file below ${dir}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const file of files) require(path.join(dir, file));
  return files;
}
