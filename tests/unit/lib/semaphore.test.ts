import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../../src/lib/semaphore.ts';

describe('a semaphore', () => {
  it('lets at most its limit run at once and the rest in the order they came', async () => {
    const gate = new Semaphore(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = Array.from({ length: 5 }, (_, i) =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
      }),
    );
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 1));
      releases.shift()?.();
    }
    await Promise.all(tasks);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives a place back once however often its release is called, and after a task throws', async () => {
    const gate = new Semaphore(1);
    const release = await gate.hold();
    release();
    release();
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    // Had either path leaked the place, this hold would wait forever.
    const again = await Promise.race([gate.hold(), new Promise<null>((r) => setTimeout(() => r(null), 100))]);
    expect(again).toBeTypeOf('function');
    again?.();
  });
});
