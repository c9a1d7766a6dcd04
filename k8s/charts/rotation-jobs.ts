import type { Construct } from 'constructs';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1';
import { Naming, ROTATION_JOBS, type StageConfig } from '../../lib/config';
import { RotationCronJob } from '../lib/rotation-cron-job';
import { SYNCED_SECRETS } from './external-secrets';
import { MESH_CA, intermediateRenewBeforeHours } from './mesh-ca';
import { StageChart, type StageChartProps } from './stage-chart';

/** The EKS Pod Identity Agent's link-local address, where the AWS SDK fetches the pod's credentials. */
export const POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', port: 80 } as const;
/** istiod's monitoring port (plain HTTP), where the mesh CA job reads which CA istiod signs with. */
export const ISTIOD_MONITORING_PORT = 15014;
/** The budget of the secret enforcement run; the Job's deadline adds a margin to it. */
export const ENFORCE_DEADLINE_MINUTES = 45;

/**
 * The image the jobs run: the stage's ECR repository (created by the audit stack), pinned by
 * digest when the configuration gives one, else by its immutable tag.
 */
export function rotationToolImage(config: StageConfig): string {
  const { account, region } = config.aws;
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const { repository, tag, digest } = config.rotationJobs.image;
  const name = new Naming(config).imageRepositoryName(repository);
  return `${account}.dkr.ecr.${region}.${domain}/${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/** The intermediate CA's rotation age: its lifetime less cert-manager's renewal margin (60 days of 90). */
export function meshCaRotationAgeDays(lifetimeDays: number): number {
  return lifetimeDays - intermediateRenewBeforeHours(lifetimeDays) / 24;
}

/**
 * The rotation CronJobs of a stage, each from {@link RotationCronJob} (own ServiceAccount,
 * named-object RBAC, Pod Security restricted, no sidecar, egress-only NetworkPolicy):
 * - `secret-rotation` on `rotation.schedule`: `hydraulic-rotate enforce` rotates every secret
 *   under the stage's name prefix that is due (AWS only, through its Pod Identity role);
 * - `mesh-ca-rotation` on `rotationJobs.meshCaSchedule`: `hydraulic-rotate mesh-ca` has
 *   cert-manager renew the intermediate CA at its rotation age and fails when istiod does not
 *   serve the renewed CA (Kubernetes API and istiod's monitoring port only, no AWS);
 * - `rotation-restart` on `rotationJobs.restartSchedule`, when the configuration lists
 *   workloads: `hydraulic-rotate restart` rolls the listed Deployments once their secrets'
 *   new values are synced (Kubernetes API, plus DescribeSecret through its Pod Identity role).
 *
 * The jobs run in the application namespace, so its baseline (Pod Security enforcement,
 * default deny) applies to them too.
 */
export class RotationJobsChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const config = this.config;
    const naming = new Naming(config);
    const namespace = config.kubernetes.namespace;
    const istioNamespace = config.kubernetes.istioRootNamespace;
    const jobs = config.rotationJobs;
    const image = rotationToolImage(config);
    const timeout = jobs.timeoutMinutes;
    const actor = (serviceAccount: string) => ['--quiet', '--actor', `system:serviceaccount:${namespace}:${serviceAccount}`];
    const region = [{ name: 'AWS_REGION', value: config.aws.region }];

    const https = (cidrs: readonly string[]): INetworkPolicyEgressRule => ({
      to: cidrs.map((cidr) => ({ ipBlock: { cidr } })),
      ports: [{ protocol: 'TCP', port: 443 }],
    });
    // EKS's private API endpoint has its network interfaces in the VPC.
    const kubernetesApi = https([config.network.cidr]);
    // Secrets Manager through its interface endpoint in the VPC, or through NAT to its public endpoint.
    const secretsManager = https(config.vpcEndpoints.create ? [config.network.cidr] : ['0.0.0.0/0']);
    const podIdentityAgent: INetworkPolicyEgressRule = {
      to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }],
      ports: [{ protocol: 'TCP', port: POD_IDENTITY_AGENT.port }],
    };

    new RotationCronJob(this, 'secret-rotation', {
      name: ROTATION_JOBS.secrets.name,
      namespace,
      serviceAccount: ROTATION_JOBS.secrets.serviceAccount,
      purpose: `Rotates every due Secrets Manager secret under ${naming.secretNamePrefix} (policy: ${config.rotation.secretsDays} days)`,
      schedule: config.rotation.schedule,
      image,
      args: [
        ...actor(ROTATION_JOBS.secrets.serviceAccount),
        'enforce',
        '--prefix',
        naming.secretNamePrefix,
        '--max-age-days',
        String(config.rotation.secretsDays),
        '--grace-days',
        '1',
        '--timeout-minutes',
        String(timeout),
        '--deadline-minutes',
        String(ENFORCE_DEADLINE_MINUTES),
        '--region',
        config.aws.region,
      ],
      env: region,
      activeDeadlineSeconds: (ENFORCE_DEADLINE_MINUTES + timeout + 5) * 60,
      startingDeadlineSeconds: 3600,
      kubernetesApi: false,
      egress: [secretsManager, podIdentityAgent],
    });

    new RotationCronJob(this, 'mesh-ca-rotation', {
      name: ROTATION_JOBS.meshCa.name,
      namespace,
      serviceAccount: ROTATION_JOBS.meshCa.serviceAccount,
      purpose: `Renews the mesh intermediate CA at ${meshCaRotationAgeDays(config.rotation.meshCaDays)} days (lifetime ${config.rotation.meshCaDays}) and checks istiod serves it`,
      schedule: jobs.meshCaSchedule,
      image,
      args: [
        ...actor(ROTATION_JOBS.meshCa.serviceAccount),
        'mesh-ca',
        '--namespace',
        istioNamespace,
        '--certificate',
        MESH_CA.certificateName,
        '--root-certificate',
        MESH_CA.rootName,
        '--istiod',
        'istiod',
        '--rotation-age-days',
        String(meshCaRotationAgeDays(config.rotation.meshCaDays)),
        '--timeout-minutes',
        String(timeout),
      ],
      activeDeadlineSeconds: (2 * timeout + 5) * 60,
      startingDeadlineSeconds: 3600,
      kubernetesApi: true,
      grants: [
        {
          namespace: istioNamespace,
          rules: [
            {
              apiGroups: ['cert-manager.io'],
              resources: ['certificates'],
              resourceNames: [MESH_CA.certificateName, MESH_CA.rootName],
              verbs: ['get'],
            },
            {
              apiGroups: ['cert-manager.io'],
              resources: ['certificates/status'],
              resourceNames: [MESH_CA.certificateName],
              verbs: ['update'],
            },
            // Endpoints, not EndpointSlices: a slice's name is generated, so only Endpoints can be granted by name.
            { apiGroups: [''], resources: ['endpoints'], resourceNames: ['istiod'], verbs: ['get'] },
          ],
        },
      ],
      egress: [
        kubernetesApi,
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': istioNamespace } },
              podSelector: { matchLabels: { app: 'istiod' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: ISTIOD_MONITORING_PORT }],
        },
      ],
    });

    if (jobs.restartOnRotation.length > 0) {
      const synced = Object.values(SYNCED_SECRETS) as string[];
      for (const workload of jobs.restartOnRotation) {
        const unknown = workload.externalSecrets.filter((name) => !synced.includes(name));
        if (unknown.length > 0) {
          throw new Error(
            `rotationJobs.restartOnRotation: ${workload.deployment} reads ${unknown.join(', ')}, which the external-secrets chart does not sync; it syncs ${synced.join(', ')}`,
          );
        }
      }
      const deployments = jobs.restartOnRotation.map((workload) => workload.deployment);
      const externalSecrets = [...new Set(jobs.restartOnRotation.flatMap((workload) => workload.externalSecrets))].sort();
      new RotationCronJob(this, 'rotation-restart', {
        name: ROTATION_JOBS.restart.name,
        namespace,
        serviceAccount: ROTATION_JOBS.restart.serviceAccount,
        purpose: `Restarts ${deployments.join(', ')} once a secret they read only at start-up has rotated and been synced`,
        schedule: jobs.restartSchedule,
        image,
        args: [
          ...actor(ROTATION_JOBS.restart.serviceAccount),
          'restart',
          '--namespace',
          namespace,
          '--secret-prefix',
          naming.secretNamePrefix,
          ...jobs.restartOnRotation.flatMap((workload) => ['--workload', `${workload.deployment}=${workload.externalSecrets.join(',')}`]),
          '--timeout-minutes',
          String(timeout),
          '--sync-grace-minutes',
          String(2 * config.externalSecrets.refreshMinutes),
          '--region',
          config.aws.region,
        ],
        env: region,
        activeDeadlineSeconds: (deployments.length * timeout + 5) * 60,
        // Runs often: a run missed by more than five minutes is replaced by the next one.
        startingDeadlineSeconds: 300,
        kubernetesApi: true,
        grants: [
          {
            namespace,
            rules: [
              { apiGroups: ['apps'], resources: ['deployments'], resourceNames: deployments, verbs: ['get', 'patch'] },
              { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], resourceNames: externalSecrets, verbs: ['get'] },
            ],
          },
        ],
        egress: distinct([kubernetesApi, secretsManager, podIdentityAgent]),
      });
    }
  }
}

/** The rules without repeats (the API server and the Secrets Manager endpoint may share the VPC's block). */
function distinct(rules: INetworkPolicyEgressRule[]): INetworkPolicyEgressRule[] {
  return rules.filter((rule, index) => rules.findIndex((other) => JSON.stringify(other) === JSON.stringify(rule)) === index);
}
