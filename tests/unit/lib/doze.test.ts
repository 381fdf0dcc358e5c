import { describe, expect, it } from 'vitest';
import { Doze } from '../../../src/lib/doze.ts';

describe('the idle wait of a polling loop', () => {
  it('sleeps until its time-out when nobody wakes it', async () => {
    const doze = new Doze();
    const started = performance.now();
    await doze.sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('is cut short by a wake during the sleep', async () => {
    const doze = new Doze();
    const sleeping = doze.sleep(60_000);
    doze.wake();
    await expect(sleeping).resolves.toBeUndefined();
  });

  it('does not fall asleep after a wake that came before the sleep, until reset', async () => {
    const doze = new Doze();
    doze.wake();
    await doze.sleep(60_000);
    doze.reset();
    const result = await Promise.race([
      doze.sleep(60_000).then(() => 'woke'),
      new Promise((r) => setTimeout(() => r('slept'), 50)),
    ]);
    expect(result).toBe('slept');
    doze.wake();
  });
});
