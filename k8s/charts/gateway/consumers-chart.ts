import type { Construct } from 'constructs';
import { Secret } from 'kubernetes-models/v1';
import { templatedExternalSecret } from '../../crds/external-secrets';
import { KongConsumer } from '../../crds/kong/kong-consumer';
import { KongPlugin } from '../../crds/kong/kong-plugin';
import { addObject } from '../../lib/add-object';
import { StageChart, type StageChartProps } from '../stage-chart';
import { GatewayNames, KONG_INGRESS_CLASS, SIGNING_KEY_REFRESH } from './gateway-names';
import { JWT_CREDENTIAL_SLOTS, jwtCredentialTemplate, SIGNING_KEYRING } from './jwt-credentials';

/** The labels Kong Ingress Controller finds a consumer's credential Secrets by. */
function credentialLabels(type: 'jwt' | 'acl'): Record<string, string> {
  return { 'konghq.com/credential': type, 'konghq.com/secret': 'true' };
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
 * header): `<consumer>.<kid of the keyring entry>` (`jwtKeyId` in `jwt-credentials.ts`), unique across consumers as
 * Kong requires, and naming the key that signed the token, so it keeps validating after rotation
 * moves that key to `previous`.
 */
export class GatewayConsumersChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const names = new GatewayNames(this.config);
    const namespace = this.config.serviceGraph.gateway.namespace;
    const store = { name: names.secretsManagerStore, kind: 'ClusterSecretStore' } as const;
    // The whole keyring, never one of its properties: External Secrets fails a sync when a
    // property is missing, and `previous` is null until the second rotation.
    const keyring = [{ secretKey: SIGNING_KEYRING, key: names.signingKeySecret }];

    for (const consumer of this.config.gateway.consumers) {
      const jwtCredentials = JWT_CREDENTIAL_SLOTS.map((slot) => {
        const name = names.jwtCredential(consumer.name, slot);
        addObject(
          this,
          `${consumer.name}-jwt-${slot}`,
          templatedExternalSecret({
            name,
            namespace,
            store,
            refreshInterval: SIGNING_KEY_REFRESH,
            data: keyring,
            target: {
              labels: credentialLabels('jwt'),
              template: jwtCredentialTemplate(consumer.name, slot, names.signingKeySecret),
            },
          }),
        );
        return name;
      });

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
          credentials: [...jwtCredentials, ...aclCredentials],
          plugins: allowList ? [names.ipAllowList(consumer.name)] : [],
        }),
      );
    }
  }
}
