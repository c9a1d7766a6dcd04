import { pathsOverlap } from '../../lib/config/schema/public-routes';

describe('pathsOverlap (Istio exact, prefix and suffix patterns)', () => {
  test.each([
    ['/systems', '/systems', true],
    ['/systems', '/system', false],
    ['/systems/1', '/systems/*', true],
    ['/systems', '/systems/*', false],
    ['/auth/*', '/auth/login/*', true],
    ['/auth/*', '/systems/*', false],
    ['/x.json', '*.json', true],
    ['/x.yaml', '*.json', false],
    ['*.json', '*s.json', true],
    ['*.json', '*.yaml', false],
    ['/systems/*', '*.json', true],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(pathsOverlap(a, b)).toBe(expected);
    expect(pathsOverlap(b, a)).toBe(expected);
  });
});
