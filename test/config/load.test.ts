import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadStageConfig, loadStageConfigs, resolveConfigFiles } from '../../lib/config';
import { devConfigData, writeConfigVariant } from '../harness/config-files';
import { BAD_CONFIG_CASES } from './bad-config-cases';

const ROOT = path.join(__dirname, '..', '..');

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
  const cases = BAD_CONFIG_CASES;

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
