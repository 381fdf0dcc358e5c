// Reads `.env` from the working directory into process.env, for `npm start` and every CLI alike
// (`npm run admin`, export, backup), before anything reads its configuration. Node's own parser
// (process.loadEnvFile) does the reading: a variable already set in the real environment keeps
// its value, and a missing file is no error. Node skips lines it cannot read without a word, so
// the file is checked first, and a line that is not NAME=value stops the start with its number.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export class EnvFileError extends Error {}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*)$/;
const QUOTES = ['"', "'", '`'];

/** What is wrong with a .env file's text, one message per bad line (empty when it is fine). */
export function envFileProblems(text) {
  const lines = text.split(/\r?\n/);
  const problems = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    const match = ASSIGNMENT.exec(line);
    if (!match) {
      const shown = line.length > 60 ? `${line.slice(0, 60)}…` : line;
      problems.push(`line ${i + 1}: expected NAME=value, found "${shown}"`);
      continue;
    }
    const [, name, value] = match;
    const quote = value[0];
    if (!QUOTES.includes(quote) || value.indexOf(quote, 1) !== -1) continue;
    // A quoted value may span lines, up to the line that closes it.
    let end = i + 1;
    while (end < lines.length && !lines[end].includes(quote)) end++;
    if (end === lines.length)
      problems.push(`line ${i + 1}: the value of ${name} opens a ${quote} quote that is never closed`);
    else i = end;
  }
  return problems;
}

/**
 * Loads `<dir>/.env` into process.env without overriding what is already set. Returns the file's
 * path, or null when there is none; throws EnvFileError when it cannot be read or is malformed.
 */
export function readDotEnv(dir = process.cwd()) {
  const path = resolve(dir, '.env');
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw new EnvFileError(`Herald cannot start:\n  - ${path} cannot be read: ${error.message}`);
  }
  const problems = envFileProblems(text);
  if (problems.length > 0) {
    throw new EnvFileError(
      `Herald cannot start: ${path} is not a valid .env file (one NAME=value a line, # for comments):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  process.loadEnvFile(path);
  return path;
}

/** readDotEnv for a command's start: a bad file prints its problems and ends the process. */
export function readDotEnvOrExit(dir = process.cwd()) {
  try {
    return readDotEnv(dir);
  } catch (error) {
    if (!(error instanceof EnvFileError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
