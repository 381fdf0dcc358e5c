/**
 * A command as a person pastes it into another shell, with the database it must act on in front:
 * a CLI run from elsewhere (another folder, another user's shell) would otherwise open the
 * default ./data/herald.db of wherever it runs, not the server's.
 */
export function onDatabase(databasePath: string, command: string): string {
  return `DATABASE_PATH=${shellWord(databasePath)} ${command}`;
}

/** A word the shell reads back as it is: quoted only when it has to be. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
