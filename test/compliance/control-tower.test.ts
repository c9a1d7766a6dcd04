import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge } from '../../lib/compliance/acknowledge';
import { applicableControls, controlTowerControls, controlTowerFinding, ControlTowerControls } from '../../lib/compliance/control-tower';
import { acknowledgeCrossStackReferences } from '../../lib/compliance/cross-stack-references';
import { cdkJsonContext } from '../harness/cdk-app';

const ENV = { account: '111111111111', region: 'eu-central-1' };

/** An app that runs only the Control Tower plugin (the CDK's own validation is tested elsewhere). */
function probeApp(): App {
  const app = new App({ context: cdkJsonContext(), analyticsReporting: false, builtinCloudFormationValidation: false });
  Validations.of(app).addPlugins(new ControlTowerControls());
  return app;
}

/** A log group that passes every control but the key one (retained, a year of retention). */
function logGroup(stack: Stack, id: string, encryptionKey?: kms.IKey): logs.LogGroup {
  return new logs.LogGroup(stack, id, { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN, encryptionKey });
}

function synthError(app: App): string {
  try {
    app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('the Control Tower proactive controls', () => {
  test('run offline with the bundled cfn-guard binary and name a finding by its control id', () => {
    const app = probeApp();
    new s3.CfnBucket(new Stack(app, 'Probe', { env: ENV }), 'Bucket', {});
    const message = synthError(app);
    expect(message).toMatch(/\[CT\.S3\.PR\.1\]/);
    expect(message).toContain(`Acknowledge with '${controlTowerFinding('CT.S3.PR.1')}'`);
  });

  test('an acknowledged finding passes; an unacknowledged one beside it still fails synthesis', () => {
    const app = probeApp();
    const stack = new Stack(app, 'Probe', { env: ENV });
    acknowledge(
      logGroup(stack, 'Acknowledged').node.defaultChild as logs.CfnLogGroup,
      [controlTowerFinding('CT.CLOUDWATCH.PR.3')],
      'A probe log group that is never written to, acknowledged to prove acknowledgments are honoured.',
    );
    logGroup(stack, 'Unacknowledged');
    const message = synthError(app);
    expect(message).toContain('Probe/Unacknowledged/Resource');
    expect(message).not.toContain('Probe/Acknowledged/Resource');
    // Without the second log group, the acknowledged one passes.
    const clean = probeApp();
    const cleanStack = new Stack(clean, 'Probe', { env: ENV });
    acknowledge(
      logGroup(cleanStack, 'Acknowledged').node.defaultChild as logs.CfnLogGroup,
      [controlTowerFinding('CT.CLOUDWATCH.PR.3')],
      'A probe log group that is never written to, acknowledged to prove acknowledgments are honoured.',
    );
    expect(synthError(clean)).toBe('');
  });

  test('a key of another stack passes (acknowledged after checking the reference); no key still fails', () => {
    const app = probeApp();
    acknowledgeCrossStackReferences(app);
    const keys = new Stack(app, 'Keys', { env: ENV });
    const key = new kms.Key(keys, 'Key', {
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    const consumer = new Stack(app, 'Consumer', { env: ENV });
    logGroup(consumer, 'CrossStackKey', key);
    logGroup(consumer, 'NoKey');
    const message = synthError(app);
    expect(message).toContain('Consumer/NoKey/Resource');
    expect(message).not.toContain('Consumer/CrossStackKey/Resource');
  });

  test('every bundled control has metadata naming the resource types it evaluates', () => {
    const controls = controlTowerControls();
    expect(controls.length).toBeGreaterThan(200);
    for (const control of controls) {
      expect(control.id).toMatch(/^CT\.[A-Z0-9-]+\.PR\.\d+$/);
      expect(control.resourceTypes.length).toBeGreaterThan(0);
    }
  });

  test('only the controls of the resource types present run: a template of log groups gets the log-group controls', () => {
    const ids = applicableControls(new Set(['AWS::Logs::LogGroup'])).map((control) => control.id);
    expect(ids).toEqual(expect.arrayContaining(['CT.CLOUDWATCH.PR.2', 'CT.CLOUDWATCH.PR.3']));
    expect(ids.every((id) => id.startsWith('CT.CLOUDWATCH.'))).toBe(true);
    expect(applicableControls(new Set(['AWS::Example::Unknown']))).toEqual([]);
  });

  test('an acknowledgment id names a real control id', () => {
    expect(controlTowerFinding('CT.S3.PR.2')).toBe('Control-Tower::CT.S3.PR.2');
    expect(() => controlTowerFinding('s3_bucket_logging_enabled_check')).toThrow(/looks like CT\.S3\.PR\.2/);
  });
});
