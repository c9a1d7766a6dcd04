import * as rds from 'aws-cdk-lib/aws-rds';
import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { cidr, dnsLabel } from './primitives';
import { GATEWAY } from './service-graph';

/** PostgreSQL's well-known port: scanners try it first, so the database listens elsewhere. */
export const DEFAULT_POSTGRES_PORT = 5432;
/** Redis's and Valkey's well-known port, refused for the same reason. */
export const DEFAULT_REDIS_PORT = 6379;

/** The PostgreSQL majors offered: each ships pg_cron, pg_partman and pgaudit on RDS. */
const POSTGRES_MAJORS = ['16', '17', '18'];

/**
 * Full PostgreSQL versions (`17.9`) that the CDK's engine enum knows, for the offered majors.
 * The enum is generated from RDS's own list, so a version outside it is one RDS may not offer.
 */
export const POSTGRES_VERSIONS: readonly string[] = Object.values(rds.PostgresEngineVersion)
  .filter((value): value is rds.PostgresEngineVersion => value instanceof rds.PostgresEngineVersion)
  .map((version) => version.postgresFullVersion)
  .filter((version) => /^\d+\.\d+$/.test(version) && POSTGRES_MAJORS.includes(version.split('.')[0]))
  .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

/** ElastiCache engine versions offered per engine (cluster mode disabled, AUTH and TLS supported). */
export const CACHE_ENGINE_VERSIONS = {
  valkey: ['7.2', '8.0', '8.1'],
  redis: ['7.0', '7.1'],
} as const;

/** A data store a workload can be allowed to reach. */
export const DATA_STORE_KINDS = ['database', 'cache'] as const;
/** A data store a workload can be allowed to reach. */
export type DataStoreKind = (typeof DATA_STORE_KINDS)[number];

const port = (name: string, defaultPort: number, min: number) =>
  z
    .number()
    .int()
    .min(min)
    .max(65535)
    .refine((value) => value !== defaultPort, {
      error: `must not be ${name}'s well-known port ${defaultPort}: a non-default port keeps the data store out of the first round of every port scan`,
    });

/** The RDS for PostgreSQL instance. */
const database = z
  .strictObject({
    /**
     * The PostgreSQL version, major and minor (`17.9`), one the CDK's RDS enum knows; minor
     * upgrades are then applied by RDS in the maintenance window.
     * @default 17.9
     */
    engineVersion: z
      .string()
      .refine((version) => POSTGRES_VERSIONS.includes(version), {
        error: `must be a PostgreSQL ${POSTGRES_MAJORS.join('/')} version RDS offers, major and minor (e.g. ${POSTGRES_VERSIONS.at(-1)})`,
      })
      .default('17.9'),
    /** The instance class without the `db.` prefix, e.g. `t4g.medium` or `r7g.large`. */
    instanceClass: z.string().regex(/^[a-z][a-z0-9-]*\.[0-9]*[a-z0-9]+$/, {
      error: 'must be an RDS instance class without the "db." prefix, such as t4g.medium or r7g.large',
    }),
    /**
     * Storage allocated at creation, in GiB (gp3).
     * @default 50
     */
    allocatedStorageGiB: z.number().int().min(20).max(65536).default(50),
    /**
     * The most storage autoscaling may grow to, in GiB.
     * @default 200
     */
    maxAllocatedStorageGiB: z.number().int().min(21).max(65536).default(200),
    /**
     * The port PostgreSQL listens on (not 5432).
     * @default 5433
     */
    port: port('PostgreSQL', DEFAULT_POSTGRES_PORT, 1150).default(5433),
    /**
     * A standby in a second availability zone with synchronous replication.
     * @default true
     */
    multiAz: z.boolean().default(true),
    /**
     * Whether RDS refuses to delete the instance until this is turned off.
     * @default true
     */
    deletionProtection: z.boolean().default(true),
    /**
     * Days of automated backups (point-in-time recovery); at least 7.
     * @default 14
     */
    backupRetentionDays: z
      .number()
      .int()
      .min(7, { error: 'must be at least 7 days: a problem noticed after a week must still be recoverable' })
      .max(35)
      .default(14),
    /**
     * How the application's credentials rotate. `multi-user`: two users take turns (`<user>`
     * and `<user>_clone`), so a client holding the previous password keeps working until the
     * next rotation. `single-user`: the password changes in place, and clients fail until they
     * read the new one.
     * @default multi-user
     */
    credentialRotation: z.enum(['single-user', 'multi-user']).default('multi-user'),
    /**
     * Seconds between Enhanced Monitoring samples of the host (processes, memory, I/O).
     * @default 60
     */
    monitoringIntervalSeconds: z
      .union([z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)], {
        error: 'must be 1, 5, 10, 15, 30 or 60 (Enhanced Monitoring stays on)',
      })
      .default(60),
  })
  .superRefine((db, ctx) => {
    if (db.maxAllocatedStorageGiB <= db.allocatedStorageGiB) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxAllocatedStorageGiB'],
        message: `must be larger than allocatedStorageGiB (${db.allocatedStorageGiB}) so storage can grow before it fills`,
      });
    }
  });

/** The ElastiCache replication group (cluster mode disabled). */
const cache = z
  .strictObject({
    /**
     * `valkey` or `redis` (Redis OSS). Both speak the protocol Kong's rate-limiting plugin uses.
     * @default valkey
     */
    engine: z.enum(['valkey', 'redis']).default('valkey'),
    /**
     * The engine version, major and minor.
     * @default 8.0 for valkey, 7.1 for redis
     */
    engineVersion: z.string().optional(),
    /** The node type, e.g. `cache.t4g.small` or `cache.r7g.large`. */
    nodeType: z.string().regex(/^cache\.[a-z][a-z0-9-]*\.[0-9]*[a-z0-9]+$/, {
      error: 'must be an ElastiCache node type such as cache.t4g.small or cache.r7g.large',
    }),
    /**
     * Read replicas beside the primary (0 to 5). Automatic failover needs at least one.
     * @default 1
     */
    replicas: z.number().int().min(0).max(5).default(1),
    /**
     * Replicas in other availability zones than the primary, with automatic failover.
     * @default true
     */
    multiAz: z.boolean().default(true),
    /**
     * The port the cache listens on (not 6379).
     * @default 6380
     */
    port: port('Redis', DEFAULT_REDIS_PORT, 1024).default(6380),
    /**
     * Days ElastiCache keeps its daily snapshots (AWS Backup does not cover ElastiCache); at
     * least 15, as the NIST 800-53 and HIPAA packs require.
     * @default 15
     */
    snapshotRetentionDays: z
      .number()
      .int()
      .min(15, { error: 'must be at least 15 days (NIST 800-53 and HIPAA keep cache backups that long)' })
      .max(35)
      .default(15),
  })
  .transform((settings, ctx) => {
    const versions: readonly string[] = CACHE_ENGINE_VERSIONS[settings.engine];
    const engineVersion = settings.engineVersion ?? (settings.engine === 'valkey' ? '8.0' : '7.1');
    if (!versions.includes(engineVersion)) {
      ctx.addIssue({
        code: 'custom',
        path: ['engineVersion'],
        message: `must be one of ${versions.join(', ')} for engine ${settings.engine}`,
      });
    }
    if (settings.multiAz && settings.replicas < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['replicas'],
        message: 'must be at least 1 when multiAz is true: failover needs a replica in another availability zone',
      });
    }
    return { ...settings, engineVersion };
  });

/** A workload of the service graph that reaches one or both data stores. */
const client = z.strictObject({
  /** A service of `serviceGraph.services`. */
  service: dnsLabel,
  /** The data stores it connects to. */
  uses: z.array(z.enum(DATA_STORE_KINDS)).min(1, { error: 'must name at least one of database, cache' }),
});

/** The stage's data stores and which workloads may reach them. */
export const dataStoresSection = z.strictObject({
  /**
   * The security group of the EKS nodes (or, with security groups for pods, of the pods) whose
   * traffic reaches the data stores: the only source their security groups admit.
   */
  clusterSecurityGroupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/, { error: 'must be a security group id such as sg-0123456789abcdef0' }),
  /**
   * CloudFormation refuses to delete the data-stores stack until this is turned off.
   * @default true
   */
  terminationProtection: z.boolean().default(true),
  database,
  cache,
  /**
   * The CIDR blocks of the isolated data subnets, one per availability zone, for an imported
   * VPC only (a created VPC's are computed). The cluster's egress rules allow exactly these.
   * @default - computed from network.cidr when the VPC is created
   */
  dataSubnetCidrs: z.array(cidr).optional(),
  /**
   * The services that connect to the database and the cache; every other workload is denied
   * both, by NetworkPolicy and by its Istio sidecar. The gateway always reaches the cache
   * (rate limits) and needs no entry.
   * @default - none
   */
  clients: z.array(client).default([]),
});

/** The part of a stage's configuration the data-stores checks refer to. */
interface DataStoreReferences {
  readonly dataStores: z.output<typeof dataStoresSection>;
  readonly network: { readonly mode: 'create' | 'import'; readonly cidr: string };
  readonly aws: { readonly availabilityZones: readonly string[] };
  readonly serviceGraph: { readonly services: readonly { readonly name: string }[] };
}

/**
 * Checks the data stores against the rest of the stage: clients name services of the graph,
 * once each; the two stores listen on different ports; an imported VPC names its data subnets'
 * blocks, one per zone, inside the VPC.
 */
export function checkDataStores(config: DataStoreReferences, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path: ['dataStores', ...path], message });
  const { dataStores } = config;
  const names = config.serviceGraph.services.map((service) => service.name);

  dataStores.clients.forEach((entry, index) => {
    if (entry.service === GATEWAY) {
      issue(['clients', index, 'service'], 'names the gateway, which always reaches the cache for its rate limits; remove the entry');
    } else if (!names.includes(entry.service)) {
      issue(['clients', index, 'service'], `names no service (known services: ${names.join(', ')})`);
    }
    const first = dataStores.clients.findIndex((other) => other.service === entry.service);
    if (first !== index) issue(['clients', index, 'service'], `is already listed in clients[${first}]; merge the two entries`);
    entry.uses.forEach((kind, kindIndex) => {
      if (entry.uses.indexOf(kind) !== kindIndex) issue(['clients', index, 'uses', kindIndex], `lists ${kind} twice`);
    });
  });

  if (dataStores.database.port === dataStores.cache.port) {
    issue(['cache', 'port'], `must differ from database.port (${dataStores.database.port}): both stores share the data subnets`);
  }

  const zones = config.aws.availabilityZones.length;
  if (config.network.mode === 'create') {
    if (dataStores.dataSubnetCidrs) {
      issue(['dataSubnetCidrs'], 'applies only to an imported VPC (network.mode: import); a created VPC’s data subnets are computed');
    }
    return;
  }
  if (!dataStores.dataSubnetCidrs) {
    issue(['dataSubnetCidrs'], `is required with network.mode: import: list the ${zones} isolated subnets' CIDR blocks, in zone order`);
    return;
  }
  if (dataStores.dataSubnetCidrs.length !== zones) {
    issue(['dataSubnetCidrs'], `must list one block per availability zone (aws.availabilityZones has ${zones}), in the same order`);
  }
  dataStores.dataSubnetCidrs.forEach((block, index) => {
    if (ipaddr.isValidCIDR(block) && ipaddr.isValidCIDR(config.network.cidr) && !isInside(block, config.network.cidr)) {
      issue(['dataSubnetCidrs', index], `is outside the VPC's block network.cidr (${config.network.cidr})`);
    }
  });
}

function isInside(block: string, outer: string): boolean {
  const [address, prefix] = ipaddr.parseCIDR(block);
  const [outerAddress, outerPrefix] = ipaddr.parseCIDR(outer);
  return address.kind() === outerAddress.kind() && prefix >= outerPrefix && address.match(outerAddress, outerPrefix);
}
