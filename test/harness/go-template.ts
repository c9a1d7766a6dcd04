/**
 * A Go `text/template` evaluator for the subset of the language the project's External Secrets
 * templates use, with the Sprig functions they call, following Go's semantics as External
 * Secrets runs them (engine v2: `missingkey=error`, the fetched values as a map of strings).
 *
 * The subset: text; actions with `{{-`/`-}}` trim markers; pipelines of commands joined by `|`;
 * operands `.`, `.field.field`, `$var.field`, `"strings"`, integers and `(pipeline).field`;
 * `$var := pipeline`; `if`, `with` (each with an optional `else`) and `end`; the functions
 * `fromJson`, `toJson`, `fail`, `trim`, `atoi` and `not`. Anything else throws, so a template
 * outside the subset fails its test instead of passing unchecked.
 */

type Value = unknown;

type Operand =
  | { readonly kind: 'dot'; readonly fields: readonly string[] }
  | { readonly kind: 'variable'; readonly name: string; readonly fields: readonly string[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'pipeline'; readonly pipeline: Pipeline; readonly fields: readonly string[] };

type Command = readonly Operand[];
type Pipeline = readonly Command[];

type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'output'; readonly pipeline: Pipeline; readonly declare?: string }
  | { readonly kind: 'if' | 'with'; readonly pipeline: Pipeline; readonly then: TemplateNode[]; readonly otherwise: TemplateNode[] };

const FUNCTIONS: Readonly<Record<string, (...args: Value[]) => Value>> = {
  // Sprig's fromJson: json.Unmarshal into interface{}; a parse error yields nil.
  fromJson: (text) => {
    if (typeof text !== 'string') throw new Error(`fromJson: wrong type for value; expected string; got ${typeName(text)}`);
    try {
      return JSON.parse(text) as Value;
    } catch {
      return null;
    }
  },
  // Sprig's toJson: Go's json.Marshal, which escapes <, > and & for HTML.
  toJson: (value) =>
    JSON.stringify(value ?? null)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026'),
  fail: (message) => {
    throw new Error(String(message));
  },
  trim: (text) => {
    if (typeof text !== 'string') throw new Error(`trim: wrong type for value; expected string; got ${typeName(text)}`);
    return text.trim();
  },
  // Sprig's atoi ignores strconv.Atoi's error and returns 0.
  atoi: (text) => (typeof text === 'string' && /^[+-]?\d+$/.test(text) ? Number(text) : 0),
  not: (value) => !truth(value),
};

function typeName(value: Value): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'object') return 'map[string]interface {}';
  return typeof value === 'number' ? 'float64' : typeof value;
}

/** Go's truth: false, 0, nil, and empty strings, maps and slices are false. */
function truth(value: Value): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.length > 0;
  return Object.keys(value as object).length > 0;
}

/** A field of a value, as Go evaluates `.field` with `missingkey=error`. */
function field(value: Value, name: string): Value {
  if (value === null || value === undefined) throw new Error(`nil pointer evaluating interface {}.${name}`);
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`can't evaluate field ${name} in type ${typeName(value)}`);
  if (!Object.prototype.hasOwnProperty.call(value, name)) throw new Error(`map has no entry for key "${name}"`);
  return (value as Record<string, Value>)[name];
}

/** What Go prints for a value; maps and slices are outside the subset. */
function print(value: Value): string {
  if (value === null || value === undefined) return '<no value>';
  if (typeof value === 'object') throw new Error(`printing a ${typeName(value)} is outside the evaluator's subset`);
  return String(value);
}

class Lexer {
  private position = 0;
  constructor(private readonly source: string) {}

  public tokens(): string[] {
    const tokens: string[] = [];
    while (this.skipSpace()) tokens.push(this.next());
    return tokens;
  }

  private skipSpace(): boolean {
    while (this.position < this.source.length && /\s/.test(this.source[this.position])) this.position += 1;
    return this.position < this.source.length;
  }

  private next(): string {
    const rest = this.source.slice(this.position);
    const match =
      /^:=/.exec(rest) ??
      /^[|()]/.exec(rest) ??
      /^"(?:[^"\\]|\\.)*"/.exec(rest) ??
      /^\$[A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest) ??
      /^(?:\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(rest) ??
      /^\./.exec(rest) ??
      /^-?\d+/.exec(rest) ??
      /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (!match) throw new Error(`unexpected "${rest[0]}" in action "${this.source}"`);
    this.position += match[0].length;
    return match[0];
  }
}

/** Parses the inside of an action into a pipeline. */
function parsePipeline(tokens: string[], action: string): Pipeline {
  let index = 0;
  const pipeline = (): Command[] => {
    const commands: Command[] = [[]];
    while (index < tokens.length && tokens[index] !== ')') {
      const token = tokens[index++];
      if (token === '|') {
        if (commands[commands.length - 1].length === 0) throw new Error(`missing command before "|" in "${action}"`);
        commands.push([]);
        continue;
      }
      (commands[commands.length - 1] as Operand[]).push(operand(token));
    }
    if (commands.some((command) => command.length === 0)) throw new Error(`empty command in "${action}"`);
    return commands;
  };
  const chain = (): string[] => {
    // A field chain directly after ")" arrives as its own token such as ".current.kid".
    if (index < tokens.length && /^\.[A-Za-z_]/.test(tokens[index])) return tokens[index++].slice(1).split('.');
    return [];
  };
  const operand = (token: string): Operand => {
    if (token === '(') {
      const inner = pipeline();
      if (tokens[index++] !== ')') throw new Error(`unclosed "(" in "${action}"`);
      return { kind: 'pipeline', pipeline: inner, fields: chain() };
    }
    if (token === '.') return { kind: 'dot', fields: [] };
    if (token.startsWith('.')) return { kind: 'dot', fields: token.slice(1).split('.') };
    if (token.startsWith('$')) {
      const [name, ...fields] = token.split('.');
      return { kind: 'variable', name, fields };
    }
    if (token.startsWith('"')) return { kind: 'string', value: JSON.parse(token) as string };
    if (/^-?\d+$/.test(token)) return { kind: 'number', value: Number(token) };
    if (!(token in FUNCTIONS)) throw new Error(`function "${token}" not defined (outside the evaluator's subset) in "${action}"`);
    return { kind: 'function', name: token };
  };
  const result = pipeline();
  if (index !== tokens.length) throw new Error(`unexpected ")" in "${action}"`);
  return result;
}

/** Parses a template into nodes. */
function parse(template: string): TemplateNode[] {
  const root: TemplateNode[] = [];
  const stack: { node: { then: TemplateNode[]; otherwise: TemplateNode[] }; inElse: boolean }[] = [];
  const current = () => {
    const top = stack[stack.length - 1];
    if (!top) return root;
    return top.inElse ? top.node.otherwise : top.node.then;
  };
  const pattern = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let match = pattern.exec(template); match; match = pattern.exec(template)) {
    let text = template.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (match[1]) text = text.replace(/\s+$/, '');
    if (text) current().push({ kind: 'text', text });
    trimNext = Boolean(match[3]);
    last = pattern.lastIndex;

    const action = match[2].trim();
    const tokens = new Lexer(action).tokens();
    const [keyword] = tokens;
    if (keyword === 'if' || keyword === 'with') {
      const node = {
        kind: keyword as 'if' | 'with',
        pipeline: parsePipeline(tokens.slice(1), action),
        then: [] as TemplateNode[],
        otherwise: [] as TemplateNode[],
      };
      current().push(node);
      stack.push({ node, inElse: false });
    } else if (keyword === 'else') {
      if (tokens.length !== 1) throw new Error(`"${action}" (else if / else with) is outside the evaluator's subset`);
      const top = stack[stack.length - 1];
      if (!top || top.inElse) throw new Error('unexpected {{ else }}');
      top.inElse = true;
    } else if (keyword === 'end') {
      if (!stack.pop()) throw new Error('unexpected {{ end }}');
    } else if (['range', 'define', 'template', 'block', 'break', 'continue'].includes(keyword)) {
      throw new Error(`"${keyword}" is outside the evaluator's subset`);
    } else if (tokens[1] === ':=') {
      if (!/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(keyword)) throw new Error(`bad variable "${keyword}"`);
      current().push({ kind: 'output', declare: keyword, pipeline: parsePipeline(tokens.slice(2), action) });
    } else {
      current().push({ kind: 'output', pipeline: parsePipeline(tokens, action) });
    }
  }
  if (stack.length > 0) throw new Error('unexpected EOF: an {{ if }} or {{ with }} has no {{ end }}');
  let text = template.slice(last);
  if (trimNext) text = text.replace(/^\s+/, '');
  if (text) root.push({ kind: 'text', text });
  return root;
}

class Scope {
  private readonly variables = new Map<string, Value>();
  constructor(private readonly parent?: Scope) {}

  public get(name: string): Value {
    if (this.variables.has(name)) return this.variables.get(name);
    if (this.parent) return this.parent.get(name);
    throw new Error(`undefined variable: ${name}`);
  }

  public set(name: string, value: Value): void {
    this.variables.set(name, value);
  }
}

function evaluatePipeline(pipeline: Pipeline, dot: Value, scope: Scope): Value {
  let result: Value = undefined;
  pipeline.forEach((command, position) => {
    const args = command.slice(1).map((operand) => evaluateOperand(operand, dot, scope));
    if (position > 0) args.push(result);
    const [head] = command;
    if (head.kind === 'function') result = FUNCTIONS[head.name](...args);
    else if (args.length > 0) throw new Error(`can't give an argument to a non-function ${JSON.stringify(head)}`);
    else result = evaluateOperand(head, dot, scope);
  });
  return result;
}

function evaluateOperand(operand: Operand, dot: Value, scope: Scope): Value {
  switch (operand.kind) {
    case 'dot':
      return operand.fields.reduce(field, dot);
    case 'variable':
      return operand.fields.reduce(field, scope.get(operand.name));
    case 'string':
    case 'number':
      return operand.value;
    case 'pipeline':
      return operand.fields.reduce(field, evaluatePipeline(operand.pipeline, dot, scope));
    case 'function':
      return FUNCTIONS[operand.name]();
  }
}

function execute(nodes: readonly TemplateNode[], dot: Value, scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'output') {
      const value = evaluatePipeline(node.pipeline, dot, scope);
      if (node.declare) scope.set(node.declare, value);
      else out += print(value);
    } else {
      const value = evaluatePipeline(node.pipeline, dot, scope);
      const inner = new Scope(scope);
      if (truth(value)) out += execute(node.then, node.kind === 'with' ? value : dot, inner);
      else out += execute(node.otherwise, dot, inner);
    }
  }
  return out;
}

/**
 * Executes a template against data, as External Secrets does for one key of `target.template.data`
 * (the fetched values, each a string, as the root and as `$`).
 *
 * @throws with Go's message when the template fails to parse or execute
 */
export function executeGoTemplate(template: string, data: Readonly<Record<string, string>>): string {
  const scope = new Scope();
  scope.set('$', data);
  return execute(parse(template), data, scope);
}
