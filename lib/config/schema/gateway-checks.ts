import type { z } from 'zod';
import { DIAGNOSIS_ROUTE, type GatewayConfig } from './gateway';
import { GATEWAY } from './service-graph';

/** The parts of a stage's configuration the gateway is checked against. */
export interface GatewayContext {
  readonly aws: { readonly account: string; readonly region: string };
  readonly network: { readonly mode: string; readonly publicSubnets?: boolean };
  readonly ipAllowLists: readonly { readonly user: string }[];
  readonly serviceGraph: {
    readonly services: readonly { readonly name: string }[];
    readonly calls: readonly {
      readonly from: string;
      readonly to: string;
      readonly methods: readonly string[];
      readonly paths: readonly string[];
    }[];
  };
  readonly gateway: GatewayConfig;
}

type Issue = (path: (string | number)[], message: string) => void;

/**
 * Checks the gateway against the rest of the stage: every route leads to a service the mesh lets
 * the gateway call, every permission and group exists, POST /diagnosis has a route of its own,
 * allow-lists name consumers, and the edge fits the account, region and network.
 */
export function checkGateway(config: GatewayContext, ctx: z.RefinementCtx): void {
  const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path: ['gateway', ...path], message });
  const { gateway } = config;

  for (const key of ['groups', 'consumers', 'routes'] as const) {
    const names = gateway[key].map((item) => item.name);
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index)
        issue([key, index, 'name'], `is already the name of ${key}[${names.indexOf(name)}]; names must be unique`);
    });
  }

  const groupNames = gateway.groups.map((group) => group.name);
  gateway.consumers.forEach((consumer, index) =>
    consumer.groups.forEach((group, groupIndex) => {
      if (!groupNames.includes(group))
        issue(['consumers', index, 'groups', groupIndex], `names no group (gateway.groups: ${groupNames.join(', ')})`);
    }),
  );

  const granted = new Set(gateway.groups.flatMap((group) => group.permissions));
  gateway.routes.forEach((route, index) => {
    if (route.public && route.permission) {
      issue(['routes', index, 'permission'], 'is set on a public route; a public route takes no token, so it cannot require a permission');
    } else if (!route.public && !route.permission) {
      issue(['routes', index], 'must name the permission a consumer needs ("permission: systems:read") or be "public: true"');
    } else if (route.permission && !granted.has(route.permission)) {
      issue(
        ['routes', index, 'permission'],
        `is granted by no group, so the route would refuse everyone (granted: ${[...granted].sort().join(', ')})`,
      );
    }
    checkRouteAgainstMesh(config, index, issue);
  });

  checkDiagnosisRoute(gateway, issue);
  checkOverlappingRoutes(gateway, issue);

  const consumerNames = gateway.consumers.map((consumer) => consumer.name);
  config.ipAllowLists.forEach((list, index) => {
    if (!consumerNames.includes(list.user)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ipAllowLists', index, 'user'],
        message: `names no gateway consumer; allow-lists attach to Kong consumers (gateway.consumers: ${consumerNames.join(', ')})`,
      });
    }
  });

  const [, , , certificateRegion, certificateAccount] = gateway.edge.certificateArn.split(':');
  if (certificateRegion !== config.aws.region || certificateAccount !== config.aws.account) {
    issue(
      ['edge', 'certificateArn'],
      `must be a certificate of the stage's account ${config.aws.account} in its region ${config.aws.region}; an ALB only uses certificates of its own region`,
    );
  }
  if (gateway.edge.scheme === 'internet-facing' && config.network.mode === 'create' && !config.network.publicSubnets) {
    issue(
      ['edge', 'scheme'],
      'is internet-facing but network.publicSubnets is false; an internet-facing ALB needs public subnets (or use "internal")',
    );
  }
}

function checkRouteAgainstMesh(config: GatewayContext, index: number, issue: Issue): void {
  const route = config.gateway.routes[index];
  const services = config.serviceGraph.services.map((service) => service.name);
  if (!services.includes(route.service)) {
    issue(['routes', index, 'service'], `names no service (known services: ${services.join(', ')})`);
    return;
  }
  const edges = config.serviceGraph.calls.filter((call) => call.from === GATEWAY && call.to === route.service);
  const allowed = edges.map((edge) => `${edge.methods.join(', ')} on ${edge.paths.join(', ')}`).join('; ') || 'nothing';
  route.paths.forEach((path, pathIndex) => {
    const refused = route.methods.filter(
      (method) => !edges.some((edge) => edge.methods.includes(method) && edge.paths.some((callPath) => meshPathCovers(callPath, path))),
    );
    if (refused.length > 0) {
      issue(
        ['routes', index, 'paths', pathIndex],
        `${refused.join(', ')} ${path} is not allowed for the gateway by serviceGraph.calls (${GATEWAY} -> ${route.service}: ${allowed}); the mesh would deny it`,
      );
    }
  });
}

/** Whether an Istio path of the service graph matches every request a Kong route path matches. */
export function meshPathCovers(callPath: string, routePath: string): boolean {
  const routeIsPrefix = routePath.endsWith('/*');
  const routeMatches = routeIsPrefix ? routePath.slice(0, -1) : routePath;
  if (callPath.endsWith('/*')) return routeMatches.startsWith(callPath.slice(0, -1));
  if (callPath.startsWith('*')) return !routeIsPrefix && routePath.endsWith(callPath.slice(1));
  return !routeIsPrefix && routePath === callPath;
}

function checkDiagnosisRoute(gateway: GatewayConfig, issue: Issue): void {
  const index = gateway.routes.findIndex((route) => route.paths.includes(DIAGNOSIS_ROUTE.path));
  if (index < 0 || !gateway.routes[index].methods.includes(DIAGNOSIS_ROUTE.method)) {
    issue(
      ['routes'],
      `must route ${DIAGNOSIS_ROUTE.method} ${DIAGNOSIS_ROUTE.path}: rateLimits.diagnosisPerIp limits it per client IP (design document, "Application-Level Rate Limiting")`,
    );
    return;
  }
  const route = gateway.routes[index];
  if (route.methods.length !== 1) {
    issue(
      ['routes', index, 'methods'],
      `must be [${DIAGNOSIS_ROUTE.method}] only: the per-IP limit of ${DIAGNOSIS_ROUTE.path} applies to the whole route`,
    );
  }
  if (route.paths.length !== 1) {
    issue(
      ['routes', index, 'paths'],
      `must be [${DIAGNOSIS_ROUTE.path}] only: the per-IP limit of ${DIAGNOSIS_ROUTE.path} applies to the whole route`,
    );
  }
  if (route.public) {
    issue(['routes', index, 'public'], `must be false: ${DIAGNOSIS_ROUTE.path} is the expensive endpoint and needs a token`);
  }
}

function checkOverlappingRoutes(gateway: GatewayConfig, issue: Issue): void {
  const seen = new Map<string, number>();
  gateway.routes.forEach((route, index) =>
    route.paths.forEach((path, pathIndex) =>
      route.methods.forEach((method) => {
        const key = `${method} ${path}`;
        const first = seen.get(key);
        if (first !== undefined && first !== index) {
          issue(
            ['routes', index, 'paths', pathIndex],
            `${key} is already routed by routes[${first}]; a request must match one route, with one permission`,
          );
        } else {
          seen.set(key, index);
        }
      }),
    ),
  );
}
