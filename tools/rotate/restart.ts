import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AuditLog, MetadataValue } from './audit-log';
import { type Sleep, pollUntil } from './backoff';
import { ToolError } from './errors';
import type { KubernetesApi } from './kubernetes-api';
import { describeSecret } from './secret-inventory';

/** The pod-template annotation recording which secret versions a Deployment's pods started with. */
export const SECRET_VERSIONS_ANNOTATION = 'hydraulic.io/secret-versions';
/** The annotation `kubectl rollout restart` sets; set too, so the usual tools show the restart. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** One Deployment and the ExternalSecrets whose Secrets it reads only at start-up. */
export interface RestartedWorkload {
  readonly deployment: string;
  readonly externalSecrets: readonly string[];
}

/** Settings of {@link restartWorkloads}. */
export interface RestartOptions {
  /** The application namespace: the Deployments' and the ExternalSecrets'. */
  readonly namespace: string;
  /** Only remote keys starting with this are Secrets Manager secrets of the stage (the rest are parameters). */
  readonly secretPrefix: string;
  readonly workloads: readonly RestartedWorkload[];
  /** The longest wait for one rollout, in milliseconds. */
  readonly timeoutMs: number;
  /** How long External Secrets may take to sync a rotated value before that is a failure, in milliseconds. */
  readonly syncGraceMs: number;
  /** Time between two checks of a rollout. @default 10 000 */
  readonly pollMs?: number;
}

/** What the restart command needs from the outside world. */
export interface RestartContext {
  readonly kube: KubernetesApi;
  readonly client: SecretsManagerClient;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly sleep: Sleep;
  readonly say: (line: string) => void;
}

interface ExternalSecretObject {
  spec?: { data?: { remoteRef?: { key?: string } }[]; dataFrom?: { extract?: { key?: string } }[] };
  status?: { refreshTime?: string; conditions?: { type: string; status: string }[] };
}

interface DeploymentObject {
  metadata: { generation?: number };
  spec?: { replicas?: number; template?: { metadata?: { annotations?: Record<string, string> } } };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

/**
 * Restarts each Deployment whose secrets rotated since its pods started, once the new values
 * are in the cluster: the current version of every Secrets Manager secret behind the
 * Deployment's ExternalSecrets is compared with the versions recorded on its pod template
 * ({@link SECRET_VERSIONS_ANNOTATION}); when they differ and External Secrets has refreshed
 * every one of those ExternalSecrets since the rotation, the template is patched (a rolling
 * restart, as `kubectl rollout restart` does) and the rollout is awaited. A Deployment never
 * restarted by the job has no record and is restarted once.
 *
 * @returns the names of the Deployments that failed (sync overdue, rollout stuck)
 */
export async function restartWorkloads(ctx: RestartContext, options: RestartOptions): Promise<string[]> {
  const failed: string[] = [];
  for (const workload of options.workloads) {
    const resource = `${options.namespace}/deployment/${workload.deployment}`;
    const fail = (reason: string, metadata: Record<string, MetadataValue> = {}) => {
      failed.push(workload.deployment);
      ctx.say(`FAILED  ${workload.deployment}: ${reason}`);
      ctx.audit.record({
        eventType: 'workload.restart.failed',
        resource,
        action: 'restart',
        result: 'failure',
        metadata: { reason, ...metadata },
      });
    };

    const sources = await Promise.all(workload.externalSecrets.map((name) => readExternalSecret(ctx, options, name)));
    const versions = new Map<string, { versionId: string; changed: Date }>();
    for (const key of new Set(sources.flatMap((source) => source.keys))) {
      const facts = await describeSecret(ctx.client, key);
      const versionId = Object.entries(facts.versionStages).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
      if (!versionId) throw new ToolError(`The secret ${key} has no AWSCURRENT version`, 'failed');
      versions.set(key, { versionId, changed: facts.lastRotatedDate ?? facts.createdDate ?? new Date(0) });
    }
    if (versions.size === 0) {
      fail(`its ExternalSecrets (${workload.externalSecrets.join(', ')}) read no secret under ${options.secretPrefix}`);
      continue;
    }
    const fingerprint = [...versions.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, version]) => `${key}=${version.versionId}`)
      .join(',');
    const path = `/apis/apps/v1/namespaces/${options.namespace}/deployments/${workload.deployment}`;
    const deployment = await ctx.kube.get<DeploymentObject>(path);
    const recorded = deployment.spec?.template?.metadata?.annotations?.[SECRET_VERSIONS_ANNOTATION];
    const metadata = { secret_versions: fingerprint, recorded: recorded ?? null };
    if (recorded === fingerprint) {
      ctx.audit.record({
        eventType: 'workload.restart.checked',
        resource,
        action: 'check',
        result: 'success',
        metadata: { ...metadata, restart: false },
      });
      continue;
    }

    const lastChange = new Date(Math.max(...[...versions.values()].map((version) => version.changed.getTime())));
    const unsynced = sources
      .filter((source) => !source.ready || !source.refreshTime || source.refreshTime < lastChange)
      .map((source) => source.name);
    if (unsynced.length > 0) {
      const waited = ctx.now().getTime() - lastChange.getTime();
      if (waited > options.syncGraceMs) {
        fail(
          `External Secrets has not synced ${unsynced.join(', ')} since the rotation at ${lastChange.toISOString()} (${Math.round(waited / 60_000)} minutes ago): restarting now would start pods with the old value; check the ExternalSecret's status and the operator's log`,
          { ...metadata, unsynced },
        );
      } else {
        ctx.say(`waiting ${workload.deployment}: External Secrets has not synced ${unsynced.join(', ')} yet`);
        ctx.audit.record({
          eventType: 'workload.restart.deferred',
          resource,
          action: 'restart',
          result: 'success',
          metadata: { ...metadata, unsynced, rotated_at: lastChange.toISOString() },
        });
      }
      continue;
    }

    const patched = await ctx.kube.patch<DeploymentObject>(path, {
      spec: {
        template: {
          metadata: { annotations: { [SECRET_VERSIONS_ANNOTATION]: fingerprint, [RESTARTED_AT_ANNOTATION]: ctx.now().toISOString() } },
        },
      },
    });
    ctx.say(`restarting ${workload.deployment}: ${fingerprint}`);
    ctx.audit.record({ eventType: 'workload.restart.started', resource, action: 'restart', result: 'success', metadata });
    const generation = patched.metadata.generation ?? 0;
    const rolledOut = await pollUntil(ctx, options.timeoutMs, options.pollMs ?? 10_000, async () => {
      const current = await ctx.kube.get<DeploymentObject>(path);
      return rolloutComplete(current, generation) ? current : undefined;
    });
    if (!rolledOut) {
      fail(
        `the rollout did not complete within ${Math.round(options.timeoutMs / 1000)} s: see \`kubectl -n ${options.namespace} rollout status deployment/${workload.deployment}\` and the new pods' logs`,
        metadata,
      );
      continue;
    }
    ctx.say(`restarted ${workload.deployment}`);
    ctx.audit.record({ eventType: 'workload.restart.completed', resource, action: 'restart', result: 'success', metadata });
  }
  return failed;
}

/** The test `kubectl rollout status` applies: the new generation observed, every replica updated and available, no old one left. */
export function rolloutComplete(deployment: DeploymentObject, generation: number): boolean {
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  return (
    (status.observedGeneration ?? 0) >= generation &&
    (status.updatedReplicas ?? 0) >= desired &&
    (status.replicas ?? 0) <= (status.updatedReplicas ?? 0) &&
    (status.availableReplicas ?? 0) >= (status.updatedReplicas ?? 0)
  );
}

async function readExternalSecret(ctx: RestartContext, options: RestartOptions, name: string) {
  const object = await ctx.kube.get<ExternalSecretObject>(
    `/apis/external-secrets.io/v1/namespaces/${options.namespace}/externalsecrets/${name}`,
  );
  const keys = [
    ...(object.spec?.data ?? []).map((entry) => entry.remoteRef?.key),
    ...(object.spec?.dataFrom ?? []).map((entry) => entry.extract?.key),
  ].filter((key): key is string => typeof key === 'string' && key.startsWith(options.secretPrefix));
  const refreshTime = object.status?.refreshTime ? new Date(object.status.refreshTime) : undefined;
  const ready = object.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
  return { name, keys, refreshTime, ready };
}
