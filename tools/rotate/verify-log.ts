import { type AuditEvent, CLOSED_EVENT, GENESIS_HASH, OPENED_EVENT, chainHash } from './audit-log';

/** Options of {@link verifyAuditLog}. */
export interface VerifyOptions {
  /**
   * The hash the first run must chain to (the last hash of the log before it). Without it,
   * the first run may start from any anchor its opening event names.
   * @default - not checked
   */
  readonly anchor?: string;
  /**
   * Accept a last run without its closing event (a log still being written).
   * @default false - a missing closing event means the end of the log was cut off
   */
  readonly allowOpen?: boolean;
}

/** The outcome of checking a log. */
export type VerifyResult =
  | { readonly ok: true; readonly events: number; readonly runs: number; readonly lastHash: string }
  | { readonly ok: false; readonly line: number; readonly reason: string; readonly events: number };

const FIELDS = [
  'timestamp',
  'event_type',
  'user_id',
  'tenant_id',
  'resource',
  'action',
  'ip_address',
  'user_agent',
  'result',
  'metadata',
  'event_hash',
] as const;

/**
 * Checks an audit log line by line and names the first line that breaks it:
 * - a line that is not an audit event (edited into something else, or cut);
 * - a sequence number out of step (an event deleted, moved or duplicated before this line);
 * - an `event_hash` that does not follow from the event and its predecessor (this event edited,
 *   or the previous one edited together with its hash);
 * - a run whose closing event is missing or counts differently (its end cut off).
 *
 * A chain without a secret key proves order and integrity relative to a hash kept elsewhere
 * (the closing event's hash, or the log's write-once archive), not authorship: whoever can
 * rewrite the whole log can recompute every hash.
 */
export function verifyAuditLog(text: string, options: VerifyOptions = {}): VerifyResult {
  const lines = text.split('\n');
  let events = 0;
  let runs = 0;
  let run: { id: string; expected: number; previousHash: string; openedAt: number } | undefined;
  let lastHash = options.anchor ?? GENESIS_HASH;
  let lastLine = 0;
  const broken = (line: number, reason: string): VerifyResult => ({ ok: false, line, reason, events });

  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const text = lines[index].trim();
    if (text === '') continue;
    lastLine = lineNumber;
    let event: AuditEvent;
    try {
      event = JSON.parse(text) as AuditEvent;
    } catch {
      return broken(lineNumber, 'is not valid JSON: the line was edited or cut');
    }
    const shapeProblem = checkShape(event);
    if (shapeProblem) return broken(lineNumber, shapeProblem);
    const { sequence, run: runId } = event.metadata;

    if (!run) {
      if (event.event_type !== OPENED_EVENT || sequence !== 0) {
        return broken(
          lineNumber,
          `is ${event.event_type} #${sequence} of run ${runId}, but a run must start with ${OPENED_EVENT} #0: the start of the run was deleted`,
        );
      }
      const anchor = event.metadata.anchor;
      if (typeof anchor !== 'string' || !/^[a-f0-9]{64}$/.test(anchor)) return broken(lineNumber, 'opens a run without a valid anchor');
      if (runs === 0 && options.anchor !== undefined && anchor !== options.anchor) {
        return broken(lineNumber, `chains to ${anchor}, not to the expected anchor ${options.anchor}: events before it are missing`);
      }
      run = { id: runId, expected: 0, previousHash: anchor, openedAt: lineNumber };
      runs++;
    } else if (runId !== run.id) {
      return broken(
        lineNumber,
        `belongs to run ${runId}, but run ${run.id} (opened on line ${run.openedAt}) has not closed: its end was deleted, or this line was moved here`,
      );
    }

    if (sequence !== run.expected) {
      return broken(
        lineNumber,
        sequence > run.expected
          ? `is event #${sequence} where #${run.expected} was expected: ${sequence - run.expected} event(s) before this line were deleted or moved`
          : `is event #${sequence} where #${run.expected} was expected: this line was moved or duplicated`,
      );
    }
    const { event_hash: stored, ...body } = event;
    if (chainHash(run.previousHash, body) !== stored) {
      return broken(
        lineNumber,
        "has an event_hash that does not follow from its content and the previous event's hash: this event was edited (or the one before it, hash included)",
      );
    }
    run.previousHash = stored;
    run.expected++;
    events++;
    lastHash = stored;

    if (event.event_type === CLOSED_EVENT) {
      if (event.metadata.events !== run.expected) {
        return broken(lineNumber, `closes run ${run.id} counting ${String(event.metadata.events)} events, but the run has ${run.expected}`);
      }
      run = undefined;
    }
  }

  if (events === 0) return broken(0, 'the log holds no event');
  if (run && !options.allowOpen) {
    return broken(
      lastLine,
      `is the last line, but run ${run.id} (opened on line ${run.openedAt}) has no ${CLOSED_EVENT} event: the end of the log was cut off, or the tool was killed`,
    );
  }
  return { ok: true, events, runs, lastHash };
}

function checkShape(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'is JSON but not an audit event object';
  const record = event as Record<string, unknown>;
  const missing = FIELDS.filter((field) => !(field in record));
  if (missing.length > 0) return `is not an audit event: it has no ${missing.join(', ')}`;
  const extra = Object.keys(record).filter((key) => !(FIELDS as readonly string[]).includes(key));
  if (extra.length > 0) return `has fields an audit event does not have (${extra.join(', ')}): it was edited`;
  const metadata = record.metadata as Record<string, unknown> | null;
  if (typeof metadata !== 'object' || metadata === null || typeof metadata.run !== 'string' || !Number.isInteger(metadata.sequence)) {
    return 'is not an audit event: its metadata has no run id and sequence number';
  }
  if (typeof record.event_hash !== 'string' || !/^[a-f0-9]{64}$/.test(record.event_hash))
    return 'has an event_hash that is not a SHA-256 hex digest';
  return undefined;
}
