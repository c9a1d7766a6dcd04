import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Inventory } from './stateful-resources';

/** The committed inventory of stateful resources, relative to the repository root. */
export const INVENTORY_FILE = path.join('test', 'guards', 'stateful-inventory.json');

const REPOSITORY_ROOT = path.join(__dirname, '..', '..');

const COMMENT =
  'Every stateful resource (and every resource a data store lives in or names) of each committed stage, by stack name and logical ID, ' +
  'with its type: see lib/guards/stateful-resources.ts for which types and why. CloudFormation replaces a resource whose stack, logical ID ' +
  'or type changes: a new, empty database or cache, a key that cannot decrypt the old data. test/guards/whole-app.test.ts fails, naming ' +
  'the resource, when the synthesized app differs from this file. Rewrite it with npm run inventory:update only when a replacement is ' +
  'intended and planned (snapshot, restore, data migration), and say so in the commit.';

/** Reads the committed inventory. */
export function readInventory(): Inventory {
  const inventory = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, INVENTORY_FILE), 'utf8')) as Record<string, unknown>;
  delete inventory.$comment;
  return inventory as Inventory;
}

/** Writes the inventory over the committed one. */
export function writeInventory(inventory: Inventory): void {
  fs.writeFileSync(path.join(REPOSITORY_ROOT, INVENTORY_FILE), `${JSON.stringify({ $comment: COMMENT, ...inventory }, null, 2)}\n`);
}
