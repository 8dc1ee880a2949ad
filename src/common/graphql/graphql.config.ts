import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLDateTime } from 'graphql-scalars';
import type { LedgerEnv } from '../../config/env';
import { errorLoggingPlugin } from '../errors/error-logging.plugin';
import { formatError } from '../errors/format-error';

export function graphqlConfig(env: LedgerEnv): ApolloDriverConfig {
  const production = env.NODE_ENV === 'production';
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: env.GRAPHQL_INTROSPECTION,
    includeStacktraceInErrorResponses: false,
    // @nestjs/apollo (ESM) loads @apollo/server's ESM build and this CommonJS
    // code its CJS build: the same objects, two sets of type declarations.
    plugins: <NonNullable<ApolloDriverConfig['plugins']>>(<unknown>[
      production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
      errorLoggingPlugin(),
    ]),
    formatError,
    context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
    buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: GraphQLDateTime }] },
  };
}
