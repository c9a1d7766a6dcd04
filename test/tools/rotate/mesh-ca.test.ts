import { AuditLog } from '../../../tools/rotate/audit-log';
import { type MeshCaOptions, metricValue, rotateMeshCa } from '../../../tools/rotate/mesh-ca';
import { FakeClock, events } from './fake-clock';
import { FakeKubernetes } from './fake-kubernetes';

const NS = 'istio-system';
const CERTS = `/apis/cert-manager.io/v1/namespaces/${NS}/certificates`;
const OPTIONS: MeshCaOptions = {
  namespace: NS,
  certificate: 'mesh-intermediate-ca',
  rootCertificate: 'mesh-root-ca',
  istiodService: 'istiod',
  rotationAgeDays: 60,
  timeoutMs: 10 * 60_000,
  pollMs: 10_000,
};
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const seconds = (ms: number) => Math.round(ms / 1000);

function metrics(chainExpiryMs: number, rootExpiryMs: number): string {
  return [
    '# HELP citadel_server_cert_chain_expiry_timestamp The unix timestamp, in seconds, when Citadel cert chain will expire.',
    '# TYPE citadel_server_cert_chain_expiry_timestamp gauge',
    `citadel_server_cert_chain_expiry_timestamp ${(chainExpiryMs / 1000).toExponential(9)}`,
    `citadel_server_root_cert_expiry_timestamp ${seconds(rootExpiryMs)}`,
    'citadel_server_csr_count 112',
  ].join('\n');
}

/** A cluster whose intermediate is `ageDays` old; `istiodReloads` says whether istiod picks up a renewal. */
function setUp(ageDays: number, options: { istiodReloads?: boolean; certManagerIssues?: boolean; pods?: number } = {}) {
  const clock = new FakeClock();
  const kube = new FakeKubernetes();
  const now = clock.now().getTime();
  const rootExpiry = now + 3000 * DAY;
  const issue = (revision: number, notBefore: number) => ({
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'mesh-intermediate-ca', namespace: NS, generation: 1, resourceVersion: String(100 + revision) },
    spec: { secretName: 'cacerts' },
    status: {
      notBefore: iso(notBefore),
      notAfter: iso(notBefore + 90 * DAY),
      renewalTime: iso(notBefore + 60 * DAY),
      revision,
      conditions: [{ type: 'Ready', status: 'True', reason: 'Ready' }],
    },
  });
  kube.objects.set(`${CERTS}/mesh-intermediate-ca`, issue(3, now - ageDays * DAY));
  kube.objects.set(`${CERTS}/mesh-root-ca`, { metadata: { name: 'mesh-root-ca' }, status: { notAfter: iso(rootExpiry), revision: 1 } });
  const pods = Array.from({ length: options.pods ?? 2 }, (_, index) => ({
    ip: `10.40.1.${10 + index}`,
    targetRef: { name: `istiod-${index}` },
  }));
  kube.objects.set(`/api/v1/namespaces/${NS}/endpoints/istiod`, { subsets: [{ addresses: pods }] });
  let served = now - ageDays * DAY + 90 * DAY;
  const issuedAt: number[] = [];
  kube.afterCall = (method, path) => {
    const certificate = kube.objects.get(`${CERTS}/mesh-intermediate-ca`);
    if (!certificate) return;
    const issuing = certificate.status.conditions.some((c: any) => c.type === 'Issuing' && c.status === 'True');
    // cert-manager notices the Issuing condition a poll later and issues a new revision.
    if (issuing && method === 'GET' && options.certManagerIssues !== false && path.endsWith('mesh-intermediate-ca')) {
      issuedAt.push(clock.now().getTime());
      const renewed = issue(certificate.status.revision + 1, clock.now().getTime());
      kube.objects.set(`${CERTS}/mesh-intermediate-ca`, renewed);
      if (options.istiodReloads !== false) served = renewed.status.notAfter ? Date.parse(renewed.status.notAfter) : served;
    }
  };
  const fetched: string[] = [];
  const fetchText = async (url: string) => {
    fetched.push(url);
    return metrics(served, rootExpiry);
  };
  const lines: string[] = [];
  const audit = new AuditLog({ write: (line) => lines.push(line), actor: 'test', userAgent: 'test', now: clock.now, runId: 'run' });
  audit.open('mesh-ca');
  const ctx = { kube, fetchText, audit, now: clock.now, sleep: clock.sleep, say: () => undefined };
  return { clock, kube, ctx, lines, fetched, issuedAt };
}

describe('mesh-ca', () => {
  test('a young intermediate is left alone, and istiod is checked to serve it on every pod', async () => {
    const { kube, ctx, lines, fetched } = setUp(20);
    await rotateMeshCa(ctx, OPTIONS);
    expect(kube.calls.filter((call) => call.startsWith('PUT'))).toEqual([]);
    expect(fetched).toEqual(['http://10.40.1.10:15014/metrics', 'http://10.40.1.11:15014/metrics']);
    expect(events(lines).map((event) => event.event_type)).toEqual([
      'audit.log.opened',
      'certificate.rotation.checked',
      'mesh-ca.istiod.verified',
    ]);
  });

  test('an intermediate at its rotation age is renewed through cert-manager, as cmctl renew does', async () => {
    const { kube, ctx, lines } = setUp(60.2);
    await rotateMeshCa(ctx, OPTIONS);
    const put = kube.calls.find((call) => call.startsWith('PUT'));
    expect(put).toBe(`PUT ${CERTS}/mesh-intermediate-ca/status`);
    expect(events(lines).map((event) => event.event_type)).toEqual([
      'audit.log.opened',
      'certificate.rotation.checked',
      'certificate.renewal.triggered',
      'certificate.renewal.completed',
      'mesh-ca.istiod.verified',
    ]);
    const completed = events(lines).find((event) => event.event_type === 'certificate.renewal.completed');
    expect(completed.metadata.revision).toBe(4);
  });

  test('the trigger is an Issuing condition on the status, conditional on the version read, keeping the other conditions', async () => {
    const { kube, ctx, lines } = setUp(61, { certManagerIssues: false });
    const written: any[] = [];
    const put = kube.put.bind(kube);
    kube.put = async <T>(path: string, body: object): Promise<T> => {
      written.push(body);
      return put(path, body);
    };
    await expect(rotateMeshCa(ctx, OPTIONS)).rejects.toThrow(/cert-manager did not issue a new revision/);
    expect(events(lines).find((event) => event.event_type === 'certificate.renewal.failed')).toMatchObject({
      result: 'failure',
      metadata: { reason: expect.stringMatching(/^cert-manager did not issue a new revision/) },
    });
    expect(written[0].metadata.resourceVersion).toBe('103');
    expect(written[0].status.conditions).toEqual([
      { type: 'Ready', status: 'True', reason: 'Ready' },
      expect.objectContaining({ type: 'Issuing', status: 'True', reason: 'ManuallyTriggered', observedGeneration: 1 }),
    ]);
  });

  test('fails loudly, naming the pods, when istiod still serves the old CA after the renewal', async () => {
    const { ctx, lines } = setUp(60.5, { istiodReloads: false });
    await expect(rotateMeshCa(ctx, OPTIONS)).rejects.toThrow(
      /istiod does not serve the CA in istio-system\/cacerts .*istiod-0 \(10\.40\.1\.10\) signs with a CA expiring .*Restart istiod/,
    );
    const stale = events(lines).find((event) => event.event_type === 'mesh-ca.istiod.stale');
    expect(stale).toMatchObject({ result: 'failure' });
    expect(stale.metadata.pods).toHaveLength(2);
  });

  test('fails when no istiod pod is ready to be checked', async () => {
    const { kube, ctx } = setUp(10);
    kube.objects.set(`/api/v1/namespaces/${NS}/endpoints/istiod`, { subsets: [] });
    await expect(rotateMeshCa(ctx, OPTIONS)).rejects.toThrow(/no ready istiod pod in Endpoints istio-system\/istiod/);
  });

  test('a Certificate that is neither Ready nor issuing fails', async () => {
    const { kube, ctx, lines } = setUp(10);
    const certificate = kube.objects.get(`${CERTS}/mesh-intermediate-ca`);
    certificate.status.conditions = [{ type: 'Ready', status: 'False', reason: 'Failed' }];
    await expect(rotateMeshCa(ctx, OPTIONS)).rejects.toThrow(/is not Ready and not being issued/);
    expect(events(lines).find((event) => event.event_type === 'certificate.renewal.failed')).toMatchObject({
      result: 'failure',
      metadata: { reason: expect.stringMatching(/is not Ready and not being issued/) },
    });
  });

  test('a missing Certificate is reported by name', async () => {
    const { kube, ctx } = setUp(10);
    kube.objects.delete(`${CERTS}/mesh-intermediate-ca`);
    const error = await rotateMeshCa(ctx, OPTIONS).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'not-found', exitCode: 1 });
    expect((error as Error).message).toMatch(/Not found: GET .*certificates\/mesh-intermediate-ca/);
  });
});

test('metric values are read from Prometheus text, scientific notation included', () => {
  const text = 'x 1\n# HELP y\ncitadel_server_cert_chain_expiry_timestamp{a="b"} 1.960883518e+09\n';
  expect(metricValue(text, 'citadel_server_cert_chain_expiry_timestamp')).toBe(1960883518);
  expect(metricValue(text, 'missing')).toBeUndefined();
});
