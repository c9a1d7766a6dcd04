import { DESIGN } from '../design-document';
import { hours, isTrue, objectEvidence, type ControlDefinition } from './control';

const AREA = 'Rotation';

/** The rotation tool's commands, to name what a CronJob runs among its arguments. */
const TOOL_COMMANDS = ['status', 'enforce', 'mesh-ca', 'restart', 'verify-log'];

/** The longest the design document lets the mesh CA live: 90 days. */
const MESH_CA_MAX_HOURS = 90 * 24;
/** Istio's default and longest workload certificate lifetime in this project: 24 hours. */
const WORKLOAD_CERT_MAX_HOURS = 24;

/** Rotation of secrets, KMS keys, the mesh CA and workload certificates, and the jobs that enforce it. */
export const ROTATION_CONTROLS: readonly ControlDefinition[] = [
  {
    id: 'rotation.secrets',
    area: AREA,
    control: 'Every Secrets Manager secret has a rotation schedule',
    expectation: 'a rotation schedule (a rotation function or a hosted rotation) on every secret',
    designSection: DESIGN.jwt,
    evaluate: (context) => {
      const schedules = context.resources.ofType('AWS::SecretsManager::RotationSchedule').map((schedule) => {
        // A hosted rotation names the secret through its target attachment, which names the secret.
        let secret = context.resources.referenced(schedule.stack, schedule.resource.Properties?.SecretId);
        if (secret?.resource.Type === 'AWS::SecretsManager::SecretTargetAttachment') {
          secret = context.resources.referenced(secret.stack, secret.resource.Properties?.SecretId);
        }
        return { schedule, secret };
      });
      return context.resources.ofType('AWS::SecretsManager::Secret').map((secret) => {
        const found = schedules.find(
          (candidate) => candidate.secret?.stack === secret.stack && candidate.secret.logicalId === secret.logicalId,
        );
        if (!found) return context.judge(secret, 'no rotation schedule', false, ['SMG4', 'SecretsManagerRotationEnabled']);
        const p = found.schedule.resource.Properties ?? {};
        const every = p.RotationRules?.AutomaticallyAfterDays
          ? `every ${p.RotationRules.AutomaticallyAfterDays} days`
          : String(p.RotationRules?.ScheduleExpression);
        const by = p.HostedRotationLambda
          ? `hosted ${p.HostedRotationLambda.RotationType}`
          : `function ${context.resources.describe(found.schedule.stack, p.RotationLambdaARN)}`;
        return context.judge(secret, `${String(secret.resource.Properties?.Name ?? secret.logicalId)}: ${every} (${by})`, true);
      });
    },
  },
  {
    id: 'rotation.kms-keys',
    area: AREA,
    control: 'KMS key material rotates automatically',
    expectation: 'EnableKeyRotation with a rotation period of at most 365 days',
    designSection: DESIGN.atRest,
    evaluate: (context) =>
      context.resources.ofType('AWS::KMS::Key').map((key) => {
        const p = key.resource.Properties ?? {};
        const days = Number(p.RotationPeriodInDays ?? 365);
        return context.judge(
          key,
          `${context.resources.keyAlias(key) ?? key.logicalId}: rotation ${isTrue(p.EnableKeyRotation) ? `every ${days} days` : 'off'}`,
          isTrue(p.EnableKeyRotation) && days <= 365,
        );
      }),
  },
  {
    id: 'rotation.mesh-ca',
    area: AREA,
    control: "The mesh's intermediate CA (the cacerts istiod signs with) is renewed by cert-manager",
    expectation: 'a Certificate writing cacerts, lifetime at most 90 days, renewed early with a new key',
    designSection: DESIGN.certificateRotation,
    evaluate: (context) =>
      context
        .kind('Certificate')
        .filter((certificate) => certificate.spec?.isCA === true)
        .map((certificate) => {
          const spec = certificate.spec;
          const lifetime = hours(spec.duration);
          const value = `secret ${spec.secretName}; duration ${spec.duration} (${Math.round(lifetime / 24)} days); renewBefore ${spec.renewBefore}; key rotation ${spec.privateKey?.rotationPolicy}`;
          if (spec.secretName !== 'cacerts')
            return objectEvidence(certificate, `${value} (the root: renewed by a planned procedure)`, 'informational');
          const met = lifetime <= MESH_CA_MAX_HOURS && hours(spec.renewBefore) > 0 && spec.privateKey?.rotationPolicy === 'Always';
          return objectEvidence(certificate, value, met ? 'met' : 'not met');
        }),
  },
  {
    id: 'rotation.workload-certificates',
    area: AREA,
    control: 'Workload (SPIFFE) certificates are short-lived',
    expectation: `istiod signs at most ${WORKLOAD_CERT_MAX_HOURS} h; proxies request that lifetime`,
    designSection: DESIGN.certificateRotation,
    evaluate: (context) => {
      const istiod = context.helm('istiod-values.yaml');
      const max = istiod?.env?.MAX_WORKLOAD_CERT_TTL;
      const requested = istiod?.meshConfig?.defaultConfig?.proxyMetadata?.SECRET_TTL;
      const met = hours(max) <= WORKLOAD_CERT_MAX_HOURS && hours(requested) <= hours(max);
      return [
        {
          resource: 'Helm values istiod-values.yaml',
          value: `MAX_WORKLOAD_CERT_TTL ${max}; SECRET_TTL ${requested}; AUTO_RELOAD_PLUGIN_CERTS ${istiod?.env?.AUTO_RELOAD_PLUGIN_CERTS}`,
          status: met ? 'met' : 'not met',
        },
      ];
    },
  },
  {
    id: 'rotation.enforcement-jobs',
    area: AREA,
    control: 'CronJobs check and enforce rotation (secrets, mesh CA, restarts of start-up readers)',
    expectation: 'the secret-rotation and mesh-ca-rotation CronJobs exist, not suspended',
    designSection: DESIGN.certificateRotation,
    evaluate: (context) => {
      const jobs = context.kind('CronJob');
      const required = ['secret-rotation', 'mesh-ca-rotation'];
      return [
        ...jobs.map((job) => {
          const args = (job.spec?.jobTemplate?.spec?.template?.spec?.containers?.[0]?.args ?? []) as string[];
          return objectEvidence(
            job,
            `schedule "${job.spec?.schedule}" (${job.spec?.timeZone ?? 'UTC'}); runs ${args.find((arg) => TOOL_COMMANDS.includes(arg)) ?? args.join(' ')}`,
            job.spec?.suspend === true ? 'not met' : 'met',
          );
        }),
        ...required
          .filter((name) => !jobs.some((job) => job.metadata.name === name))
          .map((name) => ({ resource: `CronJob ${name}`, value: 'not rendered', status: 'not met' as const })),
      ];
    },
  },
  {
    id: 'rotation.sync',
    area: AREA,
    control: 'Rotated values reach the cluster: every ExternalSecret re-reads its source',
    expectation: 'a refresh interval on every ExternalSecret (shown; the configuration bounds it by the session lifetime)',
    designSection: DESIGN.jwt,
    evaluate: (context) =>
      context
        .kind('ExternalSecret')
        .map((secret) =>
          objectEvidence(
            secret,
            `refreshInterval ${secret.spec?.refreshInterval ?? 'none'}`,
            secret.spec?.refreshInterval ? 'met' : 'not met',
          ),
        ),
  },
];
