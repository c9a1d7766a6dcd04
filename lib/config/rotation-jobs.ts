/**
 * The in-cluster rotation jobs, by purpose: each has its own CronJob and ServiceAccount (the
 * cdk8s side) and, where it calls AWS, its own IAM role and Pod Identity association for that
 * ServiceAccount (the CDK side). Both sides take the names from here.
 */
export const ROTATION_JOBS = {
  /** Rotates every due Secrets Manager secret of the stage (`hydraulic-rotate enforce`). */
  secrets: { name: 'secret-rotation', serviceAccount: 'secret-rotation', roleSuffix: 'secret-rotation' },
  /** Renews the mesh's intermediate CA when due and checks istiod serves it (`hydraulic-rotate mesh-ca`). */
  meshCa: { name: 'mesh-ca-rotation', serviceAccount: 'mesh-ca-rotation' },
  /** Restarts the Deployments that read a rotated secret only at start-up (`hydraulic-rotate restart`). */
  restart: { name: 'rotation-restart', serviceAccount: 'rotation-restart', roleSuffix: 'rotation-restart' },
} as const;
