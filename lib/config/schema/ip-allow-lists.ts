import { z } from 'zod';
import { cidr, dnsLabel } from './primitives';

/** One user's allow-list: requests from that user are accepted only from these blocks. */
const ipAllowList = z.strictObject({
  /** The user (Kong consumer username) the list applies to. */
  user: dnsLabel,
  /** The source blocks the user may connect from. */
  cidrs: z.array(cidr).min(1, { error: 'must list at least one CIDR block; remove the entry to lift the restriction' }),
});

/** Optional per-user IP restrictions (design document, "IP whitelisting"). */
export const ipAllowListsSection = z
  .array(ipAllowList)
  .default([])
  .superRefine((lists, ctx) => {
    lists.forEach((list, index) => {
      if (lists.findIndex((other) => other.user === list.user) !== index) {
        ctx.addIssue({ code: 'custom', path: [index, 'user'], message: `lists user "${list.user}" a second time; merge the two entries` });
      }
    });
  });
