import { createHash, randomUUID } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

/** What a chain starts from when no anchor is given: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The event that starts every run's chain; its `metadata.anchor` is the hash it chains to. */
export const OPENED_EVENT = 'audit.log.opened';
/** The event that ends every run's chain; its `metadata.events` counts the run's events, itself included. */
export const CLOSED_EVENT = 'audit.log.closed';

/** Whether the action an event records succeeded. */
export type AuditResult = 'success' | 'failure';

/** A metadata value: identifiers, states, counts and times, never a secret value. */
export type MetadataValue = string | number | boolean | null | readonly MetadataValue[] | { readonly [key: string]: MetadataValue };

/**
 * One line of the audit log, in the design document's format ("Audit Log Format"). The tool
 * acts for no user or tenant: `user_id` is its own identity (the Kubernetes ServiceAccount, or
 * the operator), `tenant_id` and `ip_address` are null. Every `metadata` carries `run` (the
 * run's id) and `sequence` (the event's position in the run, from 0).
 */
export interface AuditEvent {
  readonly timestamp: string;
  readonly event_type: string;
  readonly user_id: string;
  readonly tenant_id: string | null;
  readonly resource: string;
  readonly action: string;
  readonly ip_address: string | null;
  readonly user_agent: string;
  readonly result: AuditResult;
  readonly metadata: { readonly run: string; readonly sequence: number; readonly [key: string]: MetadataValue };
  readonly event_hash: string;
}

/** What a caller says about one action; the log adds who, when and the chain fields. */
export interface AuditRecord {
  readonly eventType: string;
  readonly resource: string;
  readonly action: string;
  readonly result: AuditResult;
  readonly metadata?: Readonly<Record<string, MetadataValue>>;
}

/**
 * The hash that chains an event to its predecessor:
 * `hex(SHA-256(previousHash ‖ JCS(event without event_hash)))`, where `previousHash` is the
 * previous event's `event_hash` as 64 lower-case hex characters (the run's anchor for its first
 * event) and JCS is the JSON Canonicalization Scheme (RFC 8785), so the hash does not depend on
 * key order or whitespace. Editing, deleting or moving any event changes a hash that a later
 * event (or the closing event's count) depends on.
 */
export function chainHash(previousHash: string, event: Omit<AuditEvent, 'event_hash'>): string {
  return createHash('sha256').update(previousHash, 'utf8').update(canonicalize(event), 'utf8').digest('hex');
}

/** Properties of an {@link AuditLog}. */
export interface AuditLogProps {
  /** Receives each event as one line of JSON, without the newline. */
  readonly write: (line: string) => void;
  /** Who acts: the ServiceAccount (`system:serviceaccount:<namespace>:<name>`) or the operator. */
  readonly actor: string;
  /** The tool and its version, e.g. `hydraulic-rotate/0.1.0 node/v20.19.0`. */
  readonly userAgent: string;
  /** The hash the run's first event chains to, e.g. the last hash of the previous run. @default GENESIS_HASH */
  readonly anchor?: string;
  /** The clock. @default the system clock */
  readonly now?: () => Date;
  /** The run's id. @default a random UUID */
  readonly runId?: string;
}

/**
 * The tool's audit trail for one run: one JSON event per line, each chained to the one before
 * by {@link chainHash}, opened by {@link OPENED_EVENT} and closed by {@link CLOSED_EVENT}.
 */
export class AuditLog {
  private readonly now: () => Date;
  private readonly runId: string;
  private previousHash: string;
  private sequence = 0;
  private closed = false;

  constructor(private readonly props: AuditLogProps) {
    const anchor = props.anchor ?? GENESIS_HASH;
    if (!/^[a-f0-9]{64}$/.test(anchor)) throw new Error(`The chain anchor must be 64 lower-case hex characters; got "${anchor}"`);
    this.previousHash = anchor;
    this.now = props.now ?? (() => new Date());
    this.runId = props.runId ?? randomUUID();
  }

  /** The hash the next event will chain to (the last event's hash, or the anchor). */
  public get lastHash(): string {
    return this.previousHash;
  }

  /** How many events the run has written. */
  public get count(): number {
    return this.sequence;
  }

  /** Starts the run: the first event, naming the command and the anchor the chain starts from. */
  public open(command: string, metadata: Readonly<Record<string, MetadataValue>> = {}): AuditEvent {
    if (this.sequence !== 0) throw new Error('The audit log is already open');
    return this.record({
      eventType: OPENED_EVENT,
      resource: 'hydraulic-rotate',
      action: 'open',
      result: 'success',
      metadata: { command, anchor: this.previousHash, ...metadata },
    });
  }

  /** Writes one event. */
  public record(record: AuditRecord): AuditEvent {
    if (this.closed) throw new Error(`The audit log is closed; cannot record ${record.eventType}`);
    if (this.sequence === 0 && record.eventType !== OPENED_EVENT) this.open('unknown');
    const body: Omit<AuditEvent, 'event_hash'> = {
      timestamp: this.now().toISOString(),
      event_type: record.eventType,
      user_id: this.props.actor,
      tenant_id: null,
      resource: record.resource,
      action: record.action,
      ip_address: null,
      user_agent: this.props.userAgent,
      result: record.result,
      metadata: { ...record.metadata, run: this.runId, sequence: this.sequence },
    };
    const event: AuditEvent = { ...body, event_hash: chainHash(this.previousHash, body) };
    this.props.write(JSON.stringify(event));
    this.previousHash = event.event_hash;
    this.sequence++;
    return event;
  }

  /** Ends the run with its count of events, so a log cut short is detectable too. */
  public close(exitCode: number): AuditEvent {
    const event = this.record({
      eventType: CLOSED_EVENT,
      resource: 'hydraulic-rotate',
      action: 'close',
      result: exitCode === 0 ? 'success' : 'failure',
      metadata: { exit_code: exitCode, events: this.sequence + 1 },
    });
    this.closed = true;
    return event;
  }
}
