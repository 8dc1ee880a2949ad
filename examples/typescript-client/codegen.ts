import type { CodegenConfig } from '@graphql-codegen/cli';
import { join } from 'node:path';

/**
 * Types for every operation in src/ from the service's committed schema
 * (../../schema.graphql), with no network access: `npm run codegen:example`
 * writes src/gql/, and test/client-example.spec.ts fails when the committed
 * files differ from what this config generates.
 */
const config: CodegenConfig = {
  schema: join(__dirname, '..', '..', 'schema.graphql'),
  documents: [join(__dirname, 'src', '**', '*.ts'), '!' + join(__dirname, 'src', 'gql', '**')],
  ignoreNoDocuments: false,
  generates: {
    [join(__dirname, 'src', 'gql') + '/']: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Money and other 53-bit integers arrive as JSON numbers (never floats: the
        // server refuses fractions); DateTime is an ISO-8601 string on the wire.
        scalars: {
          SafeInt: { input: 'number', output: 'number' },
          DateTime: { input: 'string', output: 'string' },
          JSON: { input: 'unknown', output: 'unknown' },
        },
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
