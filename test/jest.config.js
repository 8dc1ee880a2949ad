/**
 * Two Jest projects:
 * - `unit` (test/unit/jest.config.js): pure logic, no build, no database; runs
 *   in seconds (`npm run test:unit`).
 * - `service`: tests run against the built service (spawned as a real process,
 *   one or more per test file, each file on its own database cloned from a
 *   migrated template) and a real PostgreSQL: embedded unless DATABASE_URL is
 *   set. Its global setup (build, template database) runs only when one of its
 *   files is selected.
 */
const { join } = require('node:path');

const root = join(__dirname, '..');
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] };

module.exports = {
  rootDir: root,
  testTimeout: 120000,
  maxWorkers: 2,
  projects: [
    require('./unit/jest.config.js'),
    {
      displayName: 'service',
      rootDir: root,
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
