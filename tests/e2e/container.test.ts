// The container image as a self-hoster runs it: built from the Dockerfile, a named volume for
// /data, the owner made with the CLI inside the container, an incident posted with the API, then
// `docker stop` (SIGTERM) and a new container on the same volume that still shows it.
// Needs a Docker engine; where `docker info` fails the test is skipped and says why, and nothing
// here has then shown that the image works.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/cli/child-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function docker(args: string[], timeoutMs = 60_000): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('docker', args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr || result.error?.message || '' };
}

function mustDocker(args: string[], timeoutMs?: number): string {
  const result = docker(args, timeoutMs);
  if (!result.ok) throw new Error(`docker ${args.join(' ')} failed:\n${(result.stderr || result.stdout).slice(-4000)}`);
  return result.stdout.trim();
}

const probe = docker(['info', '--format', '{{.ServerVersion}}'], 20_000);
const skipReason = probe.ok
  ? null
  : `\`docker info\` failed, so there is no Docker engine to build and run the image: ${probe.stderr.trim().split('\n').at(-1) ?? ''}`;
if (skipReason) console.warn(`[container.test] SKIPPED, the image was not built or run: ${skipReason}`);

describe.skipIf(skipReason !== null)('the container image', () => {
  const id = `${process.pid}-${Date.now()}`;
  const image = `herald-test:${id}`;
  const volume = `herald-test-data-${id}`;
  const containers: string[] = [];

  beforeAll(() => {
    mustDocker(['build', '--tag', image, '.'], 20 * 60_000);
    mustDocker(['volume', 'create', volume]);
  }, 21 * 60_000);

  afterAll(() => {
    for (const name of containers) docker(['rm', '--force', name]);
    docker(['volume', 'rm', '--force', volume]);
    docker(['image', 'rm', '--force', image]);
  });

  /** Starts a container on the shared volume, published on loopback only, and waits until it is healthy. */
  async function run(name: string): Promise<string> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    containers.push(name);
    mustDocker([
      'run',
      '--detach',
      '--name',
      name,
      '--publish',
      `127.0.0.1:${port}:4321`,
      '--volume',
      `${volume}:/data`,
      '--env',
      `HERALD_BASE_URL=${url}`,
      // The image's own HEALTHCHECK command, polled faster than its production interval.
      '--health-interval',
      '2s',
      '--health-start-period',
      '60s',
      image,
    ]);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const state = mustDocker([
        'inspect',
        '--format',
        '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}',
        name,
      ]);
      if (state === 'running healthy') break;
      if (!state.startsWith('running') || Date.now() > deadline) {
        const logs = docker(['logs', name]);
        throw new Error(`container ${name} is "${state}", not healthy:\n${logs.stdout}${logs.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    return url;
  }

  it(
    'keeps an incident across docker stop and a new container on the same volume',
    async () => {
      const first = `herald-test-a-${id}`;
      let url = await run(first);

      const admin = (...args: string[]) => mustDocker(['exec', first, 'node', 'src/cli/admin.ts', ...args]);
      expect(
        admin(
          'create-user',
          '--email',
          'owner@example.com',
          '--role',
          'owner',
          '--password',
          'container test password',
        ),
      ).toMatch(/Created owner/);
      const token = /hrld_[\w-]+/.exec(
        admin('create-token', '--email', 'owner@example.com', '--name', 'container test'),
      )?.[0];
      expect(token).toBeDefined();

      const post = async (path: string, body: unknown) => {
        const response = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(response.status, await response.clone().text()).toBe(201);
        return (await response.json()) as { id: string; code?: string };
      };
      const component = await post('/api/admin/components', { name: 'API' });
      const title = `Container check ${id}`;
      const incident = await post('/api/admin/incidents', {
        name: title,
        status: 'investigating',
        body: 'Looking into it.',
        components: { [component.id]: 'major_outage' },
      });
      expect(await (await fetch(`${url}/`)).text()).toContain(title);

      // SIGTERM, as `docker stop` sends it: Herald must exit on its own, not be killed after the grace period.
      mustDocker(['stop', '--time', '30', first], 60_000);
      expect(mustDocker(['inspect', '--format', '{{.State.ExitCode}}', first])).toBe('0');

      url = await run(`herald-test-b-${id}`);
      expect(await (await fetch(`${url}/`)).text()).toContain(title);
      const permalink = await fetch(`${url}/incidents/${incident.code}`);
      expect(permalink.status).toBe(200);
      expect(await permalink.text()).toContain(title);
    },
    5 * 60_000,
  );
});
