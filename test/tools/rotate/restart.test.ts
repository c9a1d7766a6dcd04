import { AuditLog } from '../../../tools/rotate/audit-log';
import {
  RESTARTED_AT_ANNOTATION,
  SECRET_VERSIONS_ANNOTATION,
  type RestartOptions,
  restartWorkloads,
  rolloutComplete,
} from '../../../tools/rotate/restart';
import { FakeClock, events } from './fake-clock';
import { FakeKubernetes } from './fake-kubernetes';
import { FakeSecretsManager } from './fake-secrets';

const NS = 'hydraulic-prod';
const DEPLOYMENT = `/apis/apps/v1/namespaces/${NS}/deployments/backend-api`;
const EXTERNAL_SECRET = `/apis/external-secrets.io/v1/namespaces/${NS}/externalsecrets/database-connection`;
const OPTIONS: RestartOptions = {
  namespace: NS,
  secretPrefix: 'hydraulic/dev/',
  workloads: [{ deployment: 'backend-api', externalSecrets: ['database-connection'] }],
  timeoutMs: 10 * 60_000,
  syncGraceMs: 30 * 60_000,
  pollMs: 10_000,
};

/** The database secret rotated `rotatedMinutesAgo` ago; External Secrets refreshed `refreshedMinutesAgo` ago. */
function setUp(options: { rotatedMinutesAgo: number; refreshedMinutesAgo: number; recorded?: string; rollout?: 'completes' | 'hangs' }) {
  const clock = new FakeClock();
  const aws = new FakeSecretsManager(clock);
  aws.add('hydraulic/dev/database-credentials', options.rotatedMinutesAgo / 1440, {
    versions: { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] },
  });
  const kube = new FakeKubernetes();
  kube.objects.set(EXTERNAL_SECRET, {
    spec: {
      data: [
        { secretKey: 'host', remoteRef: { key: '/hydraulic/dev/database/host' } },
        { secretKey: 'username', remoteRef: { key: 'hydraulic/dev/database-credentials', property: 'username' } },
        { secretKey: 'password', remoteRef: { key: 'hydraulic/dev/database-credentials', property: 'password' } },
      ],
    },
    status: {
      refreshTime: new Date(clock.now().getTime() - options.refreshedMinutesAgo * 60_000).toISOString(),
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  });
  kube.objects.set(DEPLOYMENT, {
    metadata: { generation: 4 },
    spec: {
      replicas: 2,
      template: { metadata: { annotations: options.recorded ? { [SECRET_VERSIONS_ANNOTATION]: options.recorded } : {} } },
    },
    status: { observedGeneration: 4, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
  });
  let polls = 0;
  kube.afterCall = (method, path) => {
    const deployment = kube.objects.get(DEPLOYMENT);
    if (
      method === 'GET' &&
      path === DEPLOYMENT &&
      deployment.metadata.generation > deployment.status.observedGeneration &&
      options.rollout !== 'hangs'
    ) {
      if (++polls >= 2)
        deployment.status = { observedGeneration: deployment.metadata.generation, replicas: 2, updatedReplicas: 2, availableReplicas: 2 };
    }
  };
  const lines: string[] = [];
  const audit = new AuditLog({ write: (line) => lines.push(line), actor: 'test', userAgent: 'test', now: clock.now, runId: 'run' });
  audit.open('restart');
  const ctx = { kube, client: aws.client, audit, now: clock.now, sleep: clock.sleep, say: () => undefined };
  return { clock, kube, aws, ctx, lines };
}

const patches = (kube: FakeKubernetes) => kube.calls.filter((call) => call.startsWith('PATCH'));

describe('restart', () => {
  test('restarts a Deployment whose secret rotated, once External Secrets has synced it, and waits for the rollout', async () => {
    const { kube, ctx, lines } = setUp({ rotatedMinutesAgo: 20, refreshedMinutesAgo: 5 });
    expect(await restartWorkloads(ctx, OPTIONS)).toEqual([]);
    expect(patches(kube)).toHaveLength(1);
    const annotations = kube.objects.get(DEPLOYMENT).spec.template.metadata.annotations;
    expect(annotations[SECRET_VERSIONS_ANNOTATION]).toBe('hydraulic/dev/database-credentials=v2');
    expect(annotations[RESTARTED_AT_ANNOTATION]).toBe('2026-03-01T03:17:00.000Z');
    expect(events(lines).map((event) => event.event_type)).toEqual([
      'audit.log.opened',
      'workload.restart.started',
      'workload.restart.completed',
    ]);
  });

  test('reads only the stage’s Secrets Manager secrets behind the ExternalSecret, not its parameters', async () => {
    const { aws, ctx } = setUp({ rotatedMinutesAgo: 20, refreshedMinutesAgo: 5 });
    await restartWorkloads(ctx, OPTIONS);
    const described = aws.mock.calls().map((call) => (call.args[0].input as { SecretId?: string }).SecretId);
    expect(described).toEqual(['hydraulic/dev/database-credentials']);
  });

  test('leaves a Deployment alone whose pods already run the current versions', async () => {
    const { kube, ctx, lines } = setUp({
      rotatedMinutesAgo: 20,
      refreshedMinutesAgo: 5,
      recorded: 'hydraulic/dev/database-credentials=v2',
    });
    await restartWorkloads(ctx, OPTIONS);
    expect(patches(kube)).toEqual([]);
    expect(events(lines)[1]).toMatchObject({ event_type: 'workload.restart.checked', metadata: { restart: false } });
  });

  test('waits for External Secrets: no restart before the new value is in the cluster', async () => {
    const { kube, ctx, lines } = setUp({
      rotatedMinutesAgo: 5,
      refreshedMinutesAgo: 10,
      recorded: 'hydraulic/dev/database-credentials=v1',
    });
    expect(await restartWorkloads(ctx, OPTIONS)).toEqual([]);
    expect(patches(kube)).toEqual([]);
    expect(events(lines)[1]).toMatchObject({ event_type: 'workload.restart.deferred', metadata: { unsynced: ['database-connection'] } });
  });

  test('fails when External Secrets has not synced the rotated value within the grace period', async () => {
    const { kube, ctx } = setUp({ rotatedMinutesAgo: 45, refreshedMinutesAgo: 50, recorded: 'hydraulic/dev/database-credentials=v1' });
    expect(await restartWorkloads(ctx, OPTIONS)).toEqual(['backend-api']);
    expect(patches(kube)).toEqual([]);
  });

  test('fails when the rollout does not complete in time', async () => {
    const { ctx, lines } = setUp({ rotatedMinutesAgo: 20, refreshedMinutesAgo: 5, rollout: 'hangs' });
    expect(await restartWorkloads(ctx, OPTIONS)).toEqual(['backend-api']);
    expect(events(lines).at(-1)).toMatchObject({
      event_type: 'workload.restart.failed',
      metadata: { reason: expect.stringMatching(/rollout did not complete within 600 s/) },
    });
  });

  test('a rollout is complete as kubectl rollout status judges it', () => {
    const deployment = (status: object) => ({ metadata: { generation: 5 }, spec: { replicas: 2 }, status });
    expect(rolloutComplete(deployment({ observedGeneration: 5, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), 5)).toBe(true);
    expect(rolloutComplete(deployment({ observedGeneration: 4, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), 5)).toBe(false);
    expect(rolloutComplete(deployment({ observedGeneration: 5, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }), 5)).toBe(false);
    expect(rolloutComplete(deployment({ observedGeneration: 5, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }), 5)).toBe(false);
  });
});
