import { z } from 'zod';

const perTenant = z
  .strictObject({
    /** @default 1000 (design document, "Kong Rate Limiting") */
    perMinute: z.number().int().positive().default(1000),
    /** @default 50000 (design document, "Kong Rate Limiting") */
    perHour: z.number().int().positive().default(50000),
  })
  .prefault({})
  .superRefine((limits, ctx) => {
    if (limits.perHour < limits.perMinute) {
      ctx.addIssue({
        code: 'custom',
        path: ['perHour'],
        message: `must be at least perMinute (${limits.perMinute}); an hourly limit below the minute limit makes the minute limit meaningless`,
      });
    }
  });

const diagnosisPerIp = z
  .strictObject({
    /** @default 100 (design document, "Application-Level Rate Limiting": POST /diagnosis, 100/minute per IP) */
    perMinute: z
      .number()
      .int()
      .min(10, { error: 'must be at least 10 (the smallest limit a WAF rate-based rule accepts; WAF enforces it at the edge)' })
      .max(100000)
      .default(100),
  })
  .prefault({});

/** Rate limits enforced at the edge (Kong) and by WAF. */
export const rateLimitsSection = z
  .strictObject({
    /** Requests per tenant across the API. */
    perTenant,
    /** Requests per client IP on POST /diagnosis, the expensive endpoint. */
    diagnosisPerIp,
  })
  .prefault({});
