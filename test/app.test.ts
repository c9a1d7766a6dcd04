import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildCdkApp } from '../lib/app';
import { cdkJsonContext } from './harness/cdk-app';

// The committed stages synthesized with every plugin enforced: test/guards/whole-app.test.ts.
describe('the CDK app as bin/app.ts builds it', () => {
  test('fails synthesis on an unacknowledged rule-pack finding', () => {
    // No stage is needed to prove the wiring: buildCdkApp enforces the packs on the whole app.
    const app = new App({ context: cdkJsonContext(), analyticsReporting: false, builtinCloudFormationValidation: false });
    buildCdkApp(app, []);
    const stack = new Stack(app, 'Probe', { env: { account: '111111111111', region: 'eu-central-1' } });
    new s3.CfnBucket(stack, 'UnencryptedBucket', {});
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
