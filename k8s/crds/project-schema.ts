import Ajv from 'ajv';
import type { KubernetesModel } from '../lib/add-object';

// Strict, like the test harness: a schema that uses an unknown keyword or lists an undeclared
// required property is itself an error, so a schema cannot silently check less than it says.
const ajv = new Ajv({ allErrors: true, strict: true });

/** A check of a value against a JSON schema the project keeps; throws naming every problem. */
export type SchemaCheck = (value: unknown) => void;

/**
 * Compiles a schema the project keeps (for a CRD no upstream package models) into a check.
 *
 * @param what how problems name the value, e.g. `KongPlugin`
 */
export function compileSchemaCheck(schema: object, what: string): SchemaCheck {
  const validate = ajv.compile(schema);
  return (value) => {
    if (!validate(value)) throw new Error(`${what} fails the project's schema: ${ajv.errorsText(validate.errors, { dataVar: what })}`);
  };
}

/** The shape every rendered object has. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
}

/**
 * An object of a kind no upstream package models, checked against the project's schema for it
 * when `addObject` adds it to a chart, so a wrong field fails synthesis.
 */
export class SchemaCheckedObject<T extends Manifest> implements KubernetesModel {
  constructor(
    private readonly manifest: T,
    private readonly check: SchemaCheck,
  ) {}

  /** Checks the object against its schema; throws on any problem. */
  public validate(): void {
    this.check(this.manifest);
  }

  /** The object as plain JSON. */
  public toJSON(): T {
    return this.manifest;
  }
}
