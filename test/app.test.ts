import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildCdkApp } from '../lib/app';
import { cdkJsonContext, stageConfig } from './harness/cdk-app';

describe('the CDK app as bin/app.ts builds it', () => {
  test('synthesizes the dev stage with the rule packs enforced, and every feature flag at its recommended value', () => {
    const app = new App({ context: cdkJsonContext(), analyticsReporting: false });
    buildCdkApp(app, [stageConfig('dev')]);
    const assembly = app.synth();

    const report = assembly.manifest.artifacts!['aws-cdk-lib/feature-flag-report'];
    const flags = (report.properties as { flags: Record<string, any> }).flags;
    const unconfigured = Object.entries(flags)
      .filter(([, flag]) => flag.userValue === undefined && (flag.unconfiguredBehavesLike?.v2 ?? false) !== flag.recommendedValue)
      .map(([name]) => name);
    expect(unconfigured).toEqual([]);
    expect(assembly.nestedAssemblies.map((nested) => nested.displayName)).toEqual(['dev']);
  });

  test('fails synthesis on an unacknowledged rule-pack finding', () => {
    // No stage is needed to prove the wiring: buildCdkApp enforces the packs on the whole app.
    const app = new App({ context: cdkJsonContext(), analyticsReporting: false });
    buildCdkApp(app, []);
    const stack = new Stack(app, 'Probe', { env: { account: '111111111111', region: 'eu-central-1' } });
    new s3.CfnBucket(stack, 'UnencryptedBucket', {});
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
