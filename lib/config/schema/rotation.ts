import { z } from 'zod';
import { cronSchedule } from './primitives';

/** The design document rotates certificates every 90 days ("Certificate Rotation"). */
export const MAX_MESH_CA_DAYS = 90;

/** How often secrets and certificates rotate, and when the enforcement job runs. */
export const rotationSection = z
  .strictObject({
    /**
     * Days between rotations of every Secrets Manager secret.
     * @default 30
     */
    secretsDays: z.number().int().min(1).max(365).default(30),
    /**
     * Lifetime of the mesh's intermediate CA certificate, in days.
     * @default 90
     */
    meshCaDays: z
      .number()
      .int()
      .min(7)
      .max(MAX_MESH_CA_DAYS, { error: `must be at most ${MAX_MESH_CA_DAYS} days (the design document rotates certificates every 90 days)` })
      .default(MAX_MESH_CA_DAYS),
    /**
     * Days between automatic rotations of each KMS key's material (AWS allows 90 to 2560).
     * @default 365
     */
    kmsKeyDays: z.number().int().min(90).max(2560).default(365),
    /**
     * When the in-cluster rotation enforcement job runs (Kubernetes CronJob syntax, UTC).
     * @default "17 3 * * *"
     */
    schedule: cronSchedule.default('17 3 * * *'),
  })
  .prefault({});
