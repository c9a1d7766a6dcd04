/** A clock that moves only when the code under test sleeps. */
export class FakeClock {
  public readonly sleeps: number[] = [];
  private time: number;

  constructor(start = '2026-03-01T03:17:00Z') {
    this.time = Date.parse(start);
  }

  public readonly now = (): Date => new Date(this.time);

  public readonly sleep = async (milliseconds: number): Promise<void> => {
    this.sleeps.push(milliseconds);
    this.time += milliseconds;
  };

  public advance(milliseconds: number): void {
    this.time += milliseconds;
  }
}

/** An audit log's lines, parsed. */
export function events(lines: readonly string[]): any[] {
  return lines.map((line) => JSON.parse(line));
}
