import { parse } from 'yaml';
import { istiodValues, istiodValuesYaml } from '../../k8s/install/istiod-values';
import { AUDIT_LOG_PROVIDER } from '../../k8s/lib/audit-log';
import { stageConfig } from '../harness/cdk-app';
import { chartObjects, objectNamed } from '../harness/k8s-charts';
import { validateObjects } from '../harness/k8s-schemas';

describe.each(['dev', 'prod'])('the %s audit logging', (stageName) => {
  const config = stageConfig(stageName);
  const objects = chartObjects(config, 'mesh-audit-logging');
  const values = istiodValues(config) as any;
  const provider = values.meshConfig.extensionProviders.find((p: any) => p.name === AUDIT_LOG_PROVIDER);
  const format: Record<string, string> = provider.envoyFileAccessLog.logFormat.labels;

  test('the chart matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against its upstream schema', () => expect(() => validateObjects(objects)).not.toThrow());

  test('every request in the namespace is logged by both proxies through the JSON audit provider', () => {
    const telemetry = objectNamed(objects, 'Telemetry', 'audit-access-log');
    expect(telemetry.metadata?.namespace).toBe(config.kubernetes.namespace);
    expect(telemetry.spec).toEqual({
      accessLogging: [{ providers: [{ name: AUDIT_LOG_PROVIDER }], match: { mode: 'CLIENT_AND_SERVER' } }],
    });
  });

  test('the provider writes JSON (labels) with the design document’s audit fields', () => {
    expect(provider.envoyFileAccessLog.path).toBe('/dev/stdout');
    expect(format).toMatchObject({
      timestamp: '%START_TIME%',
      user_id: '%REQ(X-USER-ID)%',
      tenant_id: '%REQ(X-TENANT-ID)%',
      device_fingerprint: '%REQ(X-DEVICE-FINGERPRINT)%',
      source_principal: '%DOWNSTREAM_PEER_URI_SAN%',
      action: '%REQ(:METHOD)%',
      result: '%RESPONSE_CODE%',
      ip_address: '%REQ(X-FORWARDED-FOR)%',
      user_agent: '%REQ(USER-AGENT)%',
    });
  });

  test('no credential header ever reaches the log', () => {
    expect(JSON.stringify(format)).not.toMatch(/AUTHORIZATION|COOKIE|X-API-KEY/i);
  });

  test('only built-in Envoy operators are used: istiod adds no formatter extension to JSON formats', () => {
    expect(JSON.stringify(format)).not.toMatch(/REQ_WITHOUT_QUERY|%CEL|%METADATA/);
  });
});

test('the audit headers follow the configuration', () => {
  const config = stageConfig('dev');
  const values = istiodValues({
    ...config,
    mesh: { ...config.mesh, auditHeaders: { user: 'x-hd-user', tenant: 'x-hd-tenant', device: 'x-hd-device' } },
  }) as any;
  expect(values.meshConfig.extensionProviders[0].envoyFileAccessLog.logFormat.labels).toMatchObject({
    user_id: '%REQ(X-HD-USER)%',
    tenant_id: '%REQ(X-HD-TENANT)%',
    device_fingerprint: '%REQ(X-HD-DEVICE)%',
  });
});

describe.each(['dev', 'prod'])('the %s istiod install values', (stageName) => {
  const config = stageConfig(stageName);
  const yaml = istiodValuesYaml(config);
  const values = parse(yaml);

  test('match their snapshot', () => expect(yaml).toMatchSnapshot());

  test('reload the plugged-in CA when cert-manager renews it', () => {
    expect(values.env.AUTO_RELOAD_PLUGIN_CERTS).toBe('true');
  });

  test('cap workload certificates at the configured lifetime, on the proxy and in istiod', () => {
    const ttl = `${config.mesh.workloadCertTtlHours}h`;
    expect(values.meshConfig.defaultConfig.proxyMetadata.SECRET_TTL).toBe(ttl);
    expect(values.env.DEFAULT_WORKLOAD_CERT_TTL).toBe(ttl);
    expect(values.env.MAX_WORKLOAD_CERT_TTL).toBe(ttl);
  });

  test('never set the design document’s CERT_SIGNER_ROTATION_PERIOD, which Istio does not have', () => {
    expect(yaml).not.toContain('CERT_SIGNER_ROTATION_PERIOD');
  });

  test('normalize paths before authorization policies match them', () => {
    expect(values.meshConfig.pathNormalization).toEqual({ normalization: 'DECODE_AND_MERGE_SLASHES' });
  });

  test('use the CNI plugin, so pods need no NET_ADMIN under Pod Security restricted', () => {
    expect(values.cni).toEqual({ enabled: true });
    expect(values.pilot).toBeUndefined();
  });

  test('use the configured trust domain, the one the authorization policies name', () => {
    expect(values.meshConfig.trustDomain).toBe(config.mesh.trustDomain);
  });
});
