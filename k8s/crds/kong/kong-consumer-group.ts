import { compileSchemaCheck, SchemaCheckedObject, type Manifest } from '../project-schema';
import { kongConsumerGroupSchema } from './schemas';

/** Properties of a {@link KongConsumerGroup}. */
export interface KongConsumerGroupProps {
  readonly name: string;
  readonly namespace: string;
  /**
   * The group's name in Kong.
   * @default - the object's name
   */
  readonly groupName?: string;
}

interface ConsumerGroupManifest extends Manifest {
  readonly spec: { readonly name: string };
}

const checkKongConsumerGroup = compileSchemaCheck(kongConsumerGroupSchema, 'KongConsumerGroup');

/**
 * configuration.konghq.com/v1beta1 KongConsumerGroup. Consumer groups are a Kong Enterprise feature:
 * the open-source gateway this project targets ignores them and its acl plugin cannot match them, so
 * the charts enforce permissions with ACL groups (credentials) instead. Kept, typed and checked, for
 * stages that run Kong Enterprise.
 */
export class KongConsumerGroup extends SchemaCheckedObject<ConsumerGroupManifest> {
  constructor(props: KongConsumerGroupProps) {
    super(
      {
        apiVersion: 'configuration.konghq.com/v1beta1',
        kind: 'KongConsumerGroup',
        metadata: { name: props.name, namespace: props.namespace },
        spec: { name: props.groupName ?? props.name },
      },
      checkKongConsumerGroup,
    );
  }
}
