/**
 * etcd key layout of the registry (the only place that spells it):
 *
 *   /<namespace>/services/<service>/<id>  ->  JSON ServiceInstance, attached to the instance's lease
 *
 * A watch or list on servicePrefix() sees exactly one service's instances.
 */
export function servicePrefix(namespace: string, service: string): string {
  return `/${namespace}/services/${service}/`;
}

export function instanceKey(namespace: string, service: string, id: string): string {
  return `${servicePrefix(namespace, service)}${id}`;
}
