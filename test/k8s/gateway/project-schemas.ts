import { kongClusterPluginSchema, kongConsumerGroupSchema, kongConsumerSchema, kongPluginSchema } from '../../../k8s/crds/kong/schemas';
import externalSecretSchema from '../../../k8s/crds/schemas/external-secret.v1.json';
import ingressClassParamsSchema from '../../../k8s/crds/schemas/ingress-class-params.v1beta1.json';
import { registerProjectSchema } from '../../harness/k8s-schemas';

/**
 * Registers the schemas the project keeps for the gateway's CRDs with the harness, so
 * `validateObjects` checks Kong plugins (and each plugin's config), consumers, ExternalSecrets and
 * IngressClassParams. Jest gives every test file its own module registry: import this once per file.
 */
registerProjectSchema('configuration.konghq.com/v1', 'KongPlugin', kongPluginSchema);
registerProjectSchema('configuration.konghq.com/v1', 'KongClusterPlugin', kongClusterPluginSchema);
registerProjectSchema('configuration.konghq.com/v1', 'KongConsumer', kongConsumerSchema);
registerProjectSchema('configuration.konghq.com/v1beta1', 'KongConsumerGroup', kongConsumerGroupSchema);
registerProjectSchema('external-secrets.io/v1', 'ExternalSecret', externalSecretSchema);
registerProjectSchema('elbv2.k8s.aws/v1beta1', 'IngressClassParams', ingressClassParamsSchema);
