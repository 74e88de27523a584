import { readFileSync } from 'node:fs';

/**
 * A secret of the local cluster: the environment's, else the one `pnpm cluster:up` made in
 * .cluster/secrets.env (cluster mode refuses the public development values).
 */
export function localSecret(variable: 'IM_API_KEY' | 'IM_CLUSTER_SECRET'): string | undefined {
  if (process.env[variable]) return process.env[variable];
  try {
    const line = readFileSync('.cluster/secrets.env', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${variable}=`));
    return line?.slice(variable.length + 1);
  } catch {
    return undefined;
  }
}
