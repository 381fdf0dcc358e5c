// `npm run admin -- <command>`: account chores without a browser. Runs from source on Node 24.
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import { onDatabase } from '../lib/command-line.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { startRuntime } from '../runtime.ts';
import { CLI } from '../services/actor.ts';
import { DomainError } from '../services/errors.ts';
import { createToken } from '../services/tokens.ts';
import { createUser } from '../services/users.ts';
import { cliConfig, databaseLine } from './cli-config.ts';

// Named with the database in use, so a command copied into another shell acts on the same one.
const usage = (databasePath: string) => `Usage:
  ${onDatabase(databasePath, 'npm run admin -- create-user --email <email> --role <owner|editor|viewer> --password <password> [--name <name>]')}
  ${onDatabase(databasePath, 'npm run admin -- create-token --email <email> --name <token name>')}

DATABASE_PATH selects the database (default ./data/herald.db, from the working directory).`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const config = cliConfig();
const USAGE = usage(config.databasePath);

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
    },
    strict: true,
  });
  if (command !== 'create-user' && command !== 'create-token') fail(USAGE);
  if (!values.email) fail(`--email is required\n\n${USAGE}`);

  console.log(databaseLine(config.databasePath));
  const runtime = await startRuntime(config, { scheduler: false });
  try {
    if (command === 'create-user') {
      const role = values.role ?? '';
      if (!(ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
      if (!values.password) fail('--password is required');
      const user = await createUser(runtime.ctx, CLI, {
        email: values.email,
        role: role as Role,
        password: values.password,
        name: values.name ?? '',
      });
      console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
    } else {
      if (!values.name) fail('--name is required: say what the token is for (e.g. "pagerduty")');
      const token = await createToken(runtime.ctx, CLI, { name: values.name, email: values.email });
      console.log(
        `API token "${token.name}" for ${values.email} (id ${token.id}). It is shown only now:\n\n${token.token}\n`,
      );
    }
  } finally {
    await runtime.stop();
  }
}

main().catch((error: unknown) => {
  if (error instanceof DomainError || error instanceof ConfigError) fail(error.message);
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    fail(`${error.message}\n\n${USAGE}`);
  throw error;
});
