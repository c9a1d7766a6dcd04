import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { PARAMETER_PATHS, ROTATION_JOBS, SECRET_PURPOSES } from '../config';
import { GATEWAY_LOG_SHIPPER } from '../config/gateway-access-log';
import { ExternalSecretsAccess } from '../constructs/external-secrets-access';
import { LogShipperAccess } from '../constructs/log-shipper-access';
import { RotationJobsAccess } from '../constructs/rotation-jobs-access';
import { StageStack, type StageStackProps } from './stage-stack';

/** Properties of a {@link ClusterAccessStack}. */
export interface ClusterAccessStackProps extends StageStackProps {
  /** The key the project's secrets are encrypted with. */
  readonly secretsKey: kms.IKey;
}

/**
 * What the cluster's controllers and jobs may do in AWS, through EKS Pod Identity: the External
 * Secrets Operator reads exactly the secrets and parameters the cluster's charts sync (the same
 * names the charts use, from the naming module); the gateway log shipper writes Kong's audit log to
 * the one log group the security alarms read; the rotation jobs rotate (and describe) the stage's
 * secrets, never reading a value.
 */
export class ClusterAccessStack extends StageStack {
  /** The External Secrets Operator's role and Pod Identity association. */
  public readonly externalSecrets: ExternalSecretsAccess;
  /** The gateway log shipper's role and Pod Identity association: it writes Kong's audit log to the gateway log group. */
  public readonly gatewayLogShipper: LogShipperAccess;
  /** The rotation jobs' roles and Pod Identity associations. */
  public readonly rotationJobs: RotationJobsAccess;

  constructor(scope: Construct, id: string, props: ClusterAccessStackProps) {
    super(scope, id, props);
    const operator = this.config.externalSecrets;
    this.externalSecrets = new ExternalSecretsAccess(this, 'ExternalSecrets', {
      roleName: this.naming.roleName('external-secrets'),
      clusterName: this.config.kubernetes.clusterName,
      namespace: operator.namespace,
      serviceAccount: operator.serviceAccount,
      secretNames: Object.values(SECRET_PURPOSES).map((purpose) => this.naming.secretName(purpose)),
      parameterNames: Object.values(PARAMETER_PATHS).map((path) => this.naming.parameterName(path)),
      secretsKey: props.secretsKey,
    });
    // The log group is the audit stack's; it is named, not referenced, so neither stack waits for the other.
    this.gatewayLogShipper = new LogShipperAccess(this, 'GatewayLogShipper', {
      roleName: this.naming.roleName('gateway-log-shipper'),
      clusterName: this.config.kubernetes.clusterName,
      namespace: GATEWAY_LOG_SHIPPER.namespace,
      serviceAccount: GATEWAY_LOG_SHIPPER.serviceAccount,
      logGroupName: this.naming.gatewayAccessLogGroupName,
    });
    this.rotationJobs = new RotationJobsAccess(this, 'RotationJobs', {
      clusterName: this.config.kubernetes.clusterName,
      namespace: this.config.kubernetes.namespace,
      secretNamePrefix: this.naming.secretNamePrefix,
      stageTags: this.naming.tags,
      enforcement: {
        roleName: this.naming.roleName(ROTATION_JOBS.secrets.roleSuffix),
        serviceAccount: ROTATION_JOBS.secrets.serviceAccount,
      },
      ...(this.config.rotationJobs.restartOnRotation.length > 0
        ? {
            restart: {
              roleName: this.naming.roleName(ROTATION_JOBS.restart.roleSuffix),
              serviceAccount: ROTATION_JOBS.restart.serviceAccount,
            },
          }
        : {}),
    });
  }
}
