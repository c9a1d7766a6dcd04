import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { AuditLog, GENESIS_HASH, chainHash } from '../../../tools/rotate/audit-log';
import { verifyAuditLog } from '../../../tools/rotate/verify-log';

/** A closed run of five events, as lines. */
function sampleRun(options: { anchor?: string; runId?: string } = {}): string[] {
  const lines: string[] = [];
  let tick = Date.parse('2026-03-01T03:17:00Z');
  const log = new AuditLog({
    write: (line) => lines.push(line),
    actor: 'system:serviceaccount:hydraulic-prod:secret-rotation',
    userAgent: 'hydraulic-rotate/0.1.0 node/v24.0.0',
    now: () => new Date((tick += 1000)),
    runId: options.runId ?? 'run-1',
    anchor: options.anchor,
  });
  log.open('enforce');
  for (const name of ['jwt-signing-key', 'redis-auth-token']) {
    log.record({
      eventType: 'secret.rotation.checked',
      resource: `hydraulic/dev/${name}`,
      action: 'check',
      result: 'success',
      metadata: { state: 'DUE' },
    });
  }
  log.record({
    eventType: 'secret.rotation.started',
    resource: 'hydraulic/dev/jwt-signing-key',
    action: 'rotate',
    result: 'success',
    metadata: { version_id: 'v2' },
  });
  log.close(0);
  return lines;
}

const text = (lines: string[]) => `${lines.join('\n')}\n`;

describe('the audit event', () => {
  const [opened, checked] = sampleRun().map((line) => JSON.parse(line));

  test('has exactly the design document’s fields, in its order', () => {
    expect(Object.keys(checked)).toEqual([
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
    ]);
    expect(checked).toMatchObject({
      event_type: 'secret.rotation.checked',
      user_id: 'system:serviceaccount:hydraulic-prod:secret-rotation',
      tenant_id: null,
      ip_address: null,
      result: 'success',
      metadata: { state: 'DUE', run: 'run-1', sequence: 1 },
    });
    expect(checked.timestamp).toBe('2026-03-01T03:17:02.000Z');
  });

  test('the first event chains to the genesis hash and names it as its anchor', () => {
    expect(opened.metadata.anchor).toBe(GENESIS_HASH);
    const { event_hash: hash, ...body } = opened;
    expect(hash).toBe(createHash('sha256').update(GENESIS_HASH).update(canonicalize(body)).digest('hex'));
  });

  test('each event_hash is SHA-256 over the previous hash and the canonical JSON of the event without its hash', () => {
    const { event_hash: hash, ...body } = checked;
    expect(hash).toBe(chainHash(opened.event_hash, body));
    // Canonical: the key order of the JSON does not change the hash.
    const reordered = Object.fromEntries(Object.entries(body).reverse()) as typeof body;
    expect(chainHash(opened.event_hash, reordered)).toBe(hash);
  });

  test('a given anchor starts the chain instead of the genesis hash', () => {
    const anchor = 'a'.repeat(64);
    const [first] = sampleRun({ anchor }).map((line) => JSON.parse(line));
    expect(first.metadata.anchor).toBe(anchor);
    const { event_hash: hash, ...body } = first;
    expect(hash).toBe(chainHash(anchor, body));
  });

  test('an anchor that is no SHA-256 digest is refused', () => {
    expect(() => new AuditLog({ write: () => undefined, actor: 'a', userAgent: 'u', anchor: 'abc' })).toThrow(
      /64 lower-case hex characters; got "abc"/,
    );
  });

  test('nothing is recorded after the closing event', () => {
    const log = new AuditLog({ write: () => undefined, actor: 'a', userAgent: 'u' });
    log.open('status');
    log.close(0);
    expect(() => log.record({ eventType: 'x', resource: 'r', action: 'a', result: 'success' })).toThrow(/closed/);
  });
});

describe('verify-log', () => {
  const lines = sampleRun();

  test('accepts an untouched log and reports its last hash', () => {
    expect(verifyAuditLog(text(lines))).toEqual({ ok: true, events: 5, runs: 1, lastHash: JSON.parse(lines[4]).event_hash });
  });

  test('names the edited line when an event is edited', () => {
    const edited = [...lines];
    edited[2] = edited[2].replace('"result":"success"', '"result":"failure"');
    expect(verifyAuditLog(text(edited))).toMatchObject({ ok: false, line: 3, reason: expect.stringMatching(/this event was edited/) });
  });

  test('names the next line when an event is edited and its own hash recomputed', () => {
    const edited = [...lines];
    const body = { ...JSON.parse(edited[1]), resource: 'hydraulic/dev/other' };
    delete body.event_hash;
    edited[1] = JSON.stringify({ ...body, event_hash: chainHash(JSON.parse(lines[0]).event_hash, body) });
    expect(verifyAuditLog(text(edited))).toMatchObject({ ok: false, line: 3, reason: expect.stringMatching(/edited/) });
  });

  test('names the line after a deleted event', () => {
    const deleted = lines.filter((_, index) => index !== 2);
    expect(verifyAuditLog(text(deleted))).toMatchObject({
      ok: false,
      line: 3,
      reason: expect.stringMatching(/#3 where #2 was expected: 1 event\(s\) before this line were deleted/),
    });
  });

  test('names the first line out of place when two events are swapped', () => {
    const swapped = [lines[0], lines[2], lines[1], lines[3], lines[4]];
    expect(verifyAuditLog(text(swapped))).toMatchObject({ ok: false, line: 2, reason: expect.stringMatching(/deleted or moved/) });
  });

  test('catches a duplicated line', () => {
    const duplicated = [lines[0], lines[1], lines[1], ...lines.slice(2)];
    expect(verifyAuditLog(text(duplicated))).toMatchObject({ ok: false, line: 3, reason: expect.stringMatching(/moved or duplicated/) });
  });

  test('catches a log cut off before its closing event, unless the log is declared open', () => {
    const cut = lines.slice(0, 4);
    expect(verifyAuditLog(text(cut))).toMatchObject({
      ok: false,
      line: 4,
      reason: expect.stringMatching(/has no audit.log.closed event: the end of the log was cut off/),
    });
    expect(verifyAuditLog(text(cut), { allowOpen: true })).toMatchObject({ ok: true, events: 4 });
  });

  test('catches a deleted first line', () => {
    expect(verifyAuditLog(text(lines.slice(1)))).toMatchObject({
      ok: false,
      line: 1,
      reason: expect.stringMatching(/start of the run was deleted/),
    });
  });

  test('catches a line that is no longer JSON, and a field added to an event', () => {
    const garbled = [...lines];
    garbled[1] = garbled[1].slice(0, 40);
    expect(verifyAuditLog(text(garbled))).toMatchObject({ ok: false, line: 2, reason: expect.stringMatching(/not valid JSON/) });
    const extended = [...lines];
    extended[1] = JSON.stringify({ ...JSON.parse(extended[1]), note: 'x' });
    expect(verifyAuditLog(text(extended))).toMatchObject({
      ok: false,
      line: 2,
      reason: expect.stringMatching(/fields an audit event does not have \(note\)/),
    });
  });

  test('accepts consecutive runs in one file, and catches the deletion of one run’s end', () => {
    const second = sampleRun({ runId: 'run-2' });
    expect(verifyAuditLog(text([...lines, ...second]))).toMatchObject({ ok: true, events: 10, runs: 2 });
    expect(verifyAuditLog(text([...lines.slice(0, 4), ...second]))).toMatchObject({
      ok: false,
      line: 5,
      reason: expect.stringMatching(/run-1 .* has not closed/),
    });
  });

  test('checks the first run’s anchor when one is expected', () => {
    const anchor = 'b'.repeat(64);
    expect(verifyAuditLog(text(sampleRun({ anchor })), { anchor })).toMatchObject({ ok: true });
    expect(verifyAuditLog(text(lines), { anchor })).toMatchObject({
      ok: false,
      line: 1,
      reason: expect.stringMatching(/not to the expected anchor/),
    });
  });

  test('an empty log is not a valid log', () => {
    expect(verifyAuditLog('\n')).toMatchObject({ ok: false, reason: 'the log holds no event' });
  });
});
