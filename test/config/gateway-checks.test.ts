import { meshPathCovers } from '../../lib/config/schema/gateway-checks';

describe('a Kong route path is within a service-graph path only when every request it matches is', () => {
  test.each([
    ['/systems', '/systems', true],
    ['/systems', '/systems/x', false],
    ['/systems', '/systems/*', false],
    ['/systems/*', '/systems/sys-789', true],
    ['/systems/*', '/systems/*', true],
    ['/systems/*', '/systems/a/*', true],
    ['/systems/*', '/systems', false],
    ['/auth/*', '/auth/login', true],
    ['/auth/*', '/authz/login', false],
    ['*.json', '/reports/a.json', true],
    ['*.json', '/reports/*', false],
  ])('service graph %s covers Kong route %s: %s', (callPath, routePath, covered) => {
    expect(meshPathCovers(callPath, routePath)).toBe(covered);
  });
});
