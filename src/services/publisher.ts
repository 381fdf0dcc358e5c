/**
 * Cache tags the public site is invalidated by: `status` (home page, status documents),
 * `incident:<code>`, `history`, `feeds`.
 */
export type Listener = (tags: ReadonlySet<string>) => void;

/** Tells whoever renders public content that data behind some tags changed (after commit). */
export class Publisher {
  #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(tags: Iterable<string>): void {
    const set = new Set(tags);
    if (set.size === 0) return;
    for (const listener of this.#listeners) listener(set);
  }
}
