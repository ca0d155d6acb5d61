/** A value recomputed only when one of its inputs changed (compared by identity) since the last call. */
export class Memo<T> {
  private deps?: readonly unknown[];
  private value?: T;

  get(deps: readonly unknown[], compute: () => T): T {
    if (!this.deps || this.deps.length !== deps.length || this.deps.some((d, i) => d !== deps[i])) {
      this.value = compute();
      this.deps = deps;
    }
    return this.value as T;
  }
}
