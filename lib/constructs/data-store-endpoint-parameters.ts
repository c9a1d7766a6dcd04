import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PARAMETER_PATHS, type Naming } from '../config';

/** The endpoints the parameters publish (tokens resolved by CloudFormation at deployment). */
export interface DataStoreEndpoints {
  readonly redisHost: string;
  readonly redisPort: string;
  readonly databaseHost: string;
  readonly databasePort: string;
}

/** Properties of {@link DataStoreEndpointParameters}. */
export interface DataStoreEndpointParametersProps {
  readonly naming: Naming;
  readonly endpoints: DataStoreEndpoints;
}

/**
 * The hand-off to the cluster: the data stores' endpoints as SSM String parameters under the
 * names of {@link PARAMETER_PATHS}, written from the resources' own attributes at deployment,
 * so nothing is copied from a stack output by hand. External Secrets reads them into the
 * `redis-connection` and `database-connection` Secrets (and the gateway's rate-limit Secret).
 * Endpoints are not secrets: type String, never SecureString.
 */
export class DataStoreEndpointParameters extends Construct {
  /** The parameters by path. */
  public readonly parameters: Record<keyof typeof PARAMETER_PATHS, ssm.StringParameter>;

  constructor(scope: Construct, id: string, props: DataStoreEndpointParametersProps) {
    super(scope, id);
    const values: Record<keyof typeof PARAMETER_PATHS, { value: string; description: string }> = {
      redisHost: { value: props.endpoints.redisHost, description: 'The cache’s primary endpoint host name (TLS: verify against it)' },
      redisPort: { value: props.endpoints.redisPort, description: 'The cache’s port' },
      // The cache runs with transit encryption required: clients must always use TLS.
      redisTls: { value: 'true', description: 'Whether the cache requires TLS (always "true")' },
      databaseHost: { value: props.endpoints.databaseHost, description: 'The database’s endpoint host name (TLS: verify-full against it)' },
      databasePort: { value: props.endpoints.databasePort, description: 'The database’s port' },
    };
    const parameters = {} as Record<keyof typeof PARAMETER_PATHS, ssm.StringParameter>;
    for (const key of Object.keys(PARAMETER_PATHS) as (keyof typeof PARAMETER_PATHS)[]) {
      const id = `${key[0].toUpperCase()}${key.slice(1)}`;
      parameters[key] = new ssm.StringParameter(this, id, {
        parameterName: props.naming.parameterName(PARAMETER_PATHS[key]),
        stringValue: values[key].value,
        description: values[key].description,
        tier: ssm.ParameterTier.STANDARD,
        dataType: ssm.ParameterDataType.TEXT,
      });
    }
    this.parameters = parameters;
  }
}
