import { verifiedClaim } from '../../../k8s/charts/gateway/audit-fields';
import { BANNER_HEADERS } from '../../../k8s/charts/gateway/hygiene-chart';
import { auditLogFormat } from '../../../k8s/lib/audit-log';
import { kongHelmValues } from '../../../k8s/charts/gateway/kong-helm-values';
import { Naming } from '../../../lib/config';
import { formatLeaks, scanDocument } from '../../../lib/guards/leak-scan';
import { MIN_CLIENT_REFRESH_MINUTES } from '../../../lib/config/schema/secrets';
import { stageConfig } from '../../harness/cdk-app';
import { renderStageCharts, renderStageObjects } from '../../harness/k8s-charts';
import { validateObjects, type RenderedObject } from '../../harness/k8s-schemas';

const GATEWAY_CHARTS = ['gateway-consumers', 'gateway-rate-limits', 'gateway-hygiene', 'gateway-routes', 'gateway-edge'];
const AUDIT_FIELDS = ['timestamp', 'event_type', 'user_id', 'tenant_id', 'resource', 'action', 'ip_address', 'user_agent', 'result'];

describe.each(['dev', 'prod'])('the %s gateway', (stageName) => {
  const config = stageConfig(stageName);
  const naming = new Naming(config);
  const charts = renderStageCharts(config);
  const objects = GATEWAY_CHARTS.flatMap((id) => charts.get(id)!);
  const kong = config.serviceGraph.gateway.namespace;
  const app = config.kubernetes.namespace;
  const find = (kind: string, name: string): any => {
    const found = objects.find((object) => object.kind === kind && object.metadata?.name === name);
    if (!found) throw new Error(`no ${kind} ${name}`);
    return found;
  };
  const ofKind = (kind: string): any[] => objects.filter((object) => object.kind === kind);
  const globalPlugins = () => ofKind('KongClusterPlugin').filter((plugin) => plugin.metadata.labels?.global === 'true');

  test.each(GATEWAY_CHARTS)('%s matches its snapshot', (id) => {
    expect(charts.get(id)).toMatchSnapshot();
  });

  test('every object validates: upstream schemas, the CRD schemas the project keeps, and each Kong plugin config', () => {
    expect(() => validateObjects(objects)).not.toThrow();
  });

  test('every namespaced object is in the gateway or the application namespace, and carries the stage label', () => {
    for (const object of objects as any[]) {
      if (object.metadata.namespace !== undefined) expect([kong, app]).toContain(object.metadata.namespace);
      expect(object.metadata.labels['hydraulic.io/stage']).toBe(stageName);
    }
  });

  describe('per-tenant rate limit (design document, "Kong Rate Limiting")', () => {
    const plugin = () => find('KongClusterPlugin', naming.clusterObjectName('tenant-rate-limit'));

    test('1000 a minute and 50000 an hour, from config', () => {
      expect(plugin().config.minute).toBe(1000);
      expect(plugin().config.hour).toBe(50000);
      expect(plugin().config.minute).toBe(config.rateLimits.perTenant.perMinute);
      expect(plugin().config.hour).toBe(config.rateLimits.perTenant.perHour);
    });

    test('counted in Redis, fault tolerant, with the limit headers shown to clients', () => {
      expect(plugin().plugin).toBe('rate-limiting');
      expect(plugin().config.policy).toBe('redis');
      expect(plugin().config.fault_tolerant).toBe(true);
      expect(plugin().config.hide_client_headers).toBe(false);
    });

    test('per tenant: by consumer (one per tenant), on every route', () => {
      expect(plugin().config.limit_by).toBe('consumer');
      expect(plugin().metadata.labels.global).toBe('true');
    });

    test('the nested redis record: TLS with certificate verification; host, port and password only from the Secret', () => {
      expect(plugin().config.redis).toEqual({ ssl: true, ssl_verify: true, database: 0, timeout: 2000 });
      expect(plugin().configPatches).toEqual(
        ['host', 'port', 'password', 'server_name'].map((key) => ({
          path: `/redis/${key}`,
          valueFrom: { secretKeyRef: { namespace: kong, name: 'kong-rate-limit-redis', key } },
        })),
      );
    });
  });

  describe('POST /diagnosis: 100 requests a minute per IP', () => {
    const plugin = () => find('KongClusterPlugin', naming.clusterObjectName('diagnosis-rate-limit'));

    test('limited by client IP at the configured rate, in the same Redis', () => {
      expect(plugin().config).toMatchObject({
        minute: 100,
        limit_by: 'ip',
        policy: 'redis',
        fault_tolerant: true,
        hide_client_headers: false,
      });
      expect(plugin().config.minute).toBe(config.rateLimits.diagnosisPerIp.perMinute);
      expect(plugin().config.redis).toEqual(find('KongClusterPlugin', naming.clusterObjectName('tenant-rate-limit')).config.redis);
      expect(plugin().configPatches).toEqual(find('KongClusterPlugin', naming.clusterObjectName('tenant-rate-limit')).configPatches);
      expect(plugin().metadata.labels.global).toBeUndefined();
    });

    test('on its own route: POST only, exactly /diagnosis, and on no other route', () => {
      const withLimit = ofKind('Ingress').filter((ingress) =>
        (ingress.metadata.annotations['konghq.com/plugins'] ?? '').split(',').includes(plugin().metadata.name),
      );
      expect(withLimit).toHaveLength(1);
      expect(withLimit[0].metadata.annotations['konghq.com/methods']).toBe('POST');
      expect(withLimit[0].spec.rules[0].http.paths).toEqual([
        { path: '/diagnosis', pathType: 'Exact', backend: { service: { name: 'diagnosis', port: { number: 8080 } } } },
      ]);
    });
  });

  describe('the Redis Secret', () => {
    const secret = () => find('ExternalSecret', 'kong-rate-limit-redis');

    test('is written by External Secrets in the gateway namespace from Parameter Store and Secrets Manager', () => {
      expect(secret().metadata.namespace).toBe(kong);
      expect(secret().spec.secretStoreRef).toEqual({ name: naming.clusterObjectName('secrets-manager'), kind: 'ClusterSecretStore' });
      const parameterStore = { storeRef: { name: naming.clusterObjectName('parameter-store'), kind: 'ClusterSecretStore' } };
      expect(secret().spec.data).toEqual([
        { secretKey: 'endpoint', remoteRef: { key: naming.parameterName('redis/host') }, sourceRef: parameterStore },
        { secretKey: 'endpointPort', remoteRef: { key: naming.parameterName('redis/port') }, sourceRef: parameterStore },
        { secretKey: 'authToken', remoteRef: { key: naming.secretName('redis-auth-token'), property: 'authToken' } },
      ]);
    });

    test('holds JSON values, as configPatches needs: strings quoted, the port a number', () => {
      expect(secret().spec.target.template.data).toEqual({
        host: '{{ .endpoint | trim | toJson }}',
        server_name: '{{ .endpoint | trim | toJson }}',
        port: `{{ with .endpointPort | trim | atoi }}{{ . }}{{ else }}{{ fail "${naming.parameterName('redis/port')} is not a port number" }}{{ end }}`,
        password: '{{ .authToken | toJson }}',
      });
    });
  });

  test('every gateway ExternalSecret re-reads its source well before a rotation’s old value stops working', () => {
    const secrets = ofKind('ExternalSecret');
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      const minutes = Number(/^(\d+)m$/.exec(secret.spec.refreshInterval)?.[1]);
      expect({ name: secret.metadata.name, fast: minutes < MIN_CLIENT_REFRESH_MINUTES }).toEqual({
        name: secret.metadata.name,
        fast: true,
      });
    }
  });

  describe('JWT at the edge', () => {
    const jwt = () => find('KongPlugin', 'jwt-session');

    test('exp verified, and no token may live longer than the session lifetime (at most an hour)', () => {
      expect(jwt().config.claims_to_verify).toEqual(['exp']);
      expect(jwt().config.maximum_expiration).toBe(config.session.maxLifetimeSeconds);
      expect(jwt().config.maximum_expiration).toBeLessThanOrEqual(3600);
      expect(jwt().config.maximum_expiration).toBeGreaterThan(0);
    });

    test('the token names its key with kid, and only the Authorization header carries it', () => {
      expect(jwt().config).toMatchObject({
        key_claim_name: 'kid',
        header_names: ['authorization'],
        uri_param_names: [],
        cookie_names: [],
        secret_is_base64: false,
      });
    });

    test('on every route that is not public, and on no public route', () => {
      for (const route of config.gateway.routes) {
        const plugins = (find('Ingress', route.name).metadata.annotations['konghq.com/plugins'] ?? '').split(',');
        expect([route.name, plugins.includes('jwt-session')]).toEqual([route.name, !route.public]);
      }
      expect(config.gateway.routes.some((route) => route.public)).toBe(true);
    });

    test('every consumer has two HS256 credentials, from the current and the previous signing key', () => {
      for (const consumer of config.gateway.consumers) {
        const kongConsumer = find('KongConsumer', consumer.name);
        expect(kongConsumer.credentials.slice(0, 2)).toEqual([`${consumer.name}-jwt-current`, `${consumer.name}-jwt-previous`]);
        for (const slot of ['current', 'previous']) {
          const credential = find('ExternalSecret', `${consumer.name}-jwt-${slot}`);
          expect(credential.metadata.namespace).toBe(kong);
          expect(credential.spec.target.template.metadata.labels['konghq.com/credential']).toBe('jwt');
          expect(credential.spec.target.template.data.algorithm).toBe('HS256');
          // The whole keyring: a property of a null previous key would fail the sync.
          expect(credential.spec.data).toEqual([{ secretKey: 'keyring', remoteRef: { key: naming.secretName('jwt-signing-key') } }]);
        }
        const current = find('ExternalSecret', `${consumer.name}-jwt-current`).spec.target.template.data;
        const previous = find('ExternalSecret', `${consumer.name}-jwt-previous`).spec.target.template.data;
        // kid = <consumer>.<kid of the keyring entry>: unique across consumers, and it follows the key.
        expect(current.key.startsWith(`{{ with (.keyring | fromJson).current }}${consumer.name}.{{ .kid }}{{ else }}{{ fail `)).toBe(true);
        expect(current.secret.startsWith('{{ with (.keyring | fromJson).current }}{{ .key }}{{ else }}{{ fail ')).toBe(true);
        expect(previous.key).toContain(
          `{{ with (.keyring | fromJson).previous }}${consumer.name}.{{ .kid }}{{ else }}${consumer.name}.no-previous-key{{ end }}`,
        );
        expect(previous.secret).toContain('{{ with $ring.previous }}{{ .key }}{{ else }}');
      }
    });
  });

  describe('per-user IP allow-lists', () => {
    test('each listed consumer gets an ip-restriction plugin allowing exactly its blocks', () => {
      for (const list of config.ipAllowLists) {
        const plugin = find('KongPlugin', `${list.user}-ip-allow-list`);
        expect(plugin.plugin).toBe('ip-restriction');
        expect(plugin.metadata.namespace).toBe(kong);
        expect(plugin.config.allow).toEqual(list.cidrs);
        expect(plugin.config.deny).toBeUndefined();
        expect(find('KongConsumer', list.user).metadata.annotations['konghq.com/plugins']).toBe(plugin.metadata.name);
      }
      expect(config.ipAllowLists.length).toBeGreaterThan(0);
    });

    test('consumers without an allow-list have no ip-restriction', () => {
      const listed = config.ipAllowLists.map((list) => list.user);
      for (const consumer of config.gateway.consumers.filter((candidate) => !listed.includes(candidate.name))) {
        expect(find('KongConsumer', consumer.name).metadata.annotations['konghq.com/plugins']).toBeUndefined();
      }
    });
  });

  describe('permissions (least privilege at the edge)', () => {
    /** The permission Kong requires for a request, or "public", from the rendered Ingresses and ACL plugins. */
    const requiredFor = (method: string, path: string): string => {
      const matches = ofKind('Ingress').filter(
        (ingress) =>
          ingress.spec.ingressClassName === 'kong' &&
          ingress.metadata.annotations['konghq.com/methods'].split(',').includes(method) &&
          ingress.spec.rules[0].http.paths.some((rule: any) =>
            rule.pathType === 'Exact' ? rule.path === path : path.startsWith(rule.path),
          ),
      );
      if (matches.length !== 1) throw new Error(`${method} ${path} matches ${matches.length} routes`);
      const plugins: string[] = (matches[0].metadata.annotations['konghq.com/plugins'] ?? '').split(',');
      const acl = plugins.find((name) => name.startsWith('acl-'));
      if (!acl) return 'public';
      const allow = find('KongPlugin', acl).config.allow;
      expect(allow).toHaveLength(1);
      return allow[0];
    };

    test("POST /systems needs systems:write, as in the design document's RBAC example", () => {
      expect(requiredFor('POST', '/systems')).toBe('systems:write');
    });

    test('each route needs its configured permission, and sign-in is public', () => {
      expect(requiredFor('GET', '/systems')).toBe('systems:read');
      expect(requiredFor('GET', '/systems/sys-789')).toBe('systems:read');
      expect(requiredFor('PUT', '/systems/sys-789')).toBe('systems:write');
      expect(requiredFor('DELETE', '/systems/sys-789')).toBe('systems:delete');
      expect(requiredFor('POST', '/diagnosis')).toBe('diagnosis:run');
      expect(requiredFor('POST', '/auth/login')).toBe('public');
    });

    test("acl plugins keep the consumer's groups at the edge", () => {
      for (const acl of ofKind('KongPlugin').filter((plugin) => plugin.plugin === 'acl')) expect(acl.config.hide_groups_header).toBe(true);
    });

    test('a consumer holds an ACL credential for exactly the permissions of its groups', () => {
      for (const consumer of config.gateway.consumers) {
        const expected = [
          ...new Set(config.gateway.groups.filter((group) => consumer.groups.includes(group.name)).flatMap((group) => group.permissions)),
        ].sort();
        const granted = find('KongConsumer', consumer.name)
          .credentials.filter((name: string) => name.includes('-acl-'))
          .map((name: string) => {
            const secret = find('Secret', name);
            expect(secret.metadata.labels['konghq.com/credential']).toBe('acl');
            return secret.stringData.group;
          });
        expect(granted).toEqual(expected);
      }
    });

    test('only configured routes exist, each HTTPS only, for the configured host, to a service the mesh lets the gateway call', () => {
      const routes = ofKind('Ingress').filter((ingress) => ingress.spec.ingressClassName === 'kong');
      expect(routes.map((route) => route.metadata.name).sort()).toEqual(config.gateway.routes.map((route) => route.name).sort());
      for (const route of routes) {
        expect(route.metadata.namespace).toBe(app);
        expect(route.metadata.annotations['konghq.com/protocols']).toBe('https');
        expect(route.spec.rules.map((rule: any) => rule.host)).toEqual([config.gateway.hostname]);
        const callees = config.serviceGraph.calls.filter((call) => call.from === 'gateway').map((call) => call.to);
        for (const rule of route.spec.rules[0].http.paths) expect(callees).toContain(rule.backend.service.name);
      }
    });
  });

  describe('edge hygiene', () => {
    const plugin = (name: string) => globalPlugins().find((candidate) => candidate.plugin === name);

    test('every global plugin is global: size limit, correlation id, banner removal, audit log, per-tenant limit', () => {
      expect(
        globalPlugins()
          .map((candidate) => candidate.plugin)
          .sort(),
      ).toEqual(['correlation-id', 'file-log', 'post-function', 'rate-limiting', 'request-size-limiting', 'response-transformer'].sort());
    });

    test('request bodies are limited to the configured size', () => {
      expect(plugin('request-size-limiting').config).toEqual({
        allowed_payload_size: config.gateway.maxRequestBodyMegabytes,
        size_unit: 'megabytes',
        require_content_length: false,
      });
    });

    test("a request without a correlation id gets a fresh random one, returned to the client and in the access log beside Kong's own id", () => {
      expect(plugin('correlation-id').config).toEqual({ header_name: 'X-Correlation-ID', generator: 'uuid', echo_downstream: true });
      expect((kongHelmValues(config).env as any).nginx_http_log_format).toContain('"correlation_id":"$http_x_correlation_id"');
      expect((kongHelmValues(config).env as any).nginx_http_log_format).toContain('"kong_request_id":"$kong_request_id"');
    });

    test('server banners are removed from responses', () => {
      const removed = plugin('response-transformer').config.remove.headers;
      for (const header of ['Server', 'Via', 'X-Powered-By']) expect(removed).toContain(header);
      expect(removed).toEqual([...BANNER_HEADERS]);
      expect((kongHelmValues(config).env as any).headers).toBe('off');
    });

    test("the audit log carries every field of the design document's audit format", () => {
      const fileLog = plugin('file-log').config;
      expect(fileLog.path).toBe('/dev/stdout');
      for (const field of AUDIT_FIELDS) expect(Object.keys(fileLog.custom_fields_by_lua)).toContain(field);
    });

    test('the identity headers the mesh’s audit log records are dropped from every request and set only from a verified token', () => {
      const code: string = plugin('post-function').config.access.join('\n');
      const headers = config.mesh.auditHeaders;
      const meshLog = auditLogFormat(headers);
      for (const [role, claim] of [
        ['user', 'sub'],
        ['tenant', 'tenant_id'],
        ['device', 'device_fingerprint'],
      ] as const) {
        const header = headers[role];
        // The mesh reads exactly the header Kong sets.
        expect(Object.values(meshLog)).toContain(`%REQ(${header.toUpperCase()})%`);
        const cleared = code.indexOf(`kong.service.request.clear_header('${header}')`);
        const set = code.indexOf(`kong.service.request.set_header('${header}', value)`);
        expect(cleared).toBeGreaterThanOrEqual(0);
        expect(set).toBeGreaterThan(cleared);
        expect(code.slice(cleared, set)).toContain(verifiedClaim(claim));
      }
      expect(code).not.toContain("request.get_header('x-");
    });

    test('identity in the audit log comes only from a verified token', () => {
      const fields = plugin('file-log').config.custom_fields_by_lua;
      for (const field of ['user_id', 'tenant_id', 'consumer'])
        expect(fields[field]).toMatch(/^if not \(kong\.client\.get_credential\(\) ~= nil\) then return nil end/);
      expect(fields.event_type).toContain("if status == 401 then return 'auth.failure' end");
      expect(fields.event_type).toContain("return 'auth.success'");
    });
  });

  describe('the edge', () => {
    const params = () => find('IngressClassParams', naming.clusterObjectName('edge'));
    const attribute = (key: string) => params().spec.loadBalancerAttributes.find((candidate: any) => candidate.key === key)?.value;
    const alb = () => find('Ingress', 'edge');

    test('HTTPS only: one listener on 443, TLS again to Kong', () => {
      expect(JSON.parse(alb().metadata.annotations['alb.ingress.kubernetes.io/listen-ports'])).toEqual([{ HTTPS: 443 }]);
      expect(alb().metadata.annotations['alb.ingress.kubernetes.io/backend-protocol']).toBe('HTTPS');
    });

    test('the TLS 1.3 policy and the configured ACM certificate', () => {
      expect(params().spec.sslPolicy).toMatch(/^ELBSecurityPolicy-TLS13-1-[23]-/);
      expect(params().spec.sslPolicy).toBe(config.gateway.edge.sslPolicy);
      expect(params().spec.certificateArn).toEqual([config.gateway.edge.certificateArn]);
    });

    test('the WAF web ACL attached by name, failing closed', () => {
      expect(params().spec.wafv2AclName).toBe(naming.webAclName);
      expect(attribute('waf.fail_open.enabled')).toBe('false');
    });

    test('access logs to the S3 bucket named by the naming module; invalid headers dropped; strictest desync mitigation', () => {
      expect(attribute('access_logs.s3.enabled')).toBe('true');
      expect(attribute('access_logs.s3.bucket')).toBe(naming.accessLogBucketName(config.aws.account, config.aws.region));
      expect(attribute('access_logs.s3.prefix')).toBe(naming.loadBalancerLogPrefix);
      expect(attribute('routing.http.drop_invalid_header_fields.enabled')).toBe('true');
      expect(attribute('routing.http.desync_mitigation_mode')).toBe('strictest');
      expect(attribute('routing.http.xff_header_processing.mode')).toBe('append');
      expect(attribute('deletion_protection.enabled')).toBe('true');
    });

    test('scheme and allowed sources from config; only the gateway namespace may use the class', () => {
      expect(params().spec.scheme).toBe(config.gateway.edge.scheme);
      expect(params().spec.inboundCIDRs).toEqual(config.gateway.edge.inboundCidrs);
      expect(params().spec.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': kong } });
      expect(find('IngressClass', naming.clusterObjectName('edge')).spec).toEqual({
        controller: 'ingress.k8s.aws/alb',
        parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: naming.clusterObjectName('edge') },
      });
    });

    test("the ALB forwards only the API's host, to Kong's ClusterIP proxy", () => {
      expect(alb().metadata.namespace).toBe(kong);
      expect(alb().spec.ingressClassName).toBe(naming.clusterObjectName('edge'));
      expect(alb().spec.rules).toEqual([
        {
          host: config.gateway.hostname,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'kong-proxy', port: { number: 443 } } } }] },
        },
      ]);
      const values = kongHelmValues(config) as any;
      expect(values.proxy).toMatchObject({
        type: 'ClusterIP',
        nameOverride: 'kong-proxy',
        http: { enabled: false },
        tls: { enabled: true, servicePort: 443 },
      });
      expect(values.admin.enabled).toBe(false);
    });

    test('Shield Advanced protects the ALB exactly when edge.shieldAdvanced is on (the CDK side adds its protection group)', () => {
      const annotation = 'alb.ingress.kubernetes.io/shield-advanced-protection';
      expect(config.edge.shieldAdvanced).toBe(false);
      expect(alb().metadata.annotations[annotation]).toBeUndefined();
      const shielded = structuredClone(config);
      shielded.edge.shieldAdvanced = true;
      const ingress: any = renderStageCharts(shielded)
        .get('gateway-edge')!
        .find((object) => object.kind === 'Ingress');
      expect(ingress.metadata.annotations[annotation]).toBe('true');
    });

    test('the mesh stays STRICT on Kong except the two ports the ALB reaches', () => {
      const policy = find('PeerAuthentication', 'kong-proxy-from-alb');
      expect(policy.spec.mtls).toEqual({ mode: 'STRICT' });
      expect(policy.spec.portLevelMtls).toEqual({ 8443: { mode: 'DISABLE' }, 8100: { mode: 'DISABLE' } });
      expect(alb().metadata.annotations['alb.ingress.kubernetes.io/healthcheck-port']).toBe('8100');
    });
  });

  describe('the Kong install values', () => {
    const values = () => kongHelmValues(config) as any;

    test('the client IP is real behind the ALB: X-Forwarded-For trusted only from the VPC, read from the right', () => {
      expect(values().env).toMatchObject({ trusted_ips: config.network.cidr, real_ip_header: 'X-Forwarded-For', real_ip_recursive: 'on' });
    });

    test('the identity Kong runs as is the principal the mesh’s policies admit from the gateway', () => {
      const principal = `${config.mesh.trustDomain}/ns/${kong}/sa/${values().deployment.serviceAccount.name}`;
      const policies = renderStageObjects(config).filter((object) => object.kind === 'AuthorizationPolicy');
      const admitted = new Set(
        policies.flatMap((policy: any) =>
          (policy.spec.rules ?? []).flatMap((rule: any) => (rule.from ?? []).flatMap((from: any) => from.source?.principals ?? [])),
        ),
      );
      expect(admitted).toContain(principal);
      // Kong's own objects (the ALB Ingress, the PeerAuthentication for its pods) live in that namespace.
      expect(find('Ingress', 'edge').metadata.namespace).toBe(kong);
      expect(find('PeerAuthentication', 'kong-proxy-from-alb').metadata.namespace).toBe(kong);
    });

    test("Kong runs as the service graph's gateway identity, in the mesh, and verifies Redis certificates", () => {
      expect(values().deployment.serviceAccount.name).toBe(config.serviceGraph.gateway.serviceAccount);
      // The pod label: Istio's injector ignores the annotation in a namespace without injection label.
      expect(values().podLabels['sidecar.istio.io/inject']).toBe('true');
      expect(values().podAnnotations).toBeUndefined();
      expect(values().env.lua_ssl_trusted_certificate).toBe('system');
    });
  });

  test('no secret value appears in any manifest: secret fields are External Secrets templates, plugins read Secrets', () => {
    // The project's leak scan (lib/guards/leak-scan.ts; its own tests plant literals it must catch).
    expect(formatLeaks(scanDocument(objects, 'kubernetes', 'gateway charts'))).toBe('');
    // The only plain Secrets are ACL credentials, whose one key is a permission name.
    for (const secret of ofKind('Secret')) {
      expect(Object.keys(secret.stringData)).toEqual(['group']);
      expect(secret.data).toBeUndefined();
    }
    // The rate limits name no Redis endpoint or password: those come from the Secret at sync time.
    for (const plugin of ofKind('KongClusterPlugin').filter((candidate) => candidate.plugin === 'rate-limiting')) {
      for (const field of ['host', 'port', 'password', 'username']) expect(plugin.config.redis[field]).toBeUndefined();
    }
  });

  test('the charts are applied after the namespace baseline, the edge last', () => {
    const ids = [...charts.keys()];
    expect(ids[0]).toBe('namespace-baseline');
    expect(ids.at(-1)).toBe('gateway-edge');
    expect(ids.filter((id) => id.startsWith('gateway-'))).toEqual(GATEWAY_CHARTS);
  });

  test('rendered object kinds, so a new kind is a deliberate change', () => {
    expect([...new Set(objects.map((object: RenderedObject) => `${object.apiVersion}/${object.kind}`))].sort()).toEqual([
      'configuration.konghq.com/v1/KongClusterPlugin',
      'configuration.konghq.com/v1/KongConsumer',
      'configuration.konghq.com/v1/KongPlugin',
      'elbv2.k8s.aws/v1beta1/IngressClassParams',
      'external-secrets.io/v1/ExternalSecret',
      'networking.k8s.io/v1/Ingress',
      'networking.k8s.io/v1/IngressClass',
      'security.istio.io/v1beta1/PeerAuthentication',
      'v1/Secret',
    ]);
  });
});
