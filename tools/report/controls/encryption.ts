import type { LocatedResource } from '../../synthesized/resources';
import { DESIGN } from '../design-document';
import { isTrue, objectEvidence, type ControlContext, type ControlDefinition, type ControlEvidence } from './control';

const AT_REST = 'Encryption at rest';
const IN_TRANSIT = 'Encryption in transit';

/** Evidence that a resource is encrypted with a customer-managed KMS key found at `keyOf(resource)`. */
function customerKey(
  context: ControlContext,
  resource: LocatedResource,
  keyOf: (properties: Record<string, any>) => unknown,
  rules: readonly string[] = [],
  alsoMet = true,
): ControlEvidence {
  const key = keyOf(resource.resource.Properties ?? {});
  const target = context.resources.referenced(resource.stack, key);
  const isCustomerKey = target?.resource.Type === 'AWS::KMS::Key';
  const value = key === undefined ? 'no KMS key (AWS-owned or AWS-managed key)' : `KMS ${context.resources.describe(resource.stack, key)}`;
  return context.judge(resource, alsoMet ? value : `${value}, but encryption is switched off`, isCustomerKey && alsoMet, rules);
}

/** A control that every resource of some types is encrypted with a customer-managed key. */
function keyedTypes(
  id: string,
  control: string,
  types: readonly string[],
  keyOf: (properties: Record<string, any>) => unknown,
  extra: (properties: Record<string, any>) => boolean = () => true,
): ControlDefinition {
  return {
    id,
    area: AT_REST,
    control,
    expectation: 'a customer-managed KMS key of the stage (keys stack), rotated yearly',
    designSection: DESIGN.atRest,
    evaluate: (context) =>
      types
        .flatMap((type) => context.resources.ofType(type))
        .map((resource) => customerKey(context, resource, keyOf, [], extra(resource.resource.Properties ?? {}))),
  };
}

/** Whether a resource policy of `resource` denies requests that do not use TLS. */
function deniesPlainText(
  context: ControlContext,
  resource: LocatedResource,
  policyType: string,
  targetsOf: (p: any) => unknown[],
): boolean {
  return context.resources
    .ofType(policyType)
    .filter((policy) => policy.stack === resource.stack)
    .filter((policy) =>
      targetsOf(policy.resource.Properties ?? {}).some(
        (target) => context.resources.referenced(policy.stack, target)?.logicalId === resource.logicalId,
      ),
    )
    .some((policy) =>
      ((policy.resource.Properties?.PolicyDocument?.Statement ?? []) as any[]).some(
        (statement) => statement.Effect === 'Deny' && String(statement.Condition?.Bool?.['aws:SecureTransport']) === 'false',
      ),
    );
}

/** Encryption at rest, per resource type, and in transit, per hop. */
export const ENCRYPTION_CONTROLS: readonly ControlDefinition[] = [
  keyedTypes(
    'at-rest.database',
    'RDS for PostgreSQL storage, snapshots and Performance Insights',
    ['AWS::RDS::DBInstance'],
    (p) => p.KmsKeyId,
    (p) => isTrue(p.StorageEncrypted) && (!isTrue(p.EnablePerformanceInsights) || p.PerformanceInsightsKMSKeyId !== undefined),
  ),
  keyedTypes(
    'at-rest.cache',
    'ElastiCache replication group (token revocations, rate-limit counters)',
    ['AWS::ElastiCache::ReplicationGroup'],
    (p) => p.KmsKeyId,
    (p) => isTrue(p.AtRestEncryptionEnabled),
  ),
  keyedTypes('at-rest.secrets', 'Secrets Manager secrets', ['AWS::SecretsManager::Secret'], (p) => p.KmsKeyId),
  keyedTypes('at-rest.log-groups', 'CloudWatch Logs log groups', ['AWS::Logs::LogGroup'], (p) => p.KmsKeyId),
  keyedTypes('at-rest.trail', 'CloudTrail log files', ['AWS::CloudTrail::Trail'], (p) => p.KMSKeyId),
  keyedTypes('at-rest.alert-topic', 'SNS topics (security alerts)', ['AWS::SNS::Topic'], (p) => p.KmsMasterKeyId),
  keyedTypes('at-rest.backups', 'AWS Backup vaults (recovery points)', ['AWS::Backup::BackupVault'], (p) => p.EncryptionKeyArn),
  keyedTypes('at-rest.images', 'ECR image repositories', ['AWS::ECR::Repository'], (p) => p.EncryptionConfiguration?.KmsKey),
  {
    id: 'at-rest.buckets',
    area: AT_REST,
    control: 'S3 buckets (audit archive, access logs)',
    expectation: 'a customer-managed KMS key, or SSE-S3 where the writing service accepts no KMS key (acknowledged in the template)',
    designSection: DESIGN.atRest,
    evaluate: (context) =>
      context.resources.ofType('AWS::S3::Bucket').map((bucket) => {
        const rule = bucket.resource.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
        if (rule?.SSEAlgorithm === 'aws:kms') return customerKey(context, bucket, () => rule.KMSMasterKeyID, ['S3DefaultEncryptionKMS']);
        return context.judge(
          bucket,
          rule ? `SSE-S3 (${rule.SSEAlgorithm})` : 'no default encryption',
          false,
          rule ? ['S3DefaultEncryptionKMS'] : [],
        );
      }),
  },
  {
    id: 'at-rest.queues',
    area: AT_REST,
    control: 'SQS queues (rotation dead letters: event metadata, never a secret value)',
    expectation: 'server-side encryption (SQS-managed or KMS)',
    designSection: DESIGN.atRest,
    evaluate: (context) =>
      context.resources.ofType('AWS::SQS::Queue').map((queue) => {
        const properties = queue.resource.Properties ?? {};
        if (properties.KmsMasterKeyId) return customerKey(context, queue, (p) => p.KmsMasterKeyId);
        return context.judge(
          queue,
          isTrue(properties.SqsManagedSseEnabled) ? 'SQS-managed SSE' : 'unencrypted',
          isTrue(properties.SqsManagedSseEnabled),
        );
      }),
  },
  {
    id: 'in-transit.edge',
    area: IN_TRANSIT,
    control: 'Client to ALB: HTTPS only, TLS 1.3 policy',
    expectation: 'only an HTTPS listener, an ELBSecurityPolicy-TLS13 policy, an ACM certificate',
    designSection: DESIGN.inTransit,
    evaluate: (context) => [
      ...context.kind('IngressClassParams').map((params) => {
        const policy = String(params.spec?.sslPolicy ?? 'none');
        const certificates = (params.spec?.certificateArn ?? []) as string[];
        return objectEvidence(
          params,
          `sslPolicy ${policy}; ${certificates.length} certificate(s)`,
          policy.startsWith('ELBSecurityPolicy-TLS13') && certificates.length > 0 ? 'met' : 'not met',
        );
      }),
      ...context
        .kind('Ingress')
        .filter((ingress) => ingress.metadata.annotations?.['alb.ingress.kubernetes.io/listen-ports'] !== undefined)
        .map((ingress) => {
          const ports = JSON.parse(ingress.metadata.annotations!['alb.ingress.kubernetes.io/listen-ports']) as Record<string, number>[];
          const protocols = ports.flatMap((port) => Object.keys(port));
          return objectEvidence(
            ingress,
            `listeners ${ports.map((port) => Object.entries(port).map(([k, v]) => `${k}:${v}`)).join(', ')}`,
            protocols.every((p) => p === 'HTTPS') ? 'met' : 'not met',
          );
        }),
    ],
  },
  {
    id: 'in-transit.alb-to-kong',
    area: IN_TRANSIT,
    control: 'ALB to Kong: TLS to the proxy, no plain-HTTP proxy listener',
    expectation: 'backend protocol HTTPS; Kong proxy with TLS only (TLS 1.2 and 1.3)',
    designSection: DESIGN.inTransit,
    evaluate: (context) => {
      const kong = context.helm('kong-values.yaml');
      return [
        ...context
          .kind('Ingress')
          .filter((ingress) => ingress.metadata.annotations?.['alb.ingress.kubernetes.io/backend-protocol'] !== undefined)
          .map((ingress) => {
            const protocol = ingress.metadata.annotations!['alb.ingress.kubernetes.io/backend-protocol'];
            return objectEvidence(ingress, `backend protocol ${protocol}`, protocol === 'HTTPS' ? 'met' : 'not met');
          }),
        {
          resource: 'Helm values kong-values.yaml',
          value: `proxy.http.enabled ${kong?.proxy?.http?.enabled}; proxy.tls.enabled ${kong?.proxy?.tls?.enabled}; ssl_protocols ${kong?.env?.ssl_protocols}`,
          status: kong?.proxy?.http?.enabled === false && kong?.proxy?.tls?.enabled === true ? 'met' : 'not met',
        },
      ];
    },
  },
  {
    id: 'in-transit.database',
    area: IN_TRANSIT,
    control: 'Clients to PostgreSQL: TLS required',
    expectation: 'rds.force_ssl = 1 and ssl_min_protocol_version TLSv1.2 or later in the parameter group',
    designSection: DESIGN.inTransit,
    evaluate: (context) =>
      context.resources.ofType('AWS::RDS::DBParameterGroup').map((group) => {
        const parameters = (group.resource.Properties?.Parameters ?? {}) as Record<string, unknown>;
        const forced = String(parameters['rds.force_ssl']) === '1';
        const minimum = String(parameters.ssl_min_protocol_version ?? 'unset');
        return context.judge(
          group,
          `rds.force_ssl ${String(parameters['rds.force_ssl'] ?? 'unset')}; ssl_min_protocol_version ${minimum}`,
          forced && /^TLSv1\.[23]$/.test(minimum),
        );
      }),
  },
  {
    id: 'in-transit.cache',
    area: IN_TRANSIT,
    control: 'Clients to ElastiCache: TLS required',
    expectation: 'TransitEncryptionEnabled with TransitEncryptionMode required',
    designSection: DESIGN.inTransit,
    evaluate: (context) =>
      context.resources.ofType('AWS::ElastiCache::ReplicationGroup').map((group) => {
        const p = group.resource.Properties ?? {};
        return context.judge(
          group,
          `TransitEncryptionEnabled ${String(p.TransitEncryptionEnabled)}; mode ${String(p.TransitEncryptionMode ?? 'unset')}`,
          isTrue(p.TransitEncryptionEnabled) && p.TransitEncryptionMode === 'required',
        );
      }),
  },
  {
    id: 'in-transit.kong-to-cache',
    area: IN_TRANSIT,
    control: 'Kong rate limiting to Redis: TLS with the certificate verified',
    expectation: 'redis.ssl and redis.ssl_verify true on every rate-limiting plugin',
    designSection: DESIGN.inTransit,
    evaluate: (context) =>
      [...context.kind('KongClusterPlugin'), ...context.kind('KongPlugin')]
        .filter((plugin) => plugin.plugin === 'rate-limiting')
        .map((plugin) => {
          const redis = plugin.config?.redis ?? {};
          return objectEvidence(
            plugin,
            `ssl ${String(redis.ssl)}; ssl_verify ${String(redis.ssl_verify)}`,
            redis.ssl === true && redis.ssl_verify === true ? 'met' : 'not met',
          );
        }),
  },
  {
    id: 'in-transit.resource-policies',
    area: IN_TRANSIT,
    control: 'S3 buckets, SNS topics and SQS queues refuse requests without TLS',
    expectation: 'a resource-policy statement denying aws:SecureTransport false',
    designSection: DESIGN.inTransit,
    evaluate: (context) => [
      ...context.resources.ofType('AWS::S3::Bucket').map((bucket) => {
        const denies = deniesPlainText(context, bucket, 'AWS::S3::BucketPolicy', (p) => [p.Bucket]);
        return context.judge(bucket, denies ? 'TLS-only bucket policy' : 'no TLS-only statement', denies, [
          'S10',
          'S3BucketSSLRequestsOnly',
        ]);
      }),
      ...context.resources.ofType('AWS::SNS::Topic').map((topic) => {
        const denies = deniesPlainText(context, topic, 'AWS::SNS::TopicPolicy', (p) => p.Topics ?? []);
        return context.judge(topic, denies ? 'TLS-only topic policy' : 'no TLS-only statement', denies, ['SNS3']);
      }),
      ...context.resources.ofType('AWS::SQS::Queue').map((queue) => {
        const denies = deniesPlainText(context, queue, 'AWS::SQS::QueuePolicy', (p) => p.Queues ?? []);
        return context.judge(queue, denies ? 'TLS-only queue policy' : 'no TLS-only statement', denies, ['SQS4']);
      }),
    ],
  },
];
