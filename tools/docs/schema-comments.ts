import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** A field's TSDoc: its summary and its `@default` tag. */
export interface FieldComment {
  readonly summary: string;
  readonly defaultTag?: string;
}

/**
 * Reads the TSDoc comments of the configuration schema's fields from its source, keyed by field
 * path as the configuration reference names them (`rateLimits.perTenant.perMinute`,
 * `serviceGraph.services[].name`, `network[mode=create].cidr`), so each field is described once,
 * where it is declared. Follows the schema the way it is composed: `z.strictObject({...})`
 * shapes, `z.array(...)`, `z.discriminatedUnion(...)`, method chains, and identifiers declared in
 * the same file or imported from a sibling file.
 */
export function readSchemaComments(schemaDir: string, entryFile = 'index.ts', rootName = 'stageConfigSchema'): Map<string, FieldComment> {
  const reader = new SchemaReader();
  const root = reader.declaration(path.resolve(schemaDir, entryFile), rootName);
  if (!root) throw new Error(`${entryFile} in ${schemaDir} declares no ${rootName}`);
  const comments = new Map<string, FieldComment>();
  reader.walk(root.initializer, root.file, '', comments, new Set());
  return comments;
}

interface Declaration {
  readonly initializer: ts.Expression;
  readonly file: ts.SourceFile;
  readonly comment?: FieldComment;
}

class SchemaReader {
  private readonly files = new Map<string, ts.SourceFile>();

  walk(expression: ts.Expression, file: ts.SourceFile, at: string, out: Map<string, FieldComment>, visiting: Set<string>): void {
    if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression)) {
      return this.walk(expression.expression, file, at, out, visiting);
    }
    if (ts.isIdentifier(expression)) {
      const key = `${file.fileName}:${expression.text}:${at}`;
      if (visiting.has(key)) return;
      const declaration = this.resolve(expression.text, file);
      if (declaration) this.walk(declaration.initializer, declaration.file, at, out, new Set([...visiting, key]));
      return;
    }
    if (!ts.isCallExpression(expression) || !ts.isPropertyAccessExpression(expression.expression)) return;
    const method = expression.expression.name.text;
    const [first, second] = expression.arguments;
    if ((method === 'strictObject' || method === 'object' || method === 'looseObject') && first && ts.isObjectLiteralExpression(first)) {
      return this.walkShape(first, file, at, out, visiting);
    }
    if (method === 'array' && first) return this.walk(first, file, `${at}[]`, out, visiting);
    if (method === 'discriminatedUnion' && first && ts.isStringLiteral(first) && second && ts.isArrayLiteralExpression(second)) {
      for (const option of second.elements) {
        const variant = this.discriminatorValue(option, file, first.text);
        this.walk(option, file, variant ? `${at}[${first.text}=${variant}]` : at, out, visiting);
      }
      return;
    }
    // A method of a chain (`.default()`, `.prefault()`, `.superRefine()`, ...): the schema is its receiver.
    this.walk(expression.expression.expression, file, at, out, visiting);
  }

  private walkShape(
    shape: ts.ObjectLiteralExpression,
    file: ts.SourceFile,
    at: string,
    out: Map<string, FieldComment>,
    visiting: Set<string>,
  ): void {
    for (const property of shape.properties) {
      if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
      const name = property.name.getText(file).replace(/^['"]|['"]$/g, '');
      const fieldPath = at ? `${at}.${name}` : name;
      const value = ts.isPropertyAssignment(property) ? property.initializer : property.name;
      const own = commentOf(property);
      const declared = ts.isIdentifier(value) ? this.resolve(value.text, file)?.comment : undefined;
      const comment = mergeComments(own, declared);
      if (comment) out.set(fieldPath, comment);
      this.walk(value, file, fieldPath, out, visiting);
    }
  }

  /** The literal a union member gives its discriminator (`mode: z.literal('create')`). */
  private discriminatorValue(option: ts.Expression, file: ts.SourceFile, key: string): string | undefined {
    let expression: ts.Expression | undefined = option;
    let where = file;
    while (expression) {
      if (ts.isIdentifier(expression)) {
        const declaration = this.resolve(expression.text, where);
        expression = declaration?.initializer;
        where = declaration?.file ?? where;
        continue;
      }
      if (!ts.isCallExpression(expression) || !ts.isPropertyAccessExpression(expression.expression)) return undefined;
      const [shape] = expression.arguments;
      if (shape && ts.isObjectLiteralExpression(shape)) {
        const property = shape.properties.find(
          (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(where) === key,
        );
        const literal = property && ts.isCallExpression(property.initializer) ? property.initializer.arguments[0] : undefined;
        return literal && ts.isStringLiteral(literal) ? literal.text : undefined;
      }
      expression = expression.expression.expression;
    }
    return undefined;
  }

  /** A `const` declared in `file`, or imported into it from a sibling module. */
  resolve(name: string, file: ts.SourceFile): Declaration | undefined {
    const local = this.declaration(file.fileName, name);
    if (local) return local;
    for (const statement of file.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      const element = bindings.elements.find((candidate) => candidate.name.text === name);
      if (!element || !statement.moduleSpecifier.text.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file.fileName), `${statement.moduleSpecifier.text}.ts`);
      if (fs.existsSync(target)) return this.declaration(target, (element.propertyName ?? element.name).text);
    }
    return undefined;
  }

  declaration(fileName: string, name: string): Declaration | undefined {
    const file = this.source(fileName);
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
          return { initializer: declaration.initializer, file, comment: commentOf(declaration) };
        }
      }
    }
    return undefined;
  }

  private source(fileName: string): ts.SourceFile {
    const resolved = path.resolve(fileName);
    let file = this.files.get(resolved);
    if (!file) {
      file = ts.createSourceFile(resolved, fs.readFileSync(resolved, 'utf8'), ts.ScriptTarget.ES2022, true);
      this.files.set(resolved, file);
    }
    return file;
  }
}

function commentOf(node: ts.Node): FieldComment | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const doc = docs.at(-1);
  if (!doc) return inlineCommentOf(node);
  const summary = normalize(ts.getTextOfJSDocComment(doc.comment) ?? '');
  const defaultTag = doc.tags?.find((tag) => tag.tagName.text === 'default');
  const defaultText = defaultTag ? normalize(ts.getTextOfJSDocComment(defaultTag.comment) ?? '') : undefined;
  if (!summary && defaultText === undefined) return undefined;
  return { summary, ...(defaultText !== undefined ? { defaultTag: defaultText } : {}) };
}

/**
 * A `/** ... *\/` comment on the same line as the property it precedes, which TypeScript does
 * not attach as JSDoc (`{ /** The name. *\/ name: z.string() }`).
 */
function inlineCommentOf(node: ts.Node): FieldComment | undefined {
  const file = node.getSourceFile();
  // On the same line as the token before it, the scanner counts the comment as that token's trailing one.
  const ranges = [
    ...(ts.getTrailingCommentRanges(file.text, node.getFullStart()) ?? []),
    ...(ts.getLeadingCommentRanges(file.text, node.getFullStart()) ?? []),
  ];
  const range = ranges.filter((candidate) => file.text.startsWith('/**', candidate.pos)).at(-1);
  if (!range) return undefined;
  const body = file.text.slice(range.pos + 3, range.end - 2).replace(/^\s*\*\s?/gm, '');
  const [summary, defaultText] = body.split(/@default\b/);
  return { summary: normalize(summary), ...(defaultText !== undefined ? { defaultTag: normalize(defaultText) } : {}) };
}

function mergeComments(own: FieldComment | undefined, declared: FieldComment | undefined): FieldComment | undefined {
  if (!own) return declared;
  if (!declared) return own;
  return { summary: own.summary || declared.summary, defaultTag: own.defaultTag ?? declared.defaultTag };
}

function normalize(text: string): string {
  // A comment writes `*/` as `*\/` so as not to end itself.
  return text
    .replace(/\*\\\//g, '*/')
    .replace(/\s+/g, ' ')
    .trim();
}
