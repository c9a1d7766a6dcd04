/** Sleeps; tests pass one that returns at once and records the delays. */
export type Sleep = (milliseconds: number) => Promise<void>;

/** The real clock's sleep. */
export const realSleep: Sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Properties of {@link withBackoff}. */
export interface BackoffOptions {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** The delay before the second try; each next one doubles, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Whether an error is worth another try. */
  readonly retryable: (error: unknown) => boolean;
  readonly sleep: Sleep;
  /** Called before each wait, e.g. to log it. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** A random number in [0, 1) for the jitter. @default Math.random */
  readonly random?: () => number;
}

/**
 * Runs `action` until it succeeds, a non-retryable error occurs, or `attempts` are used up,
 * waiting with exponential backoff and "equal jitter" (half the delay fixed, half random) in
 * between, so concurrent callers spread out. The last error is thrown.
 */
export async function withBackoff<T>(action: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable(error)) throw error;
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
      options.onRetry?.(error, attempt, delay);
      await options.sleep(delay);
    }
  }
}

/**
 * Calls `check` until it returns a value (which is returned) or `timeoutMs` has passed
 * (undefined), sleeping `pollMs` in between; never sleeps past the timeout.
 */
export async function pollUntil<T>(
  clock: { readonly now: () => Date; readonly sleep: Sleep },
  timeoutMs: number,
  pollMs: number,
  check: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const until = clock.now().getTime() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (clock.now().getTime() + pollMs > until) return undefined;
    await clock.sleep(pollMs);
  }
}
