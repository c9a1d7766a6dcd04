/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  },
  snapshotSerializers: ['<rootDir>/test/harness/stable-snapshot.ts'],
  // Synthesizing a CDK stage takes a few seconds on a 2-core machine.
  testTimeout: 60000,
  // Every core: on the 2-core CI machine jest would otherwise run a single worker.
  maxWorkers: '100%',
  testSequencer: '<rootDir>/test/harness/slowest-first-sequencer.js',
};
