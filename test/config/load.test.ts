import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadStageConfig, loadStageConfigs, resolveConfigFiles } from '../../lib/config';
import { devConfigData, writeConfigVariant } from '../harness/config-files';

const ROOT = path.join(__dirname, '..', '..');

/** A valid imported network of two zones (dev has two). */
function importedNetwork(): Record<string, unknown> {
  return {
    mode: 'import',
    vpcId: 'vpc-0123456789abcdef0',
    cidr: '10.0.0.0/16',
    privateSubnetIds: ['subnet-01234567', 'subnet-11234567'],
    isolatedSubnetIds: ['subnet-21234567', 'subnet-31234567'],
  };
}

/** Loads a variant of dev.yaml and returns the ConfigError it must raise. */
function configErrorFor(change: (data: Record<string, any>) => void): ConfigError {
  const file = writeConfigVariant(change);
  try {
    loadStageConfig(file);
  } catch (error) {
    if (ConfigError.isConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('the committed stage files', () => {
  test.each(['dev', 'prod'])('%s.yaml is valid and names its stage', (stage) => {
    const config = loadStageConfig(path.join(ROOT, 'config', `${stage}.yaml`));
    expect(config.stage).toBe(stage);
    expect(config.session.maxLifetimeSeconds).toBeLessThanOrEqual(3600);
  });

  test('every stage in config/ is found when no file is named', () => {
    expect(resolveConfigFiles(undefined, path.join(ROOT, 'config')).map((file) => path.basename(file))).toEqual(['dev.yaml', 'prod.yaml']);
  });

  test('a named file is the only one rendered', () => {
    expect(resolveConfigFiles('elsewhere/qa.yaml')).toEqual(['elsewhere/qa.yaml']);
  });
});

describe('defaults follow the design document', () => {
  const config = loadStageConfig(
    writeConfigVariant((data) => {
      delete data.session;
      delete data.rateLimits;
      delete data.rotation;
      delete data.kubernetes.namespace;
      delete data.mesh;
      delete data.externalSecrets;
      delete data.edge;
      delete data.audit;
      delete data.backup;
    }),
  );

  test('sessions last at most one hour', () => expect(config.session.maxLifetimeSeconds).toBe(3600));
  test('tenants get 1000 requests a minute and 50000 an hour', () =>
    expect(config.rateLimits.perTenant).toEqual({ perMinute: 1000, perHour: 50000 }));
  test('POST /diagnosis gets 100 requests a minute per IP', () => expect(config.rateLimits.diagnosisPerIp.perMinute).toBe(100));
  test('the mesh CA lives 90 days', () => expect(config.rotation.meshCaDays).toBe(90));
  test('the namespace is hydraulic-prod', () => expect(config.kubernetes.namespace).toBe('hydraulic-prod'));
  test('mTLS has no plain-text exception and the mesh validates no JWT of its own', () => {
    expect(config.mesh.permissivePorts).toEqual([]);
    expect(config.mesh.requestAuthentication).toBeUndefined();
  });
  test('workload certificates live 24 hours, paths are decoded and merged', () => {
    expect(config.mesh.workloadCertTtlHours).toBe(24);
    expect(config.mesh.pathNormalization).toBe('DECODE_AND_MERGE_SLASHES');
  });
  test('External Secrets runs as external-secrets/external-secrets and re-reads every 15 minutes', () =>
    expect(config.externalSecrets).toEqual({ namespace: 'external-secrets', serviceAccount: 'external-secrets', refreshMinutes: 15 }));
  test('data stores default to the safe side: Multi-AZ, protected, non-default ports, multi-user rotation, no clients', () => {
    const bare = loadStageConfig(
      writeConfigVariant((data) => {
        data.dataStores = {
          clusterSecurityGroupId: 'sg-0123456789abcdef0',
          database: { instanceClass: 't4g.medium' },
          cache: { nodeType: 'cache.t4g.small' },
        };
      }),
    ).dataStores;
    expect(bare).toEqual({
      clusterSecurityGroupId: 'sg-0123456789abcdef0',
      terminationProtection: true,
      database: {
        engineVersion: '17.9',
        instanceClass: 't4g.medium',
        allocatedStorageGiB: 50,
        maxAllocatedStorageGiB: 200,
        port: 5433,
        multiAz: true,
        deletionProtection: true,
        backupRetentionDays: 14,
        credentialRotation: 'multi-user',
        monitoringIntervalSeconds: 60,
      },
      cache: {
        engine: 'valkey',
        engineVersion: '8.0',
        nodeType: 'cache.t4g.small',
        replicas: 1,
        multiAz: true,
        port: 6380,
        snapshotRetentionDays: 15,
      },
      clients: [],
    });
  });
  test('a Redis OSS cache without a version runs Redis OSS 7.1', () => {
    const redis = loadStageConfig(
      writeConfigVariant((data) => {
        data.dataStores.cache.engine = 'redis';
        delete data.dataStores.cache.engineVersion;
      }),
    ).dataStores.cache;
    expect([redis.engine, redis.engineVersion]).toEqual(['redis', '7.1']);
  });
  test('clients pick up a new secret within an hour, and AWS APIs are reached through endpoints', () => {
    const bare = loadStageConfig(
      writeConfigVariant((data) => {
        delete data.secrets;
        delete data.vpcEndpoints;
      }),
    );
    expect(bare.secrets).toEqual({ clientRefreshMinutes: 60 });
    expect(bare.vpcEndpoints).toEqual({ create: true });
  });
  test('every managed rule group blocks, no path may send large bodies, no source list, no Shield Advanced', () =>
    expect(config.edge).toEqual({
      managedRuleGroups: { common: 'block', knownBadInputs: 'block', sqlInjection: 'block', ipReputation: 'block', anonymousIp: 'block' },
      largeBodyPaths: [],
      globalRateLimit: { requestsPerIp: 6000, windowSeconds: 300 },
      sourceIps: { allowOnly: [], deny: [] },
      shieldAdvanced: false,
    }));
  test('audit logs are locked a year, more than 5 failed authentications alarm, every detector is on', () => {
    expect(config.audit).toMatchObject({ objectLockDays: 365, archiveAfterDays: 90 });
    expect(config.audit.expireAfterDays).toBeUndefined();
    expect(config.audit.alarmThresholds.failedAuthenticationsPerClientIp).toBe(5);
    expect(config.audit.detection).toEqual({ guardDuty: true, securityHub: true, awsConfig: true, imageRepositories: ['rotation-tool'] });
  });
  test('backups run daily into a governance-locked vault, restore-tested each quarter, with no copy abroad', () =>
    expect(config.backup).toEqual({
      schedule: 'cron(0 3 * * ? *)',
      retentionDays: 35,
      vaultLock: { mode: 'governance', minRetentionDays: 7, maxRetentionDays: 365 },
      restoreTesting: { schedule: 'cron(0 5 1 1,4,7,10 ? *)', validationWindowHours: 4 },
    }));
});

describe('a bad file is refused with the file, field path, value given and what is allowed', () => {
  const cases: [string, (data: Record<string, any>) => void, string, RegExp][] = [
    ['an unknown top-level key', (d) => (d.sesion = { maxLifetimeSeconds: 60 }), 'sesion', /not a known setting; did you mean "session"\?/],
    ['an unknown nested key', (d) => (d.rateLimits.perTenant.perMinut = 5), 'rateLimits.perTenant.perMinut', /did you mean "perMinute"/],
    [
      'a session above one hour',
      (d) => (d.session.maxLifetimeSeconds = 7200),
      'session.maxLifetimeSeconds',
      /got 7200; must be at most 3600/,
    ],
    ['an unquoted account id', (d) => (d.aws.account = 111111111111), 'aws.account', /quoted string of 12 digits/],
    ['an account id of 11 digits', (d) => (d.aws.account = '11111111111'), 'aws.account', /exactly 12 digits/],
    [
      'a zone outside the region',
      (d) => (d.aws.availabilityZones = ['eu-central-1a', 'eu-west-1b']),
      'aws.availabilityZones[1]',
      /region eu-central-1/,
    ],
    ['a namespace that is no DNS label', (d) => (d.kubernetes.namespace = 'Hydraulic_Prod'), 'kubernetes.namespace', /DNS-1123 label/],
    [
      'a CIDR with host bits set',
      (d) => (d.network.cidr = '10.40.0.1/16'),
      'network.cidr',
      /network address of this block is 10\.40\.0\.0\/16/,
    ],
    ['NAT gateways without public subnets', (d) => (d.network.natGateways = 1), 'network.natGateways', /needs publicSubnets: true/],
    ['an unknown network mode', (d) => (d.network.mode = 'peer'), 'network.mode', /got "peer".*'create' \| 'import'/],
    [
      'an imported VPC with too few subnets',
      (d) =>
        (d.network = {
          mode: 'import',
          vpcId: 'vpc-0123456789abcdef0',
          cidr: '10.0.0.0/16',
          privateSubnetIds: ['subnet-01234567', 'subnet-11234567'],
          isolatedSubnetIds: ['subnet-21234567', 'subnet-31234567', 'subnet-41234567'],
        }),
      'network.isolatedSubnetIds',
      /one subnet per availability zone/,
    ],
    [
      'an hourly limit below the minute limit',
      (d) => (d.rateLimits.perTenant = { perMinute: 1000, perHour: 500 }),
      'rateLimits.perTenant.perHour',
      /got 500; must be at least perMinute \(1000\)/,
    ],
    ['a negative rate limit', (d) => (d.rateLimits.diagnosisPerIp.perMinute = -1), 'rateLimits.diagnosisPerIp.perMinute', /got -1/],
    ['an invalid allow-list CIDR', (d) => (d.ipAllowLists[0].cidrs = ['300.1.2.0/24']), 'ipAllowLists[0].cidrs[0]', /must be a CIDR block/],
    [
      'a user listed twice',
      (d) => d.ipAllowLists.push({ user: 'ops-admin', cidrs: ['198.51.100.0/24'] }),
      'ipAllowLists[1].user',
      /a second time/,
    ],
    ['a mesh CA above 90 days', (d) => (d.rotation.meshCaDays = 91), 'rotation.meshCaDays', /at most 90 days/],
    ['a KMS rotation below 90 days', (d) => (d.rotation.kmsKeyDays = 30), 'rotation.kmsKeyDays', /got 30/],
    ['a cron field out of range', (d) => (d.rotation.schedule = '61 3 * * *'), 'rotation.schedule', /not a valid cron expression/],
    ['a cron with seconds', (d) => (d.rotation.schedule = '0 0 3 * * *'), 'rotation.schedule', /must have 5 fields/],
    [
      'a retention CloudWatch does not offer',
      (d) => (d.logging.retentionDays = 42),
      'logging.retentionDays',
      /got 42; must be one of .*365, 400/,
    ],
    ['a retention below a year', (d) => (d.logging.retentionDays = 90), 'logging.retentionDays', /keep audit logs for a year/],
    [
      'log deletion protection given as a string',
      (d) => (d.logging.deletionProtection = 'on'),
      'logging.deletionProtection',
      /expected boolean/,
    ],
    ['no alert address', (d) => (d.alerts.emails = []), 'alerts.emails', /at least one address/],
    ['a malformed alert address', (d) => (d.alerts.emails = ['security-at-example']), 'alerts.emails[0]', /e-mail address/],
    [
      'a duplicate service name',
      (d) => d.serviceGraph.services.push({ name: 'diagnosis', port: 9000 }),
      'serviceGraph.services[3].name',
      /already the name of services\[1\]/,
    ],
    [
      'two services sharing an identity',
      (d) => (d.serviceGraph.services[2].serviceAccount = 'diagnosis'),
      'serviceGraph.services[2].serviceAccount',
      /cannot be told apart/,
    ],
    [
      'a call to an unknown service',
      (d) => (d.serviceGraph.calls[0].to = 'billing'),
      'serviceGraph.calls[0].to',
      /got "billing"; names no service \(known services: backend-api, diagnosis, gnn-service\)/,
    ],
    ['a call from an unknown service', (d) => (d.serviceGraph.calls[2].from = 'frontend'), 'serviceGraph.calls[2].from', /or "gateway"/],
    [
      'a path Istio cannot match',
      (d) => (d.serviceGraph.calls[0].paths = ['/systems/*/parts']),
      'serviceGraph.calls[0].paths[0]',
      /prefix ending in/,
    ],
    [
      'a gateway route the mesh would deny',
      (d) => (d.gateway.routes[1].paths = ['/reports']),
      'gateway.routes[1].paths[0]',
      /got "\/reports"; GET \/reports is not allowed for the gateway by serviceGraph\.calls \(gateway -> backend-api: GET, POST, PUT, DELETE on/,
    ],
    [
      'a gateway route with a method the mesh does not allow',
      (d) => (d.gateway.routes[1].methods = ['PATCH']),
      'gateway.routes[1].paths[0]',
      /PATCH \/systems is not allowed for the gateway/,
    ],
    [
      'a gateway route to an unknown service',
      (d) => (d.gateway.routes[1].service = 'billing'),
      'gateway.routes[1].service',
      /names no service/,
    ],
    [
      'a public route that requires a permission',
      (d) => (d.gateway.routes[0].permission = 'systems:read'),
      'gateway.routes[0].permission',
      /cannot require a permission/,
    ],
    [
      'a route neither public nor guarded',
      (d) => delete d.gateway.routes[1].permission,
      'gateway.routes[1]',
      /must name the permission a consumer needs/,
    ],
    [
      'a permission no group grants',
      (d) => (d.gateway.routes[1].permission = 'system:read'),
      'gateway.routes[1].permission',
      /got "system:read"; is granted by no group, so the route would refuse everyone/,
    ],
    [
      'a malformed permission',
      (d) => (d.gateway.groups[0].permissions = ['systems-read']),
      'gateway.groups[0].permissions[0]',
      /must be a permission such as "systems:write"/,
    ],
    [
      'a consumer in an unknown group',
      (d) => (d.gateway.consumers[0].groups = ['admins']),
      'gateway.consumers[0].groups[0]',
      /names no group \(gateway\.groups: viewer, engineer, operator\)/,
    ],
    [
      'a suffix path Kong cannot route',
      (d) => (d.gateway.routes[1].paths = ['*.json']),
      'gateway.routes[1].paths[0]',
      /Kong cannot route on suffixes/,
    ],
    [
      'no route for POST /diagnosis',
      (d) => d.gateway.routes.splice(4, 1),
      'gateway.routes',
      /must route POST \/diagnosis: rateLimits\.diagnosisPerIp limits it per client IP/,
    ],
    [
      'POST /diagnosis sharing its route with another method',
      (d) => (d.gateway.routes[4].methods = ['GET', 'POST']),
      'gateway.routes[4].methods',
      /must be \[POST\] only/,
    ],
    [
      'one method and path routed twice',
      (d) =>
        d.gateway.routes.push({
          name: 'systems-list',
          service: 'backend-api',
          methods: ['GET'],
          paths: ['/systems'],
          permission: 'systems:read',
        }),
      'gateway.routes[5].paths[0]',
      /GET \/systems is already routed by routes\[1\]/,
    ],
    [
      'two routes with one name',
      (d) => (d.gateway.routes[2].name = 'systems-read'),
      'gateway.routes[2].name',
      /already the name of routes\[1\]/,
    ],
    [
      'an allow-list for a user Kong does not know',
      (d) => (d.ipAllowLists[0].user = 'ops-root'),
      'ipAllowLists[0].user',
      /names no gateway consumer; allow-lists attach to Kong consumers \(gateway\.consumers: tenant-456, ops-admin\)/,
    ],
    [
      'a certificate from another region',
      (d) => (d.gateway.edge.certificateArn = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000'),
      'gateway.edge.certificateArn',
      /must be a certificate of the stage's account 111111111111 in its region eu-central-1/,
    ],
    [
      'a certificate that is no ACM ARN',
      (d) => (d.gateway.edge.certificateArn = 'arn:aws:iam::111111111111:server-certificate/x'),
      'gateway.edge.certificateArn',
      /must be an ACM certificate ARN/,
    ],
    [
      'an internet-facing ALB without public subnets',
      (d) => (d.gateway.edge.scheme = 'internet-facing'),
      'gateway.edge.scheme',
      /needs public subnets/,
    ],
    [
      'a TLS policy below TLS 1.3',
      (d) => (d.gateway.edge.sslPolicy = 'ELBSecurityPolicy-2016-08'),
      'gateway.edge.sslPolicy',
      /ELBSecurityPolicy-TLS13-1-2-Res-2021-06/,
    ],
    [
      'an invalid inbound CIDR',
      (d) => (d.gateway.edge.inboundCidrs = ['10.40.0.0/33']),
      'gateway.edge.inboundCidrs[0]',
      /must be a CIDR block/,
    ],
    ['a request body limit above 128 MB', (d) => (d.gateway.maxRequestBodyMegabytes = 512), 'gateway.maxRequestBodyMegabytes', /got 512/],
    ['a hostname that is no DNS name', (d) => (d.gateway.hostname = 'API.example'), 'gateway.hostname', /lower-case DNS name/],
    [
      'a consumer name too long for its Secrets',
      (d) => (d.gateway.consumers[0].name = 't'.repeat(41)),
      'gateway.consumers[0].name',
      /at most 40 characters/,
    ],
    ['a missing required section', (d) => delete d.kubernetes, 'kubernetes', /is required/],
    [
      'a plain-text port on an unknown service',
      (d) => (d.mesh.permissivePorts = [{ service: 'billing', port: 9090, reason: 'metrics scraped from outside the mesh' }]),
      'mesh.permissivePorts[0].service',
      /names no service \(known services: backend-api, diagnosis, gnn-service\)/,
    ],
    [
      'a plain-text port without a real reason',
      (d) => (d.mesh.permissivePorts = [{ service: 'diagnosis', port: 9090, reason: 'needed' }]),
      'mesh.permissivePorts[0].reason',
      /at least 20 characters why this port cannot use mTLS/,
    ],
    [
      'the same plain-text port twice',
      (d) =>
        (d.mesh.permissivePorts = [
          { service: 'diagnosis', port: 9090, reason: 'metrics scraped from outside the mesh' },
          { service: 'diagnosis', port: 9090, reason: 'metrics scraped from outside the mesh' },
        ]),
      'mesh.permissivePorts[1].port',
      /repeats permissivePorts\[0\]/,
    ],
    [
      'path normalization turned off',
      (d) => (d.mesh.pathNormalization = 'NONE'),
      'mesh.pathNormalization',
      /got "NONE"; must be BASE, MERGE_SLASHES or DECODE_AND_MERGE_SLASHES/,
    ],
    ['a workload certificate above a day', (d) => (d.mesh.workloadCertTtlHours = 48), 'mesh.workloadCertTtlHours', /got 48/],
    ['a root CA above ten years', (d) => (d.mesh.rootCaDays = 7300), 'mesh.rootCaDays', /got 7300/],
    ['a trust domain that is no DNS name', (d) => (d.mesh.trustDomain = 'Cluster Local'), 'mesh.trustDomain', /DNS name/],
    [
      'a credential header in the audit log',
      (d) => (d.mesh.auditHeaders.user = 'authorization'),
      'mesh.auditHeaders.user',
      /credential header/,
    ],
    ['an upper-case audit header', (d) => (d.mesh.auditHeaders.tenant = 'X-Tenant'), 'mesh.auditHeaders.tenant', /lower-case HTTP header/],
    [
      'a JWKS over plain HTTP',
      (d) => (d.mesh.requestAuthentication = { issuer: 'https://i.example', jwksUri: 'http://i.example/jwks', audiences: ['api'] }),
      'mesh.requestAuthentication.jwksUri',
      /https:\/\/ URL/,
    ],
    [
      'a JWT rule for any audience',
      (d) => (d.mesh.requestAuthentication = { issuer: 'https://i.example', jwksUri: 'https://i.example/jwks', audiences: [] }),
      'mesh.requestAuthentication.audiences',
      /at least one audience/,
    ],
    [
      'a wildcard issuer',
      (d) => (d.mesh.requestAuthentication = { issuer: 'https://*.example', jwksUri: 'https://i.example/jwks', audiences: ['api'] }),
      'mesh.requestAuthentication.issuer',
      /no spaces, no "\*"/,
    ],
    [
      'public paths on an unknown service',
      (d) =>
        (d.mesh.requestAuthentication = {
          issuer: 'https://i.example',
          jwksUri: 'https://i.example/jwks',
          audiences: ['api'],
          publicPaths: [{ service: 'billing', paths: ['/health'] }],
        }),
      'mesh.requestAuthentication.publicPaths[0].service',
      /names no service/,
    ],
    [
      'secrets refreshed slower than half a session',
      (d) => (d.externalSecrets.refreshMinutes = 45),
      'externalSecrets.refreshMinutes',
      /at most half of session.maxLifetimeSeconds \(30 minutes\)/,
    ],
    [
      'secrets refreshed no faster than old Redis tokens are dropped',
      (d) => (d.secrets.clientRefreshMinutes = 10),
      'externalSecrets.refreshMinutes',
      /must be shorter than secrets\.clientRefreshMinutes \(10\): the old Redis AUTH token stops working/,
    ],
    [
      'an operator namespace that is no DNS label',
      (d) => (d.externalSecrets.namespace = 'External_Secrets'),
      'externalSecrets.namespace',
      /DNS-1123/,
    ],
    [
      'an internal call onto a public route',
      (d) => (d.serviceGraph.calls[3] = { from: 'backend-api', to: 'diagnosis', methods: ['POST'], paths: ['/diagnosis'] }),
      'serviceGraph.calls[3].paths',
      /overlaps the public route POST \/diagnosis of calls\[1\]; only the gateway may reach public routes/,
    ],
    ['a client refresh under 5 minutes', (d) => (d.secrets.clientRefreshMinutes = 1), 'secrets.clientRefreshMinutes', /got 1/],
    ['a client refresh that is no whole number', (d) => (d.secrets.clientRefreshMinutes = 7.5), 'secrets.clientRefreshMinutes', /got 7.5/],
    [
      'a client refresh longer than the rotation period',
      (d) => {
        d.rotation.secretsDays = 1;
        d.secrets.clientRefreshMinutes = 1440;
      },
      'secrets.clientRefreshMinutes',
      /must be shorter than rotation\.secretsDays \(1 days\)/,
    ],
    ['an unknown secrets setting', (d) => (d.secrets.refreshMinutes = 5), 'secrets.refreshMinutes', /allowed here: clientRefreshMinutes/],
    [
      'no endpoints in a VPC without NAT',
      (d) => (d.vpcEndpoints.create = false),
      'vpcEndpoints.create',
      /must be true when network\.natGateways is 0/,
    ],
    ['endpoints given as a string', (d) => (d.vpcEndpoints.create = 'yes'), 'vpcEndpoints.create', /got "yes"/],
    [
      'a /diagnosis limit below what WAF accepts',
      (d) => (d.rateLimits.diagnosisPerIp.perMinute = 5),
      'rateLimits.diagnosisPerIp.perMinute',
      /got 5; must be at least 10/,
    ],
    [
      'a rule group mode that does not exist',
      (d) => (d.edge.managedRuleGroups.common = 'allow'),
      'edge.managedRuleGroups.common',
      /got "allow"; .*expected one of "block"\|"count"/,
    ],
    [
      'an unknown rule group',
      (d) => (d.edge.managedRuleGroups.sqlInjektion = 'block'),
      'edge.managedRuleGroups.sqlInjektion',
      /did you mean "sqlInjection"/,
    ],
    [
      'a large-body path that lifts the limit everywhere',
      (d) => (d.edge.largeBodyPaths = ['/*']),
      'edge.largeBodyPaths[0]',
      /not "\/" or "\/\*"/,
    ],
    [
      'a large-body path given twice',
      (d) => (d.edge.largeBodyPaths = ['/diagnosis', '/diagnosis']),
      'edge.largeBodyPaths[1]',
      /listed twice/,
    ],
    [
      'large-body paths while the core rule set only counts',
      (d) => ((d.edge.largeBodyPaths = ['/diagnosis']), (d.edge.managedRuleGroups.common = 'count')),
      'edge.largeBodyPaths',
      /no effect while managedRuleGroups.common is in count mode/,
    ],
    [
      'a global rate limit below what WAF accepts',
      (d) => (d.edge.globalRateLimit.requestsPerIp = 5),
      'edge.globalRateLimit.requestsPerIp',
      /at least 10/,
    ],
    [
      'a rate window WAF does not offer',
      (d) => (d.edge.globalRateLimit.windowSeconds = 30),
      'edge.globalRateLimit.windowSeconds',
      /60, 120, 300, 600/,
    ],
    [
      'an allow-only block with host bits',
      (d) => (d.edge.sourceIps.allowOnly = ['10.0.0.1/8']),
      'edge.sourceIps.allowOnly[0]',
      /network address of this block is 10\.0\.0\.0\/8/,
    ],
    ['a deny block of every address', (d) => (d.edge.sourceIps.deny = ['0.0.0.0/0']), 'edge.sourceIps.deny[0]', /must not be a \/0 block/],
    ['a block both allowed and denied', (d) => (d.edge.sourceIps.deny = ['10.0.0.0/8']), 'edge.sourceIps.deny[0]', /also in allowOnly/],
    ['a Shield switch that is not a boolean', (d) => (d.edge.shieldAdvanced = 'yes'), 'edge.shieldAdvanced', /expected boolean/],
    [
      'an Object Lock shorter than a year',
      (d) => (d.audit.objectLockDays = 30),
      'audit.objectLockDays',
      /got 30; must be at least 365 days/,
    ],
    ['an archive after zero days', (d) => (d.audit.archiveAfterDays = 0), 'audit.archiveAfterDays', /got 0/],
    [
      'audit logs expiring while locked',
      (d) => (d.audit.expireAfterDays = 100),
      'audit.expireAfterDays',
      /at least objectLockDays \(365\)/,
    ],
    [
      'a failed-authentication threshold of zero',
      (d) => (d.audit.alarmThresholds.failedAuthenticationsPerClientIp = 0),
      'audit.alarmThresholds.failedAuthenticationsPerClientIp',
      /got 0/,
    ],
    [
      'a detection switch that is not a boolean',
      (d) => (d.audit.detection.guardDuty = 'on'),
      'audit.detection.guardDuty',
      /expected boolean/,
    ],
    [
      'an image repository name ECR refuses',
      (d) => (d.audit.detection.imageRepositories = ['Rotation_Tool']),
      'audit.detection.imageRepositories[0]',
      /DNS-1123 label/,
    ],
    [
      'an image repository listed twice',
      (d) => (d.audit.detection.imageRepositories = ['rotation-tool', 'rotation-tool']),
      'audit.detection.imageRepositories[1]',
      /listed twice/,
    ],
    ['a backup schedule that is no AWS cron', (d) => (d.backup.schedule = '0 3 * * *'), 'backup.schedule', /AWS cron expression/],
    ['a backup schedule with five fields', (d) => (d.backup.schedule = 'cron(0 3 * * ?)'), 'backup.schedule', /6 fields.*found 5/],
    ['a backup schedule without "?"', (d) => (d.backup.schedule = 'cron(0 3 * * * *)'), 'backup.schedule', /"\?" in exactly one/],
    ['a backup every minute', (d) => (d.backup.schedule = 'cron(* 3 * * ? *)'), 'backup.schedule', /one fixed minute/],
    [
      'a backup retention outside the vault lock',
      (d) => (d.backup.retentionDays = 400),
      'backup.retentionDays',
      /within the vault lock's retention, 7 to 35 days/,
    ],
    [
      'a vault lock maximum below its minimum',
      (d) => ((d.backup.vaultLock.maxRetentionDays = 5), (d.backup.retentionDays = 6)),
      'backup.vaultLock.maxRetentionDays',
      /at least minRetentionDays \(7\)/,
    ],
    [
      'a compliance lock without its grace period',
      (d) => (d.backup.vaultLock.mode = 'compliance'),
      'backup.vaultLock.changeableForDays',
      /required in compliance mode/,
    ],
    [
      'a grace period on a governance lock',
      (d) => (d.backup.vaultLock.changeableForDays = 3),
      'backup.vaultLock.changeableForDays',
      /applies only to mode: compliance/,
    ],
    [
      'a vault lock mode that does not exist',
      (d) => (d.backup.vaultLock.mode = 'strict'),
      'backup.vaultLock.mode',
      /expected one of "governance"\|"compliance"/,
    ],
    [
      'a disaster-recovery region equal to the stage region',
      (d) => (d.backup.disasterRecoveryRegion = 'eu-central-1'),
      'backup.disasterRecoveryRegion',
      /stage's own region/,
    ],
    [
      'a disaster-recovery region that is no region',
      (d) => (d.backup.disasterRecoveryRegion = 'ireland'),
      'backup.disasterRecoveryRegion',
      /region code/,
    ],
    [
      'a restore test kept for no time',
      (d) => (d.backup.restoreTesting.validationWindowHours = 0),
      'backup.restoreTesting.validationWindowHours',
      /got 0/,
    ],
    [
      'a restore test schedule that is no AWS cron',
      (d) => (d.backup.restoreTesting.schedule = '@quarterly'),
      'backup.restoreTesting.schedule',
      /AWS cron expression/,
    ],
    ['no rotationJobs section', (d) => delete d.rotationJobs, 'rotationJobs', /is required/],
    [
      'a rotation image pinned by nothing',
      (d) => (d.rotationJobs.image = { repository: 'rotation-tool' }),
      'rotationJobs.image',
      /must set digest \(preferred\) or tag/,
    ],
    ['a rotation image tagged latest', (d) => (d.rotationJobs.image.tag = 'latest'), 'rotationJobs.image.tag', /"latest" is refused/],
    ['a rotation image tag Docker refuses', (d) => (d.rotationJobs.image.tag = '-rc1'), 'rotationJobs.image.tag', /must be an image tag/],
    [
      'a malformed image digest',
      (d) => (d.rotationJobs.image.digest = 'sha256:abc'),
      'rotationJobs.image.digest',
      /64 lower-case hex digits/,
    ],
    [
      'a rotation image from a repository the audit stack does not create',
      (d) => (d.rotationJobs.image.repository = 'other-tool'),
      'rotationJobs.image.repository',
      /got "other-tool"; must be one of audit.detection.imageRepositories \(rotation-tool\), which creates the repository/,
    ],
    [
      'a mesh CA job schedule with seconds',
      (d) => (d.rotationJobs.meshCaSchedule = '0 0 4 * * *'),
      'rotationJobs.meshCaSchedule',
      /must have 5 fields/,
    ],
    [
      'a restart schedule too sparse for the old value’s retirement',
      (d) => (d.rotationJobs.restartSchedule = '0 * * * *'),
      'rotationJobs.restartSchedule',
      /runs up to 60 minutes apart; .* a restart can end 85 minutes after a rotation, later than secrets.clientRefreshMinutes \(60\)/,
    ],
    ['a rotation timeout above 30 minutes', (d) => (d.rotationJobs.timeoutMinutes = 45), 'rotationJobs.timeoutMinutes', /got 45/],
    [
      'a restarted Deployment listed twice',
      (d) => d.rotationJobs.restartOnRotation.push({ deployment: 'backend-api', externalSecrets: ['redis-connection'] }),
      'rotationJobs.restartOnRotation[1].deployment',
      /is listed twice/,
    ],
    [
      'a restarted Deployment that reads nothing',
      (d) => (d.rotationJobs.restartOnRotation[0].externalSecrets = []),
      'rotationJobs.restartOnRotation[0].externalSecrets',
      /at least one ExternalSecret/,
    ],
    [
      'a restarted Deployment that is no Kubernetes name',
      (d) => (d.rotationJobs.restartOnRotation[0].deployment = 'Backend_API'),
      'rotationJobs.restartOnRotation[0].deployment',
      /DNS-1123 label/,
    ],
    [
      'a cluster security group that is no id',
      (d) => (d.dataStores.clusterSecurityGroupId = 'eks-nodes'),
      'dataStores.clusterSecurityGroupId',
      /security group id such as sg-/,
    ],
    [
      'a termination protection that is not a boolean',
      (d) => (d.dataStores.terminationProtection = 'yes'),
      'dataStores.terminationProtection',
      /expected boolean/,
    ],
    [
      'a PostgreSQL version RDS does not offer',
      (d) => (d.dataStores.database.engineVersion = '15.4'),
      'dataStores.database.engineVersion',
      /16\/17\/18 version/,
    ],
    [
      'a PostgreSQL version without its minor',
      (d) => (d.dataStores.database.engineVersion = '17'),
      'dataStores.database.engineVersion',
      /major and minor/,
    ],
    [
      'an instance class with the db. prefix',
      (d) => (d.dataStores.database.instanceClass = 'db.t4g.medium'),
      'dataStores.database.instanceClass',
      /without the "db." prefix/,
    ],
    ['the database on port 5432', (d) => (d.dataStores.database.port = 5432), 'dataStores.database.port', /well-known port 5432/],
    ['a database port RDS refuses', (d) => (d.dataStores.database.port = 80), 'dataStores.database.port', /got 80/],
    [
      'backups kept less than a week',
      (d) => (d.dataStores.database.backupRetentionDays = 3),
      'dataStores.database.backupRetentionDays',
      /at least 7 days/,
    ],
    [
      'storage that cannot grow',
      (d) => ((d.dataStores.database.allocatedStorageGiB = 100), (d.dataStores.database.maxAllocatedStorageGiB = 100)),
      'dataStores.database.maxAllocatedStorageGiB',
      /larger than allocatedStorageGiB/,
    ],
    [
      'a rotation scheme that does not exist',
      (d) => (d.dataStores.database.credentialRotation = 'dual-user'),
      'dataStores.database.credentialRotation',
      /"single-user"\|"multi-user"/,
    ],
    [
      'Enhanced Monitoring turned off',
      (d) => (d.dataStores.database.monitoringIntervalSeconds = 0),
      'dataStores.database.monitoringIntervalSeconds',
      /1, 5, 10, 15, 30 or 60/,
    ],
    [
      'a cache engine ElastiCache replication groups do not run',
      (d) => (d.dataStores.cache.engine = 'memcached'),
      'dataStores.cache.engine',
      /"valkey"\|"redis"/,
    ],
    [
      'a Redis version given for Valkey',
      (d) => (d.dataStores.cache.engineVersion = '7.1'),
      'dataStores.cache.engineVersion',
      /one of 7.2, 8.0, 8.1 for engine valkey/,
    ],
    [
      'a node type without the cache. prefix',
      (d) => (d.dataStores.cache.nodeType = 't4g.small'),
      'dataStores.cache.nodeType',
      /ElastiCache node type/,
    ],
    ['the cache on port 6379', (d) => (d.dataStores.cache.port = 6379), 'dataStores.cache.port', /well-known port 6379/],
    [
      'both stores on one port',
      (d) => (d.dataStores.cache.port = d.dataStores.database.port),
      'dataStores.cache.port',
      /must differ from database.port/,
    ],
    [
      'a Multi-AZ cache without a replica',
      (d) => ((d.dataStores.cache.multiAz = true), (d.dataStores.cache.replicas = 0)),
      'dataStores.cache.replicas',
      /at least 1 when multiAz is true/,
    ],
    [
      'cache snapshots kept a week',
      (d) => (d.dataStores.cache.snapshotRetentionDays = 7),
      'dataStores.cache.snapshotRetentionDays',
      /at least 15 days/,
    ],
    [
      'data subnet blocks for a created VPC',
      (d) => (d.dataStores.dataSubnetCidrs = ['10.40.128.0/18']),
      'dataStores.dataSubnetCidrs',
      /applies only to an imported VPC/,
    ],
    [
      'a client that is no service',
      (d) => (d.dataStores.clients[0].service = 'billing'),
      'dataStores.clients[0].service',
      /names no service \(known services: backend-api/,
    ],
    [
      'the gateway as a client',
      (d) => (d.dataStores.clients[0].service = 'gateway'),
      'dataStores.clients[0].service',
      /always reaches the cache/,
    ],
    [
      'a client listed twice',
      (d) => (d.dataStores.clients[1].service = 'backend-api'),
      'dataStores.clients[1].service',
      /already listed in clients\[0\]/,
    ],
    [
      'a client that uses nothing',
      (d) => (d.dataStores.clients[0].uses = []),
      'dataStores.clients[0].uses',
      /at least one of database, cache/,
    ],
    [
      'a client using one store twice',
      (d) => (d.dataStores.clients[0].uses = ['cache', 'cache']),
      'dataStores.clients[0].uses[1]',
      /lists cache twice/,
    ],
    ['a client using a queue', (d) => (d.dataStores.clients[0].uses = ['queue']), 'dataStores.clients[0].uses[0]', /"database"\|"cache"/],
    [
      'an imported VPC without its data subnets’ blocks',
      (d) => (d.network = importedNetwork()),
      'dataStores.dataSubnetCidrs',
      /required with network.mode: import/,
    ],
    [
      'an imported VPC with one data subnet block for two zones',
      (d) => ((d.network = importedNetwork()), (d.dataStores.dataSubnetCidrs = ['10.0.128.0/18'])),
      'dataStores.dataSubnetCidrs',
      /one block per availability zone/,
    ],
    [
      'a data subnet block outside the imported VPC',
      (d) => ((d.network = importedNetwork()), (d.dataStores.dataSubnetCidrs = ['10.0.128.0/18', '10.1.0.0/24'])),
      'dataStores.dataSubnetCidrs[1]',
      /outside the VPC's block network.cidr \(10.0.0.0\/16\)/,
    ],
  ];

  test('at least 12 distinct cases are covered', () => expect(cases.length).toBeGreaterThanOrEqual(12));

  test.each(cases)('%s', (_name, change, fieldPath, allowed) => {
    const error = configErrorFor(change);
    const problem = error.problems.find((candidate) => candidate.path === fieldPath);
    expect(error.problems.map((candidate) => candidate.path)).toContain(fieldPath);
    expect(`${problem!.given === undefined ? '' : `got ${problem!.given}; `}${problem!.message}`).toMatch(allowed);
    expect(error.message).toContain(path.basename(problem!.file));
    expect(error.message).toContain(`  - ${fieldPath}`);
  });
});

describe('problems point at their line', () => {
  test('a value is reported at the line of its key', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-')), 'lines.yaml');
    const text = fs
      .readFileSync(path.join(ROOT, 'config', 'dev.yaml'), 'utf8')
      .replace('maxLifetimeSeconds: 3600', 'maxLifetimeSeconds: 9000');
    fs.writeFileSync(file, text);
    const expectedLine = text.split('\n').findIndex((line) => line.includes('maxLifetimeSeconds')) + 1;
    expect(() => loadStageConfig(file)).toThrow(`session.maxLifetimeSeconds (line ${expectedLine}): got 9000`);
  });

  test('a YAML syntax error names its line', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-')), 'broken.yaml');
    fs.writeFileSync(file, 'stage: dev\naws:\n  account: "1\n');
    expect(() => loadStageConfig(file)).toThrow(/broken\.yaml.*\n {2}- \(file\) \(line \d\): is not valid YAML/);
  });

  test('a key given twice is an error, not a silent override', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-')), 'twice.yaml');
    fs.writeFileSync(file, 'stage: dev\nstage: prod\n');
    expect(() => loadStageConfig(file)).toThrow(/not valid YAML: Map keys must be unique/);
  });
});

describe('several files', () => {
  test('every problem of every file is reported at once', () => {
    const first = writeConfigVariant((d) => (d.session.maxLifetimeSeconds = 4000), 'first.yaml');
    const second = writeConfigVariant((d) => (d.rotation.meshCaDays = 365), 'second.yaml');
    expect(() => loadStageConfigs([first, second])).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/first\.yaml[\s\S]*session\.maxLifetimeSeconds[\s\S]*second\.yaml[\s\S]*rotation\.meshCaDays/),
      }),
    );
  });

  test('two files may not claim the same stage', () => {
    const first = writeConfigVariant(() => undefined, 'a.yaml');
    const second = writeConfigVariant(() => undefined, 'b.yaml');
    expect(() => loadStageConfigs([first, second])).toThrow(/b\.yaml[\s\S]*stage.*already the stage of .*a\.yaml/);
  });

  test('a missing file and an empty folder are configuration errors', () => {
    expect(() => loadStageConfig('/nonexistent/stage.yaml')).toThrow(/stage\.yaml[\s\S]*cannot be read: no such file/);
    expect(() => resolveConfigFiles(undefined, fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-empty-')))).toThrow(ConfigError);
  });

  test('a file that is not a mapping is refused', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-')), 'list.yaml');
    fs.writeFileSync(file, '- dev\n- prod\n');
    expect(() => loadStageConfig(file)).toThrow(/must be a YAML mapping/);
  });
});

test('the dev file data helper reads the committed file', () => {
  expect(devConfigData().stage).toBe('dev');
});
