import { Construct } from 'constructs';
import { CronJob } from 'kubernetes-models/batch/v1';
import { NetworkPolicy, type INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1';
import { Role, RoleBinding, type IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ServiceAccount, type IPodSpec } from 'kubernetes-models/v1';
import { addObject } from './add-object';
import { restrictedViolations } from './pod-security';

/** The UID and GID the jobs run as: distroless' "nonroot" user, which the image also sets. */
export const JOB_USER_ID = 65532;

/** Why the jobs run without a sidecar, on every pod template (`hydraulic.io/sidecar-injection`). */
export const NO_SIDECAR_REASON =
  'disabled: the job talks only to the Kubernetes API, AWS APIs and istiod’s monitoring port, none of them mesh services, and an injected proxy would keep the Job’s pod running after the tool exits';

/** Resources of a job's container: the tool is one Node.js process that mostly waits. */
export const JOB_RESOURCES = {
  requests: { cpu: '50m', memory: '128Mi', 'ephemeral-storage': '16Mi' },
  limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '64Mi' },
} as const;

/** The permissions a job gets in one namespace: named objects only. */
export interface NamespaceGrant {
  readonly namespace: string;
  readonly rules: readonly IPolicyRule[];
}

/** Properties of a {@link RotationCronJob}. */
export interface RotationCronJobProps {
  /** The CronJob's name; also its ServiceAccount's, Roles', NetworkPolicy's and the pods' `app.kubernetes.io/name`. */
  readonly name: string;
  /** Where the CronJob, its ServiceAccount and its pods live. */
  readonly namespace: string;
  /** The ServiceAccount's name (the CDK side's Pod Identity association names it). */
  readonly serviceAccount: string;
  /** What the job is for, written on the CronJob (`hydraulic.io/purpose`). */
  readonly purpose: string;
  /** The schedule (Kubernetes CronJob syntax), run in UTC. */
  readonly schedule: string;
  /** The image, by digest or immutable tag. */
  readonly image: string;
  /** The tool's arguments. */
  readonly args: readonly string[];
  /** Environment variables (no secrets: the jobs read none). @default [] */
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  /** The Job's deadline: the pod is killed after this many seconds. */
  readonly activeDeadlineSeconds: number;
  /** How late a missed run may still start; later, it is skipped until the next one. */
  readonly startingDeadlineSeconds: number;
  /** Whether the pod gets a ServiceAccount token for the Kubernetes API. */
  readonly kubernetesApi: boolean;
  /** Roles in each namespace the job reads or writes in. @default [] */
  readonly grants?: readonly NamespaceGrant[];
  /** Where the pod may connect (DNS is allowed for every pod by the namespace baseline). */
  readonly egress: readonly INetworkPolicyEgressRule[];
}

/**
 * A rotation job hardened the same way every time: its own ServiceAccount (no token unless
 * the job calls the Kubernetes API), Roles over named objects only, a CronJob that never
 * overlaps itself (`Forbid`), has a deadline, no blind retries (`backoffLimit: 0`, except that
 * a pod evicted by a drain is replaced) and keeps the last runs for inspection, a pod that
 * passes Pod Security `restricted` with a read-only root filesystem and bounded resources,
 * runs without an Istio sidecar (so the Job completes), and a NetworkPolicy that admits
 * nothing and lets it connect only where it must.
 *
 * Every Role rule and the pod template are checked here: a wildcard or an unnamed object,
 * or a pod that `restricted` would refuse, fails synthesis.
 */
export class RotationCronJob extends Construct {
  /** The labels of the job's pods. */
  public readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RotationCronJobProps) {
    super(scope, id);
    if (props.activeDeadlineSeconds < 60) {
      throw new Error(`${props.name}: activeDeadlineSeconds must be at least 60; got ${props.activeDeadlineSeconds}`);
    }
    if (props.startingDeadlineSeconds < 10) {
      // The CronJob controller checks schedules every 10 seconds; a shorter deadline can skip every run.
      throw new Error(`${props.name}: startingDeadlineSeconds must be at least 10; got ${props.startingDeadlineSeconds}`);
    }
    for (const grant of props.grants ?? []) for (const rule of grant.rules) checkRule(props.name, grant.namespace, rule);

    this.podLabels = {
      'app.kubernetes.io/name': props.name,
      'app.kubernetes.io/component': 'rotation',
      'sidecar.istio.io/inject': 'false',
    };
    const selector = { 'app.kubernetes.io/name': props.name };

    addObject(
      this,
      'service-account',
      new ServiceAccount({
        metadata: { name: props.serviceAccount, namespace: props.namespace, labels: selector },
        automountServiceAccountToken: false,
      }),
    );

    for (const grant of props.grants ?? []) {
      const suffix = grant.namespace === props.namespace ? '' : `-${grant.namespace}`;
      addObject(
        this,
        `role${suffix}`,
        new Role({ metadata: { name: props.name, namespace: grant.namespace, labels: selector }, rules: [...grant.rules] }),
      );
      addObject(
        this,
        `role-binding${suffix}`,
        new RoleBinding({
          metadata: { name: props.name, namespace: grant.namespace, labels: selector },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
          subjects: [{ kind: 'ServiceAccount', name: props.serviceAccount, namespace: props.namespace }],
        }),
      );
    }

    const podSpec: IPodSpec = {
      serviceAccountName: props.serviceAccount,
      automountServiceAccountToken: props.kubernetesApi,
      restartPolicy: 'Never',
      enableServiceLinks: false,
      hostNetwork: false,
      hostPID: false,
      hostIPC: false,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: JOB_USER_ID,
        runAsGroup: JOB_USER_ID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'rotate',
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          args: [...props.args],
          env: [...(props.env ?? [])],
          resources: { requests: { ...JOB_RESOURCES.requests }, limits: { ...JOB_RESOURCES.limits } },
          terminationMessagePolicy: 'FallbackToLogsOnError',
          securityContext: {
            runAsNonRoot: true,
            runAsUser: JOB_USER_ID,
            runAsGroup: JOB_USER_ID,
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
        },
      ],
    };
    const violations = restrictedViolations(podSpec);
    if (violations.length > 0)
      throw new Error(`${props.name}: the pod would be refused by Pod Security restricted: ${violations.join('; ')}`);

    addObject(
      this,
      'cron-job',
      new CronJob({
        metadata: {
          name: props.name,
          namespace: props.namespace,
          labels: selector,
          annotations: { 'hydraulic.io/purpose': props.purpose },
        },
        spec: {
          schedule: props.schedule,
          timeZone: 'Etc/UTC',
          concurrencyPolicy: 'Forbid',
          startingDeadlineSeconds: props.startingDeadlineSeconds,
          suspend: false,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 5,
          jobTemplate: {
            metadata: { labels: selector },
            spec: {
              backoffLimit: 0,
              activeDeadlineSeconds: props.activeDeadlineSeconds,
              // A pod evicted by a node drain did not fail: replace it without using up the backoff limit.
              podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
              template: {
                metadata: { labels: { ...this.podLabels }, annotations: { 'hydraulic.io/sidecar-injection': NO_SIDECAR_REASON } },
                spec: podSpec,
              },
            },
          },
        },
      }),
    );

    addObject(
      this,
      'network-policy',
      new NetworkPolicy({
        metadata: { name: props.name, namespace: props.namespace, labels: selector },
        spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [...props.egress] },
      }),
    );
  }
}

/** Refuses a rule that is not limited to named objects, or uses a wildcard. */
function checkRule(job: string, namespace: string, rule: IPolicyRule): void {
  const where = `${job}'s Role in ${namespace}`;
  const fields = {
    verbs: rule.verbs,
    resources: rule.resources ?? [],
    apiGroups: rule.apiGroups ?? [],
    resourceNames: rule.resourceNames ?? [],
  };
  for (const [field, values] of Object.entries(fields)) {
    if (values.some((value) => value.includes('*'))) throw new Error(`${where} has a wildcard in ${field}: ${values.join(', ')}`);
  }
  if (fields.resourceNames.length === 0)
    throw new Error(`${where} grants ${fields.verbs.join(', ')} on every ${fields.resources.join(', ')}: name the objects`);
  if (rule.nonResourceURLs?.length) throw new Error(`${where} grants non-resource URLs`);
  const unscopable = fields.verbs.filter((verb) => ['list', 'watch', 'create', 'deletecollection'].includes(verb));
  if (unscopable.length > 0) throw new Error(`${where} grants ${unscopable.join(', ')}, which resourceNames cannot limit`);
}
