import { Naming, PARAMETER_PATHS, SECRET_PURPOSES } from '../../lib/config';

/** The names the CDK stacks create and the cluster reads: a change here breaks a deployed contract. */
describe('names both renderers share', () => {
  const naming = new Naming({ project: 'hydraulic', stage: 'dev' });

  test('the secrets the cluster syncs', () => {
    expect(Object.values(SECRET_PURPOSES).map((purpose) => naming.secretName(purpose))).toEqual([
      'hydraulic/dev/jwt-signing-key',
      'hydraulic/dev/api-key-encryption-key',
      'hydraulic/dev/redis-auth-token',
      'hydraulic/dev/database-credentials',
    ]);
  });

  test('the endpoint parameters the data-stores stack writes', () => {
    expect(Object.values(PARAMETER_PATHS).map((path) => naming.parameterName(path))).toEqual([
      '/hydraulic/dev/redis/host',
      '/hydraulic/dev/redis/port',
      '/hydraulic/dev/redis/tls',
      '/hydraulic/dev/database/host',
      '/hydraulic/dev/database/port',
    ]);
  });
});
