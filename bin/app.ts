#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { cdkAppProps } from '../lib/cdk-app-props';
import { loadStageConfigs, resolveConfigFiles } from '../lib/config';
import { runEntryPoint } from '../lib/entry-point';

runEntryPoint(async () => {
  // The CLI passes cdk.json's context in the environment; the App reads it from there.
  const app = new App(cdkAppProps());
  const configFile = (app.node.tryGetContext('configFile') as string | undefined) ?? process.env.CONFIG_FILE;
  // Every file is validated before the stacks' modules load: a bad file fails in a fraction of a second.
  const configs = loadStageConfigs(resolveConfigFiles(configFile));
  const { buildCdkApp } = await import('../lib/app');
  buildCdkApp(app, configs);
  app.synth();
});
