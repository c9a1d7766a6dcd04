/** A Mermaid flowchart built line by line, with node ids made safe and labels escaped. */
export class Flowchart {
  private readonly lines: string[] = [];
  private depth = 1;

  constructor(direction: 'LR' | 'TB' = 'LR') {
    this.lines.push(`flowchart ${direction}`);
  }

  /** A node id Mermaid accepts, derived from any name. */
  static id(name: string): string {
    return name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  }

  /** A rectangle (default), a cylinder (`database`), a stadium (`terminal`) or a hexagon (`component`). */
  node(id: string, lines: readonly string[], shape: 'box' | 'database' | 'terminal' | 'component' = 'box'): this {
    const label = `"${lines.map(escape).join('<br/>')}"`;
    const wrapped = { box: `[${label}]`, database: `[(${label})]`, terminal: `([${label}])`, component: `{{${label}}}` }[shape];
    return this.line(`${id}${wrapped}`);
  }

  /** A solid arrow, or a dotted one for what is not a request (inspection, a copy, a sync). */
  edge(from: string, to: string, label?: string, style: 'solid' | 'dotted' = 'solid'): this {
    const arrow = style === 'solid' ? '-->' : '-.->';
    return this.line(`${from} ${arrow}${label ? `|"${escape(label)}"|` : ''} ${to}`);
  }

  /** A subgraph holding what `body` adds. */
  group(id: string, title: string, body: () => void): this {
    this.line(`subgraph ${id}["${escape(title)}"]`);
    this.depth++;
    body();
    this.depth--;
    return this.line('end');
  }

  /** The diagram in a Markdown code fence, which GitHub renders. */
  toMarkdown(): string {
    return ['```mermaid', ...this.lines, '```'].join('\n');
  }

  private line(text: string): this {
    this.lines.push(`${'  '.repeat(this.depth)}${text}`);
    return this;
  }
}

/** Mermaid's entity codes for the characters its labels cannot hold. */
function escape(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
