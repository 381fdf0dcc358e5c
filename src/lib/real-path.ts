import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The real path of `path`, or of its nearest existing folder with the rest appended. */
export function realPathOf(path: string): string {
  return existsSync(path) ? realpathSync(path) : join(realPathOf(dirname(path)), basename(path));
}
