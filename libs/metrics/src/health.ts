/**
 * A readiness check: resolves (or returns) undefined when the dependency can be used now, or a
 * short reason when it cannot; a throw counts as a reason too.
 */
export type Check = () => string | undefined | Promise<string | undefined>;

export interface Readiness {
  ready: boolean;
  /** Names of the failing checks. */
  failing: string[];
  /** Every check: "ok" or the reason it fails. */
  checks: Record<string, string>;
}

export interface Liveness {
  live: boolean;
  /** How long a callback queued now waited for the event loop, ms. */
  eventLoopDelayMs: number;
}

/** A loop that takes longer than this to come round is reported as not live. */
const LIVE_DELAY_MS = 1000;

/**
 * The health of a process: liveness (it answers and its event loop turns) and readiness (every
 * dependency its roles need answers now). Roles add their checks under "<role>.<dependency>"; the
 * standalone node shares one Health among its roles. Checks run when asked, each bounded by
 * `timeoutMs`; concurrent requests share one run, so a probe storm costs one round of checks.
 */
export class Health {
  readonly #checks = new Map<string, Check>();
  readonly #timeoutMs: number;
  #running?: Promise<Readiness>;

  constructor(timeoutMs = 2000) {
    this.#timeoutMs = timeoutMs;
  }

  add(name: string, check: Check): void {
    this.#checks.set(name, check);
  }

  async live(): Promise<Liveness> {
    const started = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    const eventLoopDelayMs = Math.round((performance.now() - started) * 10) / 10;
    return { live: eventLoopDelayMs < LIVE_DELAY_MS, eventLoopDelayMs };
  }

  ready(): Promise<Readiness> {
    this.#running ??= this.#runChecks().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #runChecks(): Promise<Readiness> {
    const names = [...this.#checks.keys()].sort();
    const results = await Promise.all(names.map((name) => this.#run(this.#checks.get(name)!)));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i] ?? 'ok']));
    const failing = names.filter((_, i) => results[i] !== undefined);
    return { ready: failing.length === 0, failing, checks };
  }

  async #run(check: Check): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${this.#timeoutMs} ms`), this.#timeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(check), timeout]);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
  }
}
