import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');

/** The committed dev stage file as plain data, to derive variants from. */
export function devConfigData(): Record<string, unknown> {
  return parse(fs.readFileSync(path.join(ROOT, 'config', 'dev.yaml'), 'utf8')) as Record<string, unknown>;
}

/**
 * Writes a variant of the dev stage file to a fresh temporary folder: `change` edits the data
 * in place (set a bad value, delete a key, add a misspelt one).
 *
 * @returns the file's path
 */
export function writeConfigVariant(change: (data: Record<string, any>) => void, name = 'variant.yaml'): string {
  const data = devConfigData();
  change(data);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-config-')), name);
  fs.writeFileSync(file, stringify(data));
  return file;
}
