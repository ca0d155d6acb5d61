/**
 * The mocha globals @web/test-runner provides in the browser (@types/mocha is not a dependency of
 * this workspace; this is the subset the element tests use).
 */
declare global {
  interface MochaContext {
    timeout(ms: number): void;
    skip(): never;
  }
  type MochaDone = (error?: unknown) => void;
  type MochaFn = (this: MochaContext, done: MochaDone) => void | Promise<unknown>;
  interface MochaIt {
    (title: string, fn?: MochaFn): void;
    only(title: string, fn?: MochaFn): void;
    skip(title: string, fn?: MochaFn): void;
  }
  interface MochaDescribe {
    (title: string, fn: (this: MochaContext) => void): void;
    only(title: string, fn: (this: MochaContext) => void): void;
    skip(title: string, fn: (this: MochaContext) => void): void;
  }
  const describe: MochaDescribe;
  const it: MochaIt;
  function before(fn: MochaFn): void;
  function after(fn: MochaFn): void;
  function beforeEach(fn: MochaFn): void;
  function afterEach(fn: MochaFn): void;
}
export {};
