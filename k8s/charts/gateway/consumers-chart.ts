import type { Construct } from 'constructs';
import { Secret } from 'kubernetes-models/v1';
import { ExternalSecret } from '../../crds/external-secret';
import { KongConsumer } from '../../crds/kong/kong-consumer';
import { KongPlugin } from '../../crds/kong/kong-plugin';
import { addObject } from '../../lib/add-object';
import { StageChart, type StageChartProps } from '../stage-chart';
import { GatewayNames, KONG_INGRESS_CLASS, SIGNING_KEY_REFRESH } from './gateway-names';

/** The labels Kong Ingress Controller finds a consumer's credential Secrets by. */
function credentialLabels(type: 'jwt' | 'acl'): Record<string, string> {
  return { 'konghq.com/credential': type, 'konghq.com/secret': 'true' };
}

/**
 * The key id (`kid`) of a credential: the consumer, a dot, and the first 16 hex digits of the
 * SHA-256 of the signing key. The auth service computes the same value when it signs, so a token
 * names the key that signed it and keeps validating after rotation moves that key to `previous`.
 */
export function signingKeyId(consumer: string, keyExpression: string): string {
  return `${consumer}.{{ ${keyExpression} | sha256sum | trunc 16 }}`;
}

/**
 * The gateway's consumers, in Kong's namespace: one per tenant, or an operator account. Each has
 *
 * - two HS256 jwt credentials, from the current and the previous signing key in Secrets Manager, so
 *   tokens signed before a rotation stay valid for their lifetime;
 * - one ACL credential per permission its groups grant (the routes' acl plugins allow permissions);
 * - the ip-restriction plugin when `ipAllowLists` lists it.
 *
 * Kong's open-source jwt plugin finds the credential by the token's `kid` claim (payload, then JOSE
 * header), so a consumer's two credentials differ by the signing key's fingerprint.
 */
export class GatewayConsumersChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const names = new GatewayNames(this.config);
    const namespace = this.config.serviceGraph.gateway.namespace;
    const store = { name: names.secretsManagerStore, kind: 'ClusterSecretStore' } as const;
    const signingKeys = [
      { secretKey: 'current', key: names.signingKeySecret, property: 'current' },
      { secretKey: 'previous', key: names.signingKeySecret, property: 'previous' },
    ];
    // Until the first rotation the previous key may be empty or equal to the current one; Kong
    // refuses two credentials with one key, so the previous slot then holds a key id no token carries.
    const noPrevious = '{{ if or (empty .previous) (eq .previous .current) }}';

    for (const consumer of this.config.gateway.consumers) {
      const jwtCurrent = names.jwtCredential(consumer.name, 'current');
      const jwtPrevious = names.jwtCredential(consumer.name, 'previous');
      addObject(
        this,
        `${consumer.name}-jwt-current`,
        new ExternalSecret({
          name: jwtCurrent,
          namespace,
          store,
          refreshInterval: SIGNING_KEY_REFRESH,
          data: signingKeys,
          target: {
            labels: credentialLabels('jwt'),
            template: { key: signingKeyId(consumer.name, '.current'), algorithm: 'HS256', secret: '{{ .current }}' },
          },
        }),
      );
      addObject(
        this,
        `${consumer.name}-jwt-previous`,
        new ExternalSecret({
          name: jwtPrevious,
          namespace,
          store,
          refreshInterval: SIGNING_KEY_REFRESH,
          data: signingKeys,
          target: {
            labels: credentialLabels('jwt'),
            template: {
              key: `${noPrevious}${consumer.name}.no-previous-key{{ else }}${signingKeyId(consumer.name, '.previous')}{{ end }}`,
              algorithm: 'HS256',
              secret: `${noPrevious}{{ .current }}{{ else }}{{ .previous }}{{ end }}`,
            },
          },
        }),
      );

      const permissions = [
        ...new Set(
          this.config.gateway.groups.filter((group) => consumer.groups.includes(group.name)).flatMap((group) => group.permissions),
        ),
      ].sort();
      const aclCredentials = permissions.map((permission) => {
        const name = names.aclCredential(consumer.name, permission);
        // An ACL group is no secret, but Kong Ingress Controller only reads credentials from Secrets.
        addObject(
          this,
          name,
          new Secret({ metadata: { name, namespace, labels: credentialLabels('acl') }, type: 'Opaque', stringData: { group: permission } }),
        );
        return name;
      });

      const allowList = this.config.ipAllowLists.find((list) => list.user === consumer.name);
      if (allowList) {
        addObject(
          this,
          `${consumer.name}-ip-allow-list`,
          new KongPlugin({
            name: names.ipAllowList(consumer.name),
            namespace,
            plugin: 'ip-restriction',
            config: { allow: [...allowList.cidrs], status: 403, message: 'Your IP address is not allowed for this account' },
          }),
        );
      }

      addObject(
        this,
        `${consumer.name}-consumer`,
        new KongConsumer({
          name: consumer.name,
          namespace,
          username: consumer.name,
          ingressClass: KONG_INGRESS_CLASS,
          credentials: [jwtCurrent, jwtPrevious, ...aclCredentials],
          plugins: allowList ? [names.ipAllowList(consumer.name)] : [],
        }),
      );
    }
  }
}
