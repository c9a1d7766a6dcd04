import { Chart, Testing } from 'cdk8s';
import { templatedExternalSecret } from '../../../k8s/crds/external-secrets';
import { IngressClassParams } from '../../../k8s/crds/ingress-class-params';
import { KongConsumer } from '../../../k8s/crds/kong/kong-consumer';
import { KongConsumerGroup } from '../../../k8s/crds/kong/kong-consumer-group';
import { KongClusterPlugin, KongPlugin } from '../../../k8s/crds/kong/kong-plugin';
import { KONG_PLUGIN_CONFIG_SCHEMAS } from '../../../k8s/crds/kong/schemas';
import { addObject } from '../../../k8s/lib/add-object';
import { validateObject, type RenderedObject } from '../../harness/k8s-schemas';

/** Adds an object to a fresh chart, as the charts do: the schema check runs here. */
function synthesize(model: { validate(): void; toJSON(): object }): RenderedObject {
  const chart = new Chart(Testing.app(), 'chart');
  addObject(chart, 'object', model);
  return Testing.synth(chart)[0] as RenderedObject;
}

const namespace = 'kong';

describe('the typed Kong plugin', () => {
  test('renders a valid rate-limiting plugin that the harness accepts too', () => {
    const rendered = synthesize(
      new KongPlugin({
        name: 'limit',
        namespace,
        plugin: 'rate-limiting',
        config: { minute: 10, policy: 'redis', redis: { ssl: true } },
        configPatches: [{ path: '/redis/password', secret: { name: 'redis', key: 'password' } }],
      }),
    );
    expect(() => validateObject(rendered)).not.toThrow();
    expect(rendered.configPatches).toEqual([{ path: '/redis/password', valueFrom: { secretKeyRef: { name: 'redis', key: 'password' } } }]);
  });

  test('a wrong field in a plugin config fails synthesis', () => {
    const plugin = new KongPlugin({ name: 'limit', namespace, plugin: 'rate-limiting', config: { minute: 10, redis_hots: 'x' } as never });
    expect(() => synthesize(plugin)).toThrow(
      /chart\/object is not a valid Kubernetes object: KongPlugin fails the project's schema: .*must NOT have additional properties/,
    );
  });

  test('a wrong type in a plugin config fails synthesis', () => {
    const plugin = new KongPlugin({ name: 'limit', namespace, plugin: 'rate-limiting', config: { minute: '1000' } as never });
    expect(() => synthesize(plugin)).toThrow(/config\/minute must be number/);
  });

  test('the harness rejects a rendered plugin whose config breaks the plugin schema', () => {
    const rendered = {
      apiVersion: 'configuration.konghq.com/v1',
      kind: 'KongPlugin',
      metadata: { name: 'p', namespace },
      plugin: 'acl',
      config: { allow: ['a'], include_consumer_groups: true },
    };
    expect(() => validateObject(rendered)).toThrow(/KongPlugin kong\/p fails the project's schema/);
  });

  test('a plugin the project keeps no schema for is refused', () => {
    const rendered = {
      apiVersion: 'configuration.konghq.com/v1',
      kind: 'KongPlugin',
      metadata: { name: 'p', namespace },
      plugin: 'pre-function',
      config: {},
    };
    expect(() => validateObject(rendered)).toThrow(/plugin must be equal to one of the allowed values/);
  });

  test('a configPatches path that names no field of the plugin is refused', () => {
    expect(
      () =>
        new KongPlugin({
          name: 'limit',
          namespace,
          plugin: 'rate-limiting',
          config: { minute: 10 },
          configPatches: [{ path: '/redis/passwrd', secret: { name: 'redis', key: 'password' } }],
        }),
    ).toThrow(/configPatches path \/redis\/passwrd names no field of the rate-limiting config; allowed at "passwrd": host, port, timeout/);
  });

  test("Kong's entity checks are kept: maximum_expiration needs exp among the verified claims", () => {
    const plugin = new KongPlugin({
      name: 'jwt',
      namespace,
      plugin: 'jwt',
      config: { maximum_expiration: 3600, claims_to_verify: ['nbf'] },
    });
    expect(() => synthesize(plugin)).toThrow(/must contain at least 1 valid item/);
  });

  test('an acl plugin takes allow or deny, not both', () => {
    const plugin = new KongPlugin({ name: 'acl', namespace, plugin: 'acl', config: { allow: ['a'], deny: ['b'] } });
    expect(() => synthesize(plugin)).toThrow(/must match exactly one schema in oneOf/);
  });

  test('a redis rate limit needs the redis record its patches go into', () => {
    const plugin = new KongPlugin({ name: 'limit', namespace, plugin: 'rate-limiting', config: { minute: 10, policy: 'redis' } });
    expect(() => synthesize(plugin)).toThrow(/must have required property 'redis'/);
  });

  test('every plugin config schema refuses unknown fields', () => {
    for (const [name, schema] of Object.entries(KONG_PLUGIN_CONFIG_SCHEMAS)) {
      expect([name, schema.additionalProperties]).toEqual([name, false]);
      expect(schema.$comment).toMatch(/Kong Gateway 3\.9/);
    }
  });
});

describe('the typed KongClusterPlugin', () => {
  test('a global plugin carries the global label and the ingress class', () => {
    const rendered = synthesize(
      new KongClusterPlugin({ name: 'cid', ingressClass: 'kong', global: true, plugin: 'correlation-id', config: { generator: 'uuid' } }),
    );
    expect(rendered.metadata).toEqual({ name: 'cid', labels: { global: 'true' }, annotations: { 'kubernetes.io/ingress.class': 'kong' } });
    expect(() => validateObject(rendered)).not.toThrow();
  });

  test('configPatches of a cluster plugin must say which namespace their Secret is in', () => {
    expect(
      () =>
        new KongClusterPlugin({
          name: 'limit',
          ingressClass: 'kong',
          plugin: 'rate-limiting',
          config: { minute: 1, policy: 'redis', redis: {} },
          configPatches: [{ path: '/redis/host', secret: { name: 'redis', key: 'host' } }],
        }),
    ).toThrow(/names no secretNamespace/);
  });
});

describe('the typed consumer, consumer group, ExternalSecret and IngressClassParams', () => {
  test('a consumer renders with its credentials and plugins', () => {
    const rendered = synthesize(
      new KongConsumer({ name: 'c', namespace, username: 'c', ingressClass: 'kong', credentials: ['c-jwt'], plugins: ['c-ip'] }),
    );
    expect(rendered).toMatchObject({ username: 'c', credentials: ['c-jwt'], metadata: { annotations: { 'konghq.com/plugins': 'c-ip' } } });
    expect(() => validateObject(rendered)).not.toThrow();
    expect(() => validateObject({ ...rendered, credentials: 'c-jwt' })).toThrow(/credentials must be array/);
  });

  test('a consumer group renders and a wrong field fails', () => {
    const rendered = synthesize(new KongConsumerGroup({ name: 'operators', namespace }));
    expect(rendered.spec).toEqual({ name: 'operators' });
    expect(() => validateObject(rendered)).not.toThrow();
    expect(() => validateObject({ ...rendered, spec: { name: 'x', plugins: [] } })).toThrow(/must NOT have additional properties/);
  });

  test('an ExternalSecret renders and a wrong field fails', () => {
    const rendered = synthesize(
      templatedExternalSecret({
        name: 's',
        namespace,
        store: { name: 'store', kind: 'ClusterSecretStore' },
        refreshInterval: '1m',
        data: [{ secretKey: 'k', key: 'a/b' }],
        target: {},
      }),
    );
    expect(() => validateObject(rendered)).not.toThrow();
    expect(() => validateObject({ ...rendered, spec: { ...(rendered.spec as object), refreshInterval: 'soon' } })).toThrow(
      /refreshInterval must match pattern/,
    );
  });

  test('IngressClassParams takes a WAF web ACL by name or by ARN, not both', () => {
    const rendered = synthesize(
      new IngressClassParams({
        name: 'edge',
        namespaceLabels: { 'kubernetes.io/metadata.name': 'kong' },
        group: 'edge',
        scheme: 'internal',
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
        certificateArns: ['arn:aws:acm:eu-central-1:111111111111:certificate/00000000-0000-0000-0000-000000000000'],
        wafv2AclName: 'acl',
        inboundCidrs: ['10.0.0.0/16'],
        loadBalancerAttributes: [],
        tags: [],
      }),
    );
    expect(() => validateObject(rendered)).not.toThrow();
    const both = {
      ...rendered,
      spec: { ...(rendered.spec as object), wafv2AclArn: 'arn:aws:wafv2:eu-central-1:111111111111:regional/webacl/acl/x' },
    };
    expect(() => validateObject(both)).toThrow(/spec must NOT be valid/);
  });
});
