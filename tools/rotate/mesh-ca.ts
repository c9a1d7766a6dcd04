import type { AuditLog } from './audit-log';
import { type Sleep, pollUntil } from './backoff';
import { ToolError } from './errors';
import type { FetchText, KubernetesApi } from './kubernetes-api';

/** istiod's metric: when the CA certificate it signs with (the intermediate) expires, Unix seconds. */
export const CHAIN_EXPIRY_METRIC = 'citadel_server_cert_chain_expiry_timestamp';
/** istiod's metric: when the root certificate it distributes expires, Unix seconds. */
export const ROOT_EXPIRY_METRIC = 'citadel_server_root_cert_expiry_timestamp';

/** A cert-manager status condition. */
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** The parts of a cert-manager Certificate the job reads and writes. */
export interface CertificateObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; generation?: number; resourceVersion?: string; [key: string]: unknown };
  spec?: unknown;
  status?: {
    notBefore?: string;
    notAfter?: string;
    renewalTime?: string;
    revision?: number;
    conditions?: Condition[];
    [key: string]: unknown;
  };
}

/** What the mesh CA command needs from the outside world. */
export interface MeshCaContext {
  readonly kube: KubernetesApi;
  readonly fetchText: FetchText;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly sleep: Sleep;
  readonly say: (line: string) => void;
}

/** Settings of {@link rotateMeshCa}. */
export interface MeshCaOptions {
  /** Istio's namespace, where the Certificates, `cacerts` and istiod live. */
  readonly namespace: string;
  /** The intermediate CA's Certificate (writes `cacerts`). */
  readonly certificate: string;
  /** The root CA's Certificate. */
  readonly rootCertificate: string;
  /** istiod's Service (its Endpoints list every istiod pod). */
  readonly istiodService: string;
  /** The intermediate's age, in days, at which it must be renewed (cert-manager's renewal point). */
  readonly rotationAgeDays: number;
  /** The longest wait for the renewal, and then for istiod to serve the new CA, in milliseconds each. */
  readonly timeoutMs: number;
  /** Time between two checks while waiting. @default 10 000 */
  readonly pollMs?: number;
  /** istiod's monitoring port (plain HTTP). @default 15014 */
  readonly metricsPort?: number;
}

const DAY_MS = 86_400_000;

/**
 * Keeps the mesh's intermediate CA inside its rotation age and proves istiod uses it:
 * 1. reads the intermediate's Certificate; when it has reached `rotationAgeDays` (or passed the
 *    renewal time cert-manager set) without being renewed, triggers cert-manager's re-issuance
 *    the way `cmctl renew` does (an `Issuing` condition on the Certificate's status) and waits for
 *    the new revision to be Ready;
 * 2. asks every istiod pod (through the istiod Endpoints) for its CA metrics and compares the
 *    expiry of the CA it signs with, and of the root it distributes, with the Certificates'
 *    `notAfter`. cert-manager writes the same certificate into `cacerts`, so a mismatch means
 *    istiod still serves an old CA: the run fails, naming the pods.
 * The check of step 2 runs on every run, renewal or not, so a reload that silently failed is
 * caught within a day.
 */
export async function rotateMeshCa(ctx: MeshCaContext, options: MeshCaOptions): Promise<void> {
  const base = `/apis/cert-manager.io/v1/namespaces/${options.namespace}/certificates`;
  const resource = `${options.namespace}/certificate/${options.certificate}`;
  /** Records the failed renewal in the audit log, then fails the command with the same message. */
  const renewalFailed: (message: string) => never = (message) => {
    ctx.audit.record({
      eventType: 'certificate.renewal.failed',
      resource,
      action: 'renew',
      result: 'failure',
      metadata: { reason: message },
    });
    throw new ToolError(message, 'failed');
  };
  let certificate = await ctx.kube.get<CertificateObject>(`${base}/${options.certificate}`);
  const before = certificateFacts(certificate, ctx.now());
  const due = before.ageDays !== undefined && before.ageDays >= options.rotationAgeDays;
  const overdueForCertManager = before.renewalTime !== undefined && ctx.now() >= before.renewalTime;
  ctx.audit.record({
    eventType: 'certificate.rotation.checked',
    resource,
    action: 'check',
    result: before.ready || before.issuing ? 'success' : 'failure',
    metadata: {
      not_before: before.notBefore?.toISOString() ?? null,
      not_after: before.notAfter?.toISOString() ?? null,
      renewal_time: before.renewalTime?.toISOString() ?? null,
      revision: before.revision ?? null,
      age_days: before.ageDays === undefined ? null : Math.floor(before.ageDays),
      rotation_age_days: options.rotationAgeDays,
      ready: before.ready,
      issuing: before.issuing,
    },
  });
  ctx.say(
    `${options.certificate}: revision ${before.revision ?? '-'}, ${before.ageDays === undefined ? 'never issued' : `${Math.floor(before.ageDays)} days old`}, expires ${before.notAfter?.toISOString() ?? '-'}`,
  );

  if ((due || overdueForCertManager || !before.notAfter) && !before.issuing) {
    const reason = before.notAfter
      ? `it is ${Math.floor(before.ageDays ?? 0)} days old; rotation age is ${options.rotationAgeDays} days`
      : 'it was never issued';
    await triggerRenewal(ctx, `${base}/${options.certificate}/status`, certificate, reason);
    ctx.audit.record({
      eventType: 'certificate.renewal.triggered',
      resource,
      action: 'renew',
      result: 'success',
      metadata: { reason, revision_before: before.revision ?? null },
    });
    ctx.say(`${options.certificate}: renewal triggered (${reason})`);
  }
  if (due || overdueForCertManager || before.issuing || !before.notAfter) {
    const renewed = await pollUntil(ctx, options.timeoutMs, options.pollMs ?? 10_000, async () => {
      const current = await ctx.kube.get<CertificateObject>(`${base}/${options.certificate}`);
      const facts = certificateFacts(current, ctx.now());
      return facts.ready && !facts.issuing && (facts.revision ?? 0) > (before.revision ?? 0) ? current : undefined;
    });
    if (!renewed) {
      renewalFailed(
        `cert-manager did not issue a new revision of ${resource} within ${Math.round(options.timeoutMs / 1000)} s: see \`kubectl describe certificate -n ${options.namespace} ${options.certificate}\` and the CertificateRequest it created`,
      );
    }
    certificate = renewed;
    const after = certificateFacts(certificate, ctx.now());
    ctx.audit.record({
      eventType: 'certificate.renewal.completed',
      resource,
      action: 'renew',
      result: 'success',
      metadata: { revision: after.revision ?? null, not_after: after.notAfter?.toISOString() ?? null },
    });
    ctx.say(`${options.certificate}: revision ${after.revision} issued, expires ${after.notAfter?.toISOString()}`);
  } else if (!before.ready) {
    renewalFailed(
      `${resource} is not Ready and not being issued: see \`kubectl describe certificate -n ${options.namespace} ${options.certificate}\``,
    );
  }

  const root = await ctx.kube.get<CertificateObject>(`${base}/${options.rootCertificate}`);
  await verifyIstiodServes(ctx, options, certificate, root);
}

/** Sets the `Issuing` condition on the Certificate's status, as `cmctl renew` does; cert-manager then re-issues it. */
async function triggerRenewal(ctx: MeshCaContext, statusPath: string, certificate: CertificateObject, reason: string): Promise<void> {
  const conditions = (certificate.status?.conditions ?? []).filter((condition) => condition.type !== 'Issuing');
  conditions.push({
    type: 'Issuing',
    status: 'True',
    reason: 'ManuallyTriggered',
    message: `Certificate re-issuance triggered by hydraulic-rotate: ${reason}`,
    lastTransitionTime: ctx
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    ...(certificate.metadata.generation === undefined ? {} : { observedGeneration: certificate.metadata.generation }),
  });
  // The body carries the resourceVersion just read: if cert-manager changed the Certificate in
  // between, the API server refuses (409) instead of overwriting its status.
  await ctx.kube.put(statusPath, { ...certificate, status: { ...certificate.status, conditions } });
}

/** What one istiod pod reports. */
interface IstiodReport {
  readonly pod: string;
  readonly ip: string;
  readonly chainExpiry?: number;
  readonly rootExpiry?: number;
  readonly error?: string;
}

interface EndpointsObject {
  subsets?: { addresses?: { ip: string; targetRef?: { name?: string } }[]; notReadyAddresses?: { ip: string }[] }[];
}

async function verifyIstiodServes(
  ctx: MeshCaContext,
  options: MeshCaOptions,
  certificate: CertificateObject,
  root: CertificateObject,
): Promise<void> {
  const resource = `${options.namespace}/deployment/${options.istiodService}`;
  const expectedChain = secondsOf(certificate.status?.notAfter);
  const expectedRoot = secondsOf(root.status?.notAfter);
  if (expectedChain === undefined || expectedRoot === undefined) {
    throw new ToolError(
      `The Certificates ${options.certificate} and ${options.rootCertificate} must both have a status.notAfter to compare istiod with`,
      'failed',
    );
  }
  let reports: IstiodReport[] = [];
  const matches = (report: IstiodReport) => report.chainExpiry === expectedChain && report.rootExpiry === expectedRoot;
  const verified = await pollUntil(ctx, options.timeoutMs, options.pollMs ?? 10_000, async () => {
    reports = await istiodReports(ctx, options);
    return reports.length > 0 && reports.every(matches) ? reports : undefined;
  });
  const pods = reports.map((report) => ({
    pod: report.pod,
    ip: report.ip,
    chain_expiry: report.chainExpiry === undefined ? null : new Date(report.chainExpiry * 1000).toISOString(),
    root_expiry: report.rootExpiry === undefined ? null : new Date(report.rootExpiry * 1000).toISOString(),
    ...(report.error ? { error: report.error } : {}),
  }));
  const expected = { chain_expiry: new Date(expectedChain * 1000).toISOString(), root_expiry: new Date(expectedRoot * 1000).toISOString() };
  if (verified) {
    ctx.audit.record({
      eventType: 'mesh-ca.istiod.verified',
      resource,
      action: 'verify',
      result: 'success',
      metadata: { ...expected, pods },
    });
    ctx.say(`istiod serves the current CA on ${reports.length} pod(s)`);
    return;
  }
  const stale = reports.filter((report) => !matches(report));
  const detail =
    reports.length === 0
      ? `no ready istiod pod in Endpoints ${options.namespace}/${options.istiodService}`
      : stale
          .map((report) =>
            report.error
              ? `${report.pod} (${report.ip}): ${report.error}`
              : `${report.pod} (${report.ip}) signs with a CA expiring ${pods.find((pod) => pod.pod === report.pod)?.chain_expiry}, root expiring ${pods.find((pod) => pod.pod === report.pod)?.root_expiry}`,
          )
          .join('; ');
  const message = `istiod does not serve the CA in ${options.namespace}/cacerts (expiring ${expected.chain_expiry}, root ${expected.root_expiry}) after ${Math.round(options.timeoutMs / 1000)} s: ${detail}. Restart istiod (kubectl -n ${options.namespace} rollout restart deployment/${options.istiodService}) and run this job again.`;
  ctx.audit.record({
    eventType: 'mesh-ca.istiod.stale',
    resource,
    action: 'verify',
    result: 'failure',
    metadata: { ...expected, pods, reason: message },
  });
  throw new ToolError(message, 'failed');
}

async function istiodReports(ctx: MeshCaContext, options: MeshCaOptions): Promise<IstiodReport[]> {
  const endpoints = await ctx.kube.get<EndpointsObject>(`/api/v1/namespaces/${options.namespace}/endpoints/${options.istiodService}`);
  const addresses = (endpoints.subsets ?? []).flatMap((subset) => subset.addresses ?? []);
  const unique = [...new Map(addresses.map((address) => [address.ip, address])).values()];
  const port = options.metricsPort ?? 15014;
  return Promise.all(
    unique.map(async (address): Promise<IstiodReport> => {
      const pod = address.targetRef?.name ?? address.ip;
      const host = address.ip.includes(':') ? `[${address.ip}]` : address.ip;
      try {
        const text = await ctx.fetchText(`http://${host}:${port}/metrics`);
        const chainExpiry = metricValue(text, CHAIN_EXPIRY_METRIC);
        const rootExpiry = metricValue(text, ROOT_EXPIRY_METRIC);
        if (chainExpiry === undefined) {
          return {
            pod,
            ip: address.ip,
            rootExpiry,
            error: `exposes no ${CHAIN_EXPIRY_METRIC} (istiod before 1.24, or no plugged-in CA loaded)`,
          };
        }
        return { pod, ip: address.ip, chainExpiry, rootExpiry };
      } catch (error) {
        return { pod, ip: address.ip, error: `metrics unreachable: ${(error as Error).message}` };
      }
    }),
  );
}

/** The value of a metric without labels in Prometheus' text format, rounded to whole seconds. */
export function metricValue(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line.trim());
    if (match && match[1] === name) {
      const value = Number(match[3]);
      return Number.isFinite(value) ? Math.round(value) : undefined;
    }
  }
  return undefined;
}

function secondsOf(time: string | undefined): number | undefined {
  if (!time) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : Math.round(ms / 1000);
}

/** What the job reads from a Certificate. */
export function certificateFacts(certificate: CertificateObject, now: Date) {
  const status = certificate.status ?? {};
  const condition = (type: string) => status.conditions?.find((candidate) => candidate.type === type)?.status === 'True';
  const date = (value?: string) => (value ? new Date(value) : undefined);
  const notBefore = date(status.notBefore);
  return {
    notBefore,
    notAfter: date(status.notAfter),
    renewalTime: date(status.renewalTime),
    revision: status.revision,
    ready: condition('Ready'),
    issuing: condition('Issuing'),
    ageDays: notBefore ? (now.getTime() - notBefore.getTime()) / DAY_MS : undefined,
  };
}
