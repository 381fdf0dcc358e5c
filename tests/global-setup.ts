// Builds the server once before any test file starts one: parallel test files would otherwise
// each run `astro build` into the same dist/ at the same time.
import { ensureBuild } from '../scripts/ensure-build.mjs';

export default function setup(): void {
  ensureBuild();
}
