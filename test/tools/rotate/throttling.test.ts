import { Readable } from 'node:stream';
import { AuditLog } from '../../../tools/rotate/audit-log';
import { checkSecrets } from '../../../tools/rotate/enforce';
import { ToolError } from '../../../tools/rotate/errors';
import { describeSecret } from '../../../tools/rotate/secret-inventory';
import { SDK_MAX_ATTEMPTS, createSecretsClient } from '../../../tools/rotate/secrets-client';
import { FakeClock } from './fake-clock';

/**
 * Secrets Manager on the wire (JSON 1.1), below the SDK's retry middleware: the real retry
 * strategy runs, only the HTTP exchange is scripted.
 */
function wire(script: (target: string, call: number) => { status: number; body: object }) {
  const calls: string[] = [];
  const requestHandler = {
    handle: async (request: { headers: Record<string, string> }) => {
      const target = request.headers['x-amz-target'].split('.')[1];
      calls.push(target);
      const { status, body } = script(target, calls.length);
      const type = (body as { __type?: string }).__type;
      return {
        response: {
          statusCode: status,
          reason: '',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-requestid': `req-${calls.length}`,
            ...(type ? { 'x-amzn-errortype': type } : {}),
          },
          body: Readable.from([Buffer.from(JSON.stringify(body))]),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  return { calls, requestHandler };
}

const THROTTLED = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
const credentials = { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'not-a-real-secret-key-for-tests-only-000' };
const DESCRIBED = {
  status: 200,
  body: {
    ARN: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:hydraulic/dev/a-AbCdEf',
    Name: 'hydraulic/dev/a',
    RotationEnabled: true,
    RotationRules: { AutomaticallyAfterDays: 30 },
    VersionIdsToStages: { v1: ['AWSCURRENT'] },
  },
};

describe('throttling', () => {
  test('the client retries in adaptive mode, up to the set number of attempts', async () => {
    const client = createSecretsClient({ region: 'eu-central-1', userAgent: 'test' });
    expect(await client.config.maxAttempts()).toBe(SDK_MAX_ATTEMPTS);
    const mode: unknown = client.config.retryMode;
    expect(typeof mode === 'function' ? await mode() : mode).toBe('adaptive');
    expect((await client.config.retryStrategy()).constructor.name).toBe('AdaptiveRetryStrategy');
  });

  test('a throttled call is retried with backoff and then succeeds', async () => {
    const { calls, requestHandler } = wire((_, call) => (call === 1 ? THROTTLED : DESCRIBED));
    const client = createSecretsClient({ region: 'eu-central-1', userAgent: 'test', requestHandler: requestHandler as never, credentials });
    const started = Date.now();
    const facts = await describeSecret(client, 'hydraulic/dev/a');
    expect(facts.name).toBe('hydraulic/dev/a');
    expect(calls).toEqual(['DescribeSecret', 'DescribeSecret']);
    expect(Date.now() - started).toBeGreaterThan(0);
  });

  test('throttling past every attempt ends with an error that says so, and how many attempts were made', async () => {
    const { calls, requestHandler } = wire(() => THROTTLED);
    const client = createSecretsClient({
      region: 'eu-central-1',
      userAgent: 'test',
      requestHandler: requestHandler as never,
      credentials,
      maxAttempts: 2,
    });
    const error = await describeSecret(client, 'hydraulic/dev/a').catch((caught: unknown) => caught);
    expect(calls).toHaveLength(2);
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({ kind: 'throttled', exitCode: 3 });
    expect((error as Error).message).toMatch(
      /Throttled by AWS: secretsmanager:DescribeSecret on hydraulic\/dev\/a was still refused after 2 attempt\(s\)/,
    );
  });

  test('access denied is not retried, and names the action and the secret', async () => {
    const denied = {
      status: 400,
      body: { __type: 'AccessDeniedException', message: 'User: arn:aws:sts::111111111111:assumed-role/x is not authorized' },
    };
    const { calls, requestHandler } = wire(() => denied);
    const client = createSecretsClient({ region: 'eu-central-1', userAgent: 'test', requestHandler: requestHandler as never, credentials });
    const error = await describeSecret(client, 'hydraulic/dev/a').catch((caught: unknown) => caught);
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'access-denied', exitCode: 3 });
    expect((error as Error).message).toMatch(/^Access denied: secretsmanager:DescribeSecret on hydraulic\/dev\/a/);
  });

  test('missing credentials say where to look, in the cluster and on a workstation', async () => {
    const client = createSecretsClient({
      region: 'eu-central-1',
      userAgent: 'test',
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
      },
    });
    const lines: string[] = [];
    const clock = new FakeClock();
    const audit = new AuditLog({ write: (line) => lines.push(line), actor: 't', userAgent: 't', now: clock.now });
    const error = await checkSecrets(
      { client, audit, now: clock.now, sleep: clock.sleep, say: () => undefined },
      { prefix: 'hydraulic/dev/' },
      {
        maxAgeDays: 30,
        graceDays: 1,
      },
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'credentials', exitCode: 3 });
    expect((error as Error).message).toMatch(
      /No AWS credentials found for secretsmanager:ListSecrets: in the cluster, check the EKS Pod Identity association/,
    );
    expect((error as Error).message).toMatch(/set AWS_PROFILE/);
  });
});
