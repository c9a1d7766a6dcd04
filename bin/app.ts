#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildCdkApp } from '../lib/app';
import { loadStageConfigs, resolveConfigFiles } from '../lib/config';
import { runEntryPoint } from '../lib/entry-point';

runEntryPoint(() => {
  // The CDK CLI reports rule-pack findings only for the stacks it was asked to select, and a
  // plain `cdk synth` of an app with stages selects none. Failing in the app itself means any
  // unacknowledged finding fails every synth, diff and deploy.
  // autoSynth off: an app that failed to build must not be synthesized empty on exit.
  const app = new App({ autoSynth: false, postCliContext: { '@aws-cdk/core:failSynthOnValidationErrors': true } });
  const configFile = (app.node.tryGetContext('configFile') as string | undefined) ?? process.env.CONFIG_FILE;
  buildCdkApp(app, loadStageConfigs(resolveConfigFiles(configFile)));
  app.synth();
});
