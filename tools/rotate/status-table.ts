import Table from 'cli-table3';
import type { SecretStatus } from './secret-status';

/** A time to the minute in UTC, e.g. `2026-01-31 03:17Z`. */
function minute(date: Date | undefined): string {
  return date ? `${date.toISOString().slice(0, 16).replace('T', ' ')}Z` : '-';
}

/**
 * The status table: secret, last rotated, next rotation, policy period, state and why. Plain
 * ASCII borders and no colours, so it reads the same in a terminal, a CI log and a pod log.
 */
export function renderStatusTable(statuses: readonly SecretStatus[]): string {
  const table = new Table({
    head: ['Secret', 'Last rotated', 'Next rotation', 'Period', 'State', 'Notes'],
    style: { head: [], border: [] },
    chars: {
      mid: '-',
      'left-mid': '+',
      'mid-mid': '+',
      'right-mid': '+',
      top: '-',
      'top-mid': '+',
      'top-left': '+',
      'top-right': '+',
      bottom: '-',
      'bottom-mid': '+',
      'bottom-left': '+',
      'bottom-right': '+',
      left: '|',
      right: '|',
      middle: '|',
    },
    wordWrap: true,
    colWidths: [null, null, null, null, null, 60],
  });
  for (const status of statuses) {
    table.push([
      status.name,
      minute(status.lastRotated),
      minute(status.nextRotation),
      `${status.periodDays} d`,
      status.state,
      status.notes.join('; ') || '-',
    ]);
  }
  return table.toString();
}
