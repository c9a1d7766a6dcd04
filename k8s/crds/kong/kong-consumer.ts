import { compileSchemaCheck, SchemaCheckedObject, type Manifest } from '../project-schema';
import { KONG_INGRESS_CLASS_ANNOTATION } from './kong-plugin';
import { kongConsumerSchema } from './schemas';

/** Properties of a {@link KongConsumer}. */
export interface KongConsumerProps {
  /** The object's name. */
  readonly name: string;
  readonly namespace: string;
  /** The consumer's Kong username, unique across the gateway. */
  readonly username: string;
  /** Names of Secrets in the same namespace, each one credential labelled `konghq.com/credential`. */
  readonly credentials: readonly string[];
  /**
   * KongPlugins of the same namespace that apply to this consumer's requests (ip-restriction, ...).
   * @default - none
   */
  readonly plugins?: readonly string[];
  /** The Kong ingress class that picks the consumer up (KIC ignores KongConsumers without one). */
  readonly ingressClass: string;
}

interface ConsumerManifest extends Manifest {
  readonly username: string;
  readonly credentials: string[];
}

const checkKongConsumer = compileSchemaCheck(kongConsumerSchema, 'KongConsumer');

/** configuration.konghq.com/v1 KongConsumer: an identity Kong authenticates, with its credentials. */
export class KongConsumer extends SchemaCheckedObject<ConsumerManifest> {
  constructor(props: KongConsumerProps) {
    const annotations: Record<string, string> = { [KONG_INGRESS_CLASS_ANNOTATION]: props.ingressClass };
    if (props.plugins?.length) annotations['konghq.com/plugins'] = props.plugins.join(',');
    super(
      {
        apiVersion: 'configuration.konghq.com/v1',
        kind: 'KongConsumer',
        metadata: { name: props.name, namespace: props.namespace, annotations },
        username: props.username,
        credentials: [...props.credentials],
      },
      checkKongConsumer,
    );
  }
}
