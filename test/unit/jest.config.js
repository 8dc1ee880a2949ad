/**
 * The `unit` Jest project: pure logic (canonical JSON, signatures, calendar
 * rules, the CSV reader, config validation, retry), no build, no database; runs
 * in seconds. `npm run test:unit [files]`; `npm test` runs it with the service
 * project (test/jest.config.js).
 */
const { join } = require('node:path');

const root = join(__dirname, '..', '..');

module.exports = {
  displayName: 'unit',
  rootDir: root,
  testMatch: ['<rootDir>/test/unit/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  testEnvironment: 'node',
};
