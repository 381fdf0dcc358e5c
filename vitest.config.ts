import { defineConfig } from 'vitest/config';

// Four layers of tests, fastest first. `npm run test:fast` runs the first two; `npm test` all.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each file gets its own SQLite files; files run in parallel on the two cores.
    pool: 'forks',
    projects: [
      // Pure rules and small utilities: no I/O.
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      // Use cases over a real SQLite file, no HTTP.
      { extends: true, test: { name: 'services', include: ['tests/services/**/*.test.ts'] } },
      // The house rules: eslint (layers included) and prettier, so CI enforces them too.
      { extends: true, test: { name: 'lint', include: ['tests/lint/**/*.test.ts'] } },
      // Real HTTP through the app or the real server, real SMTP and push receivers.
      {
        extends: true,
        test: { name: 'http', include: ['tests/integration/**/*.test.ts'], globalSetup: ['tests/global-setup.ts'] },
      },
      // The real server end to end, Debian's Chromium.
      {
        extends: true,
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], globalSetup: ['tests/global-setup.ts'] },
      },
    ],
  },
});
