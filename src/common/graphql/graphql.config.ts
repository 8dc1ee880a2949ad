import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, ValidationContext } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { LedgerEnv } from '../../config/env';
import { errorLoggingPlugin } from '../errors/error-logging.plugin';
import { ErrorCode } from '../errors/error-codes.graphql';
import { formatError, GRAPHQL_LIMIT_CODE } from '../errors/format-error';
import { SANDBOX_INITIAL_STATE } from './sandbox';

/**
 * Limits on what one GraphQL document may ask for (SPEC §8), enforced by
 * graphql-armor while parsing and validating, so a refused document never
 * reaches a resolver. Each refusal is INVALID_ARGUMENT (retCode 6; SPEC §7
 * keeps one closed set of codes) with `reason: "LIMIT_<NAME>"`; the token
 * limit, a parse error, has `reason: "GRAPHQL_PARSE_FAILED"`. Batch size and
 * body size are checked before Apollo, in src/common/http/http-errors.ts.
 */
export const GRAPHQL_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  /**
   * Armor's cost: 1 per scalar, 2 per object, children weighted ×1.5 per
   * level, a list multiplied by a literal `first:` argument. The costliest
   * regular request, one `bills(first: 500)` page with every Bill field, its
   * cursors and pageInfo, costs 34,938 (a pay with its whole MoneyResult: 57;
   * `first` given as a variable is not multiplied). 50,000 leaves room for
   * that page plus other reads in one document, and refuses fan-outs such as
   * two aliased 500-bill pages (test/graphql-limits.spec.ts).
   */
  maxCost: 50_000,
  /** Lexical tokens of the document (variables are not counted); the full introspection query is 183. */
  maxTokens: 2_000,
  /** Operations in one batched HTTP request (a JSON array body). */
  maxBatch: 10,
} as const;

/**
 * How armor reports a refusal: to the validation context, as an error that
 * names the limit (Apollo answers it as GRAPHQL_VALIDATION_FAILED, keeping our
 * `limit` extension, and format-error.ts makes it INVALID_ARGUMENT).
 */
function reportLimit(limit: string) {
  const tagged = (err: GraphQLError) =>
    new GraphQLError(err.message.replace(/^Syntax Error: /, ''), { extensions: { code: GRAPHQL_LIMIT_CODE, limit } });
  return {
    propagateOnRejection: false,
    onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(tagged(err))],
  };
}

export function graphqlConfig(env: Pick<LedgerEnv, 'NODE_ENV' | 'GRAPHQL_INTROSPECTION'>): ApolloDriverConfig {
  const production = env.NODE_ENV === 'production';
  const armor = new ApolloArmor({
    maxDepth: { n: GRAPHQL_LIMITS.maxDepth, ...reportLimit('MAX_DEPTH') },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases, ...reportLimit('MAX_ALIASES') },
    costLimit: { maxCost: GRAPHQL_LIMITS.maxCost, ...reportLimit('MAX_COST') },
    maxDirectives: { n: 50, ...reportLimit('MAX_DIRECTIVES') },
    // Armor's token plugin re-parses in parsingDidStart, where a plain syntax error
    // becomes a 500 under Apollo 5; graphql-js's own parser limit (parseOptions below)
    // does the same job inside Apollo's parse step and answers 400.
    maxTokens: { enabled: false },
    // "Did you mean ...?" helps a developer and maps the schema for an attacker.
    blockFieldSuggestion: { enabled: production },
  }).protect();
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: env.GRAPHQL_INTROSPECTION,
    includeStacktraceInErrorResponses: false,
    // Batches (a JSON array of operations) are accepted, up to
    // GRAPHQL_LIMITS.maxBatch; the size is checked in the HTTP layer
    // (src/common/http/http-errors.ts) before Apollo sees the request.
    allowBatchedHttpRequests: true,
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens },
    // @nestjs/apollo (ESM) loads @apollo/server's ESM build and this CommonJS
    // code its CJS build: the same objects, two sets of type declarations.
    plugins: <NonNullable<ApolloDriverConfig['plugins']>>(<unknown>[
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: { runTelemetry: false }, ...SANDBOX_INITIAL_STATE }),
      // No HTTP caching of a ledger's answers; without it Apollo wraps no resolver (it is on by default).
      ApolloServerPluginCacheControlDisabled(),
      ...armor.plugins,
      errorLoggingPlugin(),
    ]),
    formatError,
    // HTTP: Apollo's Fastify integration calls this with (request, reply). Subscriptions (src/event) run over
    // graphql-ws (the graphql-transport-ws protocol) on /graphql, where graphql-ws calls it with its connection
    // context instead: the key comes from connectionParams.authorization, in a request-shaped object the guards
    // read (its `res` takes the rate limiter's headers).
    context: (first: unknown, reply?: unknown) => {
      const ws = first as { connectionInitReceived?: boolean; connectionParams?: Record<string, unknown> };
      if (!ws || typeof ws !== 'object' || !('connectionInitReceived' in ws)) return { req: first, res: reply };
      // The rate limiter writes its headers to the context's `res`: a connection has none to write to.
      const res = { header: () => undefined, setHeader: () => undefined };
      const authorization = ws.connectionParams?.authorization;
      return { req: { headers: { authorization: typeof authorization === 'string' ? authorization : '' }, res }, res };
    },
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        // A subscription's errors take the shape they have over HTTP (formatError: codes, no internals).
        onNext: (_ctx, _id, _payload, _args, result) =>
          result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : undefined,
      },
    },
    buildSchemaOptions: {
      scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
      // No field returns an error code, so the enum is added by hand: clients read the codes in the schema.
      orphanedTypes: [ErrorCode],
    },
  };
}
