import type { z } from 'zod';
import { GATEWAY } from './service-graph';

/** One call edge, as far as route overlap is concerned. */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly methods: readonly string[];
  readonly paths: readonly string[];
}

/**
 * Whether two Istio path patterns (exact, `prefix/*` or `*suffix`) can match the same request path.
 * Errs on the side of "yes": a prefix and a suffix pattern always can.
 */
export function pathsOverlap(a: string, b: string): boolean {
  const kindOf = (path: string) => (path.startsWith('*') ? 'suffix' : path.endsWith('*') ? 'prefix' : 'exact');
  const [first, second] = [a, b].sort((x, y) => kindOf(x).localeCompare(kindOf(y)));
  const kinds = `${kindOf(first)}/${kindOf(second)}`;
  const stem = (path: string) => path.slice(0, -1);
  const tail = (path: string) => path.slice(1);
  switch (kinds) {
    case 'exact/exact':
      return first === second;
    case 'exact/prefix':
      return first.startsWith(stem(second));
    case 'exact/suffix':
      return first.endsWith(tail(second));
    case 'prefix/prefix':
      return stem(first).startsWith(stem(second)) || stem(second).startsWith(stem(first));
    case 'suffix/suffix':
      return tail(first).endsWith(tail(second)) || tail(second).endsWith(tail(first));
    default: // prefix/suffix: "<prefix><suffix>" matches both
      return true;
  }
}

/**
 * Checks that only the gateway reaches public routes: no call from another service may share
 * a method and a path with a route the gateway is allowed on, on the same service. Otherwise the
 * generated ALLOW policy would let that service reach a public route too.
 */
export function checkPublicRoutesOnlyForGateway(graph: { readonly calls: readonly Edge[] }, ctx: z.RefinementCtx): void {
  const publicEdges = graph.calls.map((edge, index) => ({ edge, index })).filter(({ edge }) => edge.from === GATEWAY);
  graph.calls.forEach((edge, index) => {
    if (edge.from === GATEWAY) return;
    for (const { edge: route, index: routeIndex } of publicEdges) {
      if (route.to !== edge.to) continue;
      const method = edge.methods.find((candidate) => route.methods.includes(candidate));
      if (!method) continue;
      for (const path of edge.paths) {
        const publicPath = route.paths.find((candidate) => pathsOverlap(path, candidate));
        if (publicPath === undefined) continue;
        ctx.addIssue({
          code: 'custom',
          path: ['serviceGraph', 'calls', index, 'paths'],
          message: `let "${edge.from}" reach ${method} ${path} on "${edge.to}", which overlaps the public route ${method} ${publicPath} of calls[${routeIndex}]; only the gateway may reach public routes, so narrow the paths or methods`,
        });
        return;
      }
    }
  });
}
