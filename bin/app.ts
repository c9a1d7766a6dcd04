#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { cdkAppProps } from '../lib/cdk-app-props';
import { loadStageConfigs, resolveConfigFiles } from '../lib/config';
import { runEntryPoint } from '../lib/entry-point';
import type * as AppModule from '../lib/app';

runEntryPoint(async () => {
  // The CLI passes cdk.json's context in the environment; the App reads it from there.
  const app = new App(cdkAppProps());
  const configFile = (app.node.tryGetContext('configFile') as string | undefined) ?? process.env.CONFIG_FILE;
  // Every file is validated before the stacks' modules load: a bad file fails in a fraction of a second.
  const configs = loadStageConfigs(resolveConfigFiles(configFile));
  // Loaded only now, after validation. The entry points run under tsx's CommonJS hook (no ESM
  // loader thread to start), which resolves TypeScript for require, not for import().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildCdkApp } = require('../lib/app') as typeof AppModule;
  buildCdkApp(app, configs);
  app.synth();
});
