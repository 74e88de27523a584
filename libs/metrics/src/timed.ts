import type { Counter, Histogram } from './families.ts';

type Method = (...args: unknown[]) => unknown;

/**
 * Wraps `target` so that each of its methods is timed: `seconds(name)` observes how long the call
 * (or the promise it returns) took, `errors(name)` counts throws and rejections. Methods run with
 * the real object as `this`, so classes with private fields work; other members pass through.
 */
export function timeCalls<T extends object>(target: T, seconds: (method: string) => Histogram, errors: (method: string) => Counter): T {
  const wrappers = new Map<string, Method>();
  const wrap = (name: string, method: Method): Method => {
    const latency = seconds(name);
    const failures = errors(name);
    return (...args) => {
      const stop = latency.startTimer();
      let result: unknown;
      try {
        result = method.apply(target, args);
      } catch (error) {
        stop();
        failures.inc();
        throw error;
      }
      if (!(result instanceof Promise)) {
        stop();
        return result;
      }
      return result.then(
        (value: unknown) => {
          stop();
          return value;
        },
        (error: unknown) => {
          stop();
          failures.inc();
          throw error;
        },
      );
    };
  };
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) wrappers.set(property, (wrapper = wrap(property, value as Method)));
      return wrapper;
    },
  });
}
