import { App, Duration, Stack } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { RotatedSecret, type RotatedSecretProps } from '../../lib/constructs/rotated-secret';
import { cdkJsonContext } from '../harness/cdk-app';

/** Construction-time checks: they fail before anything is bundled. */
describe('a rotated secret refuses bad settings', () => {
  const props = (stack: Stack, change: Partial<RotatedSecretProps> = {}): RotatedSecretProps => {
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-central-1a', 'eu-central-1b'], natGateways: 0 });
    const key = new kms.Key(stack, 'Key');
    return {
      secretName: 'hydraulic/dev/test',
      description: 'a test secret',
      secretsKey: key,
      initialValue: { passwordLength: 32 },
      rotationDays: 30,
      rotateImmediately: false,
      rotation: {
        handler: 'jwt-signing-key',
        vpc,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        logGroupName: '/hydraulic/dev/test',
        logsKey: key,
        logRetentionDays: 365,
        deadLetterQueue: new sqs.Queue(stack, 'Dlq'),
      },
      alarmActions: [new SnsAction(new sns.Topic(stack, 'Alerts'))],
      ...change,
    };
  };
  const stack = () => new Stack(new App({ context: cdkJsonContext() }), 'S', { env: { account: '111111111111', region: 'eu-central-1' } });

  test('a rotation period outside 1 to 365 days', () => {
    const s = stack();
    expect(() => new RotatedSecret(s, 'Secret', props(s, { rotationDays: 0 }))).toThrow(
      'A secret rotates every 1 to 365 days; hydraulic/dev/test was given 0',
    );
  });

  test('an error alarm nobody is told about', () => {
    const s = stack();
    expect(() => new RotatedSecret(s, 'Secret', props(s, { alarmActions: [] }))).toThrow(
      'The rotation of hydraulic/dev/test needs an alarm action: an alarm nobody is told about is not an alarm',
    );
  });

  test('a function timeout Lambda cannot run', () => {
    const s = stack();
    const base = props(s);
    expect(() => new RotatedSecret(s, 'Secret', { ...base, rotation: { ...base.rotation, timeout: Duration.minutes(20) } })).toThrow(
      /runs at most 900 seconds; S\/Secret\/Rotation asks for 1200/,
    );
  });
});
