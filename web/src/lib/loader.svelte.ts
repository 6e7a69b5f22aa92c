// One loading/error/data cell for a screen: load() aborts the previous request, so the newest one wins.
export class Loader<T> {
  data: T | null = $state(null);
  loading = $state(true);
  error: unknown = $state(null);
  #ctrl: AbortController | null = null;
  constructor(private fn: (signal: AbortSignal) => Promise<T>) {}
  load = async (): Promise<void> => {
    this.#ctrl?.abort();
    const c = new AbortController();
    this.#ctrl = c;
    this.loading = true;
    this.error = null;
    try {
      const d = await this.fn(c.signal);
      if (!c.signal.aborted) this.data = d;
    } catch (e) {
      if (!c.signal.aborted) this.error = e;
    } finally {
      if (!c.signal.aborted) this.loading = false;
    }
  };
}
