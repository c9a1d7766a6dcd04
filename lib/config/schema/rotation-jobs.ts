import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { cronSchedule, dnsLabel } from './primitives';

/** An OCI image digest: what `docker push` prints, and what the CronJobs pin when given. */
const imageDigest = z.string().regex(/^sha256:[a-f0-9]{64}$/, {
  error: 'must be an image digest: "sha256:" followed by 64 lower-case hex digits (what `docker push` prints)',
});

/** An image tag Docker accepts; `latest` is refused because it names no particular build. */
const imageTag = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, {
    error: 'must be an image tag: letters, digits, "_", "." and "-", at most 128 characters, not starting with "." or "-"',
  })
  .refine((tag) => tag !== 'latest', { error: 'must name a build: "latest" is refused (the rotation jobs pin what they run)' });

/** The rotation tool's image in the stage's ECR repository (issue 5's image repositories). */
const rotationToolImage = z
  .strictObject({
    /**
     * The repository's short name; it must be listed in `audit.detection.imageRepositories`,
     * which creates it as `<project>/<stage>/<name>`.
     * @default rotation-tool
     */
    repository: dnsLabel.default('rotation-tool'),
    /**
     * The image's tag. The repository's tags are immutable, so a tag names one build, but a
     * digest is still preferred: it is checked by the kubelet on every pull.
     * @default - none; `digest` must be set
     */
    tag: imageTag.optional(),
    /**
     * The image's digest (`sha256:…`), preferred over a tag. With both, the digest decides.
     * @default - none; `tag` must be set
     */
    digest: imageDigest.optional(),
  })
  .superRefine((image, ctx) => {
    if (image.tag === undefined && image.digest === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must set digest (preferred) or tag: the CronJobs run a pinned image, never "latest"' });
    }
  });

/** One workload that reads a rotated secret only when it starts, and the synced Secrets it reads. */
const restartedWorkload = z.strictObject({
  /** The Deployment's name in the application namespace. */
  deployment: dnsLabel,
  /**
   * The ExternalSecrets (in the application namespace) whose target Secrets the Deployment
   * reads at start-up, e.g. `database-connection`.
   */
  externalSecrets: z.array(dnsLabel).min(1, { error: 'must name at least one ExternalSecret the Deployment reads' }),
});

/**
 * The in-cluster rotation jobs: the image they run, when the mesh CA and restart jobs run (the
 * secret enforcement job runs on `rotation.schedule`), and which workloads are restarted after a
 * secret they read only at start-up rotates.
 */
export const rotationJobsSection = z.strictObject({
  /** The rotation tool's image. */
  image: rotationToolImage,
  /**
   * When the mesh CA job runs (Kubernetes CronJob syntax, UTC).
   * @default "47 4 * * *"
   */
  meshCaSchedule: cronSchedule.default('47 4 * * *'),
  /**
   * When the restart job runs (Kubernetes CronJob syntax, UTC). Its longest gap, plus
   * `externalSecrets.refreshMinutes` and `timeoutMinutes`, must fit in
   * `secrets.clientRefreshMinutes`: a restarted pod must hold the new value before the old
   * one is retired.
   * @default "*\/10 * * * *"
   */
  restartSchedule: cronSchedule.default('*/10 * * * *'),
  /**
   * How long the tool waits for one rotation, one CA renewal or one rollout to finish, in minutes.
   * @default 10
   */
  timeoutMinutes: z.number().int().min(1).max(30).default(10),
  /**
   * Deployments that read a rotated secret only at start-up, restarted (one rolling restart)
   * once the new value has been synced into their namespace.
   * @default []
   */
  restartOnRotation: z.array(restartedWorkload).default([]),
});

/** The part of a stage's configuration the rotation jobs' cross-checks read. */
interface RotationJobReferences {
  readonly rotationJobs: z.output<typeof rotationJobsSection>;
  readonly audit: { readonly detection: { readonly imageRepositories: readonly string[] } };
  readonly externalSecrets: { readonly refreshMinutes: number };
  readonly secrets: { readonly clientRefreshMinutes: number };
}

/**
 * Checks what spans sections: the image's repository exists (the audit stack creates it), no
 * Deployment is listed twice, and a restart comes soon enough after a rotation for the old
 * value to still work while pods move to the new one.
 */
export function checkRotationJobs(config: RotationJobReferences, ctx: z.RefinementCtx): void {
  const { rotationJobs } = config;
  const repositories = config.audit.detection.imageRepositories;
  if (!repositories.includes(rotationJobs.image.repository)) {
    ctx.addIssue({
      code: 'custom',
      path: ['rotationJobs', 'image', 'repository'],
      message: `must be one of audit.detection.imageRepositories (${repositories.join(', ') || 'none listed'}), which creates the repository`,
    });
  }
  rotationJobs.restartOnRotation.forEach((workload, index) => {
    if (rotationJobs.restartOnRotation.findIndex((other) => other.deployment === workload.deployment) !== index) {
      ctx.addIssue({ code: 'custom', path: ['rotationJobs', 'restartOnRotation', index, 'deployment'], message: 'is listed twice' });
    }
  });
  if (rotationJobs.restartOnRotation.length === 0) return;
  const gap = longestGapMinutes(rotationJobs.restartSchedule);
  const needed = gap + config.externalSecrets.refreshMinutes + rotationJobs.timeoutMinutes;
  if (needed > config.secrets.clientRefreshMinutes) {
    ctx.addIssue({
      code: 'custom',
      path: ['rotationJobs', 'restartSchedule'],
      message: `runs up to ${gap} minutes apart; with externalSecrets.refreshMinutes (${config.externalSecrets.refreshMinutes}) and timeoutMinutes (${rotationJobs.timeoutMinutes}) a restart can end ${needed} minutes after a rotation, later than secrets.clientRefreshMinutes (${config.secrets.clientRefreshMinutes}), when the old value is retired`,
    });
  }
}

/**
 * The longest time between two runs of a schedule, in minutes, over its first 1000 runs or
 * 32 days, whichever comes first (enough to see every gap of a daily, weekly or monthly pattern).
 */
export function longestGapMinutes(schedule: string): number {
  let gap = gapsBySchedule.get(schedule);
  if (gap === undefined) {
    gap = computeLongestGapMinutes(schedule);
    gapsBySchedule.set(schedule, gap);
  }
  return gap;
}

// Walking up to 1000 runs costs ~50 ms; every stage file and test variant asks again.
const gapsBySchedule = new Map<string, number>();

function computeLongestGapMinutes(schedule: string): number {
  const start = new Date('2026-01-01T00:00:00Z');
  const end = new Date(start.getTime() + 32 * 86_400_000);
  let expression;
  try {
    expression = CronExpressionParser.parse(schedule, { currentDate: start, tz: 'UTC' });
  } catch {
    return Number.POSITIVE_INFINITY; // reported by the schedule's own check
  }
  let previous: Date | undefined;
  let longest = 0;
  for (let run = 0; run < 1000; run++) {
    const next = expression.next().toDate();
    if (next > end) break;
    if (previous) longest = Math.max(longest, (next.getTime() - previous.getTime()) / 60_000);
    previous = next;
  }
  return previous === undefined || longest === 0 ? 32 * 24 * 60 : longest;
}
