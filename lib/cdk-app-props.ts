import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppProps } from 'aws-cdk-lib';

const REPOSITORY_ROOT = path.join(__dirname, '..');

/**
 * What the CDK CLI (2.1148) adds to `cdk.json`'s context when it runs the app: path and asset
 * metadata on, version reporting off (`versionReporting: false`), every stack's assets bundled.
 * An app synthesized in process sets the same, so its assembly is the one `cdk synth` writes.
 */
const CLI_CONTEXT: Readonly<Record<string, unknown>> = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:disable-version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
};

/** The context (feature flags) in `cdk.json`. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/**
 * The props of the project's CDK app.
 *
 * @param outdir where an app synthesized in process writes its assembly; omitted when the CDK
 *   CLI runs the app, which passes the context and the output folder in the environment
 */
export function cdkAppProps(outdir?: string): AppProps {
  // The CDK CLI reports rule-pack findings only for the stacks it was asked to select, and a
  // plain `cdk synth` of an app with stages selects none. Failing in the app itself means any
  // unacknowledged finding fails every synth, diff and deploy.
  const postCliContext = { '@aws-cdk/core:failSynthOnValidationErrors': true };
  // autoSynth off: an app that failed to build must not be synthesized empty on exit.
  if (outdir === undefined) return { autoSynth: false, postCliContext };
  return { outdir, autoSynth: false, context: { ...cdkJsonContext(), ...CLI_CONTEXT }, postCliContext };
}
